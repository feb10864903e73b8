/* Small aids for forms, hung on data attributes (no inline script, so a CSP can forbid it):
 * - every textarea[maxlength]: "已输入 n / max 字", and a clear refusal at the limit;
 *   a paste that would not fit is refused with a message, never cut short silently;
 * - form[data-confirm] (or a submit button with data-confirm): asks before submitting,
 *   for batch actions and anything hard to undo.
 */
(function () {
  "use strict";

  function length(text) {
    // The server counts a line break as one character, as the browser's maxlength does.
    return text.replace(/\r\n/g, "\n").length;
  }

  function attachCounter(area) {
    var max = parseInt(area.getAttribute("maxlength"), 10);
    if (!max) {
      return;
    }
    var out = document.createElement("span");
    out.className = "char-counter";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);

    function show(message, full) {
      out.textContent = message;
      out.classList.toggle("at-limit", full);
      area.classList.toggle("at-limit", full);
    }

    function update() {
      var used = length(area.value);
      if (used >= max) {
        show("已达到 " + max + " 字上限，不能再输入", true);
      } else {
        show("已输入 " + used + " / " + max + " 字", false);
      }
    }

    area.addEventListener("input", update);
    area.addEventListener("paste", function (event) {
      var pasted = event.clipboardData ? event.clipboardData.getData("text") : "";
      var kept = length(area.value) - (area.selectionEnd - area.selectionStart);
      if (kept + length(pasted) > max) {
        event.preventDefault();
        show("粘贴的内容有 " + length(pasted) + " 字，加上已有内容超过 " + max +
             " 字上限，未粘贴；请删减后再粘贴", true);
      }
    });
    update();
  }

  function confirmBeforeSubmit(event) {
    var form = event.target;
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) ||
      form.getAttribute("data-confirm");
    if (!message) {
      return;
    }
    // "{n}" in a batch form's message is the number of items ticked.
    var count = form.querySelectorAll("input[type=checkbox][name]:checked").length;
    if (!window.confirm(message.replace("{n}", String(count)))) {
      event.preventDefault();
    }
  }

  function start() {
    document.querySelectorAll("textarea[maxlength]").forEach(attachCounter);
    document.addEventListener("submit", confirmBeforeSubmit);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
