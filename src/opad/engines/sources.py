"""Where the offline engine's source text comes from: the request, a URL, or the library."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from opad.engines.base import EngineError
from opad.engines.feed_items import ACCEPT_ENCODING, TooLarge, read_capped
from opad.engines.webpage import (
    decode_html,
    is_consent_text,
    strip_consent,
    unwrap_asides,
    without_title,
)
from opad.languages import language_by_name
from opad.netguard import Network, UnsafeURL, guarded_stream, page_client
from opad.text import lemma, words

PACKAGED_LIBRARY = Path(str(resources.files("opad") / "library"))
USER_AGENT = "OPAD/0.1 (+reader)"
# Only encodings we unpack within the size cap ourselves (feed_items.read_capped).
FETCH_HEADERS = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}


@dataclass(frozen=True)
class SourceText:
    title: str
    body: str  # paragraphs separated by blank lines
    name: str
    url: str | None = None
    date: str | None = None
    author: str | None = None
    topics: tuple[str, ...] = ()
    # What a reading made from it is recorded as, for "already read" when there is no URL:
    # a library text's id ("library:en/city-parks").
    origin: str | None = None
    # What the learner should know about this choice ("no text on this topic; …").
    warnings: tuple[str, ...] = ()


def parse_library_file(path: Path) -> SourceText:
    """A library text: `---` front matter (title, topics, source, date, url), then the body."""
    raw = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    body = raw
    if raw.startswith("---"):
        _, header, body = raw.split("---", 2)
        for line in header.strip().splitlines():
            key, _, value = line.partition(":")
            meta[key.strip().lower()] = value.strip()
    topics = tuple(t.strip().lower() for t in meta.get("topics", "").split(",") if t.strip())
    return SourceText(
        title=meta.get("title") or path.stem.replace("-", " ").capitalize(),
        body=body.strip(),
        name=meta.get("source", "OPAD starter library"),
        url=meta.get("url") or None,
        date=meta.get("date") or None,
        author=meta.get("author") or None,
        topics=topics,
    )


@lru_cache(maxsize=16)
def load_library(root: Path, code: str) -> tuple[tuple[str, SourceText], ...]:
    """Every text of one language in the library, sorted by file name."""
    folder = root / code
    if not folder.is_dir():
        return ()
    return tuple((p.stem, parse_library_file(p)) for p in sorted(folder.glob("*.md")))


def _terms(text: str, code: str) -> set[str]:
    return {lemma(code, w).lower() for w in words(code, text) if len(w) > 2}


def pick_from_library(root: Path, language: str, topic: str) -> SourceText:
    """The library text that best matches `topic` (deterministic: ties go by file name)."""
    code = language_by_name(language).code
    texts = load_library(root, code)
    if not texts:
        raise EngineError(
            f"the offline library has no texts in {language}: "
            "give source_text or source_url, or add texts to OPAD_LIBRARY_DIR"
        )
    wanted = _terms(topic, code) | {w.lower() for w in words(code, topic)}

    def score(item: tuple[str, SourceText]) -> tuple[float, str]:
        slug, text = item
        tags = _terms(" ".join(text.topics), code) | set(text.topics)
        title = _terms(text.title, code)
        body = _terms(text.body, code)
        hits = 3 * len(wanted & tags) + 2 * len(wanted & title) + len(wanted & body)
        return (-hits, slug)

    return min(texts, key=score)[1]


def fetch_url(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    allow: Sequence[Network] = (),
    client: httpx.Client | None = None,
    fast: bool = False,
) -> SourceText:
    """Download a page (SSRF-guarded, size-capped, and done within `timeout` seconds as a
    whole, however slowly it arrives) and extract its article as paragraphs.

    `client` lets a caller share one connection pool (the crew fetches many pages); it
    must come from `netguard.page_client`, which enforces the whole-fetch deadline.
    `fast` skips trafilatura's fallback extractors and comments, which cost most of its
    CPU. Raises EngineError: "timed out after N s" (transient), HTTP errors (5xx/429
    transient), or "no readable article text found" when only boilerplate is left.
    """
    try:
        with (
            # A caller's shared client stays open; our own is closed when done.
            nullcontext(client) if client else page_client(headers=FETCH_HEADERS) as http,
            guarded_stream(http, url, timeout=timeout, allow=allow) as resp,
        ):
            if resp.status_code >= 400:
                raise EngineError(
                    f"fetching {url} failed: HTTP {resp.status_code}",
                    transient=resp.status_code >= 500 or resp.status_code == 429,
                )
            try:
                body = read_capped(resp, max_bytes)  # after decompression, as it streams
            except TooLarge as exc:
                raise EngineError(f"{url} is larger than {max_bytes} bytes") from exc
            html = decode_html(body, resp.headers.get("content-type"))
    except UnsafeURL as exc:
        raise EngineError(f"refused to fetch {url}: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise EngineError(f"fetching {url} timed out after {timeout:g} s", transient=True) from exc
    except httpx.HTTPError as exc:
        raise EngineError(f"fetching {url} failed: {exc}", transient=True) from exc
    return _extract(html, url, fast)


SHORT_EXTRACT = 250  # characters: less than a short paragraph of news


def _paragraphs(tree: Any, url: str, fast: bool) -> tuple[Any, list[str]]:
    """trafilatura's reading of the tree: its document and the reading's paragraphs."""
    import trafilatura  # heavy: loaded only when a URL is adapted

    doc = trafilatura.bare_extraction(
        copy.deepcopy(tree), url=url, with_metadata=True, include_comments=not fast, fast=fast
    )
    text = getattr(doc, "text", None) or ""
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    paragraphs = [p for p in paragraphs if not is_consent_text(p)]
    return doc, without_title(paragraphs, getattr(doc, "title", None))


def _extract(html: str, url: str, fast: bool) -> SourceText:
    """The article of a decoded page: consent notices removed first; if that leaves
    nothing, the page's <aside>s are read too (some sites put the article in one)."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise EngineError(f"no readable article text found at {url}") from exc
    strip_consent(tree)
    doc, paragraphs = _paragraphs(tree, url, fast)
    if sum(map(len, paragraphs)) < SHORT_EXTRACT and unwrap_asides(tree):
        # Little or nothing but navigation: the article may be in an <aside>.
        retry = _paragraphs(tree, url, fast)
        if sum(map(len, retry[1])) > sum(map(len, paragraphs)):
            doc, paragraphs = retry
    if not paragraphs:
        raise EngineError(f"no readable article text found at {url}")
    host = urlsplit(url).hostname or url
    return SourceText(
        title=getattr(doc, "title", None) or host,
        body="\n\n".join(paragraphs),
        name=getattr(doc, "sitename", None) or host,
        url=url,
        date=getattr(doc, "date", None),
        author=getattr(doc, "author", None),
    )
