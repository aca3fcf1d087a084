// hotich: keyboard shortcuts for the review queue.  Plain JavaScript; the
// pages work without it (every action is an ordinary form).
(function () {
  "use strict";
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e)) {
      if (e.key === "Escape") e.target.blur();
      return;
    }
    var key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    var focus = document.querySelector('[data-focus-key="' + key + '"]');
    if (focus) {
      e.preventDefault();
      focus.focus();
      if (focus.select) focus.select();
      return;
    }
    var button = document.querySelector('button[data-key="' + key + '"]');
    if (button && key !== "Enter") {
      e.preventDefault();
      button.disabled = true;
      if (button.form.requestSubmit) button.form.requestSubmit(); else button.form.submit();
    }
  });
  // Submitting twice by a double key press would send the same decision twice.
  document.addEventListener("submit", function (e) {
    if (e.target.dataset.sent) { e.preventDefault(); return; }
    e.target.dataset.sent = "1";
  });
})();
