"""Which earlier sentences a sentence needs, beyond the one just before it.

opad.text.cohesion ties a sentence to the one right before it. Some ties reach further
back, and a reading that keeps the later sentence without the earlier one reads wrong:

- an interview answer needs its question (and the answer's own first sentence), and a
  question is kept only with the start of its answer. Questions are the paragraphs that
  end with a question mark once a speaker label ("Q:", "Frage:", "Journaliste :", "记者："),
  bold marks or a leading dash are set aside, and Japanese interviewer lines opening with
  "――"; a text is an interview when it has at least two of them;
- a sentence of a paragraph that quotes someone needs the paragraph's first sentence,
  which says who speaks (a quotation, the sentence naming its speaker, and the pronoun
  attributions after it: "„…“, sagte sie." keeps "Sabine Hoffmann …");
- a person named by surname only ("Kröger wies den Vorwurf zurück.", "박 씨는", "田中さんは")
  needs the sentence that introduced them in full;
- a definite noun phrase in the first clause ("Press *the patch* …", "Nehmen Sie *den
  Topf* …") needs one of the earlier sentences that named the noun (`mentions`): a how-to
  step needs the step or the list that introduced the tool it uses.

`needs(code, sentences)` returns the first three as {sentence index: earlier indexes}
(all needed; the question ↔ answer tie goes both ways), `mentions` the last (one
needed). Selection keeps a sentence only with everything it
needs (engines/selection.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex

from opad.text.cohesion import DEFINITE_ARTICLES
from opad.text.normalize import normalize
from opad.text.person_names import is_first_name
from opad.text.tokens import tokenize

QUOTE_MARKS = '"“”„«»「」『』‹›'
_QUOTE = regex.compile(f"[{QUOTE_MARKS}]")
_LABEL = regex.compile(r"^\s*(?:\*\*)?\s*[\p{L}\p{M}. ]{1,30}?\s?[:：]\s*(?:\*\*)?")
_DASH = regex.compile(r"^\s*[—–―-]+\s*")
_CAPITALISED = regex.compile(r"\p{Lu}[\p{Ll}\p{M}'’-]+")
# A preposition fused with the definite article ("du trou", "nel paese", "im Topf").
_CONTRACTED: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "de": "im am zum zur vom beim ins ans",
        "es": "del al",
        "fr": "du au des aux",
        "it": "del dello della dei degli delle al allo alla ai agli alle nel nello nella "
        "nei negli nelle sul sullo sulla dal dallo dalla",
        "pt": "do da dos das no na nos nas ao aos à às pelo pela",
    }.items()
}
_KO_TITLES = "씨|과장|사서|교수|선수|감독|시장|구청장|대표|회장"
_JA_TITLES = "さん|町長|市長|選手|監督|氏|社長|教授"


def is_question(code: str, paragraph: str) -> bool:
    """Whether a paragraph reads as an interviewer's question (see the module docstring)."""
    text = paragraph.strip()
    if code == "ja" and text.startswith(("――", "──", "—")):
        return True
    text = _DASH.sub("", _LABEL.sub("", text, count=1)).strip().strip("*_ ")
    return text.endswith(("?", "？"))


def needs(code: str, sentences: Sequence[tuple[int, str]]) -> dict[int, set[int]]:
    """For each sentence (paragraph number, text), in source order, the indexes of the
    earlier sentences it needs (and, for an interview question, the answer's start)."""
    out: dict[int, set[int]] = {}

    def tie(later: int, earlier: int) -> None:
        if later != earlier:
            out.setdefault(later, set()).add(earlier)

    by_paragraph: dict[int, list[int]] = {}
    for i, (p, _) in enumerate(sentences):
        by_paragraph.setdefault(p, []).append(i)
    _interview(code, sentences, by_paragraph, tie)
    for members in by_paragraph.values():
        if any(_QUOTE.search(sentences[i][1]) for i in members):
            for i in members[1:]:
                tie(i, members[0])
    _surnames(code, sentences, tie)
    return out


_Tie = Callable[[int, int], None]
_Sentences = Sequence[tuple[int, str]]


