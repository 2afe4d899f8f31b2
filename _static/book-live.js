// The views a dropdown switches (ipywidgets Stacks the book marks with the class
// book-live, utils/widgets.py) become polite live regions, so a screen reader
// announces the view a choice brings up. Widgets render after the page loads,
// hence the observer; each region is marked once.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".book-live:not([aria-live])").forEach(function (region) {
      region.setAttribute("aria-live", "polite");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    mark();
    new MutationObserver(mark).observe(document.body, { childList: true, subtree: true });
  });
})();
