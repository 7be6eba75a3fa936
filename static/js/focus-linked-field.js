// A Change link from check-your-answers lands on its field: focus it, with its question in view
// (browsers scroll to the field but leave the focus at the top of the page).
const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
if (target && target.matches("input, textarea, select")) {
  const question = target.closest("fieldset") || target;
  question.scrollIntoView();
  target.focus({ preventScroll: true });
}
