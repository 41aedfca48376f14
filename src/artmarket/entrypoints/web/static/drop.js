// Drops: a countdown beside "Available from …" (templates/gallery/_drop.html). The server writes
// the seconds left (data-drop-seconds), so a phone with a wrong clock still counts to the right
// moment; the time itself is in the page, so nothing is lost without this script.
(function () {
  "use strict";

  // "2 days, 04:05:06", "1 day, 00:00:09", "04:05:06".
  function left(seconds) {
    var days = Math.floor(seconds / 86400);
    var rest = seconds % 86400;
    var parts = [Math.floor(rest / 3600), Math.floor((rest % 3600) / 60), rest % 60].map(function (n) {
      return (n < 10 ? "0" : "") + n;
    });
    var clock = parts.join(":");
    return days ? days + (days === 1 ? " day, " : " days, ") + clock : clock;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-drop-seconds]").forEach(function (drop) {
      // Counted from when this element arrived (a page, or cards htmx added later).
      if (!drop.dataset.dropStarted) { drop.dataset.dropStarted = String(now); }
      var total = parseInt(drop.getAttribute("data-drop-seconds"), 10) || 0;
      var remaining = Math.max(0, total - Math.floor((now - parseInt(drop.dataset.dropStarted, 10)) / 1000));
      var out = drop.querySelector("[data-drop-left]");
      if (!out) { return; }
      out.hidden = false;
      if (remaining > 0) {
        out.textContent = " \u00b7 opens in " + left(remaining);
        return;
      }
      out.textContent = " \u00b7 on sale now";
      drop.removeAttribute("data-drop-seconds");
      // The artwork page asks the server again, which shows the Buy button. Only a countdown that
      // ran on this page reloads it: a page that arrived already at zero never loops.
      if (drop.hasAttribute("data-drop-reload") && total > 0) { window.location.reload(); }
    });
  }

  window.artmarketDrop = { left: left };
  if (typeof document === "undefined") { return; }  // loaded without a page (tests/unit/test_drop_script.py)
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
})();
