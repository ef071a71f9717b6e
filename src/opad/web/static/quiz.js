/* The reader's quiz (issue 13): questions from the API, answers checked by the API,
   the score and the right answers shown with the sentence of the text that gives each. */
(function () {
  "use strict";

  var KINDS = {
    cloze: "Fill the gap",
    matching: "Which word of the text means this?",
    multiple_choice: "Choose the right answer",
    true_false: "True or false?"
  };
  var GAP = "____";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function prompt(question, lang) {
    var node = el("span", "quiz-prompt");
    // A matching prompt is a translation (English) or a definition: not marked as the
    // reading's language; a cloze sentence, statement or question is.
    if (lang && question.kind !== "matching") node.lang = lang;
    var parts = question.prompt.split(GAP);
    parts.forEach(function (part, i) {
      if (i > 0) {
        var gap = el("span", "quiz-gap");
        gap.setAttribute("aria-label", "gap");
        node.appendChild(gap);
      }
      node.appendChild(document.createTextNode(part));
    });
    return node;
  }

  function questionItem(question, lang) {
    var item = el("li", "quiz-question");
    item.id = "quiz-" + question.id;
    item.setAttribute("data-question", question.id);
    var fieldset = el("fieldset");
    var legend = el("legend");
    legend.appendChild(el("span", "quiz-kind", KINDS[question.kind] || "Question"));
    legend.appendChild(prompt(question, lang));
    fieldset.appendChild(legend);
    var options = el("div", "quiz-options");
    question.options.forEach(function (option) {
      var label = el("label");
      if (lang) label.lang = lang;
      var input = el("input");
      input.type = "radio";
      input.name = "answer-" + question.id;
      input.value = option;
      label.appendChild(input);
      label.appendChild(document.createTextNode(option));
      options.appendChild(label);
    });
    fieldset.appendChild(options);
    item.appendChild(fieldset);
    return item;
  }

  function support(sentence, answer, lang) {
    // The sentence that gives the answer, the answer's words marked in it.
    var node = el("p", "quiz-support");
    node.appendChild(document.createTextNode("In the text: “"));
    var quote = el("span");
    if (lang) quote.lang = lang;
    var at = sentence.toLowerCase().indexOf(answer.toLowerCase());
    if (at >= 0 && answer.length > 1) {
      quote.appendChild(document.createTextNode(sentence.slice(0, at)));
      quote.appendChild(el("mark", "", sentence.slice(at, at + answer.length)));
      quote.appendChild(document.createTextNode(sentence.slice(at + answer.length)));
    } else {
      quote.textContent = sentence;
    }
    node.appendChild(quote);
    node.appendChild(document.createTextNode("”"));
    return node;
  }

  function start(section) {
    var article = section.getAttribute("data-article");
    var lang = section.getAttribute("data-lang") || "";
    var form = section.querySelector(".quiz-form");
    var list = section.querySelector(".quiz-questions");
    var status = section.querySelector(".quiz-status");
    var check = section.querySelector(".quiz-check");
    var again = section.querySelector(".quiz-again");
    var last = section.querySelector(".quiz-last");
    var questions = [];

    function show(data) {
      questions = data.questions || [];
      if (!questions.length) return;
      list.textContent = "";
      questions.forEach(function (q) { list.appendChild(questionItem(q, lang)); });
      if (data.latest) {
        last.textContent = "Last time you got " + data.latest.score + " of " + data.latest.total + " right.";
        last.hidden = false;
      }
      section.hidden = false;
    }

    function showResults(result) {
      var byId = {};
      result.results.forEach(function (r) { byId[r.question_id] = r; });
      Array.prototype.forEach.call(list.children, function (item) {
        var r = byId[item.getAttribute("data-question")];
        if (!r) return;
        item.classList.add(r.correct ? "is-right" : "is-wrong");
        Array.prototype.forEach.call(item.querySelectorAll("label"), function (label) {
          var input = label.querySelector("input");
          input.disabled = true;
          if (input.value === r.answer) label.classList.add("is-answer");
          else if (input.checked) label.classList.add("is-wrong");
        });
        var feedback = el("p", "quiz-feedback " + (r.correct ? "right" : "wrong"));
        if (r.correct) {
          feedback.textContent = "Right!";
        } else {
          feedback.textContent = "Not quite. The answer is “" + r.answer + "”.";
        }
        item.appendChild(feedback);
        item.appendChild(support(r.support, r.answer, lang));
      });
      var score = el("span", "quiz-score", "You got " + result.score + " of " + result.total + " right.");
      score.id = "quiz-score";
      status.textContent = "";
      status.appendChild(score);
      last.hidden = true;
      check.hidden = true;
      again.hidden = false;
      score.setAttribute("tabindex", "-1");
      score.focus();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var missing = questions.filter(function (q) {
        return !form.querySelector('input[name="answer-' + q.id + '"]:checked');
      });
      if (missing.length) {
        var first = questions.indexOf(missing[0]) + 1;
        status.textContent = missing.length === 1
          ? "Question " + first + " has no answer yet."
          : missing.length + " questions have no answer yet (the first is question " + first + ").";
        var input = form.querySelector('input[name="answer-' + missing[0].id + '"]');
        if (input) input.focus();
        return;
      }
      status.textContent = "Checking…";
      check.disabled = true;
      var body = new URLSearchParams(new FormData(form));
      fetch(form.getAttribute("data-json") || form.action, { method: "POST", body: body, headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("Your answers could not be checked (" + response.status + "). Reload the page and try again.");
          return response.json();
        })
        .then(showResults)
        .catch(function (error) { status.textContent = error.message; })
        .then(function () { check.disabled = false; });
    });

    again.addEventListener("click", function () {
      show({ questions: questions });
      status.textContent = "";
      check.hidden = false;
      again.hidden = true;
      var first = list.querySelector("input");
      if (first) first.focus();
    });

    fetch("/articles/" + encodeURIComponent(article) + "/questions.json", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { questions: [] }; })
      .then(show)
      .catch(function () { /* no quiz: the reading stands on its own */ });
  }

  function init() {
    var section = document.getElementById("quiz");
    if (section) start(section);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
