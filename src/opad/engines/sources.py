"""Where the offline engine's source text comes from: the request, a URL, or the library."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from opad.engines.base import EngineError
from opad.languages import language_by_name
from opad.netguard import Network, UnsafeURL, guarded_stream
from opad.text import lemma, words

PACKAGED_LIBRARY = Path(str(resources.files("opad") / "library"))
USER_AGENT = "OPAD/0.1 (+reader)"


@dataclass(frozen=True)
class SourceText:
    title: str
    body: str  # paragraphs separated by blank lines
    name: str
    url: str | None = None
    date: str | None = None
    author: str | None = None
    topics: tuple[str, ...] = ()


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
    """Download a page (SSRF-guarded, size and time capped) and extract its main text.

    `client` lets a caller share one connection pool (the crew fetches many pages);
    `fast` skips trafilatura's fallback extractors and comments, which cost most of its CPU.
    """
    import trafilatura  # heavy: loaded only when a URL is adapted

    try:
        with (
            # A caller's shared client stays open; our own is closed when done.
            nullcontext(client)
            if client
            else httpx.Client(headers={"User-Agent": USER_AGENT}) as http,
            guarded_stream(http, url, timeout=timeout, allow=allow) as resp,
        ):
            if resp.status_code >= 400:
                raise EngineError(
                    f"fetching {url} failed: HTTP {resp.status_code}",
                    transient=resp.status_code >= 500 or resp.status_code == 429,
                )
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise EngineError(f"{url} is larger than {max_bytes} bytes")
                chunks.append(chunk)
            html = b"".join(chunks).decode(resp.encoding or "utf-8", errors="replace")
    except UnsafeURL as exc:
        raise EngineError(f"refused to fetch {url}: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise EngineError(f"fetching {url} timed out after {timeout:g} s", transient=True) from exc
    except httpx.HTTPError as exc:
        raise EngineError(f"fetching {url} failed: {exc}", transient=True) from exc
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=not fast, fast=fast
    )
    text = getattr(doc, "text", None)
    if not text or not text.strip():
        raise EngineError(f"no readable article text found at {url}")
    body = "\n\n".join(p.strip() for p in text.splitlines() if p.strip())
    host = urlsplit(url).hostname or url
    return SourceText(
        title=getattr(doc, "title", None) or host,
        body=body,
        name=getattr(doc, "sitename", None) or host,
        url=url,
        date=getattr(doc, "date", None),
        author=getattr(doc, "author", None),
    )
