// Readings on demand for Korean, Japanese and Chinese readings: furigana over kanji,
// pinyin over Chinese words, romanization of Korean words. The reader's words carry
// their reading in data-r (web/reader.py); this only switches a class on the reading,
// and CSS (style in ruby.css) shows the readings above the words. The text itself never
// changes (copying it, or the word sent to a lookup, stays the text as written).
"use strict";

(function () {
  function setup() {
    var reading = document.getElementById("reading");
    var button = document.getElementById("ruby-toggle");
    if (!reading || !button || !reading.querySelector(".w[data-r]")) return;
    // One choice per language: furigana on in Japanese says nothing about romanized Korean.
    var KEY = "opad-readings-" + (reading.getAttribute("data-language") || "");
    button.hidden = false;

    function apply(on) {
      reading.classList.toggle("ruby-on", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? button.getAttribute("data-hide") : button.getAttribute("data-show");
    }

    var stored = null;
    try {
      stored = window.localStorage.getItem(KEY);
    } catch (e) {
      stored = null; // storage blocked: readings start hidden every time
    }
    apply(stored === "on");
    button.addEventListener("click", function () {
      var on = !reading.classList.contains("ruby-on");
      apply(on);
      try {
        window.localStorage.setItem(KEY, on ? "on" : "off");
      } catch (e) {
        // not remembered; still switched for this page
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
