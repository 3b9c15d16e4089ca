// Paritrana: a long step shows its progress (decisions 0032, 0037).
// An upload: a form marked data-upload-progress is sent by XMLHttpRequest when a file is chosen, with a random
// progress_token; a progress bar says how much of the file has gone, then, while the server reads and checks it,
// what the server reports for that token (GET data-progress-url: "Checking row 12,000 of 50,000"); the answer
// (the preview, the form with its errors, or the page redirected to) then replaces the page, and its address
// becomes the page's. Without script the form is sent as usual.
// A step without a file (a form marked data-step-progress too, e.g. ranking an award round) is sent the same
// way and shows at once what the server reports for its token.
// A page waiting on a step in the background (an element with data-progress-wait, e.g. a scenario run) shows
// the same record and reloads itself when the step is over. No inline script (CSP).
(function () {
  "use strict";
  var POLL_MS = 700;
  function hasFile(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
  }
  function newToken() {
    var bytes = new Uint8Array(24);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function progressUrl(template, token) { return template.replace(/\/_\/$/, "/" + token + "/"); }
  function show(form) {
    var box = form.querySelector(".upload-progress");
    if (!box) {
      box = document.createElement("div");
      box.className = "upload-progress";
      box.innerHTML = '<progress max="100" value="0" role="progressbar" aria-valuemin="0" aria-valuemax="100"' +
        ' aria-valuenow="0"></progress> <span class="upload-progress-text" role="status" aria-live="polite"></span>';
      box.querySelector("progress").setAttribute("aria-label", form.dataset.progressLabel || "");
      form.appendChild(box);
    }
    return box;
  }
  function setBar(bar, percent) {
    if (percent === null || percent === undefined) {
      bar.removeAttribute("value");  // indeterminate: the server is at work, its count not known
      bar.removeAttribute("aria-valuenow");
      return;
    }
    bar.value = percent;
    bar.setAttribute("aria-valuenow", String(percent));
  }
  // polls the progress record at url; shows its text and percentage; calls done(record) once it is finished
  function poll(url, bar, text, box, done) {
    var stopped = false;
    function once() {
      if (stopped) { return; }
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (r) {
          if (r.status === 404 && done) {  // not this person's step: the page is reloaded until it is over
            stopped = true;
            window.setTimeout(function () { done(null); }, 3 * POLL_MS);
          }
          return r.ok ? r.json() : null;
        })
        .then(function (record) {
          if (stopped) { return; }
          if (record && record.text) {
            text.textContent = record.text;
            setBar(bar, record.percent);
            box.setAttribute("data-state", "server");
          }
          if (record && record.finished && done) { stopped = true; done(record); return; }
          window.setTimeout(once, POLL_MS);
        })
        .catch(function () { window.setTimeout(once, POLL_MS); });
    }
    once();
    return function () { stopped = true; };
  }
  function replacePage(xhr) {
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    document.title = doc.title;
    document.body.replaceWith(doc.body);
    if (xhr.responseURL && xhr.responseURL !== window.location.href) {
      window.history.pushState(null, "", xhr.responseURL);
    }
    if (window.htmx) { window.htmx.process(document.body); }
    document.dispatchEvent(new CustomEvent("paritrana:page", { detail: { root: document.body } }));
    window.scrollTo(0, 0);
    watchWaiting(document.body);
  }
  function send(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload-progress]")) { return; }
    var step = form.hasAttribute("data-step-progress");
    if (!step && !hasFile(form)) { return; }
    event.preventDefault();
    var box = show(form);
    var bar = box.querySelector("progress");
    var text = box.querySelector(".upload-progress-text");
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button) { button.disabled = true; }
    var token = newToken();
    var stopPolling = function () {};
    var data = new FormData(form);
    data.append("progress_token", token);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (e) {
      if (step || !e.lengthComputable) { return; }
      var percent = Math.round((100 * e.loaded) / e.total);
      setBar(bar, percent);
      text.textContent = (form.dataset.uploading || "") + " " + percent + " %";
    });
    function processing() {
      setBar(bar, null);
      text.textContent = form.dataset.processing || "";
      box.setAttribute("data-state", "processing");
      if (form.dataset.progressUrl) { stopPolling = poll(progressUrl(form.dataset.progressUrl, token), bar, text, box); }
    }
    if (!step) { xhr.upload.addEventListener("load", processing); }
    xhr.addEventListener("load", function () { stopPolling(); replacePage(xhr); });
    xhr.addEventListener("error", function () {
      stopPolling();
      text.textContent = form.dataset.failed || "";
      box.setAttribute("data-state", "failed");
      if (button) { button.disabled = false; }
    });
    box.setAttribute("data-state", "uploading");
    xhr.send(data);
    if (step) { processing(); }
  }
  function watchWaiting(root) {
    var box = root.querySelector("[data-progress-wait]");
    if (!box) { return; }
    var bar = box.querySelector("progress");
    var text = box.querySelector(".upload-progress-text");
    poll(box.dataset.progressWait, bar, text, box, function () { window.location.reload(); });
  }
  document.addEventListener("submit", send);
  document.addEventListener("DOMContentLoaded", function () { watchWaiting(document.body); });
})();
