"""The crew's news search behind one small interface: Serper, RSS/Atom feeds, or the library.

Serper and the feeds live in `opad.engines.news` (the leveler reads news too); this module
adds the library backend and picks one. `OPAD_SEARCH=auto` picks Serper when
SERPER_API_KEY is set, else feeds (OPAD_RSS_FEEDS, or the shipped ones with OPAD_NEWS=on),
else the library.
"""

from __future__ import annotations

from pathlib import Path

from opad.engines.catalog import search_kind
from opad.engines.news import (
    MAX_TEXT_CHARS,
    NewsSearch,
    RssSearch,
    SearchResult,
    SerperSearch,
    _terms,
)
from opad.engines.sources import PACKAGED_LIBRARY, SourceText, load_library
from opad.languages import language_by_name
from opad.settings import Settings

__all__ = ["LibrarySearch", "NewsSearch", "RssSearch", "SearchResult", "SerperSearch"]


def _from_source(text: SourceText, fallback_url: str) -> SearchResult:
    return SearchResult(
        title=text.title,
        source=text.name,
        url=text.url or fallback_url,
        date=text.date,
        author=text.author,
        text=text.body[:MAX_TEXT_CHARS],
    )


class LibrarySearch:
    """The texts of the starter library, ranked by how well they match the query."""

    name = "library"

    def __init__(self, root: Path) -> None:
        self.root = root

    def search(self, query: str, language: str, limit: int) -> list[SearchResult]:
        """The best-matching library texts (ties go by file name)."""
        code = language_by_name(language).code
        wanted = _terms(query, code)
        scored = []
        for slug, text in load_library(self.root, code):
            hits = 3 * len(wanted & _terms(" ".join(text.topics), code))
            hits += 2 * len(wanted & _terms(text.title, code)) + len(
                wanted & _terms(text.body, code)
            )
            scored.append((-hits, slug, text))
        scored.sort(key=lambda item: (item[0], item[1]))
        # A library text without a URL gets a stable pseudo-URL, so "the URL must come
        # from the search" holds for it too.
        return [_from_source(text, f"library:{code}/{slug}") for _, slug, text in scored[:limit]]


def build_search(settings: Settings) -> NewsSearch:
    """The backend OPAD_SEARCH names ("auto": Serper if keyed, else feeds, else library)."""
    kind = search_kind(settings)
    if kind == "serper":
        return SerperSearch(settings)
    if kind == "rss":
        return RssSearch(settings)
    return LibrarySearch(settings.library_dir or PACKAGED_LIBRARY)
