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

  // Countdowns: <time data-countdown="ISO-8601 deadline"> reads "13:53 left" (data-left-text: the
  // page's language, "{time}" standing for the minutes); data-expired-text when it passes, and the
  // link named by data-disables (the way to pay) stops working then (the server refuses a lapsed
  // reservation too).
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = Math.max(0, Math.floor((Date.parse(el.getAttribute("data-countdown")) - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      var clock = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      el.textContent = (el.getAttribute("data-left-text") || "{time} left").replace("{time}", clock);
      if (left === 0) {
        if (el.getAttribute("data-expired-text")) { el.textContent = el.getAttribute("data-expired-text"); }
        el.removeAttribute("data-countdown");
        var target = document.getElementById(el.getAttribute("data-disables") || "");
        if (target) {
          target.removeAttribute("href");
          target.setAttribute("aria-disabled", "true");
          target.classList.add("disabled");
        }
      }
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
})();

// Artist studio and admin console: file checks before sending, previews, uploads with progress.
(function () {
  "use strict";

  function fieldError(input, message) {
    var box = document.getElementById("error-" + input.name);
    var field = input.closest(".field");
    if (box) {
      var text = box.querySelector("[data-error-text]");
      if (text) { text.textContent = message || ""; } else { box.textContent = message || ""; }
      box.hidden = !message;
    }
    if (field) { field.classList.toggle("has-error", !!message); }
    if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }

  function accepted(input, file) {
    var accept = (input.getAttribute("accept") || "").split(",").map(function (t) { return t.trim(); }).filter(Boolean);
    return !accept.length || !file.type || accept.indexOf(file.type) !== -1;
  }

  // The page's sentences (data-*-text, in its language) with the file's name and size filled in.
  function sentence(input, attribute, name, size) {
    return (input.getAttribute(attribute) || "")
      .replace("{name}", function () { return name; })
      .replace("{size}", function () { return size; });
  }

  // A number as the page's language writes it ("2,5" on a French page).
  function number(value, places) {
    return value.toLocaleString(document.documentElement.lang || undefined,
      { minimumFractionDigits: places, maximumFractionDigits: places });
  }

  // The server's limit is on the page (data-max-bytes): refuse a larger file before uploading it.
  function check(input) {
    var file = input.files && input.files[0];
    if (!file) { fieldError(input, ""); return true; }
    var max = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
    if (max && file.size > max) {
      fieldError(input, sentence(input, "data-too-large-text", file.name, number(file.size / 1048576, 1)));
      return false;
    }
    if (!accepted(input, file)) {
      fieldError(input, sentence(input, "data-not-accepted-text", file.name, ""));
      return false;
    }
    fieldError(input, "");
    return true;
  }

  function preview(input) {
    var box = document.getElementById(input.getAttribute("data-preview") || "");
    if (!box) { return; }
    box.textContent = "";
    var file = input.files && input.files[0];
    if (!file || input.getAttribute("aria-invalid") === "true") { return; }
    var caption = document.createElement("span");
    caption.textContent = sentence(input, "data-caption-text", file.name,
      number(Math.max(1, Math.round(file.size / 1024)), 0));
    if (/^image\//.test(file.type)) {
      // A data: URL (the Content-Security-Policy allows data: images, not blob:).
      var reader = new FileReader();
      reader.addEventListener("load", function () {
        var img = document.createElement("img");
        img.src = String(reader.result);
        img.alt = "Preview of " + file.name;
        img.width = 96; img.height = 96;
        box.insertBefore(img, box.firstChild);
      });
      reader.readAsDataURL(file);
    }
    box.appendChild(caption);
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.hasAttribute("data-max-bytes")) { return; }
    check(input);
    preview(input);
  });

  // Forms with checked files: nothing leaves the browser while a file is refused; forms with
  // data-upload="#target" send the file with a progress bar and swap in the answer.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var inputs = form.querySelectorAll("input[type=file][data-max-bytes]");
    if (!inputs.length) { return; }
    var ok = true;
    inputs.forEach(function (input) {
      if (!check(input)) { ok = false; }
      else if (input.required && !(input.files && input.files.length)) { fieldError(input, "Choose a file first."); ok = false; }
    });
    if (!ok) {
      event.preventDefault();
      event.stopImmediatePropagation();
      form.classList.remove("is-submitting");
      var bad = form.querySelector("input[aria-invalid=true]");
      if (bad) { bad.focus(); }
      return;
    }
    if (form.hasAttribute("data-upload")) {
      event.preventDefault();
      upload(form, inputs[0]);
    }
  }, true);

  function upload(form, input) {
    var target = document.querySelector(form.getAttribute("data-upload"));
    var bar = document.getElementById("progress-" + input.name);
    var button = form.querySelector("button[type=submit]");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    var meta = document.querySelector('meta[name="csrf-token"]');
    xhr.setRequestHeader("X-CSRF-Token", meta ? meta.getAttribute("content") : "");
    xhr.setRequestHeader("HX-Request", "true");  // errors come back as short text (errors.py)
    xhr.timeout = 120000;
    form.classList.add("is-submitting", "htmx-request");
    if (button) { button.disabled = true; }
    if (bar) { bar.hidden = false; bar.value = 0; bar.removeAttribute("value"); }
    xhr.upload.addEventListener("progress", function (e) {
      if (bar && e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); bar.textContent = bar.value + "%"; }
    });
    function done() {
      form.classList.remove("is-submitting", "htmx-request");
      if (button) { button.disabled = false; }
      if (bar) { bar.hidden = true; }
    }
    xhr.addEventListener("load", function () {
      done();
      if (xhr.status >= 200 && xhr.status < 300 && target) {
        var template = document.createElement("template");
        template.innerHTML = xhr.responseText;
        target.replaceWith(template.content);
        if (window.artmarketToast) { window.artmarketToast("The image is uploaded."); }
        var list = document.getElementById("image-list");
        if (list && window.htmx) { window.htmx.process(list.parentNode); }
      } else if (xhr.status === 200 && xhr.getResponseHeader("HX-Redirect")) {
        window.location.href = xhr.getResponseHeader("HX-Redirect");
      } else {
        var text = xhr.responseText && xhr.responseText.length < 400 ? xhr.responseText : "The upload failed (" + xhr.status + ").";
        fieldError(input, text);
        input.focus();
      }
    });
    function failed(message) {
      done();
      if (window.artmarketToast) { window.artmarketToast(message, "error"); }
    }
    xhr.addEventListener("error", function () { failed("We could not reach the server. Check your connection and try again."); });
    xhr.addEventListener("timeout", function () { failed("The upload took too long. Please try again."); });
    xhr.send(new FormData(form));
  }

  // A reason form opens with its text box focused.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details instanceof HTMLDetailsElement && details.classList.contains("action") && details.open) {
      var box = details.querySelector("textarea");
      if (box) { box.focus(); }
    }
  }, true);
})();
