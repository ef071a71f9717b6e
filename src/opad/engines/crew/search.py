"""News search behind one small interface: Serper, RSS/Atom feeds, or the local library.

Every backend returns articles with their full text, so the crew adapts what the source
really says. `OPAD_SEARCH=auto` picks Serper when SERPER_API_KEY is set, else the feeds in
OPAD_RSS_FEEDS, else the library (offline).
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx

from opad.engines.base import EngineError
from opad.engines.crew.fetch import Fetcher
from opad.engines.sources import PACKAGED_LIBRARY, SourceText, load_library
from opad.languages import language_by_name
from opad.settings import Settings
from opad.text import lemma
from opad.text import words as text_words

MAX_TEXT_CHARS = 12_000  # per article handed to the LLM: a long page must not fill its context
EXCERPT_WORDS = 120


@dataclass(frozen=True)
class SearchResult:
    """One article a search returned."""

    title: str
    source: str
    url: str
    date: str | None
    author: str | None
    text: str

    def for_llm(self) -> dict[str, object]:
        """What the search tool shows the finder: enough to judge, not the whole text
        (the guardrails put the full text back, so the LLM never has to copy it)."""
        words = self.text.split()
        excerpt = " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")
        return {
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "date": self.date,
            "author": self.author,
            "words": len(words),
            "text": excerpt,
        }


class NewsSearch(Protocol):
    name: str

    def search(self, query: str, language: str, limit: int) -> list[SearchResult]:
        """Up to `limit` articles about `query` in `language`, each with its full text."""
        ...


def _terms(text: str, code: str) -> set[str]:
    found = [w for w in text_words(code, text) if len(w) > 2]
    return {w.lower() for w in found} | {lemma(code, w).lower() for w in found}


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
    """The texts of the offline library, ranked by how well they match the query."""

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


class _FetchingSearch:
    """Shared by the web backends: fetch result pages' full text, a few at a time."""

    def __init__(self, settings: Settings) -> None:
        self.fetcher = Fetcher.from_settings(settings)

    def _full_text(self, url: str) -> SourceText | None:
        try:
            return self.fetcher.page(url)
        except EngineError:
            return None  # a paywall or a dead link: skip that result

    def _fetch_all(self, urls: list[str]) -> list[SourceText | None]:
        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(self._full_text, urls))


class SerperSearch(_FetchingSearch):
    """Google News results from Serper (https://serper.dev), full text fetched per result."""

    name = "serper"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        if settings.serper_api_key is None:
            raise EngineError("OPAD_SEARCH=serper needs SERPER_API_KEY")
        self.api_key = settings.serper_api_key.get_secret_value()
        self.url = settings.serper_url.rstrip("/") + "/news"

    def search(self, query: str, language: str, limit: int) -> list[SearchResult]:
        """Search Serper's news endpoint, then fetch each hit's article text."""
        code = language_by_name(language).code
        try:
            resp = self.fetcher.post_json(
                self.url,
                {"q": query, "hl": code, "num": max(10, limit * 2)},
                {"X-API-KEY": self.api_key},
            )
        except httpx.HTTPError as exc:
            raise EngineError(f"news search (Serper) failed: {exc}", transient=True) from exc
        if resp.status_code in (401, 403):
            raise EngineError("news search (Serper) rejected SERPER_API_KEY")
        if resp.status_code >= 400:
            raise EngineError(
                f"news search (Serper) failed: HTTP {resp.status_code}",
                transient=resp.status_code == 429 or resp.status_code >= 500,
            )
        hits = [h for h in resp.json().get("news", []) if h.get("link")][: limit * 2]
        pages = self._fetch_all([h["link"] for h in hits])
        results = []
        for hit, page in zip(hits, pages, strict=True):
            if page is None:
                continue
            results.append(
                SearchResult(
                    title=hit.get("title") or page.title,
                    source=hit.get("source") or page.name,
                    url=hit["link"],
                    date=page.date or hit.get("date"),
                    author=page.author,
                    text=page.body[:MAX_TEXT_CHARS],
                )
            )
        return results[:limit]


class RssSearch(_FetchingSearch):
    """Entries of RSS/Atom feeds that match the query; full text from the entry or its page."""

    name = "rss"

    def __init__(self, settings: Settings) -> None:
        import feedparser  # checked at start-up: the rss backend cannot work without it

        super().__init__(settings)
        self.parse = feedparser.parse
        self.feeds = [f.strip() for f in settings.rss_feeds.split(",") if f.strip()]
        if not self.feeds:
            raise EngineError("OPAD_SEARCH=rss needs OPAD_RSS_FEEDS (comma-separated URLs)")

    def _entries(self, feed_url: str) -> list[dict[str, str | None]]:
        try:
            resp = self.fetcher.get(feed_url)
            resp.raise_for_status()
        except httpx.HTTPError:
            return []  # one dead feed must not sink the search
        parsed = self.parse(resp.content)
        name = parsed.feed.get("title") or httpx.URL(feed_url).host
        out = []
        for entry in parsed.entries:
            content = entry.get("content") or [{}]
            out.append(
                {
                    "title": entry.get("title") or "",
                    "url": entry.get("link"),
                    "summary": entry.get("summary") or "",
                    "content": content[0].get("value") or "",
                    "date": _iso_date(entry.get("published_parsed") or entry.get("updated_parsed"))
                    or entry.get("published"),
                    "author": entry.get("author"),
                    "source": name,
                }
            )
        return out

    def entries_per_feed(self) -> dict[str, int]:
        """How many entries each feed has now (0 for a feed that failed)."""
        return {feed: len(self._entries(feed)) for feed in self.feeds}

    def search(self, query: str, language: str, limit: int) -> list[SearchResult]:
        """Feed entries ranked by matching words; pages fetched for those without full text."""
        code = language_by_name(language).code
        wanted = _terms(query, code)
        entries = [e for feed in self.feeds for e in self._entries(feed) if e["url"]]
        scored = []
        for entry in entries:
            hits = 2 * len(wanted & _terms(entry["title"] or "", code))
            hits += len(wanted & _terms(_plain(entry["summary"] or ""), code))
            if hits:
                scored.append((hits, entry))
        scored.sort(key=lambda item: -item[0])
        chosen = [entry for _, entry in scored[:limit]]
        pages = self._fetch_all([str(e["url"]) for e in chosen])
        results = []
        for entry, page in zip(chosen, pages, strict=True):
            text = page.body if page else _plain(entry["content"] or entry["summary"] or "")
            if not text.strip():
                continue
            results.append(
                SearchResult(
                    title=entry["title"] or (page.title if page else ""),
                    source=str(entry["source"]),
                    url=str(entry["url"]),
                    date=entry["date"] or (page.date if page else None),
                    # Feeds often carry "email (Name)": keep the name only.
                    author=_author(entry["author"]) or (page.author if page else None),
                    text=text[:MAX_TEXT_CHARS],
                )
            )
        return results


def _iso_date(parsed: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _author(value: str | None) -> str | None:
    if not value:
        return None
    match = re.search(r"\(([^)]+)\)", value)
    return (match.group(1) if match else value).strip() or None


def build_search(settings: Settings) -> NewsSearch:
    """The backend OPAD_SEARCH names ("auto": Serper if keyed, else feeds, else library)."""
    kind = settings.search
    if kind == "auto":
        kind = "serper" if settings.serper_api_key else "rss" if settings.rss_feeds else "library"
    if kind == "serper":
        return SerperSearch(settings)
    if kind == "rss":
        return RssSearch(settings)
    return LibrarySearch(settings.library_dir or PACKAGED_LIBRARY)
