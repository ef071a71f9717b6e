"""True/false statements made from kept sentences of the reading, for the engine with no
LLM: a question that tests reading the text, not guessing a word.

A *true* statement is a sentence of the reading as it stands; a *false* one is another
sentence with its hardest content word swapped for a word of the same form from elsewhere
in the reading (opad.questions.forms: same inflection, same analyzer tags), never a name
or a number, never a form of the same lemma — "The town hired three new *teachers*"
becomes "… three new *drivers*". Like for like (`_alone`, `german_genders`): never a word
capitalised at a sentence start, a title before a name or a part of a Japanese or Chinese
compound noun; in German a noun for a noun of the same gender and number, as the reading's
determiners show them. True and false alternate, in reading order, over
sentences of a readable length that no other question uses, and that stand alone: a
sentence that leans on the one before (opad.text.cohesion.depends_on_previous: "Los vecinos
*también* pagan menos", "*Er* ist drei Hektar groß") means nothing as a statement on its
own. Deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from opad.questions.cloze import ClozeWord, distractors, sentence_initial
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
    swap = _swapper(code, sentences)
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
    spread = [min(len(usable) - 1, int((n + 1) * step) % len(usable)) for n in range(len(usable))]
    # Spread over the reading first, then every other sentence: a reading with few
    # sentences a false statement can be made from still gets one.
    for index in dict.fromkeys([*spread, *range(len(usable))]):
        if len(out) == count:
            break
        text, spans = usable[index]
        if any(q.support == text for q in out):
            continue
        if len(out) % 2 == 0:
            statement, answer = text, TRUE
        else:
            swapped = swap(text, spans)
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


Spans = Sequence[tuple[int, int, ClozeWord]]


def false_statements(code: str, sentences: Sequence[tuple[str, Spans]]) -> dict[str, str]:
    """Each sentence of the reading that has one, with its false statement."""
    swap = _swapper(code, sentences)
    return {text: made for text, spans in sentences if (made := swap(text, spans)) is not None}


def _swapper(
    code: str, sentences: Sequence[tuple[str, Spans]]
) -> Callable[[str, Spans], str | None]:
    """The false statement of a sentence of the reading (`_swapped`), the reading's words
    that may be swapped in gathered once."""
    genders = german_genders(sentences) if code == "de" else {}
    pool = [
        w
        for text, spans in sentences
        for i, (_, _, w) in enumerate(spans)
        if _alone(code, text, spans, i)
    ]
    return lambda text, spans: _swapped(code, text, spans, pool, genders)


def _swapped(
    code: str, text: str, spans: Spans, pool: Sequence[ClozeWord], genders: Genders
) -> str | None:
    """`text` with its hardest usable content word replaced by one of the same form that
    the sentence does not hold, like for like (`_alone`; German: a noun of the same gender
    and number); None when there is none."""
    own = frozenset(w.word.casefold() for _, _, w in spans) | frozenset(
        w.lemma.casefold() for _, _, w in spans
    )
    keys = sorted(
        (
            s
            for i, s in enumerate(spans)
            if s[2].usable and not s[2].common and s[2].form and _alone(code, text, spans, i)
        ),
        key=lambda s: (-s[2].level_rank, s[0]),
    )
    for start, end, word in keys:
        # Nor a word holding it or held by it: "Regenwasser" for "Wasser" is still true.
        folded = word.word.casefold()
        others = [
            w
            for w in pool
            if w.lemma.casefold() not in own
            and folded not in w.word.casefold()
            and w.word.casefold() not in folded
        ]
        if code == "de":
            gender = genders.get(word.word.casefold())
            if gender is None:
                continue  # not a noun, or its gender and number are not known
            # Gender and number known, the noun's inflection ("+s", "=") is all its form
            # needs: its lemma's last letter and the determiner before it are not.
            word = replace(word, form=_inflection(word.form))
            others = [
                replace(w, form=_inflection(w.form))
                for w in others
                if genders.get(w.word.casefold()) == gender
            ]
        found = distractors(word, others, n=1, exclude=own)
        if found:
            return text[:start] + found[0] + text[end:]
    return None


def _inflection(form: str) -> str:
    """A spaced form without its lemma-ending class and determiner ("N=:k|der" → "N=")."""
    return form.split("|", 1)[0].split(":", 1)[0]


def _alone(code: str, text: str, spans: Spans, i: int) -> bool:
    """Whether word `i` of the sentence may be swapped out or swapped in elsewhere:

    - not capitalised at the sentence start (its class is unknown in German — "Oben",
      "Damals" — and it brings the capital along into another sentence);
    - not a title or a word in apposition right before a name ("Bürgermeisterin Katrin
      Albers"): "Der neue Park heißt Bürgermeisterin.";
    - Japanese and Chinese: not a part of a compound noun, a noun written on to another
      (中心部 is 中心 + 部: "秋田市の中心真ん中"), nor a word written on to a number
      (今月20日: "山20日には").
    """
    start, end, word = spans[i]
    if word.word[:1].isupper() and sentence_initial(text, start):
        return False
    after = spans[i + 1] if i + 1 < len(spans) else None
    name_after = after is not None and not after[2].usable and after[2].word[:1].isupper()
    if after is not None and name_after and not text[end : after[0]].strip():
        return False
    if code in _NOUNS:
        glued = [
            s
            for s in (spans[i - 1] if i else None, after)
            if s is not None and (s[1] == start or s[0] == end)
        ]
        if _noun(code, word) and any(_noun(code, s[2]) for s in glued):
            return False
        # Written on to a number: a date or a count (今月20日, 20日): "山20日には".
        if text[start - 1 : start].isdigit() or text[end : end + 1].isdigit():
            return False
    return True


_NOUNS = {"ja": ("名詞", "接尾辞", "接頭辞"), "zh": ("n",)}


def _noun(code: str, word: ClozeWord) -> bool:
    return word.form.split("+", 1)[0].startswith(_NOUNS[code])


Genders = dict[str, frozenset[str]]
# German determiners: the genders and numbers (m, f, n; p = plural) the noun after each may
# have, whatever its case. "der" is decided by what comes before it (`_german_der`).
_ARTICLE_ENDINGS = {
    "": "mn",
    "e": "fp",
    "en": "mp",
    "em": "mn",
    "er": "fp",
    "es": "mn",
}
_DE_DETERMINERS: dict[str, str] = {
    "die": "fp",
    "das": "n",
    "den": "mp",
    "dem": "mn",
    "des": "mn",
    "ein": "mn",
    "eine": "f",
    "einen": "m",
    "einem": "mn",
    "einer": "f",
    "eines": "mn",
    **{
        f"{stem}{ending}": genders
        for stem in ("kein", "mein", "dein", "sein", "ihr", "unser", "euer")
        for ending, genders in _ARTICLE_ENDINGS.items()
    },
    **{
        f"{stem}{ending}": genders
        for stem in ("dies", "jed", "jen", "welch")
        for ending, genders in {"er": "mfp", "e": "fp", "es": "mn", "em": "mn", "en": "mp"}.items()
    },
    **dict.fromkeys(("im", "am", "vom", "zum", "beim"), "mn"),
    "zur": "f",
    **dict.fromkeys(("ins", "ans", "aufs", "durchs", "fürs", "ums"), "n"),
}
_DE_PREPOSITIONS = frozenset(
    """in an auf aus bei mit nach von zu vor hinter über unter neben zwischen seit
während wegen trotz statt außerhalb innerhalb""".split()  # noqa: SIM905
)
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")


def german_genders(sentences: Sequence[tuple[str, Spans]]) -> Genders:
    """Each German noun of the reading (casefolded as written) whose gender and number
    its determiners tell ("eine kleine Tiefgarage", "in der Nachbarschaft": f), seen
    through up to two adjectives; a noun never seen with one, or seen with determiners
    that disagree, is left out."""
    seen: dict[str, set[str]] = {}
    for text, spans in sentences:
        for i, (start, _, word) in enumerate(spans):
            if not word.word[:1].isupper() or sentence_initial(text, start):
                continue
            told = _german_determiner(text, spans, i)
            if told is None:
                continue
            key = word.word.casefold()
            seen[key] = seen[key] & told if key in seen else set(told)
    return {word: frozenset(told) for word, told in seen.items() if len(told) == 1}


def _german_determiner(text: str, spans: Spans, i: int) -> set[str] | None:
    j = i - 1
    for _ in range(3):
        if j < 0:
            return None
        before = spans[j][2].word
        lower = before.lower()
        if lower == "der":
            return _german_der(text, spans, j)
        if lower in _DE_DETERMINERS:
            return set(_DE_DETERMINERS[lower])
        if before[:1].isupper() or not lower.endswith(_ADJECTIVE_ENDINGS):
            return None  # neither a determiner nor an adjective that agrees with the noun
        j -= 1
    return None


def _german_der(text: str, spans: Spans, j: int) -> set[str]:
    """What "der" (word `j`) tells: after a preposition, a feminine dative ("in der
    Stadt"); after a noun, a genitive ("die Luft der Stadt": feminine or plural); at the
    sentence start, a masculine subject; else masculine or feminine."""
    if sentence_initial(text, spans[j][0]):
        return {"m"}
    before = spans[j - 1][2].word if j else ""
    if before.lower() in _DE_PREPOSITIONS:
        return {"f"}
    if before[:1].isupper():
        return {"f", "p"}
    return {"m", "f"}
