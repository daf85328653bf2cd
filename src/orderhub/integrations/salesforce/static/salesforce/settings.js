// Salesforce settings page: mapping rows, the My Domain field, filtering the object list.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-row-add]");
    if (add) {
      const box = add.closest("[data-rows]");
      const template = box.querySelector("template[data-row-template]");
      box.querySelector("tbody").appendChild(template.content.cloneNode(true));
      return;
    }
    const remove = event.target.closest("[data-row-remove]");
    if (remove) {
      const row = remove.closest("tr");
      const problem = row.nextElementSibling;
      if (problem && problem.hasAttribute("data-row-problem")) problem.remove();
      row.remove();
    }
  });
  function toggleMyDomain(select) {
    const box = document.querySelector("[data-my-domain]");
    if (box) box.hidden = select.value !== "my_domain";
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-my-domain-toggle]")) toggleMyDomain(event.target);
  });
  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-filter-list]")) return;
    const needle = event.target.value.toLowerCase();
    document.querySelectorAll(event.target.dataset.filterList + " [data-filter-text]").forEach(function (row) {
      row.hidden = needle && row.dataset.filterText.indexOf(needle) === -1;
    });
  });
  const select = document.querySelector("[data-my-domain-toggle]");
  if (select) toggleMyDomain(select);
})();
