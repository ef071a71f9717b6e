"""True/false statements made from kept sentences of the reading, for the engine with no
LLM: a question that tests reading the text, not guessing a word.

A *true* statement is a sentence of the reading as it stands; a *false* one is another
sentence with its hardest content word swapped for a word of the same form from elsewhere
in the reading (opad.questions.forms: same inflection, same analyzer tags), never a name
or a number, never a form of the same lemma — "The town hired three new *teachers*"
becomes "… three new *drivers*". True and false alternate, in reading order, over
sentences of a readable length that no other question uses, and that stand alone: a
sentence that leans on the one before (opad.text.cohesion.depends_on_previous: "Los vecinos
*también* pagan menos", "*Er* ist drei Hektar groß") means nothing as a statement on its
own. Deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence

from opad.questions.cloze import ClozeWord, distractors
from opad.questions.models import Question, QuestionKind
from opad.text.cohesion import depends_on_previous

TRUE, FALSE = "True", "False"
MIN_WORDS, MAX_WORDS = 5, 30  # statements a learner can hold in mind


def true_false_questions(
    sentences: Sequence[tuple[str, Sequence[tuple[int, int, ClozeWord]]]],
    *,
    code: str,
    count: int = 2,
    skip: frozenset[str] = frozenset(),
) -> list[Question]:
    """Up to `count` statements, alternately true and false, from `sentences` of a reading
    in language `code` (each with its words as (start, end, word) spans, as
    opad.questions.reading gives them), leaving out sentences in `skip` (already asked
    about) and sentences that lean on the one before (their pronoun or connective points
    at nothing in a statement). A definite noun phrase is no reason to leave a sentence
    out: the statement is about this reading, where "the park" is known."""
    pool = [w for _, spans in sentences for _, _, w in spans]
    usable = [
        (text, spans)
        for text, spans in sentences
        if MIN_WORDS <= len(spans) <= MAX_WORDS
        and text not in skip
        and not text.endswith("?")
        and not depends_on_previous(code, text)
    ]
    if not usable:
        return []
    step = max(1.0, len(usable) / (count + 1))
    out: list[Question] = []
    for n in range(len(usable)):
        if len(out) == count:
            break
        text, spans = usable[min(len(usable) - 1, int((n + 1) * step) % len(usable))]
        if any(q.support == text for q in out):
            continue
        if len(out) % 2 == 0:
            statement, answer = text, TRUE
        else:
            swapped = _swapped(text, spans, pool)
            if swapped is None:
                continue
            statement, answer = swapped, FALSE
        out.append(
            Question(
                id=f"t{len(out) + 1}",
                kind=QuestionKind.TRUE_FALSE,
                prompt=statement,
                options=[TRUE, FALSE],
                answer=answer,
                support=text,
            )
        )
    return out


def _swapped(
    text: str, spans: Sequence[tuple[int, int, ClozeWord]], pool: Sequence[ClozeWord]
) -> str | None:
    """`text` with its hardest usable content word replaced by one of the same form that
    the sentence does not hold; None when there is none."""
    own = frozenset(w.word.casefold() for _, _, w in spans) | frozenset(
        w.lemma.casefold() for _, _, w in spans
    )
    keys = sorted(
        (s for s in spans if s[2].usable and not s[2].common and s[2].form),
        key=lambda s: (-s[2].level_rank, s[0]),
    )
    for start, end, word in keys:
        others = [w for w in pool if w.lemma.casefold() not in own]
        found = distractors(word, others, n=1, exclude=own)
        if found:
            return text[:start] + found[0] + text[end:]
    return None
