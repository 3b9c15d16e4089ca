// Paritrana: every table of a page in its own box, which scrolls sideways when the table is wider than the
// screen (the page itself never does). The box can be reached with the keyboard and is named after the
// table's caption or the heading above it, so a screen reader says what it holds. No inline script: the
// Content-Security-Policy allows only files of this site.
(function () {
  "use strict";
  function nameOf(table) {
    if (table.caption) { return table.caption.textContent.trim(); }
    var el = table.parentElement ? table.previousElementSibling : null;
    while (el && !/^H[1-6]$/.test(el.tagName)) { el = el.previousElementSibling; }
    return el ? el.textContent.trim() : (document.title || "");
  }
  function wrap(root) {
    var tables = (root || document).querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.parentElement && table.parentElement.classList.contains("table-scroll")) { return; }
      var box = document.createElement("div");
      box.className = "table-scroll";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", nameOf(table));
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    var boxes = (root || document).querySelectorAll("main .table-scroll:not([tabindex])");
    Array.prototype.forEach.call(boxes, function (box) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      var table = box.querySelector("table");
      box.setAttribute("aria-label", table ? nameOf(table) : (document.title || ""));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wrap(document); });
  document.addEventListener("htmx:afterSettle", function () { wrap(document); });
  document.addEventListener("paritrana:page", function () { wrap(document); });  // a page an upload brought
})();
