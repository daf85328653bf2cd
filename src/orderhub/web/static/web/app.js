// OrderHub's small behaviours: selecting orders, key/value rows, confirmations, copy.
(function () {
  "use strict";

  function updateSelection(form) {
    const boxes = form.querySelectorAll('input[name="order_ids"]');
    const checked = form.querySelectorAll('input[name="order_ids"]:checked').length;
    const count = form.querySelector("[data-selection-count]");
    const action = form.querySelector("[data-selection-action]");
    const all = form.querySelector("[data-select-all]");
    if (count) count.textContent = checked ? checked + " selected" : "No orders selected";
    if (action) action.disabled = checked === 0;
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
  }

  document.addEventListener("change", function (event) {
    const form = event.target.closest("[data-selection]");
    if (!form) return;
    if (event.target.matches("[data-select-all]")) {
      form.querySelectorAll('input[name="order_ids"]').forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
    updateSelection(form);
  });

  document.addEventListener("click", function (event) {
    // A click anywhere on an order's row opens it (but not on its checkbox or links).
    const row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, input, button, label")) {
      window.location.href = row.dataset.href;
      return;
    }
    const remove = event.target.closest("[data-kv-remove]");
    if (remove) {
      const row = remove.closest("tr");
      // Keep one row to clone from: the last one is emptied instead of removed.
      if (row.parentNode.children.length > 1) row.remove();
      else row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      return;
    }
    const add = event.target.closest("[data-kv-add]");
    if (add) {
      const rows = add.closest("form").querySelector("[data-kv-rows]");
      const last = rows.querySelector("tr:last-child");
      const row = last.cloneNode(true);
      row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      rows.appendChild(row);
      row.querySelector("input").focus();
      return;
    }
    const copy = event.target.closest("[data-copy]");
    if (copy) {
      const input = document.querySelector(copy.dataset.copy);
      input.select();
      if (navigator.clipboard) navigator.clipboard.writeText(input.value);
    }
  });

  // A part of the page answered with the sign-in page (the session ended): go there whole
  // instead of drawing the form inside a card.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const url = event.detail.xhr.responseURL || "";
    if (new URL(url, window.location.href).pathname === "/login/") {
      event.preventDefault();
      window.location.href = url;
    }
  });

  // Say so when a change could not be saved, rather than doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    showProblem("That did not work (error " + event.detail.xhr.status + "). Reload the page and try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    showProblem("OrderHub cannot be reached. Check your connection and try again.");
  });

  function showProblem(text) {
    const box = document.createElement("div");
    box.className = "alert alert-danger alert-dismissible fade show problem-toast shadow";
    box.setAttribute("role", "alert");
    box.textContent = text;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "Close");
    box.appendChild(close);
    document.body.appendChild(box);
  }

  // "/" jumps to the page's search box, as in most desks.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const search = document.querySelector('input[type="search"]');
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });

  document.addEventListener("submit", function (event) {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
