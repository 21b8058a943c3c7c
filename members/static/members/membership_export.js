// « Tout sélectionner » on the memberships' export page: ticks or unticks every column.
// A script file rather than import-export's inline handler, which the CSP blocks.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".membership-export .select-toggle");
  if (!toggle) {
    return;
  }
  const boxes = () =>
    document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]');
  toggle.addEventListener("change", () => {
    boxes().forEach((box) => {
      box.checked = toggle.checked;
    });
  });
  document.querySelector(".membership-export").addEventListener("change", (event) => {
    if (event.target !== toggle && event.target.type === "checkbox") {
      toggle.checked = [...boxes()].every((box) => box.checked);
    }
  });
});
