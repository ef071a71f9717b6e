"""Feeds read defensively (issue 30, part 1): relative links, impossible dates, the same
story twice, and feeds too large to read. Every feed and page is served by
tests/news_site.py on 127.0.0.1; the leveler (no LLM) reads them for real.
"""

from __future__ import annotations

import gzip
import html
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from opad.engines.base import EngineError
from opad.engines.leveler import LevelerEngine
from opad.engines.news import RssSearch
from opad.engines.sources import fetch_url
from opad.netguard import allowed_networks
from tests.integration.test_news import ELEPHANTS, OLD_ELEPHANTS, quiet, request, settings
from tests.news_site import NewsSite

TODAY = "2026-11-20"


def rss(items: list[tuple[str, str, str | None]], *, extra: str = "") -> bytes:
    """An RSS 2.0 feed of (title, link as written, pubDate as written or None)."""
    body = "".join(
        f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
        f"<description>{html.escape(ELEPHANTS[0][:120])}</description>"
        + (f"<pubDate>{date}</pubDate>" if date else "")
        + "</item>"
        for title, link, date in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Hand-made feed</title><language>en</language>{extra}{body}</channel></rss>"
    ).encode()


def serve(site: NewsSite, path: str, body: bytes, **headers: str) -> str:
    site.raw[path] = (body, "application/rss+xml; charset=utf-8", headers)
    return site.url + path


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite() as s:
        s.article("fresh", "Elephants return to Kenya's plains", ELEPHANTS, TODAY)
        s.article("older", "Kenya's elephants in the drought", OLD_ELEPHANTS, "2025-10-01")
        yield s


def leveler(tmp_path: Path, feeds: str, **values: str) -> LevelerEngine:
    return LevelerEngine(settings(tmp_path, feeds, **values))


# -- links --------------------------------------------------------------------------------


def test_relative_rss_link_is_resolved_against_the_feed(tmp_path: Path, site: NewsSite) -> None:
    # The example: <link>/pages/x.html</link> (here /news/fresh.html).
    feed = serve(site, "/feeds/en.rss", rss([("Elephants return", "/news/fresh.html", None)]))
    result = leveler(tmp_path, f"en={feed}").generate(request("English", "elephants"), quiet)
    assert result.source.url == site.page_url("fresh")
    assert "/news/fresh.html" in site.requests
    assert not any("no text on this topic" in w for w in result.warnings)


def test_relative_atom_href_is_resolved_against_the_feed(tmp_path: Path, site: NewsSite) -> None:
    # The example: Atom href="x.html", relative to the feed's own folder.
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xml:lang="en"><title>Atom</title><entry><title>Elephants return</title>'
        f'<link href="fresh.html"/><summary>{html.escape(ELEPHANTS[0])}</summary>'
        "</entry></feed>"
    ).encode()
    site.raw["/news/feed.atom"] = (atom, "application/atom+xml", {})
    feed = site.url + "/news/feed.atom"
    result = leveler(tmp_path, f"en={feed}").generate(request("English", "elephants"), quiet)
    assert result.source.url == site.page_url("fresh")


def test_links_resolve_against_the_final_url_after_a_redirect(
    tmp_path: Path, site: NewsSite
) -> None:
    # Our own case: the operator's feed address moved; "fresh.html" is relative to where
    # the feed is now (/news/), not to the old address (/old/).
    serve(site, "/news/moved.rss", rss([("Elephants return", "fresh.html", None)]))
    site.redirects["/old/en.rss"] = "/news/moved.rss"
    feed = site.url + "/old/en.rss"
    result = leveler(tmp_path, f"en={feed}").generate(request("English", "elephants"), quiet)
    assert result.source.url == site.page_url("fresh")
    assert "/old/fresh.html" not in site.requests


