"""Cloze questions made from the reading itself, for the engine that has no LLM.

A cloze is honest without an LLM: its answer is, by construction, the word the text
has. Key sentences are those holding a vocabulary word of the reading (the words worth
learning), spread over the text. Distractors are other words of the same reading of a
similar level and the same grammatical form (`ClozeWord.form`: the same inflection of
their lemmas and capitalisation, or the analyzer's same tags in Korean, Japanese and
Chinese), so that grammar alone cannot rule them out; never a name or a number, never the
answer's own lemma. Options share the gap's case (`sentence_initial`, `same_case`): all
capitalised at a sentence start, else with the answer's own capital or none, so a
capital never gives the answer away. Deterministic: same reading, same questions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from opad.questions.forms import fits
from opad.questions.models import Question, QuestionKind

GAP = "____"
OPTIONS = 4


@dataclass(frozen=True)
class ClozeWord:
    """A word of the reading that may be the answer or a distractor."""

    word: str
    lemma: str
    level_rank: int  # 0 = A1 … 5 = C2
    # Among the language's most frequent words (articles, pronouns, prepositions…): never
    # a distractor for a content word — a learner rules those out by grammar alone.
    common: bool = False
    # The word's grammatical form (opad.questions.forms): options share the answer's.
    # "" = unknown, matches any.
    form: str = ""
    # A name, a number or a counter: never an option.
    usable: bool = True


def stable_order(seed: str, word: str) -> str:
    """A sort key that looks random but is the same at every run (no `random`, no salt).

    Alphabetical order would leak the answer: distractors picked by a tie-break on the
    spelling cluster at one end, so the answer would sit at the other end most times.
    """
    return hashlib.sha256(f"{seed}\x00{word.casefold()}".encode()).hexdigest()


_BEFORE_A_SENTENCE = " \t\n\"'“”„«»‚‘’‹›([{—–-*"


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at `start` of `text` opens a sentence: nothing but quotes,
    brackets or dashes before it, or a full stop, question or exclamation mark. Its
    capital there is the position's, not the word's."""
    before = text[:start].rstrip(_BEFORE_A_SENTENCE)
    return not before or before[-1] in ".!?…。！？"


def in_case_of(word: str, initial: bool) -> str:
    """`word` as a gap at a sentence start shows it (capitalised), else as it is."""
    return word[:1].upper() + word[1:] if initial else word


def same_case(answer: ClozeWord, pool: Sequence[ClozeWord]) -> list[ClozeWord]:
    """The words of `pool` with the answer's capital (or lack of one): inside a sentence
    a capital is the word's own (a German noun, "Japanese"), and an option with another
    gives the answer away ("Local" among "area", "final")."""
    capital = answer.word[:1].isupper()
    return [w for w in pool if w.word[:1].isupper() == capital]


def _ending(word: str) -> str:
    """The last two letters: a rough but language-neutral stand-in for an inflection."""
    return word[-2:].lower() if len(word) > 4 else ""


def _likeness(answer: ClozeWord, other: ClozeWord) -> int:
    """How alike two words' classes look: capitalisation weighs most, then the ending."""
    same_case = answer.word[0].isupper() == other.word[0].isupper()
    ending = _ending(answer.word)
    return 2 * same_case + int(bool(ending) and ending == _ending(other.word))


