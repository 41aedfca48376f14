// The artwork page's image viewer (templates/gallery/artwork.html). Without this script the main
// image and every thumbnail are links to the full-size image; with it a thumbnail shows its view
// in the main place, and the main image opens full size in a dialog, where a click zooms in
// (the dialog scrolls to pan) and another zooms out. Escape or "Close" closes it.
(function () {
  "use strict";

  function setUp(viewer) {
    var open = viewer.querySelector("[data-viewer-open]");
    var main = open && open.querySelector("img");
    var dialog = viewer.querySelector("dialog");
    var full = dialog && dialog.querySelector("img");
    if (!open || !main || !dialog || !full || typeof dialog.showModal !== "function") { return; }

    viewer.querySelectorAll("[data-viewer-thumb]").forEach(function (thumb) {
      thumb.addEventListener("click", function (event) {
        event.preventDefault();
        main.src = thumb.getAttribute("href");
        main.width = parseInt(thumb.getAttribute("data-width"), 10) || main.width;
        main.height = parseInt(thumb.getAttribute("data-height"), 10) || main.height;
        open.setAttribute("href", thumb.getAttribute("href"));
        viewer.querySelectorAll("[data-viewer-thumb]").forEach(function (other) {
          other.removeAttribute("aria-current");
        });
        thumb.setAttribute("aria-current", "true");
      });
    });

    open.addEventListener("click", function (event) {
      event.preventDefault();
      full.src = open.getAttribute("href");
      full.classList.remove("zoomed");
      dialog.showModal();
    });

    full.addEventListener("click", function (event) {
      var zoomed = full.classList.toggle("zoomed");
      if (!zoomed) { return; }
      // Keep the clicked point under the pointer: scroll the stage to it at full size.
      var stage = full.parentElement;
      var box = full.getBoundingClientRect();
      var x = (event.clientX - box.left) / box.width;
      var y = (event.clientY - box.top) / box.height;
      stage.scrollLeft = x * full.offsetWidth - stage.clientWidth / 2;
      stage.scrollTop = y * full.offsetHeight - stage.clientHeight / 2;
    });

    dialog.addEventListener("click", function (event) {
      // A click on the backdrop (the dialog itself, outside its content) closes it.
      if (event.target === dialog) { dialog.close(); }
    });
  }

  function init() {
    document.querySelectorAll("[data-viewer]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
