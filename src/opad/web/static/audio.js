/* The reader's audio (issue 13): highlight the sentence being spoken, replay one sentence,
   change the speed, and follow audio that is being made. The sentence numbers of the
   timings are the reader's own (data-s on every word), both made by the same segmentation
   on the server, so nothing here splits text. */
(function () {
  "use strict";

  var section = document.getElementById("audio");
  if (!section) return;

  var status = section.getAttribute("data-status");
  if (status === "pending" || status === "making") {
    // Reload once the worker has made it (or given up): the server renders the player.
    var stateUrl = "/articles/" + encodeURIComponent(section.getAttribute("data-article")) + "/audio/state.json";
    var poll = function () {
      fetch(stateUrl, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) {
          if (state && state.status !== "pending" && state.status !== "making") {
            window.location.reload();
          } else {
            window.setTimeout(poll, 2000);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 2000);
    return;
  }

  var player = document.getElementById("audio-player");
  var reading = document.getElementById("reading");
  var data = document.getElementById("audio-timings");
  if (!player || !reading || !data) return;
  var timings = JSON.parse(data.textContent || "[]");
  var current = -1;
  var stopAt = null;
  var marks = {};

  function words(n) {
    return reading.querySelectorAll('.w[data-s="' + n + '"]');
  }

  function mark(n) {
    if (n === current) return;
    if (current >= 0) {
      words(current).forEach(function (w) { w.classList.remove("speaking"); });
      if (marks[current]) marks[current].removeAttribute("aria-current");
    }
    current = n;
    if (n >= 0) {
      words(n).forEach(function (w) { w.classList.add("speaking"); });
      if (marks[n]) marks[n].setAttribute("aria-current", "true");
    }
  }

  // The sentence at time t; in the short pause after a sentence, it stays marked.
  function sentenceAt(t) {
    for (var i = 0; i < timings.length; i++) {
      var next = i + 1 < timings.length ? timings[i + 1].start : Infinity;
      if (t >= timings[i].start && t < next) return t <= timings[i].end + 0.3 ? timings[i].sentence : -1;
    }
    return -1;
  }

  function tick() {
    var t = player.currentTime;
    if (stopAt !== null && t >= stopAt) {
      player.pause();
      stopAt = null;
    }
    mark(player.paused && stopAt === null && t === 0 ? -1 : sentenceAt(t));
    if (!player.paused) window.requestAnimationFrame(tick);
  }

  player.addEventListener("play", function () { window.requestAnimationFrame(tick); });
  player.addEventListener("seeked", tick);
  player.addEventListener("timeupdate", tick);
  player.addEventListener("ended", function () { stopAt = null; mark(-1); });
  player.addEventListener("pause", function () { if (stopAt === null) tick(); });

  // A play mark before each spoken sentence: that sentence alone, from its start to its end.
  timings.forEach(function (s) {
    // The sentence's own start (never inside a word: "L'▶école"), else its first word.
    var first = reading.querySelector('.sb[data-sb="' + s.sentence + '"]') ||
      reading.querySelector('.w[data-s="' + s.sentence + '"]');
    if (!first) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "say";
    button.textContent = "\u25B6";
    button.setAttribute("data-say", String(s.sentence));
    button.setAttribute("aria-label", "Listen to this sentence");
    button.title = "Listen to this sentence";
    button.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      stopAt = s.end;
      player.currentTime = s.start;
      var playing = player.play();
      if (playing && playing.catch) playing.catch(function () { stopAt = null; });
    });
    // Never inside a link (a vocabulary word): a button there would be nested controls.
    var anchor = first.closest("a");
    var before = anchor && reading.contains(anchor) ? anchor : first;
    before.parentNode.insertBefore(button, before);
    marks[s.sentence] = button;
  });

  section.querySelectorAll("[data-speed]").forEach(function (button) {
    button.addEventListener("click", function () {
      player.playbackRate = parseFloat(button.getAttribute("data-speed"));
      section.querySelectorAll("[data-speed]").forEach(function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
    });
  });
})();
