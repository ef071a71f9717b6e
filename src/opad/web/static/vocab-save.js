// Saving a word from the vocabulary popover (the reading's own list), as from the text:
// learning, known or ignored, with the list's definition as its meaning and the sentence
// the word stands in. Kept apart from app.js, which opens and closes the popover.
"use strict";

(function () {
  function setup() {
    var popover = document.getElementById("vocab-popover");
    var reading = document.getElementById("reading");
    if (!popover || !reading) return;
    var status = popover.querySelector(".vp-status");
    var sentences = [];
    try {
      sentences = JSON.parse(document.getElementById("reading-sentences").textContent);
    } catch (e) {
      sentences = [];
    }

    function say(text) {
      status.textContent = text;
      status.hidden = !text;
    }

    function label(saved) {
      return "Saved: " + saved.state + (saved.state === "learning" ? " " + saved.stage : "");
    }

    function recolour(lemma, state, stage) {
      var cls = state === "learning" ? "s-learning-" + (stage || 1) : "s-" + state;
      Array.prototype.forEach.call(reading.querySelectorAll("span.w"), function (w) {
        if (w.getAttribute("data-l") !== lemma) return;
        w.className = w.className.replace(/\bs-[a-z]+(-\d)?\b/, "").trim() + " " + cls;
      });
    }

    function save(button) {
      // The link whose popover is open (app.js marks it expanded).
      var link = document.querySelector('a.vocab[aria-expanded="true"]');
      if (!link) return;
      var entry = document.getElementById("vocab-" + link.getAttribute("data-vocab"));
      var word = link.querySelector("span.w");
      var index = word ? Number(word.getAttribute("data-s")) : -1;
      var body = new URLSearchParams();
      body.set("csrf_token", reading.getAttribute("data-csrf"));
      body.set("language", reading.getAttribute("data-language"));
      body.set("word", link.textContent.trim());
      // The reader's lemma, so every form of the word in every reading shares the state.
      if (word) body.set("lemma", word.getAttribute("data-l"));
      if (index >= 0 && sentences[index]) body.set("sentence", sentences[index]);
      body.set("article_id", reading.getAttribute("data-article"));
      body.set("state", button.getAttribute("data-save-state"));
      if (button.getAttribute("data-stage")) body.set("stage", button.getAttribute("data-stage"));
      var definition = entry && entry.querySelector(".definition");
      if (definition) body.set("meaning", definition.textContent.trim());
      var level = entry && entry.querySelector(".level");
      if (level) body.set("level", level.textContent.trim());
      say("Saving…");
      fetch("/words/save.json", { method: "POST", body: body, headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("Not saved (" + response.status + "). Reload the page and try again.");
          return response.json();
        })
        .then(function (saved) {
          recolour(saved.lemma, saved.state, saved.stage);
          say(label(saved));
        })
        .catch(function (error) {
          say(error.message);
        });
    }

    Array.prototype.forEach.call(popover.querySelectorAll("[data-save-state]"), function (button) {
      button.addEventListener("click", function () {
        save(button);
      });
    });
    // A new word in the popover: last word's "Saved" must not show under it.
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a.vocab")) say("");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
