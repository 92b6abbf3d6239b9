// Related articles for third-party pages. Put an element where the list should go and load
// this script from the news site:
//
//   <div data-newsroom-related="123" data-newsroom-limit="5"></div>
//   <script src="https://news.example/static/articles/related-widget.js" async></script>
//
// It asks the site's API (the script's own origin, or data-newsroom-api on the element) and
// builds the list with DOM methods and textContent only: nothing the API returns is ever
// parsed as HTML, and only http(s) links are followed. The page's origin must be one of the
// site's WIDGET_ALLOWED_ORIGINS, or the browser refuses the response (CORS).
(function () {
  "use strict";
  var script = document.currentScript;
  var defaultApi = script && script.src ? new URL(script.src, document.baseURI).origin : "";

  function webUrl(value, base) {
    try {
      var url = new URL(value, base);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function text(tag, className, value) {
    var node = document.createElement(tag);
    node.className = className;
    node.textContent = value;
    return node;
  }

  function render(container, items, api) {
    var list = document.createElement("ol");
    list.className = "newsroom-related__list";
    items.forEach(function (item) {
      var href = webUrl(String(item.url || ""), api);
      if (!href) {
        return;
      }
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = href;
      link.rel = "noopener";
      link.textContent = String(item.headline || "");
      entry.appendChild(link);
      var meta = [item.agency, item.published_at ? String(item.published_at).slice(0, 10) : ""]
        .filter(Boolean)
        .join(" · ");
      if (meta) {
        entry.appendChild(text("span", "newsroom-related__meta", " " + meta));
      }
      if (Array.isArray(item.also_from) && item.also_from.length) {
        entry.appendChild(text("span", "newsroom-related__also", " Also from " + item.also_from.join(", ")));
      }
      list.appendChild(entry);
    });
    while (container.firstChild) {
      container.removeChild(container.firstChild);
    }
    if (list.childNodes.length) {
      container.appendChild(text("h2", "newsroom-related__title", "Related articles"));
      container.appendChild(list);
    }
  }

  function load(container) {
    var id = container.getAttribute("data-newsroom-related") || "";
    if (!/^\d+$/.test(id)) {
      return;
    }
    var limit = parseInt(container.getAttribute("data-newsroom-limit") || "5", 10);
    limit = Math.min(Math.max(isNaN(limit) ? 5 : limit, 1), 20);
    var api = webUrl(container.getAttribute("data-newsroom-api") || defaultApi, document.baseURI);
    if (!api || !window.fetch) {
      return;
    }
    var url = new URL("/api/articles/" + id + "/related/", api);
    url.searchParams.set("limit", String(limit));
    fetch(url.href, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : [];
      })
      .then(function (items) {
        render(container, Array.isArray(items) ? items : [], api);
      })
      .catch(function () {});
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-newsroom-related]"), load);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
