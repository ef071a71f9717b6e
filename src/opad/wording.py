"""The API's input errors retold in a learner's terms, for the web form and the CLI.

The API keeps its machine-readable `fields` (field names and messages that scripts may
match); the web and the CLI show learners what to do instead, naming their own controls
(a form's "Topic" box, the CLI's `--topic`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REQUIRED_UNLESS_SOURCE = re.compile(r"^is required unless source_text or source_url is given$")
_UNSUPPORTED_LANGUAGE = re.compile(r"^unsupported language (?P<value>.+?); GET /languages\b")


@dataclass(frozen=True)
class Terms:
    """How one interface names its controls, e.g. the web's "a topic" or the CLI's "--topic"."""

    topic: str
    text: str
    url: str
    languages: str  # where the supported languages are, e.g. "pick one from the list"


WEB = Terms(
    topic="a topic",
    text="paste a text",
    url="give the address of a page",
    languages="pick one from the list",
)


def for_learner(field: str, message: str, terms: Terms) -> str:
    """`message` (the API's, about `field`) in the learner's terms; unknown ones unchanged."""
    if field == "topic" and _REQUIRED_UNLESS_SOURCE.match(message):
        return f"Give {terms.topic}, or {terms.text} or {terms.url} to adapt."
    found = _UNSUPPORTED_LANGUAGE.match(message)
    if field == "language" and found:
        return f"OPAD cannot level {found.group('value')}: {terms.languages}."
    return message


def as_sentence(text: str) -> str:
    """A notice as a sentence: first letter upper case, ending in a full stop ("the source
    has only 55 words" → "The source has only 55 words."). Engines write their warnings as
    clauses; learners read them one after the other."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…:)»”\"'" else text + "."


def notices(texts: list[str]) -> str:
    """Several notices as one text: sentences after one another, never glued by "; "."""
    return " ".join(as_sentence(t) for t in texts if t.strip())