def distractors(
    answer: ClozeWord,
    pool: Sequence[ClozeWord],
    n: int = OPTIONS - 1,
    exclude: frozenset[str] = frozenset(),
) -> list[str]:
    """Up to `n` distractors for `answer` from `pool`, closest in level first.

    Only words of the answer's form (`ClozeWord.form`) and never names or numbers; those
    that look most alike come first (see `_likeness`), then the closest in level;
    A1 words only for an A1 answer, common (function) words only for a common answer.
    Never the answer, never a form of its lemma, never the answer with or without a
    final "s" ("towards" for "toward"), never twice the same word, never a word of
    `exclude` (casefolded: the gap sentence's own words, which would give it away).
    """
    # The answer with or without a final "s" is another spelling of it ("toward",
    # "towards") or the same word: it fits the gap too.
    folded = answer.word.casefold()
    seen = {folded, f"{folded}s", folded.removesuffix("s"), *exclude}
    candidates = [
        w
        for w in pool
        if w.lemma.casefold() != answer.lemma.casefold()
        and w.word.casefold() != answer.word.casefold()
        # A1 words are mostly function words ("auf", "leurs", "while"): no match for a
        # content word, and a learner rules them out by grammar alone.
        and (w.level_rank > 0 or answer.level_rank == 0)
        and (not w.common or answer.common)
        and w.usable
        and fits(answer.form, w.form, w.word)
    ]

    def rank(w: ClozeWord) -> tuple[int, int, str]:
        closeness = (-_likeness(answer, w), abs(w.level_rank - answer.level_rank))
        return (*closeness, stable_order(answer.word, w.word))

    out: list[str] = []
    for w in sorted(candidates, key=rank):
        if w.word.casefold() not in seen:
            seen.add(w.word.casefold())
            out.append(w.word)
        if len(out) == n:
            break
    return out


def make_cloze_questions(
    sentences: Sequence[tuple[str, Sequence[tuple[int, int, ClozeWord]]]],
    keywords: set[str],
    *,
    count: int = 5,
    backup: Sequence[ClozeWord] = (),
) -> list[Question]:
    """Up to `count` cloze questions from a reading.

    `sentences`: each sentence with its words as (start, end, word) spans into it;
    `keywords`: lemmas (casefolded) worth asking about, e.g. the reading's vocabulary.
    One question per sentence at most, sentences spread evenly over the reading, options
    in a stable order that does not give the answer away (`stable_order`), so a reload
    shows the same question. Distractors come from the reading's own words first, then
    from `backup` (frequent words of the language, opad.questions.lexicon) when the
    reading has too few of the answer's form.
    """
    # A capital at a sentence start is the position's: such a word would bring it along
    # into the middle of another sentence ("Volunteers" among "beavers", "levels").
    pool = [
        w
        for text, spans in sentences
        for start, _, w in spans
        if len(w.word) > 1 and not (w.word[:1].isupper() and sentence_initial(text, start))
    ]
    candidates: list[tuple[int, str, int, int, ClozeWord]] = []
    asked: set[str] = set()
    for index, (text, spans) in enumerate(sentences):
        key = [
            s
            for s in spans
            if s[2].lemma.casefold() in keywords
            and s[2].usable
            and len(s[2].word) > 1
            and s[2].lemma.casefold() not in asked  # one question per word
        ]
        if key:
            # The hardest key word of the sentence: the one most worth checking.
            start, end, word = max(key, key=lambda s: (s[2].level_rank, s[2].word))
            candidates.append((index, text, start, end, word))
            asked.add(word.lemma.casefold())
    if not candidates:
        return []
    step = max(1.0, len(candidates) / count)
    picked = [candidates[int(i * step)] for i in range(min(count, len(candidates)))]
    questions = []
    for n, (index, text, start, end, word) in enumerate(picked, 1):
        own = frozenset(w.word.casefold() for _, _, w in sentences[index][1])
        # Options share the gap's case: all capitalised at a sentence start, else each
        # with the answer's own (opad.questions.lexicon keeps "Japanese" capitalised).
        initial = sentence_initial(text, start)
        mine, spare = (pool, backup)
        if not initial:
            mine, spare = same_case(word, pool), same_case(word, backup)
        wrong = distractors(word, mine, exclude=own)
        if len(wrong) < OPTIONS - 1 and spare:
            taken = own | {w.casefold() for w in wrong}
            wrong += distractors(word, spare, n=OPTIONS - 1 - len(wrong), exclude=taken)
        if len(wrong) < 2:
            continue  # a two-option "choice" teaches nothing
        wrong = [in_case_of(w, initial) for w in wrong]
        questions.append(
            Question(
                id=f"q{n}",
                kind=QuestionKind.CLOZE,
                prompt=text[:start] + GAP + text[end:],
                options=sorted([word.word, *wrong], key=lambda o: stable_order(text, o)),
                answer=word.word,
                support=text,
            )
        )
    return questions
