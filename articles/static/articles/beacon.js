// Counts one view of the article on this page. The page itself never counts:
// only readers' browsers running this (or loading the <noscript> pixel) do.
// A page prerendered or opened in a background tab counts once the reader sees it.
(function () {
  "use strict";
  var article = document.querySelector("[data-view-beacon]");
  if (!article) {
    return;
  }
  var url = article.getAttribute("data-view-beacon");
  var sent = false;

  function send() {
    if (sent || document.prerendering || document.visibilityState === "hidden") {
      return;
    }
    sent = true;
    document.removeEventListener("visibilitychange", send);
    document.removeEventListener("prerenderingchange", send);
    if (navigator.sendBeacon && navigator.sendBeacon(url)) {
      return;
    }
    if (window.fetch) {
      // Same-origin credentials: the site's visitor-id cookie, if it sets one, goes along.
      fetch(url, { method: "POST", keepalive: true, credentials: "same-origin" }).catch(function () {});
    }
  }

  document.addEventListener("visibilitychange", send);
  document.addEventListener("prerenderingchange", send);
  send();
})();
