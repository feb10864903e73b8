// Ask before a form with data-confirm (or the button that submits it) goes: batch sign-off,
// batch return, 督办. A static file rather than inline script, so a strict CSP can forbid those.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = (button && button.getAttribute("data-confirm")) ||
    event.target.getAttribute("data-confirm");
  if (!message) {
    return;
  }
  var count = event.target.querySelectorAll("input[type=checkbox][name]:checked").length;
  if (!window.confirm(message.replace("{n}", String(count)))) {
    event.preventDefault();
  }
});
