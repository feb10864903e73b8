// The import's result page: the one-time password sheet is dropped from the server's session
// when the page is left without downloading it, and the download button works only once.
(function () {
  "use strict";
  var form = document.getElementById("passwords-download");
  if (!form) {
    return;
  }
  var downloaded = false;
  form.addEventListener("submit", function () {
    downloaded = true;
    window.setTimeout(function () {
      var button = form.querySelector("button");
      if (button) {
        button.disabled = true;
        button.textContent = "密码表已下载";
      }
    }, 0);
  });
  window.addEventListener("pagehide", function () {
    if (downloaded || !navigator.sendBeacon) {
      return;
    }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("key", "");
    navigator.sendBeacon(form.getAttribute("data-discard"), data);
  });
})();
