// Keeps a draft of the log-a-contact form in this browser, so nothing typed is lost
// when a submission fails (session expired, network down, a validation error).
// The draft is cleared when the server confirms the contact was saved
// (an element with data-clear-draft on the page it redirects to).
(function () {
  "use strict";

  document.querySelectorAll("[data-clear-draft]").forEach(function (marker) {
    window.localStorage.removeItem(marker.dataset.clearDraft);
  });

  var form = document.querySelector("form[data-draft-key]");
  if (!form) {
    return;
  }
  var key = form.dataset.draftKey;
  var status = form.querySelector("[data-draft-status]");
  var discard = form.querySelector("[data-draft-discard]");

  function fields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && element.name !== "csrfmiddlewaretoken" && element.type !== "submit" && element.type !== "button";
    });
  }

  function save() {
    var draft = {};
    fields().forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        draft[element.name] = draft[element.name] || [];
        if (element.checked) {
          draft[element.name].push(element.value);
        }
      } else {
        draft[element.name] = element.value;
      }
    });
    window.localStorage.setItem(key, JSON.stringify(draft));
    say("Draft kept in this browser.");
  }

  function restore(draft) {
    fields().forEach(function (element) {
      if (!(element.name in draft)) {
        return;
      }
      var value = draft[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = value.indexOf(element.value) !== -1;
      } else {
        element.value = value;
      }
    });
  }

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  var stored = window.localStorage.getItem(key);
  // A form the server sent back with errors already holds what was typed.
  if (stored && form.dataset.bound !== "true") {
    try {
      restore(JSON.parse(stored));
      say("Restored your unsaved draft.");
      if (discard) {
        discard.hidden = false;
      }
    } catch (error) {
      window.localStorage.removeItem(key);
    }
  }

  form.addEventListener("input", save);
  form.addEventListener("change", save);
  if (discard) {
    discard.addEventListener("click", function () {
      window.localStorage.removeItem(key);
      window.location.reload();
    });
  }
})();
