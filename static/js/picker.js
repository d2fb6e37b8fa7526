// Search pickers (hoiccb/lib/pickers.py): a ticked match joins the chosen ones, so that a
// new search (which replaces the matches) does not lose it. Radios: one chosen at a time.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches(".picker-results input[type=radio], .picker-results input[type=checkbox]")) return;
  var picker = input.closest("[data-picker]");
  var chosen = picker.querySelector(".picker-chosen");
  var label = input.closest("label");
  if (!input.checked) return;
  if (input.type === "radio") chosen.innerHTML = "";
  label.className = "picker-option picker-option-chosen btn btn-sm btn-outline-primary text-start";
  chosen.appendChild(label);
  var search = picker.querySelector("input[type=search]");
  if (search && input.type === "radio") search.value = "";
  var results = picker.querySelector(".picker-results");
  if (input.type === "radio") results.innerHTML = "";
});