def test_a_link_that_is_no_web_page_is_skipped_not_the_feed(tmp_path: Path, site: NewsSite) -> None:
    items = [
        ("Elephants everywhere", "javascript:alert(1)", None),
        ("Elephants by mail", "mailto:desk@example.org", None),
        ("Elephants return", site.page_url("fresh"), None),
    ]
    search = RssSearch(settings(tmp_path, f"en={serve(site, '/en.rss', rss(items))}"))
    assert [e.url for e in search.entries("English")] == [site.page_url("fresh")]


# -- dates ---------------------------------------------------------------------------------


def test_an_entry_dated_2099_does_not_beat_today(tmp_path: Path, site: NewsSite) -> None:
    # The example: a typo'd year made an old story "the freshest", and the reading
    # said "source date 2099-01-01".
    site.article("typo", "Kenya's elephants in the drought", OLD_ELEPHANTS, "2099-01-01")
    items = [
        (
            "Kenya's elephants in the drought",
            site.page_url("typo"),
            "Thu, 01 Jan 2099 08:00:00 GMT",
        ),
        (
            "Elephants return to Kenya's plains",
            site.page_url("fresh"),
            "Fri, 20 Nov 2026 08:00:00 GMT",
        ),
    ]
    engine = leveler(tmp_path, f"en={serve(site, '/en.rss', rss(items))}")
    first = engine.generate(request("English", "elephants in Kenya"), quiet)
    assert first.source.url == site.page_url("fresh")
    # Once the fresh one is read, the 2099 one is served: with no date, never "2099-01-01".
    second = engine.generate(
        request("English", "elephants in Kenya", [site.page_url("fresh")]), quiet
    )
    assert second.source.url == site.page_url("typo")
    assert second.source.date is None


def test_a_zero_date_does_not_drop_the_feed(tmp_path: Path, site: NewsSite) -> None:
    # The example: "0000-00-00" parses to year -1, which raised and silently
    # emptied the whole feed (then: "no text on this topic").
    items = [
        ("Kenya's elephants in the drought", site.page_url("older"), "0000-00-00"),
        ("Elephants return to Kenya's plains", site.page_url("fresh"), "0000-00-00T00:00:00Z"),
    ]
    search = RssSearch(settings(tmp_path, f"en={serve(site, '/en.rss', rss(items))}"))
    entries = search.entries("English")
    assert [e.url for e in entries] == [site.page_url("older"), site.page_url("fresh")]
    assert all(e.published is None and e.date is None for e in entries)


@pytest.mark.parametrize(
    "written",
    [
        "Mon, 01 Jan 1900 00:00:00 GMT",  # a placeholder from before news was on the web
        "Thu, 01 Jan 1970 00:00:00 GMT",  # the epoch: a date of 0
        "not a date at all",
        "2026-13-45",
    ],
)
def test_unusable_dates_are_unknown(tmp_path: Path, site: NewsSite, written: str) -> None:
    items = [("Elephants return", site.page_url("fresh"), written)]
    search = RssSearch(settings(tmp_path, f"en={serve(site, '/en.rss', rss(items))}"))
    (entry,) = search.entries("English")
    assert entry.published is None and entry.date is None


def test_a_page_dated_in_the_future_has_no_source_date(tmp_path: Path, site: NewsSite) -> None:
    # Our own case: the feed gives no date and the page's own metadata says 2099.
    site.article("ahead", "Elephants return to Kenya's plains", ELEPHANTS, "2099-06-01")
    items = [("Elephants return to Kenya's plains", site.page_url("ahead"), None)]
    engine = leveler(tmp_path, f"en={serve(site, '/en.rss', rss(items))}")
    result = engine.generate(request("English", "elephants in Kenya"), quiet)
    assert result.source.url == site.page_url("ahead")
    assert result.source.date is None


# -- the same story twice ----------------------------------------------------------------


