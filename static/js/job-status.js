// A running job's page asks for itself again every few seconds and updates in place: the step
// is read out through its status region, and when the job ends the page's content is swapped
// and the heading takes the focus. Without JavaScript, a <noscript> refresh does the asking.
const job = document.getElementById("job");

async function poll() {
  let next;
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    next = page.getElementById("job");
    if (next && next.dataset.active !== "true") document.title = page.title;
  } catch {
    next = null; // the network or the server hiccupped: ask again later
  }
  if (next && next.dataset.active !== "true") {
    job.replaceWith(next);
    const heading = next.querySelector("h1");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
    return;
  }
  if (next) {
    job.querySelector("[data-job-step]").textContent =
      next.querySelector("[data-job-step]").textContent;
  }
  window.setTimeout(poll, Number(job.dataset.refreshSeconds) * 1000);
}

if (job && job.dataset.active === "true") {
  window.setTimeout(poll, Number(job.dataset.refreshSeconds) * 1000);
}
