"""News search for both engines: Serper (Google News) and RSS/Atom feeds, with full text.

Every backend returns articles with their full text, so an engine levels or adapts what
the source really says. The crew ranks by its own matching (`search`); the leveler reads
`entries` (title, link, summary, date) first and fetches only the pages worth reading.
No CrewAI here: the leveler (no LLM) uses this module too.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

import httpx

from opad.engines.base import EngineError
from opad.engines.feed_items import TooLarge, canonical_url, usable_date, usable_iso_date
from opad.engines.feeds import feed_map, feeds_for
from opad.engines.fetcher import Fetcher
from opad.engines.sources import SourceText
from opad.languages import language_by_name
from opad.settings import Settings
from opad.text import lemma
from opad.text import words as text_words

log = logging.getLogger("opad.news")
TOO_LARGE_NOTICE = "one news source sent more than the size allowed and was skipped"
MAX_TEXT_CHARS = 12_000  # per article handed to the LLM: a long page must not fill its context
EXCERPT_WORDS = 120
T = TypeVar("T")
R = TypeVar("R")


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


@dataclass(frozen=True)
class Entry:
    """One news item before its page is read: a feed entry or a search hit."""

    title: str
    url: str
    summary: str  # plain text
    content: str  # plain text of the entry's full content, when the feed carries it
    date: str | None  # YYYY-MM-DD when known, else the feed's own text
    published: datetime | None  # for "freshest first"; None when the feed gives no date
    author: str | None
    source: str  # the feed's or site's name
    language: str | None  # what the feed declares (RSS <language>, Atom xml:lang)


class NewsSearch(Protocol):
    name: str

    def search(self, query: str, language: str, limit: int) -> list[SearchResult]:
        """Up to `limit` articles about `query` in `language`, each with its full text."""
        ...


def _terms(text: str, code: str) -> set[str]:
    found = [w for w in text_words(code, text) if len(w) > 2]
    return {w.lower() for w in found} | {lemma(code, w).lower() for w in found}


def map_within(fn: Callable[[T], R], items: list[T], seconds: float) -> list[R | None]:
    """`fn` over `items`, four at a time; None for each item not done within `seconds`
    (or that raised). Unfinished calls are abandoned: they end on their own HTTP timeout,
    and no caller waits for them."""
    if not items:
        return []
    pool = ThreadPoolExecutor(max_workers=min(4, len(items)))
    futures = [pool.submit(fn, item) for item in items]
    wait(futures, timeout=seconds)
    pool.shutdown(wait=False, cancel_futures=True)
    out: list[R | None] = []
    for future in futures:
        ok = future.done() and not future.cancelled() and future.exception() is None
        out.append(future.result() if ok else None)
    return out


class _FetchingSearch:
    """Shared by the web backends: fetch result pages' full text, a few at a time."""

    def __init__(self, settings: Settings, fetcher: Fetcher | None = None) -> None:
        self.fetcher = fetcher or Fetcher.from_settings(settings)

    def full_text(self, url: str) -> SourceText | None:
        """The page's main text, or None for a paywall, a dead link or a refused address."""
        try:
            return self.fetcher.page(url)
        except EngineError:
            return None

    def _fetch_all(self, urls: list[str]) -> list[SourceText | None]:
        urls = [canonical_url(u) for u in urls]
        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(self.full_text, urls))


class SerperSearch(_FetchingSearch):
    """Google News results from Serper (https://serper.dev), full text fetched per result."""

    name = "serper"

    def __init__(self, settings: Settings, fetcher: Fetcher | None = None) -> None:
        super().__init__(settings, fetcher)
        if settings.serper_api_key is None:
            raise EngineError("OPAD_SEARCH=serper needs SERPER_API_KEY")
        self.api_key = settings.serper_api_key.get_secret_value()
        self.url = settings.serper_url.rstrip("/") + "/news"

    def hits(self, query: str, language: str, count: int) -> list[dict[str, Any]]:
        """Serper's news hits for `query` (each with a link), or EngineError."""
        code = language_by_name(language).code
        try:
            resp = self.fetcher.post_json(
                self.url,
                {"q": query, "hl": code, "num": max(10, count)},
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
        return [h for h in resp.json().get("news", []) if h.get("link")][:count]

    def entries(self, query: str, language: str) -> list[Entry]:
        """Serper's hits as entries (its dates are relative, "2 hours ago": the page's
        own date decides freshness)."""
        return [
            Entry(
                title=h.get("title") or "",
                url=canonical_url(h["link"]),
                summary=h.get("snippet") or "",
                content="",
                date=None,
                published=None,
                author=None,
                source=h.get("source") or httpx.URL(h["link"]).host,
                language=None,
            )
            for h in self.hits(query, language, 20)
        ]

    def search(self, query: str, language: str, limit: int) -> list[SearchResult]:
        """Search Serper's news endpoint, then fetch each hit's article text."""
        hits = self.hits(query, language, max(10, limit * 2))[: limit * 2]
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
                    date=usable_iso_date(page.date) or hit.get("date"),
                    author=page.author,
                    text=page.body[:MAX_TEXT_CHARS],
                )
            )
        return results[:limit]


