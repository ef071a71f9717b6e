"""The content store interface."""

from __future__ import annotations

from typing import Protocol

_SAFE = set("0123456789abcdefABCDEF-")


def checked_id(article_id: str) -> str:
    """The id, if it is safe in a path or an object key (ids come from the protocol too)."""
    if not article_id or not set(article_id) <= _SAFE:
        raise ValueError(f"unsafe article id {article_id!r}")
    return article_id


class ContentStore(Protocol):
    """Objects keyed by article id: `article.md` (the text) and `result.json` (the rest)."""

    def put(self, article_id: str, markdown: str, result_json: str) -> str:
        """Store both objects atomically from a reader's view; returns the article's key."""
        ...

    def get_markdown(self, article_id: str) -> str | None:
        """The article's markdown, or None."""
        ...

    def get_result(self, article_id: str) -> str | None:
        """The article's structured result JSON, or None."""
        ...

    def delete(self, article_id: str) -> None:
        """Remove every object of the article (no error if none)."""
        ...

    def ping(self) -> None:
        """Raise if the store cannot be used."""
        ...
