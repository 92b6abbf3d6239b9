// Counts one view of the article on this page. The page itself never counts:
// only readers' browsers running this (or loading the <noscript> pixel) do.
(function () {
  "use strict";
  var article = document.querySelector("[data-view-beacon]");
  if (!article) {
    return;
  }
  var url = article.getAttribute("data-view-beacon");
  if (navigator.sendBeacon && navigator.sendBeacon(url)) {
    return;
  }
  if (window.fetch) {
    fetch(url, { method: "POST", keepalive: true, credentials: "omit" }).catch(function () {});
  }
})();
