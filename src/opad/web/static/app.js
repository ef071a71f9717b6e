// OPAD's only script. Every page works without it; it adds live job progress,
// vocabulary popovers and a confirmation dialog before deleting.
"use strict";

(function () {
  // The job states that never change, as the server lists them (opad/states.py).
  var TERMINAL = {};
  var terminalMeta = document.querySelector('meta[name="opad-terminal-statuses"]');
  (terminalMeta ? terminalMeta.content : "").split(" ").forEach(function (s) {
    if (s) TERMINAL[s] = true;
  });
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
        var failed = job.status !== "cancelled";
        document.getElementById("job-title").textContent = failed
          ? "We could not make this reading"
          : "This reading was cancelled";
        if (failed) document.title = document.title.replace("Making your reading", "We could not make this reading");
        show("job-live", false);
        explain(job);
        show("job-failed", true);
        // The live event carries the technical error only: the page's own status adds
        // the reason and what to try, in the learner's words (web/failures.py).
        if (failed && !job.reason) {
          fetch(root.getAttribute("data-status-url"), { headers: { Accept: "application/json" } })
            .then(function (response) {
              return response.ok ? response.json() : null;
            })
            .then(function (full) {
              if (full) explain(full);
            })
            .catch(function () {
              /* the details stay; the reason is a nicety */
            });
        }
      }
    }

    function explain(job) {
      if (job.reason) document.getElementById("job-reason").textContent = job.reason;
      if (job.advice) document.getElementById("job-advice").textContent = job.advice;
      var detail = job.error || job.message || "";
      if (detail) document.getElementById("job-error").textContent = detail;
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
      if (window.opadReading) window.opadReading(source); // stream.js: the growing text
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
        reason: document.getElementById("job-reason").textContent,
        advice: document.getElementById("job-advice").textContent,
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

  // --- the learner's side (issue 12): any word, one click; review keys ---
  // Words and their lemmas come from the server (span.w, data-l); the browser never
  // decides where a word starts or ends.
  function setupWords() {
    var reading = document.getElementById("reading");
    var popover = document.getElementById("word-popover");
    if (!reading || !popover) return;
    var sentences = [];
    try {
      sentences = JSON.parse(document.getElementById("reading-sentences").textContent);
    } catch (e) {
      sentences = [];
    }
    var words = reading.querySelectorAll("span.w");
    var current = null;
    var request = 0;
    var pending = null; // the open word's lookup, until it answered: a save waits for it

    function field(selector, value) {
      var el = popover.querySelector(selector);
      el.textContent = value || "";
      el.hidden = !value;
    }

    function place(word) {
      var rect = word.getBoundingClientRect();
      var width = popover.offsetWidth;
      var left = Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8);
      popover.style.left = Math.max(8, left) + "px";
      popover.style.top = rect.bottom + window.scrollY + 6 + "px";
    }

    function sentenceOf(word) {
      var index = Number(word.getAttribute("data-s"));
      return index >= 0 && sentences[index] ? sentences[index] : "";
    }

    function close() {
      if (popover.hidden) return;
      popover.hidden = true;
      phrase = null;
      markPhrase(null);
      if (current) current.focus();
      current = null;
    }

    function stateClass(state, stage) {
      return state === "learning" ? "s-learning-" + (stage || 1) : "s-" + state;
    }

    function recolour(lemma, state, stage) {
      Array.prototype.forEach.call(words, function (w) {
        if (w.getAttribute("data-l") !== lemma) return;
        w.className = w.className.replace(/\bs-[a-z]+(-\d)?\b/, "").trim() + " " + stateClass(state, stage);
      });
    }

    // The reading's own list: its definition stands in when no dictionary has the word.
    function listed(word) {
      var link = word.parentElement && word.parentElement.closest("a.vocab");
      var entry = link && document.getElementById("vocab-" + link.getAttribute("data-vocab"));
      var definition = entry && entry.querySelector(".definition");
      return definition ? definition.textContent.trim() : "";
    }

    // The saved state's button is shown pressed: one click sets another (as My words does).
    function pressed(state, stage) {
      Array.prototype.forEach.call(popover.querySelectorAll(".wp-actions [data-state]"), function (b) {
        var same = b.getAttribute("data-state") === state &&
          (state !== "learning" || Number(b.getAttribute("data-stage")) === Number(stage || 1));
        b.setAttribute("aria-pressed", same ? "true" : "false");
      });
    }

    function show(data) {
      var reading = data.reading ? " · " + data.reading : "";
      field(".wp-lemma", data.lemma && data.lemma !== data.word ? "Dictionary form: " + data.lemma + reading : data.reading ? "Reading: " + data.reading : "");
      field(".wp-level", data.level);
      var parts = [];
      if (data.part_of_speech) parts.push(data.part_of_speech);
      if (data.scale) parts.push(data.scale);
      if (data.entry && data.entry.gender) parts.push(data.entry.gender);
      if (data.frequency_band) parts.push(data.frequency_band + " word");
      field(".wp-freq", parts.join(" · "));
      var own = current ? listed(current) : "";
      var meaning = data.entry ? data.entry.meaning : own;
      // "No German dictionary for French words; in English:" when the meaning is English.
      field(".wp-note", data.entry ? data.fallback_note : "");
      field(".wp-meaning", meaning || data.message);
      // Short, in a learner's terms ("Dictionary: FreeDict (Spanish–English)"); the files
      // chained to find it only in the title.
      field(".wp-source", data.entry ? data.source_label || "Dictionary: " + data.entry.source : own ? "From this reading's word list" : "");
      var source = popover.querySelector(".wp-source");
      if (source) {
        if (data.entry && data.entry.source) source.setAttribute("title", data.entry.source);
        else source.removeAttribute("title");
      }
      field(".wp-status", data.saved ? "Saved: " + data.saved.state + (data.saved.state === "learning" ? " " + data.saved.stage : "") : "");
      pressed(data.saved ? data.saved.state : "", data.saved ? data.saved.stage : 0);
      popover.setAttribute("data-meaning", meaning || "");
      popover.setAttribute("data-level", data.level || "");
    }

    // A phrase: adjacent words of one sentence ("zum Beispiel", "ice cream"), looked up
    // and saved as one item. Made from the open word with "Add the next word" or by
    // Shift+clicking another word of its sentence.
    var phrase = null; // {first, last, text} while a phrase is open

    function phraseWords(a, b) {
      var list = Array.prototype.slice.call(words);
      var i = list.indexOf(a), j = list.indexOf(b);
      if (i < 0 || j < 0) return null;
      if (i > j) { var t = i; i = j; j = t; }
      var part = list.slice(i, j + 1);
      var s = part[0].getAttribute("data-s");
      // A few words of one sentence: a phrase, not a passage.
      if (part.length > 6 || part.some(function (w) { return w.getAttribute("data-s") !== s; })) return null;
      return part;
    }

    function phraseText(part) {
      var range = document.createRange();
      range.setStartBefore(part[0]);
      range.setEndAfter(part[part.length - 1]);
      return range.toString().replace(/\s+/g, " ").trim();
    }

    function markPhrase(part) {
      Array.prototype.forEach.call(reading.querySelectorAll("span.w.sel"), function (w) {
        w.classList.remove("sel");
      });
      (part || []).forEach(function (w) { w.classList.add("sel"); });
    }

    function openPhrase(anchor, other) {
      var part = phraseWords(anchor, other);
      if (!part || part.length < 2) return false;
      phrase = { first: part[0], last: part[part.length - 1], text: phraseText(part) };
      markPhrase(part);
      open(phrase.first, phrase);
      return true;
    }

    function open(word, asPhrase) {
      current = word;
      if (!asPhrase) {
        phrase = null;
        markPhrase(null);
      }
      var text = asPhrase ? asPhrase.text : word.textContent;
      var mine = ++request;
      var sentence = sentenceOf(word);
      // Opens at once with what the page knows; the meaning fills in when it arrives.
      field(".wp-word", text);
      field(".wp-level", "");
      field(".wp-lemma", "");
      field(".wp-freq", "");
      field(".wp-source", "");
      field(".wp-status", "");
      field(".wp-sentence", sentence);
      field(".wp-note", "");
      field(".wp-meaning", "Looking it up…");
      pressed("", 0);
      popover.setAttribute("lang", reading.getAttribute("lang") || "");
      popover.setAttribute("data-meaning", "");
      // The last word's level must not be saved with this one if its lookup fails.
      popover.setAttribute("data-level", "");
      popover.hidden = false;
      place(word);
      popover.focus();
      // The word's lemma and part of speech as the reading's analysis gave them.
      // A phrase is its own lemma (dictionaries list "zum Beispiel" as it is written).
      var query = "language=" + encodeURIComponent(reading.getAttribute("data-language")) +
        "&word=" + encodeURIComponent(text) +
        "&lemma=" + encodeURIComponent(asPhrase ? text : word.getAttribute("data-l") || "") +
        "&pos=" + encodeURIComponent(asPhrase ? "" : word.getAttribute("data-p") || "") +
        "&sentence=" + encodeURIComponent(sentence);
      // Where the word was clicked: the API answers its level and frequency from the
      // stored analysis of this reading (no language data to load on the server).
      if (!asPhrase && reading.getAttribute("data-article") && word.hasAttribute("data-s")) {
        query += "&article_id=" + encodeURIComponent(reading.getAttribute("data-article")) +
          "&sentence_index=" + encodeURIComponent(word.getAttribute("data-s"));
      }
      // A lookup that takes longer than 3 s says so rather than spinning; its answer still
      // replaces the message if it comes.
      var answered = false;
      setTimeout(function () {
        if (!answered && mine === request && !popover.hidden) {
          field(".wp-meaning", "Looking it up… no answer after 3 seconds: the server is slow today. The meaning shows here when it comes.");
        }
      }, 3000);
      pending = fetch("/lookup.json?" + query, { headers: { Accept: "application/json" } })
        .then(function (response) {
          answered = true;
          if (!response.ok) throw new Error("The meaning could not be fetched (" + response.status + ").");
          return response.json();
        })
        .then(function (data) {
          if (mine === request) show(data);
        })
        .catch(function (error) {
          answered = true;
          if (mine === request) {
            var own = listed(word);
            field(".wp-meaning", own || error.message);
            popover.setAttribute("data-meaning", own);
          }
        });
    }

    function save(button) {
      if (!current) return;
      var word = current;
      field(".wp-status", "Saving…");
      // Saved with the meaning the popover shows: wait for the lookup if it is still out.
      (pending || Promise.resolve()).then(function () {}, function () {}).then(function () {
        if (current === word) send(button, word);
      });
    }

    function send(button, word) {
      var state = button.getAttribute("data-state");
      var stage = button.getAttribute("data-stage") || "";
      var body = new URLSearchParams();
      body.set("csrf_token", reading.getAttribute("data-csrf"));
      body.set("language", reading.getAttribute("data-language"));
      body.set("word", phrase ? phrase.text : word.textContent);
      body.set("lemma", phrase ? phrase.text : word.getAttribute("data-l"));
      body.set("sentence", sentenceOf(word));
      body.set("article_id", reading.getAttribute("data-article"));
      body.set("state", state);
      if (stage) body.set("stage", stage);
      var meaning = popover.getAttribute("data-meaning");
      if (meaning) body.set("meaning", meaning);
      if (!phrase && word.getAttribute("data-r")) body.set("reading", word.getAttribute("data-r"));
      // The level the popover shows (the CSV export's "level" column).
      var level = popover.getAttribute("data-level");
      if (!phrase && level) body.set("level", level);
      fetch("/words/save.json", { method: "POST", body: body, headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("Not saved (" + response.status + "). Reload the page and try again.");
          return response.json();
        })
        .then(function (saved) {
          recolour(saved.lemma, saved.state, saved.stage);
          if (current === word) pressed(saved.state, saved.stage);
          field(".wp-status", "Saved: " + saved.state + (saved.state === "learning" ? " " + saved.stage : ""));
        })
        .catch(function (error) {
          field(".wp-status", error.message);
        });
    }

    function move(word, step) {
      var list = Array.prototype.slice.call(words);
      var next = list[list.indexOf(word) + step];
      if (!next) return;
      word.setAttribute("tabindex", "-1");
      next.setAttribute("tabindex", "0");
      next.focus();
    }

    Array.prototype.forEach.call(words, function (w) {
      w.setAttribute("role", "button");
      w.setAttribute("aria-haspopup", "dialog");
    });
    // A word of the reading's own list opens the same popover as any word (its dictionary
    // meaning; the list's definition when no dictionary has one).
    reading.addEventListener("click", function (event) {
      var word = event.target.closest ? event.target.closest("span.w") : null;
      if (!word) return;
      event.preventDefault();
      event.stopPropagation();
      if (event.shiftKey && current && !popover.hidden && current !== word &&
          openPhrase(phrase ? phrase.first : current, word)) return;
      if (current === word && !popover.hidden && !phrase) close();
      else open(word);
    });
    reading.addEventListener("keydown", function (event) {
      var word = event.target.closest ? event.target.closest("span.w") : null;
      if (!word) return;
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open(word);
      } else if (event.key === "ArrowRight" || event.key === "ArrowDown") {
        event.preventDefault();
        move(word, 1);
      } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
        event.preventDefault();
        move(word, -1);
      }
    });
    popover.querySelector(".popover-close").addEventListener("click", close);
    popover.querySelector(".wp-extend").addEventListener("click", function () {
      if (!current) return;
      var list = Array.prototype.slice.call(words);
      var last = phrase ? phrase.last : current;
      var next = list[list.indexOf(last) + 1];
      if (!next || !openPhrase(phrase ? phrase.first : current, next)) {
        field(".wp-status", "A phrase is a few words of one sentence.");
      }
    });
    Array.prototype.forEach.call(popover.querySelectorAll("[data-state]"), function (button) {
      button.addEventListener("click", function () {
        save(button);
      });
    });
    document.addEventListener("click", function (event) {
      if (!popover.hidden && !popover.contains(event.target) && !reading.contains(event.target)) close();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
  }

  // Review: Space shows the answer, 1–4 grade it (again, hard, good, easy).
  function setupReview() {
    var card = document.getElementById("review-card");
    if (!card) return;
    var answer = document.getElementById("review-answer");
    // Shown by Space or a click: the gap shows the word (style.css), the button goes.
    answer.addEventListener("toggle", function () { card.classList.toggle("answered", answer.open); });
    document.addEventListener("keydown", function (event) {
      if (event.target && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
      if (event.key === " " && !answer.open) {
        event.preventDefault();
        answer.open = true;
      } else if (answer.open && /^[1-4]$/.test(event.key)) {
        var button = card.querySelector('button[data-key="' + event.key + '"]');
        if (button) button.click();
      }
    });
  }

  // The browser knows the learner's time zone: sent with sign-in and registration, so
  // review days and streaks are the learner's days from the start (editable on the
  // account page).
  function setupTimeZone() {
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      zone = "";
    }
    document.querySelectorAll("input[data-detect-time-zone]").forEach(function (input) {
      input.value = zone;
    });
  }

  function start() {
    setupTimeZone();
    setupConfirm();
    setupLanguageSources();
    setupJob();
    setupVocabulary();
    setupWords();
    setupReview();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
