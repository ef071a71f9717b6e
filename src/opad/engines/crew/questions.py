"""The crew's questions, kept only where the final text supports their answer.

An LLM may write a question whose answer is not in the text, or quote a sentence the
text does not have. Each question is kept only when:
- its `support` is a sentence of the text (compared without case, spacing or quotes;
  the text's own sentence is kept, never the LLM's copy);
- its answer is one of its options, and the options are distinct;
- multiple choice: every word of the answer occurs in that sentence (as written or as
  the same lemma), so the text itself proves it;
- true/false: options are True and False, and at least half of the statement's content
  words occur in that sentence (the sentence is about what the statement says).
Everything else is dropped and logged with the reason.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from opad.engines.crew.models import QuizItem
from opad.questions import Question, QuestionKind
from opad.questions.step import reading_body
from opad.text import lemma, split_sentences, tokenize

log = logging.getLogger("opad.engines.crew")

TRUE_FALSE = ("true", "false")
MIN_SHARED = 0.5  # of a true/false statement's content words found in its sentence


def _plain(text: str) -> str:
    text = re.sub(r"[\"'“”„«»‘’`*_]", "", text)
    return " ".join(text.casefold().split()).strip(" .!?…")


def _words(code: str, text: str) -> set[str]:
    """Word forms and lemmas of `text`, casefolded."""
    out: set[str] = set()
    for token in tokenize(code, text):
        out.add(token.word.casefold())
        out.add(token.lemma.casefold())
    return out


def _sentence_of(sentences: Sequence[str], support: str) -> str | None:
    wanted = _plain(support)
    if len(wanted) < 8:
        return None
    for sentence in sentences:
        plain = _plain(sentence)
        if plain == wanted or (len(wanted) >= 0.6 * len(plain) and wanted in plain):
            return sentence
    return None


def _why_not(code: str, item: QuizItem, sentence: str | None) -> str | None:
    """Why the text does not support `item` (None: it does)."""
    if sentence is None:
        return "its supporting sentence is not in the text"
    options = [o.strip() for o in item.options]
    if len({o.casefold() for o in options}) != len(options) or not 2 <= len(options) <= 5:
        return "its options are not 2-5 distinct choices"
    if item.answer.strip().casefold() not in {o.casefold() for o in options}:
        return "its answer is not one of its options"
    words = _words(code, sentence)
    if item.kind == "multiple_choice":
        needed = tokenize(code, item.answer)
        if not needed or any(
            t.word.casefold() not in words and lemma(code, t.word).casefold() not in words
            for t in needed
        ):
            return "its answer is not in its sentence"
        return None
    if sorted(o.casefold() for o in options) != sorted(TRUE_FALSE):
        return "a true/false question needs the options True and False"
    content = [t for t in tokenize(code, item.question) if len(t.word) > 3]
    shared = sum(t.word.casefold() in words or t.lemma.casefold() in words for t in content)
    if not content or shared < MIN_SHARED * len(content):
        return "its statement is not about its sentence"
    return None


def checked_questions(code: str, markdown_body: str, items: Sequence[QuizItem]) -> list[Question]:
    """The items the text supports, as questions (ids c1, c2…; renumbered when stored).

    `markdown_body` is the adapted text; `code` its language's ISO 639-1 code.
    """
    body = reading_body(markdown_body)
    sentences = [
        s
        for paragraph in body.split("\n\n")
        for s in split_sentences(code, " ".join(paragraph.split()))
    ]
    out: list[Question] = []
    for item in items:
        sentence = _sentence_of(sentences, item.support)
        reason = _why_not(code, item, sentence)
        if reason is not None or sentence is None:
            log.info("question dropped (%s): %r", reason, item.question)
            continue
        options = [o.strip() for o in item.options]
        answer = next(o for o in options if o.casefold() == item.answer.strip().casefold())
        out.append(
            Question(
                id=f"c{len(out) + 1}",
                kind=QuestionKind(item.kind),
                prompt=item.question.strip(),
                options=options,
                answer=answer,
                support=sentence,
            )
        )
    return out
