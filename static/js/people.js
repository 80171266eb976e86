// Caseload list: "select all on this page" for the supervisor's reassign checkboxes.
// Delegated from document so it keeps working after htmx swaps the rows in.
document.addEventListener("change", function (event) {
  var all = event.target.closest("[data-people-select-all]");
  if (!all) return;
  var table = all.closest("table");
  table.querySelectorAll('input[name="person"]').forEach(function (box) {
    box.checked = all.checked;
  });
});
