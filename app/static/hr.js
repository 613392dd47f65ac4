// HR pages: small enhancements only; every page works without this script.
(function () {
  "use strict";

  // After a form came back with problems (422), move focus to its summary so it is read out first and the
  // next Tab reaches the first marked field; otherwise focus stays on the page body, far above the form.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary[role='alert']");
    if (summary) {
      summary.focus();
    }
  });
})();
