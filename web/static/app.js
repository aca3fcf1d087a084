// hotich: keyboard shortcuts for the review queue.  Plain JavaScript; the
// pages work without it (every action is an ordinary form).
//
// A key names a button (data-key="1", "n", "s", "a", "t"): the button's
// form is sent with that button as its submitter, so that the button's own
// name and value (action=accept ...) go with it.  A key can also put the
// cursor in a field (data-focus-key="p", "e").  Keys typed in a field are
// the field's, but Escape, which leaves it.
(function () {
  "use strict";
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" ||
                 t.tagName === "SELECT" || t.isContentEditable);
  }
  function send(button) {
    var f = button.form;
    if (!f || f.dataset.sent) return;
    if (f.requestSubmit) {
      f.requestSubmit(button);
      return;
    }
    // older browsers: the submitter's name and value by hand
    if (button.name) {
      var h = document.createElement("input");
      h.type = "hidden";
      h.name = button.name;
      h.value = button.value;
      f.appendChild(h);
    }
    f.dataset.sent = "1";
    f.submit();
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
    if (button && !button.disabled) {
      e.preventDefault();
      send(button);
    }
  });
  // Submitting twice by a double key press would send the same decision
  // twice: the first submit wins.  The buttons are disabled only after the
  // form's data is taken (a disabled submitter would not be sent).
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.dataset.sent === "2") { e.preventDefault(); return; }
    f.dataset.sent = "2";
    setTimeout(function () {
      var bs = f.querySelectorAll("button");
      for (var i = 0; i < bs.length; i++) bs[i].disabled = true;
    }, 0);
  });
  // The scanned page of a looked-up record: zoom and rotate the image
  // (buttons data-zoom="in|out", data-rotate), and the print view's button.
  var scale = 1, turn = 0;
  function view(img) {
    img.style.transform = "rotate(" + turn + "deg)";
    img.style.width = (100 * scale) + "%";
    img.dataset.scale = String(scale);
    img.dataset.turn = String(turn);
  }
  document.addEventListener("click", function (e) {
    var t = e.target.closest ? e.target.closest("button") : null;
    if (!t) return;
    if (t.dataset.print) { window.print(); return; }
    var v = t.closest("[data-viewer]");
    var img = v ? v.querySelector("img") : null;
    if (!img) return;
    if (t.dataset.zoom === "in") scale = Math.min(scale * 1.5, 8);
    else if (t.dataset.zoom === "out") scale = Math.max(scale / 1.5, 0.25);
    else if (t.dataset.rotate) turn = (turn + 90) % 360;
    else return;
    view(img);
  });
  // Keying: the scan zooms (buttons + and -), and a name is checked by the
  // server's normalize stage while it is typed.  Nothing here listens to a
  // key inside a field: the operating system's input method (Telex, VNI)
  // composes the letters, and a check waits for the composition to end
  // (compositionend) rather than running on half-typed syllables.
  var img = document.getElementById("scanimg");
  if (img) {
    var level = 1;
    var zoom = function (d) {
      level = Math.max(1, Math.min(4, level + d));
      img.className = "zoom" + level;
    };
    var zi = document.getElementById("zoomin"), zo = document.getElementById("zoomout");
    if (zi) zi.addEventListener("click", function () { zoom(1); });
    if (zo) zo.addEventListener("click", function () { zoom(-1); });
  }
  var checks = document.querySelectorAll("input[data-check]");
  for (var i = 0; i < checks.length; i++) {
    (function (input) {
      var timer = null, composing = false, seq = 0;
      var hint = input.parentNode.querySelector(".hint");
      var field = input.name.replace(/^f_/, "");
      var run = function () {
        var v = input.value.normalize ? input.value.normalize("NFC") : input.value;
        var mine = ++seq;
        if (!hint) return;
        if (!v.trim()) { hint.textContent = ""; input.parentNode.classList.remove("bad"); return; }
        fetch("/keying/check?field=" + encodeURIComponent(field) + "&value=" +
              encodeURIComponent(v), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (j) {
            if (mine !== seq) return;
            hint.textContent = j.ok ? "✓ " + j.value : j.why;
            input.parentNode.classList.toggle("bad", !j.ok);
          })
          .catch(function () {});
      };
      var later = function () {
        if (composing) return;
        clearTimeout(timer);
        timer = setTimeout(run, 250);
      };
      input.addEventListener("compositionstart", function () { composing = true; });
      input.addEventListener("compositionend", function () { composing = false; later(); });
      input.addEventListener("input", later);
    })(checks[i]);
  }
})();