def _interview(
    code: str, sentences: _Sentences, by_paragraph: dict[int, list[int]], tie: _Tie
) -> None:
    order = sorted(by_paragraph)
    questions = {
        p for p in order if is_question(code, " ".join(sentences[i][1] for i in by_paragraph[p]))
    }
    if len(questions) < 2:
        return
    asked: list[int] = []  # the sentences of the last question
    waiting = False  # that question's answer has not started yet
    for p in order:
        members = by_paragraph[p]
        if p in questions:
            asked, waiting = members, True
            continue
        if not asked:
            continue  # the introduction before the first question
        for i in members:
            for q in asked:
                tie(i, q)
            tie(i, members[0])
        if waiting:
            tie(asked[-1], members[0])  # a question is not kept without its answer
            waiting = False


def _surnames(code: str, sentences: _Sentences, tie: _Tie) -> None:
    if code == "ko":
        pattern = regex.compile(rf"(?<!\p{{Hangul}})(\p{{Hangul}}) (?:{_KO_TITLES})")
        for i, (_, text) in enumerate(sentences):
            for m in pattern.finditer(text):
                full = regex.compile(rf"{m.group(1)}\p{{Hangul}}{{1,2}} (?:{_KO_TITLES})")
                _tie_first(sentences, i, full, tie)
        return
    if code == "ja":
        pattern = regex.compile(rf"(\p{{Han}}{{2}})(?:{_JA_TITLES})")
        for i, (_, text) in enumerate(sentences):
            for m in pattern.finditer(text):
                full = regex.compile(rf"{m.group(1)}\p{{Han}}{{1,3}}(?:{_JA_TITLES})")
                _tie_first(sentences, i, full, tie)
        return
    if code in ("zh",):
        return
    introduced: dict[str, int] = {}
    for i, (_, text) in enumerate(sentences):
        words = list(_CAPITALISED.finditer(text))
        for a, b in zip(words, words[1:], strict=False):
            adjacent = text[a.end() : b.start()] == " "
            if adjacent and _first_name(code, a.group(0)):
                introduced.setdefault(b.group(0), i)
        for m in words:
            surname = m.group(0)
            first = introduced.get(surname)
            if first is None or first == i:
                continue
            before = text[: m.start()].rstrip()
            if before and _CAPITALISED.fullmatch(before.split()[-1]):
                continue  # the full name again
            tie(i, first)


def _first_name(code: str, word: str) -> bool:
    """A first name in the language's lists or another Latin-script language's: names
    travel ("Anna" is not in Faker's Italian list)."""
    return any(is_first_name(c, word) for c in (code, "en", "de", "es", "fr", "it", "pt"))


def _tie_first(sentences: _Sentences, i: int, full: regex.Pattern[str], tie: _Tie) -> None:
    if full.search(sentences[i][1]):
        return
    for j in range(i):
        if full.search(sentences[j][1]):
            tie(i, j)
            return


def mentions(code: str, sentences: Sequence[tuple[int, str]]) -> dict[int, list[set[int]]]:
    """For each sentence whose first clause (or first twelve words: "Secondo il Comune,
    l'aumento …") has a definite noun phrase, the earlier sentences (not the one just
    before, which opad.text.cohesion handles) that name the noun by lemma, one set per
    noun phrase: at least one sentence of each set must be kept with it. Any of them will
    do: demanding one particular mention chained nearly every sentence of a news story to
    its first third, and all six levels then chose from there."""
    out: dict[int, list[set[int]]] = {}
    articles = DEFINITE_ARTICLES.get(code)
    if not articles:
        return out
    seen: dict[str, set[int]] = {}
    for i, (_, raw) in enumerate(sentences):
        text = normalize(raw)
        tokens = tokenize(code, text)
        for n, b in enumerate(tokens[:12]):
            before = tokens[n - 1].word.lower() if n else ""
            elided = text[max(b.start - 2, 0) : b.start].lower() in ("l'", "l’")
            definite = before in articles or before in _CONTRACTED.get(code, ()) or elided
            if not definite or len(b.word) < 4:
                continue
            if code == "de" and not b.word[:1].isupper():
                continue
            earlier = seen.get(b.lemma.casefold(), set())
            if earlier and i - 1 not in earlier:
                out.setdefault(i, []).append(set(earlier))
        for t in tokens:
            if len(t.word) >= 4:
                seen.setdefault(t.lemma.casefold(), set()).add(i)
    return out
