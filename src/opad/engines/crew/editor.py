"""The editor's read of a rewrite before it is accepted: the language asked, no prompt
text, a title in the language, no name or number the source does not have.

Small models drift: an Italian reading with English paragraphs and an English title, a
reading that starts by repeating the prompt ("Keep every fact; …"), a date or a name
nobody wrote. Each check says what is wrong in words the writer can act on (one targeted
rewrite request, adapt_guardrail) and what to drop if the rewrite is still wrong.

Language identification is `opad.text.language` (py3langid; chosen over langdetect and
lingua there), per paragraph, so one English paragraph in an Italian reading is found; a
paragraph under its 12-word floor is not judged. A title is too short for a free guess, so
its own words (not the topic's, not the source's) are weighed between the language asked
and English, the language small models fall back to.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import regex

from opad.engines.base import EngineError
from opad.languages import find_language
from opad.text import normalize, split_sentences
from opad.text.kinds import names
from opad.text.language import _identifier, written_in_another_language

_LOADING = threading.Lock()
TITLE_CONFIDENCE = 0.75  # two languages only, few words: a looser bar than for paragraphs
ECHO_WORDS = 6  # a run of this many words copied from the prompt, not from the source
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")
_NUMBER = regex.compile(r"(?<![\p{L}\p{N}])\d+(?:[.,:]\d+)*(?![\p{L}\p{N}])")


@dataclass
class Review:
    """What the editor found in one rewrite."""

    wrong_language: dict[int, str] = field(default_factory=dict)  # paragraph index -> code
    echoed: list[str] = field(default_factory=list)  # sentences copied from the prompt
    title_language: str | None = None  # the title's language when it is not the asked one
    unknown_names: list[str] = field(default_factory=list)  # not in the source
    unknown_numbers: list[str] = field(default_factory=list)  # not in the source

    @property
    def fine(self) -> bool:
        """Nothing to ask the writer about."""
        return not (
            self.wrong_language
            or self.echoed
            or self.title_language
            or self.unknown_names
            or self.unknown_numbers
        )

    def requests(self, language: str) -> list[str]:
        """The rewrite request's sentences, one per finding."""
        asks = []
        if self.wrong_language:
            found = _language_names(set(self.wrong_language.values()))
            asks.append(
                f"{len(self.wrong_language)} paragraph(s) are written in {found}, not in "
                f"{language}. Write the whole text in {language}."
            )
        if self.echoed:
            quoted = " ".join(f'"{s}"' for s in self.echoed[:3])
            asks.append(
                f"The text repeats your instructions: {quoted}. Leave them out; write only "
                "the article."
            )
        if self.title_language:
            asks.append(f"The title is not in {language}: give a short title in {language}.")
        if self.unknown_names or self.unknown_numbers:
            listed = ", ".join([*self.unknown_names, *self.unknown_numbers][:8])
            asks.append(
                f"These names or numbers are not in the article: {listed}. Use only what the "
                "article says."
            )
        return asks


def _language_names(codes: set[str]) -> str:
    out = []
    for code in sorted(codes):
        lang = find_language(code)
        out.append(lang.name if lang else code)
    return " and ".join(out)


def _ngrams(text: str, n: int = ECHO_WORDS) -> set[tuple[str, ...]]:
    tokens = [w.casefold() for w in _WORD.findall(normalize(text))]
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def echoed_sentences(code: str, body: str, prompt: str, source: str) -> list[str]:
    """Sentences of `body` that copy a run of ECHO_WORDS words from `prompt` that the
    `source` does not have (the prompt's instructions, the agents' own words)."""
    own = _ngrams(prompt) - _ngrams(source)
    if not own:
        return []
    out = []
    for paragraph in body.split("\n\n"):
        for sentence in split_sentences(code, paragraph):
            if _ngrams(sentence) & own:
                out.append(sentence.strip())
    return out


def wrong_language_paragraphs(code: str, body: str) -> dict[int, str]:
    """{paragraph index: the language code it is clearly written in} for paragraphs that
    are not in `code` (py3langid, probability >= 0.9 on >= 12 words)."""
    out = {}
    for i, paragraph in enumerate(p for p in body.split("\n\n") if p.strip()):
        other = written_in_another_language(code, paragraph)
        if other is not None:
            out[i] = other
    return out


