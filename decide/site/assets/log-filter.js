/* decide: the log page's filter. Narrows the rows of the log table to a status, a DRI, a tag and
   words (every word must appear in the row). Without script the form stays hidden and every row shows. */
(function () {
  "use strict";

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function setUp() {
    var form = document.querySelector("form[data-decide-filter]");
    var table = document.querySelector("table[data-decide-log]");
    if (!form || !table || form.hasAttribute("data-ready")) {
      return;
    }
    form.setAttribute("data-ready", "");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var tags = rows.map(function (row) { return JSON.parse(row.getAttribute("data-tags") || "[]"); });
    var count = form.querySelector("output");

    function apply() {
      var status = form.elements.status.value;
      var dri = form.elements.dri.value;
      var tag = form.elements.tag.value;
      var wanted = words(form.elements.q.value);
      var shown = 0;
      rows.forEach(function (row, i) {
        var keep = (!status || row.getAttribute("data-status") === status) &&
          (!dri || row.getAttribute("data-dri") === dri) &&
          (!tag || tags[i].indexOf(tag) >= 0) &&
          wanted.every(function (word) { return texts[i].indexOf(word) >= 0; });
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      count.textContent = shown + " of " + rows.length + " shown";
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
