// The update form's conditional reveals ("It has changed", "not available"), shown and hidden
// as GOV.UK's are but without aria-expanded, which is not allowed on radios and checkboxes.
// Without JavaScript every field shows, and the server ignores those not chosen.
const form = document.querySelector("form[data-app-update-form]");
function sync() {
  for (const input of form.querySelectorAll("input[data-app-reveals]")) {
    const panel = document.getElementById(input.dataset.appReveals);
    panel.classList.toggle(panel.dataset.appHiddenClass, !input.checked);
  }
}
if (form) {
  form.addEventListener("change", sync);
  sync();
}

// A Change link from check-your-answers lands on its field: focus it, with its question in view
// (browsers scroll to the field but leave the focus at the top of the page).
const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
if (target && target.matches("input, textarea, select")) {
  (target.closest("fieldset") || target).scrollIntoView();
  target.focus({ preventScroll: true });
}
