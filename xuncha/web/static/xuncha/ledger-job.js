// The job page's progress bar: polls the job's JSON (GET /api/jobs/{id}) until it is finished
// (or, for a preview, back to draft), then reloads the page once so the server shows the result
// (download link, findings) or leads on to the preview page.
(function () {
  "use strict";
  var card = document.getElementById("job");
  if (!card || card.dataset.finished === "1") {
    return;
  }
  var bar = document.getElementById("job-progress");
  var percent = document.getElementById("job-percent");
  var status = document.getElementById("job-status");
  var message = document.getElementById("job-message");
  var delay = 500;

  function show(job) {
    status.textContent = job.status_display;
    message.textContent = job.message;
    if (job.total > 0) {
      bar.value = job.percent;
      bar.textContent = job.percent + "%";
      percent.textContent = job.done + " / " + job.total;
    }
    if (job.finished || job.status === "draft") {
      window.location.reload();
      return;
    }
    delay = Math.min(delay * 1.5, 3000);
    window.setTimeout(poll, delay);
  }

  function poll() {
    fetch(card.dataset.progressUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(show)
      .catch(function () {
        message.textContent = "暂时无法获取进度，稍后自动重试…";
        window.setTimeout(poll, 5000);
      });
  }

  poll();
})();