class RssSearch(_FetchingSearch):
    """Entries of RSS/Atom feeds; full text from the entry or its page.

    Feeds come from OPAD_RSS_FEEDS (`de=URL` for one language, a bare URL for all), or
    the shipped defaults when OPAD_NEWS is on and OPAD_RSS_FEEDS is empty.
    """

    name = "rss"

    def __init__(self, settings: Settings, fetcher: Fetcher | None = None) -> None:
        import feedparser

        super().__init__(settings, fetcher)
        self.parse = feedparser.parse
        self.by_language = feed_map(settings.rss_feeds, defaults=settings.news)
        self.feeds = list(dict.fromkeys(u for urls in self.by_language.values() for u in urls))
        if not self.feeds:
            raise EngineError("OPAD_SEARCH=rss needs OPAD_RSS_FEEDS (comma-separated URLs)")

    def feed_entries(self, feed_url: str) -> list[Entry]:
        """The entries of one feed ([] when it cannot be read: one dead feed must not sink
        the search)."""
        return self.read_feed(feed_url)[0]

    def read_feed(self, feed_url: str) -> tuple[list[Entry], str | None]:
        """(the entries of one feed, why it was skipped or None). Links are resolved
        against the feed's final URL (after redirects) and made canonical; dates that
        cannot be right are unknown; a feed past OPAD_FETCH_MAX_BYTES is skipped."""
        try:
            resp = self.fetcher.get(feed_url)
            resp.raise_for_status()
        except TooLarge as exc:
            log.warning("news feed skipped: %s", exc)
            return [], TOO_LARGE_NOTICE
        except httpx.HTTPError:
            return [], None
        # feedparser resolves relative links (RSS <link>, Atom href, xml:base) against
        # the Content-Location it is given: the address the feed really came from.
        parsed = self.parse(resp.content, response_headers={"content-location": str(resp.url)})
        name = parsed.feed.get("title") or httpx.URL(feed_url).host
        declared = parsed.feed.get("language")
        out = []
        for item in parsed.entries:
            link = item.get("link") or ""
            if not link.startswith(("http://", "https://")):
                continue  # no link, or one that is no web page (mailto:, javascript:)
            content = item.get("content") or [{}]
            # dict.get: feedparser's own get maps updated→published with a warning.
            stamp = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
            published = usable_date(stamp)
            out.append(
                Entry(
                    title=_plain(item.get("title") or ""),
                    url=canonical_url(link),
                    summary=_plain(item.get("summary") or ""),
                    content=_plain(content[0].get("value") or ""),
                    date=published.date().isoformat() if published else None,
                    published=published,
                    # Feeds often carry "email (Name)": keep the name only.
                    author=_author(item.get("author")),
                    source=str(name),
                    language=(item.get("language") or declared or None),
                )
            )
        return out, None

    def entries(self, language: str, seconds: float | None = None) -> list[Entry]:
        """Every entry of the language's feeds, read in parallel; a feed not read within
        `seconds` counts as empty. Entries a feed declares in another language are left
        out, and a story listed twice (in one feed or two) is kept once."""
        return self.entries_and_notices(language, seconds)[0]

    def entries_and_notices(
        self, language: str, seconds: float | None = None
    ) -> tuple[list[Entry], list[str]]:
        """`entries`, and what the learner should know about feeds that were skipped."""
        code = language_by_name(language).code
        urls = list(feeds_for(self.by_language, code))
        budget = seconds if seconds is not None else self.fetcher.timeout * 2
        reads = map_within(self.read_feed, urls, budget)
        notices = sorted({note for read in reads if read and (note := read[1])})
        seen: set[str] = set()
        out = []
        for read in reads:
            for entry in read[0] if read else []:
                if entry.language and entry.language.split("-")[0].lower() != code:
                    continue
                if entry.url not in seen:
                    seen.add(entry.url)
                    out.append(entry)
        return out, notices

    def entries_per_feed(self) -> dict[str, int]:
        """How many entries each feed has now (0 for a feed that failed)."""
        return {feed: len(self.feed_entries(feed)) for feed in self.feeds}

    def search(self, query: str, language: str, limit: int) -> list[SearchResult]:
        """Feed entries ranked by matching words; pages fetched for those without full text."""
        code = language_by_name(language).code
        wanted = _terms(query, code)
        scored = []
        for entry in self.entries(language):
            hits = 2 * len(wanted & _terms(entry.title, code))
            hits += len(wanted & _terms(entry.summary, code))
            if hits:
                scored.append((hits, entry))
        scored.sort(key=lambda item: -item[0])
        chosen = [entry for _, entry in scored[:limit]]
        pages = self._fetch_all([e.url for e in chosen])
        results = []
        for entry, page in zip(chosen, pages, strict=True):
            text = page.body if page else entry.content or entry.summary
            if not text.strip():
                continue
            results.append(
                SearchResult(
                    title=entry.title or (page.title if page else ""),
                    source=entry.source,
                    url=entry.url,
                    date=entry.date or (usable_iso_date(page.date) if page else None),
                    author=entry.author or (page.author if page else None),
                    text=text[:MAX_TEXT_CHARS],
                )
            )
        return results


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _author(value: str | None) -> str | None:
    if not value:
        return None
    match = re.search(r"\(([^)]+)\)", value)
    return (match.group(1) if match else value).strip() or None
