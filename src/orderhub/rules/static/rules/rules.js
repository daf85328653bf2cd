// Rule Builder: drag a rule row to a new place; the server saves the order and re-renders the table.
(function () {
  "use strict";
  let dragged = null;

  document.addEventListener("dragstart", function (event) {
    const row = event.target.closest && event.target.closest("tr[data-rule-id]");
    if (!row) return;
    dragged = row;
    row.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.ruleId);
  });

  document.addEventListener("dragover", function (event) {
    const row = event.target.closest && event.target.closest("tr[data-rule-id]");
    if (!dragged || !row || row === dragged) return;
    event.preventDefault();
    const box = row.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
  });

  document.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    const table = dragged.closest("[data-reorder-url]");
    const ids = Array.from(table.querySelectorAll("tr[data-rule-id]")).map(function (row) {
      return row.dataset.ruleId;
    });
    dragged = null;
    htmx.ajax("POST", table.dataset.reorderUrl, {
      source: table, target: "#rule-table", swap: "outerHTML", values: { rule_ids: ids.join(",") },
    });
  });
})();
