"""The content store interface."""

from __future__ import annotations

from typing import Protocol


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
