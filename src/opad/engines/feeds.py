"""Which news feeds serve which language: the shipped defaults, or the operator's list.

Light on purpose (no HTTP, no parsing libraries): the API imports it to say, per
language, where a reading can come from.

The defaults are public, free-to-read news services with full articles behind every
entry (so the text can be extracted) and a broad mix of topics; mostly public or
international broadcasters, because they do not put articles behind a paywall. They are
used only when news is switched on (`OPAD_NEWS=on`): OPAD contacts no feed otherwise.
"""

from __future__ import annotations

from types import MappingProxyType

ANY_LANGUAGE = "*"

# Three or four feeds per language: one dead or slow feed still leaves enough entries.
DEFAULT_FEEDS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "en": (
            "https://feeds.bbci.co.uk/news/world/rss.xml",  # BBC News, world
            "https://feeds.bbci.co.uk/news/science_and_environment/rss.xml",  # BBC, science
            "https://www.theguardian.com/world/rss",  # The Guardian, world
            "https://feeds.npr.org/1001/rss.xml",  # NPR, news
        ),
        "de": (
            "https://www.tagesschau.de/index~rss2.xml",  # tagesschau (ARD)
            "https://rss.dw.com/xml/rss-de-all",  # Deutsche Welle, Deutsch
            "https://www.spiegel.de/schlagzeilen/index.rss",  # DER SPIEGEL
        ),
        "es": (
            "https://feeds.bbci.co.uk/mundo/rss.xml",  # BBC News Mundo
            "https://rss.dw.com/xml/rss-sp-all",  # DW Español
            "https://www.france24.com/es/rss",  # France 24 en español
        ),
        "fr": (
            "https://www.france24.com/fr/rss",  # France 24
            "https://www.rfi.fr/fr/rss",  # RFI
            "https://www.francetvinfo.fr/titres.rss",  # franceinfo
        ),
    }
)


def parse_feed_list(spec: str) -> dict[str, tuple[str, ...]]:
    """`OPAD_RSS_FEEDS` → {ISO code: URLs}: `de=https://…` serves German only, a bare URL
    serves every language (under ANY_LANGUAGE). Blank items are ignored."""
    out: dict[str, list[str]] = {}
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        code, sep, url = item.partition("=")
        # "https://x/?a=b" also has an "=": a language prefix is a short code before "://".
        if sep and "://" not in code and 2 <= len(code.strip()) <= 3:
            out.setdefault(code.strip().lower(), []).append(url.strip())
        else:
            out.setdefault(ANY_LANGUAGE, []).append(item)
    return {code: tuple(urls) for code, urls in out.items()}


def feed_map(rss_feeds: str, *, defaults: bool) -> dict[str, tuple[str, ...]]:
    """The feeds in force: the operator's list when set (it replaces the defaults
    entirely), else the shipped defaults when `defaults`, else none."""
    if rss_feeds.strip():
        return parse_feed_list(rss_feeds)
    return dict(DEFAULT_FEEDS) if defaults else {}


def feeds_for(feeds: dict[str, tuple[str, ...]], code: str) -> tuple[str, ...]:
    """The feeds one language reads: its own, then those for every language."""
    return feeds.get(code, ()) + feeds.get(ANY_LANGUAGE, ())
