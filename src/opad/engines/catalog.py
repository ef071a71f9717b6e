"""Where a reading in each language can come from, as the configured engine sees it.

Kinds, in the learner's terms on the form: "news" (fresh articles from feeds or a news
search), "library" (texts that ship with OPAD or the operator's OPAD_LIBRARY_DIR) and
"text" (the learner brings a text or a web page: always possible). A request with only
a topic needs "news" or "library". The API uses this to refuse such a request before a
job exists, so it stays light: no HTTP, no text processing.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Literal

from opad.engines.feeds import feed_map, feeds_for
from opad.languages import LANGUAGES
from opad.settings import Settings

SourceKind = Literal["news", "library", "text"]
SearchKind = Literal["serper", "rss", "library"]


@functools.cache
def packaged_library() -> Path:
    """The starter library shipped inside the package."""
    return Path(str(resources.files("opad") / "library"))


def library_root(settings: Settings) -> Path:
    """OPAD_LIBRARY_DIR, else the shipped starter library."""
    return settings.library_dir or packaged_library()


# {root: (modification times of the root and its folders, the folders, their codes)}.
_LIBRARIES: dict[Path, tuple[tuple[int, ...], list[Path], frozenset[str]]] = {}


def _stamps(root: Path, folders: list[Path]) -> tuple[int, ...] | None:
    """A folder's mtime changes when a file is added, removed or renamed in it."""
    try:
        return tuple(p.stat().st_mtime_ns for p in (root, *folders))
    except OSError:  # a folder went away
        return None


def library_languages(root: Path) -> frozenset[str]:
    """ISO codes that have at least one library text (`<root>/<code>/*.md`).

    Every topic-only POST /generate asks (vet_topic): the answer is kept while neither the
    root nor any language folder changed, which costs a few stat calls instead of a scan.
    """
    cached = _LIBRARIES.get(root)
    if cached is not None and _stamps(root, cached[1]) == cached[0]:
        return cached[2]
    if not root.is_dir():
        return frozenset()
    folders = [d for d in root.iterdir() if d.is_dir()]
    stamps = _stamps(root, folders)
    codes = frozenset(d.name for d in folders if any(d.glob("*.md")))
    if stamps is not None:
        _LIBRARIES[root] = (stamps, folders, codes)
    return codes


def search_kind(settings: Settings) -> SearchKind:
    """The news backend OPAD_SEARCH names; "auto" is Serper when SERPER_API_KEY is set,
    else feeds (OPAD_RSS_FEEDS, or the shipped ones when OPAD_NEWS is on), else the
    library."""
    if settings.search != "auto":
        return settings.search
    if settings.serper_api_key is not None:
        return "serper"
    return "rss" if feed_map(settings.rss_feeds, defaults=settings.news) else "library"


def language_sources(settings: Settings) -> dict[str, tuple[SourceKind, ...]]:
    """{ISO code: the kinds of source a reading in that language can come from}."""
    libraries = library_languages(library_root(settings))
    feeds = feed_map(settings.rss_feeds, defaults=settings.news)
    kind = search_kind(settings)
    # The leveler reads news only when OPAD_NEWS is on; the crew always searches.
    searching = settings.engine == "crew" or (settings.engine == "leveler" and settings.news)
    out: dict[str, tuple[SourceKind, ...]] = {}
    for lang in LANGUAGES:
        kinds: list[SourceKind] = []
        if searching and (kind == "serper" or (kind == "rss" and feeds_for(feeds, lang.code))):
            kinds.append("news")
        if settings.engine == "noop" or (
            lang.code in libraries and (settings.engine != "crew" or kind == "library")
        ):
            # noop: its fixed sample article stands in for a library in every language.
            kinds.append("library")
        kinds.append("text")
        out[lang.code] = tuple(kinds)
    return out


def takes_topic(kinds: tuple[SourceKind, ...]) -> bool:
    """Whether a request with only a topic can be served (news or library texts)."""
    return "news" in kinds or "library" in kinds
