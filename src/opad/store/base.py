"""The content store interface."""

from __future__ import annotations

from typing import Protocol

_SAFE = set("0123456789abcdefABCDEF-")
_NAME_SAFE = set("0123456789abcdefghijklmnopqrstuvwxyz.-_")


def checked_name(name: str) -> str:
    """An object name inside an article's folder, if it is safe (letters, digits, . - _)."""
    if not name or name.startswith(".") or not set(name) <= _NAME_SAFE:
        raise ValueError(f"unsafe object name {name!r}")
    return name


def checked_id(article_id: str) -> str:
    """The id, if it is safe in a path or an object key (ids come from the protocol too)."""
    if not article_id or not set(article_id) <= _SAFE:
        raise ValueError(f"unsafe article id {article_id!r}")
    return article_id


class ContentStore(Protocol):
    """Objects keyed by article id: `article.md` (the text), `result.json` (the rest),
    `reading.json` (the text analyzed: paragraphs, sentences, tokens), and when it has
    audio, `audio.json` with the audio object it names."""

    def put(self, article_id: str, markdown: str, result_json: str) -> str:
        """Store both objects atomically from a reader's view; returns the article's key."""
        ...

    def get_markdown(self, article_id: str) -> str | None:
        """The article's markdown, or None."""
        ...

    def get_result(self, article_id: str) -> str | None:
        """The article's structured result JSON, or None."""
        ...

    def put_reading(self, article_id: str, reading_json: str) -> None:
        """Store `reading.json`, the reading's typed body (opad.reading.model.ReadingBody):
        written before `put` for a new reading, or on its own for one stored before."""
        ...

    def get_reading(self, article_id: str) -> str | None:
        """The article's `reading.json`, or None (not analyzed yet)."""
        ...

    def put_audio(self, article_id: str, name: str, audio: bytes, meta_json: str) -> None:
        """Store the audio object `name` (e.g. `audio-<hash>.ogg`), then `audio.json` (its
        timings, size, MIME type, naming `name`): the JSON appearing means complete."""
        ...

    def get_audio_meta(self, article_id: str) -> str | None:
        """The article's `audio.json`, or None when it has no audio."""
        ...

    def read_audio(self, article_id: str, name: str, first: int, last: int) -> bytes | None:
        """Bytes `first`…`last` (inclusive) of the audio object `name`, or None if absent."""
        ...

    def delete_object(self, article_id: str, name: str) -> None:
        """Remove one object of the article (no error if absent)."""
        ...

    def delete(self, article_id: str) -> None:
        """Remove every object of the article (no error if none)."""
        ...

    def ping(self) -> None:
        """Raise if the store cannot be used."""
        ...
