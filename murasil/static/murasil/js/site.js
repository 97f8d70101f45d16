// Reader-side behaviour, a few hundred bytes, none of it required: every link works without JS.
(function () {
  "use strict";

  // Back to top: the link works without JS (#top); this hides it near the top of the page and
  // moves keyboard focus back to the header so screen readers continue from there.
  var button = document.getElementById("to-top");
  var top = document.getElementById("top");
  if (button && top) {
    var update = function () {
      button.classList.toggle("is-hidden", window.scrollY < 400);
    };
    window.addEventListener("scroll", update, { passive: true });
    update();
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      window.scrollTo({ top: 0, behavior: reduce ? "auto" : "smooth" });
      top.focus({ preventScroll: true });
      history.replaceState(null, "", "#top");
    });
  }

  // The section menu and the breaking strip scroll sideways on phones: bring a focused link into view.
  document.querySelectorAll(".site-nav ul, .breaking-list").forEach(function (strip) {
    strip.addEventListener("focusin", function (event) {
      event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
  });

  // Article views for «الأكثر قراءة»: one request once the page is really seen (not prerendered or
  // in a background tab), without cookies or any identifier (docs/privacy.md).
  var article = document.querySelector("[data-view-beacon]");
  if (article) {
    var send = function () {
      if (!article || document.visibilityState !== "visible") return;
      var url = article.getAttribute("data-view-beacon");
      article = null;
      if (window.fetch) {
        fetch(url, { method: "POST", keepalive: true, credentials: "omit" }).catch(function () {});
      } else if (navigator.sendBeacon) {
        navigator.sendBeacon(url);
      }
    };
    document.addEventListener("visibilitychange", send);
    send();
  }
})();
