// Back to top: the link works without JS (#top); this hides it near the top of the page and
// moves keyboard focus back to the header so screen readers continue from there.
(function () {
  "use strict";
  var button = document.getElementById("to-top");
  var top = document.getElementById("top");
  if (!button || !top) return;
  function update() {
    button.classList.toggle("is-hidden", window.scrollY < 400);
  }
  window.addEventListener("scroll", update, { passive: true });
  update();
  button.addEventListener("click", function (event) {
    event.preventDefault();
    var reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    window.scrollTo({ top: 0, behavior: reduce ? "auto" : "smooth" });
    top.focus({ preventScroll: true });
    history.replaceState(null, "", "#top");
  });
})();
