/* The scenario builder: the 金额单位 choice is shown only when the chosen parameter is an amount.
   Without JavaScript it is always shown (and ignored for other parameters). */
(function () {
  "use strict";
  function sync(select) {
    var field = document.getElementById(select.getAttribute("data-unit-select"));
    if (!field) { return; }
    var option = select.options[select.selectedIndex];
    var unit = option ? option.getAttribute("data-unit") : null;
    field.style.display = unit !== null && unit !== "yuan" ? "none" : "";
  }
  function all() {
    document.querySelectorAll("select[data-unit-select]").forEach(function (s) {
      sync(s);
      if (!s.getAttribute("data-unit-bound")) {
        s.setAttribute("data-unit-bound", "1");
        s.addEventListener("change", function () { sync(s); });
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
  document.body.addEventListener("htmx:afterSettle", all);
})();