def test_one_story_in_two_feeds_takes_one_page_slot(tmp_path: Path, site: NewsSite) -> None:
    # The example: the same story in two feeds, and again with ?utm_source=rss,
    # filled all four page slots. Now it is fetched once and three other stories are read.
    for n in range(4):
        site.article(
            f"other{n}", f"Elephants in the news, part {n}", ELEPHANTS, "2026-11-1" + str(n)
        )
    story = site.page_url("fresh")
    first = serve(
        site,
        "/a.rss",
        rss(
            [
                ("Elephants return to Kenya's plains", story, "Fri, 20 Nov 2026 08:00:00 GMT"),
                (
                    "Elephants in the news, part 0",
                    site.page_url("other0"),
                    "Tue, 10 Nov 2026 08:00:00 GMT",
                ),
                (
                    "Elephants in the news, part 1",
                    site.page_url("other1"),
                    "Wed, 11 Nov 2026 08:00:00 GMT",
                ),
            ]
        ),
    )
    second = serve(
        site,
        "/b.rss",
        rss(
            [
                (
                    "Elephants return to Kenya's plains",
                    story + "?utm_source=rss&utm_medium=feed",
                    "Fri, 20 Nov 2026 08:00:00 GMT",
                ),
                (
                    "Elephants return to Kenya's plains",
                    story.replace("http://", "HTTP://") + "#top",
                    "Fri, 20 Nov 2026 09:00:00 GMT",
                ),
                (
                    "Elephants in the news, part 2",
                    site.page_url("other2") + "?fbclid=x1",
                    "Thu, 12 Nov 2026 08:00:00 GMT",
                ),
            ]
        ),
    )
    engine = leveler(tmp_path, f"en={first},en={second}")
    result = engine.generate(request("English", "elephants"), quiet)
    assert result.source.url == story  # the freshest, without its tracking parameters
    pages = [p for p in site.requests if p.startswith("/news/")]
    assert pages.count("/news/fresh.html") == 1
    assert len(set(pages)) == 4, pages  # four different stories read


def test_a_story_read_with_tracking_parameters_counts_as_read(
    tmp_path: Path, site: NewsSite
) -> None:
    # The example: served again to the same learner as unread because the
    # recorded link had ?utm_source=rss and the feed's did not (or the other way round).
    items = [
        (
            "Elephants return to Kenya's plains",
            site.page_url("fresh") + "?utm_source=rss",
            "Fri, 20 Nov 2026 08:00:00 GMT",
        ),
        (
            "Kenya's elephants in the drought",
            site.page_url("older"),
            "Wed, 01 Oct 2025 08:00:00 GMT",
        ),
    ]
    engine = leveler(tmp_path, f"en={serve(site, '/en.rss', rss(items))}")
    read_before = [site.page_url("fresh") + "?utm_campaign=x&utm_source=newsletter"]
    result = engine.generate(request("English", "elephants in Kenya", read_before), quiet)
    assert result.source.url == site.page_url("older")
    assert not any("already" in w for w in result.warnings)


# -- size --------------------------------------------------------------------------------


def bomb(unpacked_bytes: int) -> bytes:
    """A well-formed RSS feed, gzip-compressed, that unpacks to `unpacked_bytes`."""
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Bomb</title><!-- '
    return gzip.compress(head + b" " * unpacked_bytes + b"--></channel></rss>", 9)


def test_a_gzip_bomb_feed_is_stopped_at_the_cap_with_a_notice(
    tmp_path: Path, site: NewsSite
) -> None:
    # The example: 612 KB of gzip unpacking to 600 MiB took a worker to 2.75 GB.
    # Here 64 MiB unpacked (64 KB on the wire) against a 1 MB cap: reading stops at 1 MB.
    packed = bomb(64 * 1024 * 1024)
    assert len(packed) < 200_000
    boom = serve(site, "/bomb.rss", packed, **{"Content-Encoding": "gzip"})
    good = serve(site, "/en.rss", rss([("Elephants return", site.page_url("fresh"), None)]))
    engine = leveler(tmp_path, f"en={boom},en={good}", OPAD_FETCH_MAX_BYTES="1000000")
    result = engine.generate(request("English", "elephants"), quiet)
    assert result.source.url == site.page_url("fresh")  # the other feed still counts
    assert "one news source sent more than the size allowed and was skipped" in result.warnings
    # And memory stays near the cap, not near the unpacked size.
    search = RssSearch(settings(tmp_path, f"en={boom}", OPAD_FETCH_MAX_BYTES="1000000"))
    tracemalloc.start()
    try:
        assert search.entries_and_notices("English")[0] == []
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000, peak


