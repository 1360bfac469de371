/* Make every plain table in the page content sortable (Material's recipe, with the script shipped locally). */
document$.subscribe(function () {
  document.querySelectorAll("article table:not([class])").forEach(function (table) {
    new Tablesort(table);
  });
});
