"""A reading's markdown layout: the one place that writes it and the one that parses it.

    # Title

    **Source:** [name](<url>) · date · by author

    The text: paragraphs, maybe lists, quotes and headings of its own.

    ## Vocabulary

    - **word** (lemma · reading, B1): definition — *example*

Engines write it (`article_markdown`); everything else reads it through `parse`, which
keeps the title and the source line out of the text (they are metadata: never spoken,
counted, quizzed or marked known) and leaves the vocabulary section apart (the reader
lists the vocabulary from the result's JSON).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opad.reading.model import Source, VocabularyItem


def _escape(text: str) -> str:
    # Keep engine-supplied names from turning into markdown links or emphasis.
    return text.replace("[", "\\[").replace("]", "\\]").replace("*", "\\*")


def source_section(source: Source) -> str:
    """`**Source:** [name](url) · date · author`, with only what is known."""
    name = _escape(source.name)
    parts = [f"[{name}](<{source.url}>)" if source.url else name]
    if source.date:
        parts.append(source.date)
    if source.author:
        parts.append(f"by {_escape(source.author)}")
    return "**Source:** " + " · ".join(parts)


def vocabulary_section(vocabulary: list[VocabularyItem]) -> str:
    """A bulleted list of the words worth learning."""
    if not vocabulary:
        return ""
    lines = ["## Vocabulary", ""]
    for item in vocabulary:
        lemma = _escape(item.lemma) + (f" · {_escape(item.reading)}" if item.reading else "")
        line = f"- **{_escape(item.word)}** ({lemma}, {item.level.value})"
        if item.definition:
            line += f": {item.definition}"
        if item.example:
            line += f" — *{_escape(item.example)}*"
        lines.append(line)
    return "\n".join(lines)


def article_markdown(
    title: str, source: Source, body: str, vocabulary: list[VocabularyItem]
) -> str:
    """Title, source section, body, vocabulary section."""
    parts = [f"# {title}", source_section(source), body.strip(), vocabulary_section(vocabulary)]
    return "\n\n".join(p for p in parts if p) + "\n"


# -- parsing -------------------------------------------------------------------------------

_TITLE = re.compile(r"\A\s*#[ \t]+(?P<title>[^\n]+?)[ \t#]*(?:\n|\Z)")
_SOURCE = re.compile(r"\A\s*\*\*Source:\*\*[ \t]*(?P<line>[^\n]*(?:\n(?!\s*\n)[^\n]*)*)")
# The vocabulary headings engines (and LLMs asked for one) write.
VOCABULARY_HEADING = re.compile(
    r"^##[ \t]+(vocabulary|vocabulaire|vokabular|wortschatz|vocabulario)[ \t:]*#*[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_LINK = re.compile(r"\A\[(?P<name>(?:\\.|[^\]\\])*)\]\(<?(?P<url>[^)>\s]+)>?\)\Z")


@dataclass(frozen=True)
class Layout:
    """A reading's markdown taken apart: `body` is the text's markdown alone."""

    title: str
    source: Source | None
    body: str
    vocabulary: str  # the trailing vocabulary section's markdown ("" when none)


def _unescape(text: str) -> str:
    return re.sub(r"\\([\[\]*])", r"\1", text).strip()


def parse_source(line: str) -> Source:
    """The `Source` of a source line's text (what follows "**Source:**")."""
    parts = [p.strip() for p in " ".join(line.split()).split(" · ")]
    first, rest = parts[0], parts[1:]
    link = _LINK.match(first)
    source = Source(name=_unescape(link.group("name")), url=link.group("url")) if link else None
    if source is None:
        source = Source(name=_unescape(first) or "unknown")
    for part in rest:
        if part.startswith("by ") and source.author is None:
            source.author = _unescape(part[3:])
        elif source.date is None and part:
            source.date = _unescape(part)
    return source


def split_vocabulary(markdown: str) -> tuple[str, str]:
    """(text, vocabulary section) of markdown whose last h2 may be a vocabulary heading;
    a heading followed by another h1/h2 was part of the text and stays in it."""
    matches = list(VOCABULARY_HEADING.finditer(markdown))
    if not matches:
        return markdown, ""
    last = matches[-1]
    if re.search(r"^#{1,2}[ \t]", markdown[last.end() :], re.MULTILINE):
        return markdown, ""
    return markdown[: last.start()].rstrip() + "\n", markdown[last.start() :].strip() + "\n"


def with_vocabulary(markdown: str, vocabulary: list[VocabularyItem]) -> str:
    """`markdown` with its trailing vocabulary section written anew from `vocabulary`
    (added when it had none)."""
    text, _ = split_vocabulary(markdown.replace("\r\n", "\n"))
    section = vocabulary_section(vocabulary)
    return text.rstrip() + "\n" + (f"\n{section}\n" if section else "")


def parse(markdown: str) -> Layout:
    """Title (a leading `# …` line), source (a `**Source:**` paragraph right after it),
    the text, and the trailing vocabulary section of a reading's markdown."""
    text = markdown.replace("\r\n", "\n")
    title = ""
    match = _TITLE.match(text)
    if match:
        title, text = match.group("title").strip(), text[match.end() :]
    source = None
    found = _SOURCE.match(text)
    if found:
        source, text = parse_source(found.group("line")), text[found.end() :]
    body, vocabulary = split_vocabulary(text)
    return Layout(title, source, body.strip("\n") + "\n" if body.strip() else "", vocabulary)


def plain_body(markdown: str) -> str:
    """The text's paragraphs as plain text (blank line between them), without the title,
    source line, vocabulary section, headings and markdown emphasis: what an engine's own
    checks read before the reading is analyzed."""
    paragraphs = []
    for part in parse(markdown).body.split("\n\n"):
        part = part.strip()
        if not part or part.startswith("#"):
            continue  # a heading inside the text
        paragraphs.append(re.sub(r"(\*\*|__|\*|_)(\S.*?\S|\S)\1", r"\2", part))
    return "\n\n".join(paragraphs)