def title_language(code: str, title: str, known: str) -> str | None:
    """ "en" when the title's own words (those not in `known`: the topic, the source) read
    as English rather than the language asked; None otherwise or when it cannot say."""
    if code == "en":
        return None
    seen = {w.casefold() for w in _WORD.findall(normalize(known))}
    own = [w for w in _WORD.findall(normalize(title)) if w.casefold() not in seen]
    if not own or not any(w.isalpha() for w in own):
        return None
    # The one model of opad.text.language, its scores narrowed to the two languages
    # (what py3langid's set_languages would give, without a second ~100 MB model).
    scores = dict(_identifier().rank(normalize(" ".join(own))))
    english, asked = scores.get("en", 0.0), scores.get(code)
    if asked is None or english + asked <= 0:  # a language py3langid does not know
        return None
    return "en" if english / (english + asked) >= TITLE_CONFIDENCE else None


def unknown_facts(code: str, body: str, source: str) -> tuple[list[str], list[str]]:
    """(names, numbers) of `body` that `source` does not contain (case-insensitive)."""
    folded = normalize(source).casefold()
    source_numbers = {n.replace(",", ".") for n in _NUMBER.findall(source)}
    numbers = [
        n for n in dict.fromkeys(_NUMBER.findall(body)) if n.replace(",", ".") not in source_numbers
    ]
    new_names = sorted(n for n in names(code, body) if n.casefold() not in folded)
    return new_names, numbers


def review(
    code: str, language: str, title: str, body: str, prompt: str, source: str, topic: str
) -> Review:
    """Every check on one rewrite. `prompt` is what the writer was told (instructions and
    the agents' own words), `source` the text it adapts ("" when unknown: the name and
    number checks are then skipped)."""
    with _LOADING:
        # The first rewrites of a worker arrive together: one thread loads the language
        # model (~100 MB, seconds of CPU) while the others wait, instead of each loading
        # its own copy (8 rewrites at once, cold, on a busy machine: 67 s, with this 7 s).
        _identifier()
    found = Review(
        wrong_language=wrong_language_paragraphs(code, body),
        echoed=echoed_sentences(code, body, prompt, source),
        title_language=title_language(code, title, f"{topic} {source}"),
    )
    if source.strip():
        found.unknown_names, found.unknown_numbers = unknown_facts(code, body, source)
    return found


def without(body: str, drop_paragraphs: set[int], drop_sentences: list[str]) -> str:
    """`body` without the given paragraphs (by index among the non-empty ones) and
    sentences."""
    kept = []
    for i, paragraph in enumerate(p for p in body.split("\n\n") if p.strip()):
        if i in drop_paragraphs:
            continue
        for sentence in drop_sentences:
            paragraph = paragraph.replace(sentence, "")
        paragraph = " ".join(paragraph.split())
        if paragraph:
            kept.append(paragraph)
    return "\n\n".join(kept)


class WrongLanguage(EngineError):
    """The rewrite had no paragraph in the language asked, even after the rewrite request."""


def settle(
    found: Review, language: str, title: str, body: str, source_title: str
) -> tuple[str, str, list[str]]:
    """(title, body, notices) once the rewrite request was spent: paragraphs in another
    language and echoed sentences dropped, a title not in the language replaced by the
    source's; names and numbers not in the source only noted. Raises WrongLanguage when
    no paragraph is left."""
    notices = []
    cleaned = without(body, set(found.wrong_language), found.echoed)
    if not cleaned.strip():
        others = _language_names(set(found.wrong_language.values())) or "another language"
        raise WrongLanguage(f"the language model wrote in {others} instead of {language}")
    if found.wrong_language:
        others = _language_names(set(found.wrong_language.values()))
        notices.append(
            f"{len(found.wrong_language)} paragraph(s) the language model wrote in {others} "
            "were left out"
        )
    if found.echoed:
        notices.append(
            f"{len(found.echoed)} sentence(s) repeating the language model's instructions "
            "were left out"
        )
    if found.title_language and source_title.strip():
        title = source_title.strip()
        notices.append(f"the title is the source's: the language model's was not in {language}")
    if found.unknown_names or found.unknown_numbers:
        listed = ", ".join([*found.unknown_names, *found.unknown_numbers][:8])
        notices.append(f"these names or numbers are not in the source, check them: {listed}")
    return title, cleaned, notices
