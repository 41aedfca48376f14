// artmarket pages: the little script htmx needs around it. No inline scripts anywhere (CSP).
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Every htmx request proves it comes from our page (sessions.verify_csrf).
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // The global toast area: htmx does not swap error answers; show their text instead.
  function toast(message, kind) {
    var area = document.getElementById("toasts");
    if (!area) { return; }
    var item = document.createElement("div");
    item.className = "toast" + (kind ? " " + kind : "");
    item.setAttribute("role", kind === "error" ? "alert" : "status");
    var close = document.createElement("button");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "\u00d7";
    close.addEventListener("click", function () { item.remove(); });
    item.appendChild(close);
    item.appendChild(document.createTextNode(message));
    area.appendChild(item);
    setTimeout(function () { item.remove(); }, 8000);
  }
  window.artmarketToast = toast;

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var text = (xhr && xhr.responseText && xhr.responseText.length < 400) ? xhr.responseText : "";
    toast(text || "Something went wrong (" + (xhr ? xhr.status : "?") + "). Please try again.", "error");
  });
  document.addEventListener("htmx:sendError", function () {
    toast("We could not reach the server. Check your connection and try again.", "error");
  });
  document.addEventListener("htmx:timeout", function () {
    toast("The server took too long to answer. Please try again.", "error");
  });

  // Plain (non-htmx) forms: show the button's spinner and stop double submits.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("hx-post") || form.hasAttribute("hx-get")) { return; }
    if (form.method.toLowerCase() !== "post") { return; }
    if (form.classList.contains("is-submitting")) { event.preventDefault(); return; }
    form.classList.add("is-submitting");
  });
  // Coming back with the back button must not leave a form stuck in its submitting state.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.is-submitting").forEach(function (f) { f.classList.remove("is-submitting"); });
  });

  // Flash messages fade out on their own; focus the error summary after a failed submit.
  function settle(root) {
    root.querySelectorAll(".toast[data-autohide]").forEach(function (item) {
      item.removeAttribute("data-autohide");
      setTimeout(function () { item.remove(); }, 6000);
    });
    var summary = root.querySelector("#error-summary");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { settle(document); });
  document.addEventListener("htmx:afterSettle", function (event) { settle(event.target); });

  // Countdowns: <time data-countdown="ISO-8601 deadline">; data-expired-text when it passes.
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = Math.max(0, Math.floor((Date.parse(el.getAttribute("data-countdown")) - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      el.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (left === 0 && el.getAttribute("data-expired-text")) {
        el.textContent = el.getAttribute("data-expired-text");
        el.removeAttribute("data-countdown");
      }
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
})();