def test_a_feed_declaring_a_huge_length_is_not_downloaded(
    tmp_path: Path, site: NewsSite, caplog: pytest.LogCaptureFixture
) -> None:
    # Our own case: plain (not compressed) and honest about its size: refused from its
    # Content-Length, and the operator's log names the setting.
    huge = serve(site, "/huge.rss", b"<rss/>", **{"Content-Length": str(50_000_000)})
    search = RssSearch(settings(tmp_path, f"en={huge}", OPAD_FETCH_MAX_BYTES="1000000"))
    entries, notices = search.entries_and_notices("English")
    assert entries == [] and notices == [
        "one news source sent more than the size allowed and was skipped"
    ]
    assert "OPAD_FETCH_MAX_BYTES" in caplog.text


def test_a_large_chunked_feed_stops_at_the_cap(tmp_path: Path, site: NewsSite) -> None:
    # Our own case: no Content-Length at all (the server just keeps sending).
    body = rss(
        [("Elephants return", site.page_url("fresh"), None)], extra="<!--" + "x" * 3_000_000 + "-->"
    )
    site.raw["/long.rss"] = (
        body,
        "application/rss+xml",
        {"Connection": "close", "Content-Length": ""},
    )
    search = RssSearch(
        settings(tmp_path, f"en={site.url}/long.rss", OPAD_FETCH_MAX_BYTES="1000000")
    )
    entries, notices = search.entries_and_notices("English")
    assert entries == [] and len(notices) == 1
    # Under the cap, the same feed is read.
    roomy = RssSearch(settings(tmp_path, f"en={site.url}/long.rss", OPAD_FETCH_MAX_BYTES="5000000"))
    assert [e.url for e in roomy.entries("English")] == [site.page_url("fresh")]


def test_a_page_bomb_is_stopped_at_the_cap_in_memory_too(site: NewsSite) -> None:
    # Our own case: pages had a cap, but counted after httpx had unpacked each network
    # chunk whole, so one 64 KB chunk of a bomb was 64 MB in memory before the check.
    site.raw["/bomb.html"] = (bomb(64 * 1024 * 1024), "text/html", {"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(EngineError, match="is larger than 1000000 bytes"):
            fetch_url(
                site.url + "/bomb.html",
                timeout=10,
                max_bytes=1_000_000,
                allow=allowed_networks("127.0.0.1/32"),
            )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000, peak


@pytest.mark.parametrize("raw_deflate", [False, True])
def test_a_deflated_feed_is_read_and_capped(
    tmp_path: Path, site: NewsSite, raw_deflate: bool
) -> None:
    # Our own case: "deflate" is zlib-wrapped by the standard, raw by some servers.
    def deflate(data: bytes) -> bytes:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15 if raw_deflate else 15)
        return packer.compress(data) + packer.flush()

    small = rss([("Elephants return", site.page_url("fresh"), None)])
    serve(site, "/small.rss", deflate(small), **{"Content-Encoding": "deflate"})
    serve(site, "/big.rss", deflate(small + b" " * 5_000_000), **{"Content-Encoding": "deflate"})
    feeds = f"en={site.url}/small.rss,en={site.url}/big.rss"
    search = RssSearch(settings(tmp_path, feeds, OPAD_FETCH_MAX_BYTES="1000000"))
    entries, notices = search.entries_and_notices("English")
    assert [e.url for e in entries] == [site.page_url("fresh")]
    assert len(notices) == 1
