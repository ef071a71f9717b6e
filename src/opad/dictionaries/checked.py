"""The hand-checked lookups: words in sentences, analyzed as the reader analyzes them,
looked up as the popover looks them up, compared with the sense a person checked.

The list is tests/language/data/meanings_checked.tsv (language, explanation language,
word as read, expected senses separated by `|`, sentence); a lookup is right when its
meaning contains one of the expected senses (case-insensitive). Used by the test and by
`python -m bench.meanings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from opad.dictionaries import Dictionaries, Entry


@dataclass(frozen=True)
class Check:
    """One hand-checked lookup."""

    language: str
    explain_in: str
    word: str
    expected: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class Result:
    """A check's outcome: the analysis's lemma and part of speech and the entry found."""

    check: Check
    lemma: str
    pos: str
    entry: Entry | None

    @property
    def right(self) -> bool:
        """Whether the meaning names one of the expected senses."""
        meaning = (self.entry.meaning if self.entry else "").casefold()
        return any(e.casefold() in meaning for e in self.check.expected)


def load(path: Path) -> list[Check]:
    """The checks of a TSV file (lines starting with # are comments)."""
    checks = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        language, explain_in, word, expected, sentence = line.split("\t")
        checks.append(Check(language, explain_in, word, tuple(expected.split("|")), sentence))
    return checks


def token_of(language: str, sentence: str, word: str) -> tuple[str, str, str]:
    """(surface, lemma, UPOS) of `word` in `sentence` as the reading's analysis gives
    them; a capital at the sentence's start does not matter. Raises LookupError when the
    analysis has no such token (a wrong check)."""
    from opad.reading.analyze import analyze

    body = analyze(sentence, language)
    for paragraph in body.paragraphs:
        for s in paragraph.sentences:
            for token in s.tokens:
                if token.surface.casefold() == word.casefold():
                    return token.surface, token.lemma or token.surface, token.pos
    raise LookupError(f"{word!r} is not a token of {sentence!r} in {language}")


def run(dictionaries: Dictionaries, checks: list[Check]) -> list[Result]:
    """Every check looked up."""
    results = []
    for check in checks:
        surface, lemma, pos = token_of(check.language, check.sentence, check.word)
        entry = dictionaries.offline(
            check.language, lemma, check.explain_in, surface, pos, check.sentence
        )
        results.append(Result(check, lemma, pos, entry))
    return results
