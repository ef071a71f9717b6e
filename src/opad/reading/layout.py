"""The article's markdown layout, shared by the engines."""

from __future__ import annotations

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
