"""The leveler's text for a topic: fresh news when switched on, else the starter library.

Rules, in order (see `opad.engines.topics` for what a *good match* is):

1. Only good matches are served without a warning; among them a text this learner has
   no reading from yet comes first, then the texts where more of the topic's words are
   salient (`TopicMatch.strength`: the learner's saved words never lift a half match
   above a full one), then the text that reuses more of the words the learner is learning
   (`reuse`, distinct lemmas: reading them again in a new context is how they stick),
   then news before the library; among news the freshest (by its date; undated last),
   among library texts the closest match. A text already read (a library text by its id,
   `library:<code>/<slug>`; news by its canonical URL) is served again only when no other
   good match exists, and then says so.
2. News is read only with OPAD_NEWS=on, and for at most OPAD_NEWS_TIMEOUT seconds in all
   (feeds, then the pages of the best few entries, in parallel): a slow or dead feed, or
   no network, leaves the library — never a hang.
3. With no good match anywhere, the closest text is served with the warning "no text on
   this topic; the closest is …", so the learner knows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from opad.engines.base import EngineError, ProgressFn
from opad.engines.catalog import library_root, search_kind
from opad.engines.feed_items import usable_iso_date
from opad.engines.fetcher import Fetcher
from opad.engines.news import Entry, RssSearch, SerperSearch, map_within
from opad.engines.origins import canonical_url, library_origin
from opad.engines.sources import SourceText, load_library
from opad.engines.topic_translation import translations
from opad.engines.topics import TopicMatch, TopicTerm, match_topic, topic_terms
from opad.languages import language_by_name
from opad.netguard import allowed_networks
from opad.settings import Settings
from opad.text import tokenize

PAGES_TO_READ = 4  # pages fetched per request: the best entries by title and summary
MIN_WORDS = 80  # shorter pages are teasers or paywalls: not worth a reading


@dataclass(frozen=True)
class Candidate:
    text: SourceText
    match: TopicMatch
    published: datetime | None
    used: bool
    news: bool
    rank: int  # order found in: library by file name
    reused: int = 0  # distinct lemmas of the learner's learning words the text holds

    def key(self) -> tuple[bool, float, int, bool, float, float, int]:
        """Sort key among good matches: unread, most of the topic salient, reusing the
        learner's words, news, freshest news, closest, found first. (Library texts are not
        news: their dates say nothing about freshness.)"""
        stamp = self.published.timestamp() if self.published else float("-inf")
        return (
            self.used,
            -self.match.strength,
            -self.reused,
            not self.news,
            -stamp if self.news else 0.0,
            -self.match.score,
            self.rank,
        )


def parse_date(value: str | None) -> datetime | None:
    """A YYYY-MM-DD… date as UTC midnight, or None."""
    try:
        return datetime.fromisoformat(value[:10]).replace(tzinfo=UTC) if value else None
    except ValueError:
        return None


class TopicSources:
    """Chooses the source text for a topic; thread-safe (no state per request)."""

    def __init__(self, settings: Settings) -> None:
        self.library = library_root(settings)
        self.dictionaries = tuple(settings.dictionary_folders)
        self.seconds = settings.news_timeout_seconds
        self.news: RssSearch | SerperSearch | None = None
        kind = search_kind(settings)
        if settings.news and kind != "library":
            # One timeout for each request, never longer than the whole news budget.
            fetcher = Fetcher(
                min(settings.fetch_timeout_seconds, self.seconds),
                settings.fetch_max_bytes,
                allowed_networks(settings.fetch_allow_networks),
            )
            backend = SerperSearch if kind == "serper" else RssSearch
            self.news = backend(settings, fetcher)
            # Loaded now, at worker start: importing it takes seconds, which must not come
            # out of the first request's news budget.
            import trafilatura  # noqa: F401

    def choose(
        self,
        language: str,
        topic: str,
        used: frozenset[str],
        progress: ProgressFn,
        reuse: frozenset[str] = frozenset(),
    ) -> SourceText:
        """The text to level for `topic`, with warnings; EngineError when the language has
        no text at all. `reuse`: lemmas the learner is learning, preferred among good
        matches."""
        code = language_by_name(language).code
        terms = topic_terms(code, topic, lambda w: translations(code, w, self.dictionaries))
        used = frozenset(canonical_url(u) for u in used)
        candidates: list[Candidate] = []
        reached = False
        notices: list[str] = []
        if self.news is not None:
            progress(10, "Looking for news about your topic…")
            # Readings made before links were canonical recorded them as the feed gave them.
            used = used | {canonical_url(u) for u in used}
            reached, candidates, notices = self._from_news(language, topic, terms, used, progress)
        for slug, text in load_library(self.library, code):
            match = match_topic(code, terms, title=text.title, body=text.body, tags=text.topics)
            text = replace(text, origin=library_origin(code, slug))
            seen = text.origin in used or (text.url is not None and canonical_url(text.url) in used)
            candidates.append(
                Candidate(text, match, parse_date(text.date), seen, False, len(candidates))
            )
        if not candidates:
            raise EngineError(
                f"There are no texts in {language} to choose from yet: paste a text of "
                "your own or give the address of a web page to read it at your level."
            )
        good = [c for c in candidates if c.match.good]
        if reuse:
            good = [replace(c, reused=reused(code, c.text, reuse)) for c in good]
        good.sort(key=Candidate.key)
        warnings: list[str] = list(notices)
        if good:
            chosen = good[0]
            if chosen.used:
                warnings.append(
                    "you already have a reading made from this text; there is no other "
                    "on this topic yet"
                )
        else:
            chosen = min(candidates, key=lambda c: (c.used, -c.match.score, c.rank))
            warnings.append(
                f"no text on this topic (“{topic}”); the closest is “{chosen.text.title}”"
            )
            if chosen.used:
                warnings.append("you already have a reading made from this text")
        if self.news is not None and not reached:
            warnings.append("the news could not be reached, so this text is from the library")
        return replace(chosen.text, warnings=chosen.text.warnings + tuple(warnings))

    def _from_news(
        self,
        language: str,
        topic: str,
        terms: tuple[TopicTerm, ...],
        used: frozenset[str],
        progress: ProgressFn,
    ) -> tuple[bool, list[Candidate], list[str]]:
        """(whether any news source answered, the news candidates read in time, notices
        about sources that were skipped)."""
        assert self.news is not None
        code = language_by_name(language).code
        deadline = time.monotonic() + self.seconds
        notices: list[str] = []
        try:
            if isinstance(self.news, SerperSearch):
                entries = self.news.entries(topic, language)
            else:
                entries, notices = self.news.entries_and_notices(language, self.seconds)
        except EngineError:
            return False, [], []
        reached = bool(entries)
        # The title and summary say whether a page is worth fetching at all.
        scored = []
        for entry in entries:
            match = match_topic(code, terms, title=entry.title, body=entry.summary + entry.content)
            if match.found or not terms:
                seen = canonical_url(entry.url) in used
                scored.append((seen, not match.good, _newest_first(entry), entry))
        scored.sort(key=lambda item: item[:3])
        picked = [entry for *_, entry in scored[:PAGES_TO_READ]]
        if not picked:
            return reached, [], notices
        progress(20, "Reading the news articles that match…")
        pages = map_within(self._read, picked, max(0.0, deadline - time.monotonic()))
        out: list[Candidate] = []
        for entry, text in zip(picked, pages, strict=True):
            if text is None:
                continue
            match = match_topic(code, terms, title=text.title, body=text.body)
            published = entry.published or parse_date(usable_iso_date(text.date))
            seen = canonical_url(entry.url) in used
            out.append(Candidate(text, match, published, seen, True, len(out)))
        return reached, out, notices

    def _read(self, entry: Entry) -> SourceText | None:
        """The entry's article: its page's text, else the feed's own full content."""
        assert self.news is not None
        page = self.news.full_text(entry.url)
        body = page.body if page else entry.content
        title = entry.title or (page.title if page else entry.url)
        head, _, rest = body.partition("\n\n")
        if head.strip() == title.strip():
            body = rest  # the page's headline, already the reading's title
        if len(body.split()) < MIN_WORDS:
            return None
        return SourceText(
            title=title,
            body=body,
            name=entry.source or (page.name if page else ""),
            url=entry.url,
            date=entry.date or (usable_iso_date(page.date) if page else None),
            author=entry.author or (page.author if page else None),
        )


def reused(code: str, text: SourceText, reuse: frozenset[str]) -> int:
    """How many of the lemmas `reuse` occur in `text` (title or body)."""
    found = {t.lemma or t.word for t in tokenize(code, f"{text.title}\n{text.body}")}
    found |= {lemma.casefold() for lemma in found}
    return len(reuse & found)


def _newest_first(entry: Entry) -> float:
    return -entry.published.timestamp() if entry.published else float("inf")
