// The meeting pack prints the folded parts of the page open (browsers without ::details-content).
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details.app-print-open")) details.open = true;
});
