"""The questions step of a job, and questions made on request for older readings.

`with_questions` is the one call the worker makes after the engine: the crew's own
questions (already checked against the text) are kept; the rest is made from the text
itself — vocabulary matching where the reading's vocabulary has definitions, cloze
questions from key sentences, and true/false statements from kept sentences (so every
language gets at least two kinds where the text allows). 4–6 questions; deterministic.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

from opad.questions.cloze import ClozeWord, distractors, stable_order
from opad.questions.reading import cloze_for_reading, content_lemmas, reading_words
from opad.questions.true_false import true_false_questions
from opad.reading.layout import plain_body
from opad.reading.model import (
    GenerationResult,
    Question,
    QuestionKind,
    ReadingBody,
    VocabularyItem,
)

log = logging.getLogger("opad.questions")

MOST = 6
GLOSS_LANGUAGE = "en"  # matching questions from bilingual dictionaries: into English
GLOSSES = 3  # translations shown in a matching question
FEWEST = 4  # below this, cloze questions may ask about any content word
MATCHING = 2  # matching questions at most: the rest are cloze, which test the text itself
TRUE_FALSE = 2  # true/false statements from kept sentences: a second kind in every language
_WORD_EDGE = r"(?<!\w){}(?!\w)"


def reading_body(markdown: str) -> str:
    """The reading's paragraphs as plain text, without title, source line and vocabulary
    (`opad.reading.layout.plain_body`; for an engine's checks before the analysis)."""
    return plain_body(markdown)


def _sentence_with(word: str, example: str, body: ReadingBody) -> str | None:
    """The sentence of the text that shows `word`: the item's example when it is one."""
    pattern = re.compile(_WORD_EDGE.format(re.escape(word)))
    if example and example in body.plain_text() and pattern.search(example):
        return example
    for sentence in body.sentences:
        if pattern.search(sentence.text):
            return sentence.text.strip()
    return None


def matching_questions(
    body: ReadingBody, vocabulary: Sequence[VocabularyItem], *, count: int = MATCHING
) -> list[Question]:
    """ "Which word of the reading means …?" for vocabulary items with a definition.

    Options are other vocabulary words of the reading (closest level first); a definition
    that contains its own word is skipped (it would give the answer away).
    """
    defined = [
        v
        for v in vocabulary
        if v.definition.strip()
        and not re.search(_WORD_EDGE.format(re.escape(v.word)), v.definition, re.IGNORECASE)
    ]
    pool = [ClozeWord(v.word, v.lemma, v.level.rank) for v in vocabulary]
    out: list[Question] = []
    for item in defined:
        if len(out) == count:
            break
        support = _sentence_with(item.word, item.example, body)
        if support is None:
            continue
        wrong = distractors(ClozeWord(item.word, item.lemma, item.level.rank), pool)
        if len(wrong) < 2:
            continue
        out.append(
            Question(
                id=f"m{len(out) + 1}",
                kind=QuestionKind.MATCHING,
                prompt=item.definition.strip(),
                options=sorted([item.word, *wrong], key=lambda o: stable_order(item.word, o)),
                answer=item.word,
                support=support,
            )
        )
    return out


def translated(
    code: str, vocabulary: Sequence[VocabularyItem], dictionary_folders: Sequence[Path]
) -> list[VocabularyItem]:
    """The vocabulary, each item without a definition given the English translations an
    installed bilingual dictionary (FreeDict) has for its lemma: "Brunnen" → "well,
    fountain". Monolingual definitions (WordNet) are not used: their first sense is often
    not the text's ("volunteer" → "without payment"). English readings keep theirs."""
    from opad.dictionaries import Dictionaries

    if code == GLOSS_LANGUAGE or not dictionary_folders:
        return list(vocabulary)
    dictionaries = Dictionaries(list(dictionary_folders))
    out = []
    try:
        for item in vocabulary:
            if not item.definition.strip():
                entry = dictionaries.offline(code, item.lemma, GLOSS_LANGUAGE, item.word)
                if entry is not None:
                    item = item.model_copy(update={"definition": _gloss(entry.meaning)})
            out.append(item)
    finally:
        dictionaries.close()
    return out


def _gloss(meaning: str) -> str:
    """The first few translations, without "sb."/"sth." valency notes. A comma inside
    parentheses does not split ("hostess bar (serving western alcoholic beverages, …)"
    was cut mid-note), and a translation with a note is dropped when a plainer one is
    left."""
    parts = [p.strip() for p in re.split(r"[,;](?![^()]*\))", meaning)]
    plain = [p for p in parts if "(" not in p]
    if plain:
        parts = plain
    kept = [p for p in dict.fromkeys(parts) if p and "sb." not in p and "sth." not in p]
    return ", ".join(kept[:GLOSSES])


def questions_for(
    body: ReadingBody,
    vocabulary: Sequence[VocabularyItem],
    given: Sequence[Question] = (),
    dictionary_folders: Sequence[Path] = (),
) -> list[Question]:
    """`given` questions (the crew's), then matching, cloze and true/false, at most 6, from
    the reading's typed body (its sentences and words: no text is tokenized here).

    With `dictionary_folders` (OPAD_DICT_DIRS), vocabulary without definitions gets its
    English translations for matching questions (see `translated`).
    """
    if dictionary_folders and any(not v.definition.strip() for v in vocabulary):
        vocabulary = translated(body.language, vocabulary, dictionary_folders)
    out = list(given[:MOST])
    if len(out) < MOST:
        out += matching_questions(body, vocabulary, count=min(MATCHING, MOST - len(out)))
    spare: list[Question] = []  # statements beyond TRUE_FALSE, for a reading with few cloze
    statements: list[Question] = []
    if not given and body.sentences:
        made = true_false_questions(reading_words(body), code=body.language, count=FEWEST)
        statements, spare = made[:TRUE_FALSE], made[TRUE_FALSE:]
    asked = {q.answer.casefold() for q in out}
    lemmas = [v.lemma for v in vocabulary if v.word.casefold() not in asked]
    room = MOST - len(out) - len(statements)
    stated = {q.support for q in statements}

    def cloze(keywords: Sequence[str]) -> list[Question]:
        made = cloze_for_reading(body, keywords, count=room + len(stated))
        kept = [q for q in made if q.answer.casefold() not in asked and q.support not in stated]
        return kept[:room]

    if room > 0:
        more = cloze(lemmas)
        if len(out) + len(more) + len(statements) < FEWEST:
            # Too few vocabulary words (an easy text): ask about any content word instead.
            more = cloze(content_lemmas(body))
        out += more
    out += statements
    if len(out) < FEWEST:
        cloze_sentences = {q.support for q in out}
        out += [q for q in spare if q.support not in cloze_sentences][: FEWEST - len(out)]
    # One numbering for all kinds: ids stay stable as long as the reading does.
    return [q.model_copy(update={"id": f"q{n}"}) for n, q in enumerate(out, 1)]


def with_questions(
    body: ReadingBody, result: GenerationResult, dictionary_folders: Sequence[Path] = ()
) -> GenerationResult:
    """The result with its questions (the worker's questions step).

    Questions are an extra: if making them fails, the reading still succeeds without
    them (the API makes them on request later) and the failure is logged.
    """
    try:
        made = questions_for(body, result.vocabulary, result.questions, dictionary_folders)
    except Exception:
        log.exception("questions could not be made; the reading is kept without them")
        return result
    return result.model_copy(update={"questions": made})
