// Copy buttons: <button data-copy="ID" hidden> copies the value of the field with that id.
// Without JavaScript the button stays hidden and the link remains selectable text. Without the clipboard
// API (an http:// address other than localhost, or permission refused) the link is selected, copied the old
// way if the browser still allows it, and otherwise left selected for the user to copy.
(function () {
  "use strict";
  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field) { return; }
    function done(ok) {
      if (status) { status.textContent = ok ? button.getAttribute("data-copied") : button.getAttribute("data-copy-failed"); }
    }
    function byHand() {
      field.focus();
      field.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { done(true); }, byHand);
      return;
    }
    byHand();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  });
})();
