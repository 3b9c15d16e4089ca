// Paritrana: an upload shows its progress. A form marked data-upload-progress is sent by XMLHttpRequest when a
// file is chosen: a progress bar says how much of the file has gone, then that the server is checking it; the
// answer (the preview, the form with its errors, or the page redirected to) then replaces the page, and its
// address becomes the page's. Without script the form is sent as usual. No inline script (CSP).
(function () {
  "use strict";
  function hasFile(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
  }
  function show(form) {
    var box = form.querySelector(".upload-progress");
    if (!box) {
      box = document.createElement("div");
      box.className = "upload-progress";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      box.innerHTML = '<progress max="100" value="0"></progress> <span class="upload-progress-text"></span>';
      form.appendChild(box);
    }
    return box;
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
  }
  function send(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload-progress]") || !hasFile(form)) { return; }
    event.preventDefault();
    var box = show(form);
    var bar = box.querySelector("progress");
    var text = box.querySelector(".upload-progress-text");
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.round((100 * e.loaded) / e.total);
      bar.value = percent;
      text.textContent = (form.dataset.uploading || "") + " " + percent + " %";
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 100;
      bar.removeAttribute("value");  // indeterminate: the server is at work
      text.textContent = form.dataset.processing || "";
      box.setAttribute("data-state", "processing");
    });
    xhr.addEventListener("load", function () { replacePage(xhr); });
    xhr.addEventListener("error", function () {
      text.textContent = form.dataset.failed || "";
      box.setAttribute("data-state", "failed");
      if (button) { button.disabled = false; }
    });
    box.setAttribute("data-state", "uploading");
    xhr.send(new FormData(form));
  }
  document.addEventListener("submit", send);
})();
