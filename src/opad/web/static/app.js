// OPAD's only script. Every page works without it; it adds live job progress,
// vocabulary popovers and a confirmation dialog before deleting.
"use strict";

(function () {
  var TERMINAL = { succeeded: true, failed: true, cancelled: true };
  // Long enough to see the full bar and "Completed", short enough not to feel slow.
  var REDIRECT_DELAY_MS = 700;
  var POLL_MS = 2000;

  // The Generate form: say where texts in the chosen language come from, and open
  // "Adapt my own text" when the learner's own text is the only way.
  function setupLanguageSources() {
    var select = document.getElementById("language");
    var hint = document.getElementById("language-sources");
    if (!select || !hint) return;
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      hint.textContent = option.getAttribute("data-hint") || "";
      var kinds = (option.getAttribute("data-sources") || "").split(" ");
      var own = document.querySelector("details.own-text");
      if (own && kinds.indexOf("news") < 0 && kinds.indexOf("library") < 0 && kinds[0]) {
        own.open = true;
      }
    });
  }

  function setupConfirm() {
    var forms = document.querySelectorAll("form[data-confirm]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
          return;
        }
        // Without this field the server asks again on its own confirmation page.
        var flag = document.createElement("input");
        flag.type = "hidden";
        flag.name = "confirmed";
        flag.value = "yes";
        form.appendChild(flag);
      });
    });
  }

  function setupJob() {
    var root = document.getElementById("job");
    if (!root) return;
    var bar = document.getElementById("job-progress");
    var percent = document.getElementById("job-percent");
    var message = document.getElementById("job-message");
    var connection = document.getElementById("job-connection");
    var finished = false;
    var source = null;

    function show(id, visible) {
      var el = document.getElementById(id);
      if (el) el.hidden = !visible;
    }

    function update(job) {
      if (finished) return;
      var progress = Math.max(0, Math.min(100, Number(job.progress) || 0));
      bar.value = progress;
      bar.textContent = progress + "%";
      percent.textContent = progress + "%";
      message.textContent = job.message || "";
      root.setAttribute("data-status", job.status);
      connection.hidden = true;
      if (!TERMINAL[job.status]) return;
      finished = true;
      if (source) source.close();
      if (job.status === "succeeded") {
        document.getElementById("job-title").textContent = "Your reading is ready";
        show("job-done", true);
        window.setTimeout(function () {
          window.location.assign(job.article_url || root.getAttribute("data-article-url"));
        }, REDIRECT_DELAY_MS);
      } else {
        document.getElementById("job-failed-title").textContent =
          job.status === "cancelled" ? "This job was cancelled" : "Something went wrong";
        document.getElementById("job-error").textContent = job.error || job.message || "";
        show("job-failed", true);
      }
    }

    function poll() {
      if (finished) return;
      fetch(root.getAttribute("data-status-url"), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 401) {
            // Signed out (or the session ended) meanwhile: sign in, then come back here.
            finished = true;
            window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
            throw new Error("Please sign in again.");
          }
          if (response.status === 404) throw new Error("This job no longer exists.");
          if (!response.ok) throw new Error("The server could not reach the OPAD API; retrying…");
          return response.json();
        })
        .then(update)
        .catch(function (error) {
          connection.textContent = error.message || "Connection lost; retrying…";
          connection.hidden = false;
        })
        .then(function () {
          if (!finished) window.setTimeout(poll, POLL_MS);
        });
    }

    function listen() {
      source = new window.EventSource(root.getAttribute("data-events-url"));
      source.addEventListener("status", function (event) {
        try {
          update(JSON.parse(event.data));
        } catch (e) {
          /* a malformed event: the next one (or polling) will correct the page */
        }
      });
      source.onerror = function () {
        // EventSource would reconnect forever; polling is the sturdier fallback.
        source.close();
        if (!finished) window.setTimeout(poll, POLL_MS);
      };
    }

    var status = root.getAttribute("data-status");
    if (TERMINAL[status]) {
      update({
        status: status,
        progress: bar.value,
        message: message.textContent,
        error: document.getElementById("job-error").textContent,
        article_url: root.getAttribute("data-article-url"),
      });
    } else if (window.EventSource) {
      listen();
    } else {
      window.setTimeout(poll, POLL_MS);
    }
  }

  function setupVocabulary() {
    var popover = document.getElementById("vocab-popover");
    if (!popover) return;
    var opener = null;

    function text(entry, selector) {
      var el = entry.querySelector(selector);
      return el ? el.textContent : "";
    }

    function fill(selector, value, prefix) {
      var el = popover.querySelector(selector);
      el.textContent = value ? (prefix || "") + value : "";
      el.hidden = !value;
    }

    function close() {
      if (popover.hidden) return;
      popover.hidden = true;
      if (opener) {
        opener.setAttribute("aria-expanded", "false");
        opener.focus();
      }
      opener = null;
    }

    function open(link) {
      var entry = document.getElementById("vocab-" + link.getAttribute("data-vocab"));
      if (!entry) return;
      if (opener) opener.setAttribute("aria-expanded", "false");
      opener = link;
      link.setAttribute("aria-expanded", "true");
      fill(".popover-word", text(entry, ".word"));
      fill(".popover-level", text(entry, ".level"));
      fill(".popover-lemma", text(entry, ".lemma"), "Dictionary form: ");
      fill(".popover-definition", text(entry, ".definition"));
      fill(".popover-example", text(entry, ".example"));
      popover.setAttribute("lang", entry.getAttribute("lang") || "");
      popover.hidden = false;
      var rect = link.getBoundingClientRect();
      var width = popover.offsetWidth;
      var left = Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8);
      popover.style.left = Math.max(8, left) + "px";
      popover.style.top = rect.bottom + window.scrollY + 6 + "px";
      popover.focus();
    }

    var links = document.querySelectorAll("a.vocab");
    Array.prototype.forEach.call(links, function (link) {
      link.setAttribute("aria-haspopup", "dialog");
      link.setAttribute("aria-expanded", "false");
      link.setAttribute("aria-controls", "vocab-popover");
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a.vocab") : null;
      if (link) {
        event.preventDefault();
        if (opener === link && !popover.hidden) close();
        else open(link);
      } else if (!popover.hidden && !popover.contains(event.target)) {
        close();
      }
    });
    popover.querySelector(".popover-close").addEventListener("click", close);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
  }

  function start() {
    setupConfirm();
    setupLanguageSources();
    setupJob();
    setupVocabulary();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
