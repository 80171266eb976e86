// Plan pages: the print button, and keyboard focus after an htmx update of the editor.
// Loaded with <script src>; the Content Security Policy forbids inline handlers.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // After adding or removing an outcome or service, the part is replaced; put the
  // keyboard user back in its form (on the first field with an error, if any).
  document.addEventListener("htmx:afterSettle", function (event) {
    // outerHTML swaps replace the target element: look the new one up by its id.
    var target = event.detail.target;
    var part = target && target.id ? document.getElementById(target.id) : null;
    if (!part || !part.classList.contains("plans-editor-part")) {
      return;
    }
    var field = part.querySelector(".has-error input, .has-error select, .has-error textarea") ||
      part.querySelector("form:last-of-type textarea, form:last-of-type input:not([type=hidden])");
    if (field) {
      field.focus();
    }
  });
})();
