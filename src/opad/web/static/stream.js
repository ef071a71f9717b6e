// The job page's growing reading: `reading` events (the text so far, while the writer
// writes) shown as plain paragraphs. Only textContent is ever set, so nothing in the text
// can become markup. app.js calls window.opadReading with the page's EventSource; the
// finished, vocabulary-marked reading replaces this one when the job ends (the page then
// opens the article). Without JavaScript or EventSource the page simply waits, as before.
(function () {
  "use strict";

  function render(container, text) {
    var paragraphs = text.split(/\n\s*\n/).filter(function (p) {
      return p.trim() !== "";
    });
    while (container.children.length > paragraphs.length) {
      container.removeChild(container.lastChild);
    }
    paragraphs.forEach(function (paragraph, i) {
      var p = container.children[i];
      if (!p) {
        p = document.createElement("p");
        container.appendChild(p);
      }
      // Only the paragraph being written changes: the others keep their nodes.
      if (p.textContent !== paragraph) p.textContent = paragraph;
    });
  }

  window.opadReading = function (source) {
    var box = document.getElementById("job-reading");
    var text = document.getElementById("job-reading-text");
    if (!box || !text) return;
    var ended = false;

    source.addEventListener("reading", function (event) {
      if (ended) return;
      var data;
      try {
        data = JSON.parse(event.data);
      } catch (e) {
        return; // a malformed event: the next one carries the whole text again
      }
      if (!data || typeof data.text !== "string") return;
      render(text, data.text);
      box.hidden = text.children.length === 0;
    });

    source.addEventListener("status", function (event) {
      var job;
      try {
        job = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (!job || ["succeeded", "failed", "cancelled"].indexOf(job.status) < 0) return;
      ended = true;
      // An unfinished draft is no reading: after a failure only the reason stays.
      if (job.status !== "succeeded") box.hidden = true;
    });
  };
})();
