// GOV.UK's timeout warning: two minutes before the idle sign-out, a modal dialog counts down
// and offers to stay signed in (Escape does the same). If the time runs out, the dialog says
// so and leaves the page, and what was typed on it, in place. Screen readers hear the time
// left when the dialog opens and then every 30 seconds, not every second.
const dialog = document.getElementById("timeout-warning");

function inWords(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

if (dialog && typeof dialog.showModal === "function") {
  const warnSeconds = Number(dialog.dataset.warnSeconds);
  const idleSeconds = Number(dialog.dataset.idleSeconds);
  const warning = dialog.querySelector('[data-timeout-state="warning"]');
  const signedOut = dialog.querySelector('[data-timeout-state="signed-out"]');
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announcement = dialog.querySelector("[data-timeout-announcement]");
  const stay = dialog.querySelector("[data-timeout-stay]");
  let deadline = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  let expired = false;

  const secondsLeft = () => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));

  function showSignedOut() {
    expired = true;
    warning.hidden = true;
    signedOut.hidden = false;
    dialog.setAttribute("aria-labelledby", "timeout-signed-out-heading");
    if (!dialog.open) dialog.showModal();
    signedOut.querySelector("h2").focus();
  }

  function tick() {
    const left = secondsLeft();
    if (left === 0) {
      showSignedOut();
      return;
    }
    if (left <= warnSeconds) {
      countdown.textContent = inWords(left);
      if (!dialog.open) {
        dialog.showModal();
        warning.querySelector("h2").focus();
        announcement.textContent = inWords(left);
      } else if (left % 30 === 0) {
        announcement.textContent = inWords(left);
      }
    }
    window.setTimeout(tick, 1000);
  }

  async function staySignedIn() {
    try {
      const response = await fetch(stay.action, {
        method: "POST",
        body: new FormData(stay),
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.status !== 204) throw new Error(String(response.status));
    } catch {
      showSignedOut(); // the server had signed the session out already
      return;
    }
    deadline = Date.now() + idleSeconds * 1000;
    announcement.textContent = "";
    dialog.close();
  }

  stay.addEventListener("submit", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (!expired) staySignedIn();
    else dialog.close();
  });
  dialog.querySelector("[data-timeout-close]").addEventListener("click", () => dialog.close());
  tick();
}
