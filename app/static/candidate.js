// Candidate pages: small enhancements only; every page works without this script.
(function () {
  "use strict";

  function updateCount(textarea) {
    var counter = document.getElementById(textarea.dataset.count);
    if (!counter || !counter.dataset.template) {
      return;
    }
    counter.textContent = counter.dataset.template.replace("{used}", String(textarea.value.length));
  }

  function markInvalid(item) {
    var error = item.querySelector(".field-error");
    var invalid = Boolean(error && error.textContent.trim());
    item.classList.toggle("has-error", invalid);
    item.querySelectorAll("input, textarea").forEach(function (control) {
      if (invalid) {
        control.setAttribute("aria-invalid", "true");
      } else {
        control.removeAttribute("aria-invalid");
      }
    });
  }

  // An autosave refused with 409 (already submitted) or 422 (this answer has a problem) still carries the
  // status for its question: show it, although htmx leaves error responses out by default.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-count]").forEach(function (textarea) {
      updateCount(textarea);
      textarea.addEventListener("input", function () {
        updateCount(textarea);
      });
    });

    // After a page came back with problems (or unsaved: data-focus), move focus to the summary so it is read out first.
    var summary = document.querySelector(".error-summary[role='alert']");
    if (summary && (summary.hasAttribute("data-focus") || document.querySelector(".has-error"))) {
      summary.focus();
    }

    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  });

  // A pasted free-text answer is marked in its hidden field, which the autosave and the form post both
  // send; the server records it for HR. Nothing is blocked. Emptying the field clears the mark.
  function pastedFlag(textarea) {
    var form = textarea.form;
    if (!form || !textarea.name) {
      return null;
    }
    return form.querySelector("input[data-pasted-for='" + textarea.name + "']");
  }
  document.addEventListener("paste", function (event) {
    var flag = event.target && event.target.tagName === "TEXTAREA" ? pastedFlag(event.target) : null;
    if (flag) {
      flag.value = "1";
    }
  });
  document.addEventListener("input", function (event) {
    var flag = event.target && event.target.tagName === "TEXTAREA" ? pastedFlag(event.target) : null;
    if (flag && event.target.value === "") {
      flag.value = "";
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var item = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest(".item") : null;
    if (item) {
      markInvalid(item);
    }
  });

  function failed(event) {
    var item = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest(".item") : null;
    var form = item ? item.closest("form") : null;
    var status = item ? item.querySelector(".saved") : null;
    if (!status || !form) {
      return;
    }
    // 409: the test was submitted (in another tab, say) before this answer arrived; it was not saved.
    // 404/410: the link was revoked, replaced or expired meanwhile: continuing will not save it either.
    var code = event.detail.xhr ? event.detail.xhr.status : 0;
    var text = code === 409 ? form.dataset.submitted : code === 404 || code === 410 ? form.dataset.closed : form.dataset.failed;
    if (text) {
      status.textContent = text;
    }
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);

  // A situational-judgement question with the best approach chosen and the worst not (or the other way
  // round) is not an answer yet: nothing of it is stored until both are chosen.
  function halfAnswered() {
    var groups = document.querySelectorAll("form.questionnaire .sjt-choices");
    for (var i = 0; i < groups.length; i += 1) {
      var parts = groups[i].querySelectorAll("fieldset").length;
      var chosen = groups[i].querySelectorAll("input[type='radio']:checked").length;
      if (chosen > 0 && chosen < parts) {
        return true;
      }
    }
    return false;
  }

  // An answer the server refused lives only in its field until it is corrected, and a half-answered
  // scenario only in the page. The page's own buttons send them (and the server keeps the page when they
  // still cannot be saved); leaving any other way (the browser's back button, a link, closing the tab)
  // would lose them, so the browser asks first.
  var submitting = false;
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (document.querySelector("form.questionnaire .item.has-error") || halfAnswered())) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Autosaves run one after another (hx-sync queue). A page submitted while one is still on its way could
  // be overtaken by it on the server, so an older, partial answer would win: wait for them to finish first.
  var inFlight = 0;
  var waiting = null;
  function submitWhenIdle() {
    if (!waiting || inFlight > 0) {
      return;
    }
    window.setTimeout(function () {
      if (waiting && inFlight === 0) {
        var pending = waiting;
        waiting = null;
        pending.form.requestSubmit(pending.submitter);
      }
    }, 60);
  }
  document.addEventListener("htmx:beforeRequest", function () {
    inFlight += 1;
  });
  document.addEventListener("htmx:afterRequest", function () {
    inFlight = Math.max(0, inFlight - 1);
    submitWhenIdle();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("questionnaire")) {
      return;
    }
    if (inFlight === 0) {
      submitting = true;
      return;
    }
    event.preventDefault();
    waiting = { form: form, submitter: event.submitter || null };
    // Never keep the person waiting on a lost request: submit anyway after a few seconds.
    window.setTimeout(function () {
      if (waiting) {
        inFlight = 0;
        submitWhenIdle();
      }
    }, 4000);
  });
})();
