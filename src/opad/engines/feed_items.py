"""Feed content read defensively: capped downloads, canonical links, dates that make sense.

A feed is third-party text. Its links may be relative, its dates in the future or not
dates at all, the same story may be listed twice (or in two feeds, or with tracking
parameters), and its body may be a gzip bomb. Everything here turns that into values the
news search can trust, and never drops a whole feed for one bad entry.

URL canonicalisation is courlan's (already installed with trafilatura): it lower-cases
the host, drops default ports, sorts the query and removes tracking parameters (utm_*,
fbclid, gclid, at_medium/at_campaign, …) from a maintained list. w3lib's
`canonicalize_url` was the other candidate: it sorts and re-encodes but keeps trackers,
so we would have had to keep our own tracker list; courlan ships one.
"""

from __future__ import annotations

import time
import zlib
from datetime import UTC, datetime, timedelta

import httpx

# A feed or page dated later than this past the fetch is wrong (a publisher's typo, a
# placeholder, a clock set ahead): its date is unknown, not "the freshest".
FUTURE_SLACK = timedelta(hours=36)
# News dated before this is no date at all ("0000-00-00", the epoch, 1900 placeholders).
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)


class TooLarge(Exception):
    """A download that grew past its byte cap (counted after decompression)."""

    def __init__(self, url: str, limit: int) -> None:
        super().__init__(f"{url} sent more than {limit} bytes (OPAD_FETCH_MAX_BYTES)")
        self.url = url
        self.limit = limit


def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The body of a streamed response, decompressed, or TooLarge as soon as it passes
    `limit` bytes: a 600 KB gzip that unpacks to 600 MB stops at `limit`, in memory too.

    gzip and deflate are unpacked here, at most `limit` bytes at a time: httpx's own
    decoder unpacks each network chunk whole (64 KB of a bomb can be 64 MB at once).
    """
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in _ZLIB_WBITS:
        return _inflate(response, _ZLIB_WBITS[encoding], limit)
    if encoding == "identity":
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(str(response.url), limit)
    chunks, size = [], 0
    for chunk in response.iter_bytes():  # decoded by httpx (an encoding we did not ask for)
        size += len(chunk)
        if size > limit:
            raise TooLarge(str(response.url), limit)
        chunks.append(chunk)
    return b"".join(chunks)


# zlib's window bits: gzip's header (16 + 15); "deflate" is zlib-wrapped (RFC 9110), but
# some servers send a raw stream, which 32 + 15 (auto-detect) does not cover: see below.
_ZLIB_WBITS = {"gzip": 31, "x-gzip": 31, "deflate": 15}
# What we accept, so servers send nothing we cannot unpack within the cap.
ACCEPT_ENCODING = "gzip, deflate"


def _inflate(response: httpx.Response, wbits: int, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    chunks: list[bytes] = []
    size = 0
    first = True
    for raw in response.iter_raw():
        pending = raw
        while pending:
            try:
                out = inflater.decompress(pending, limit + 1 - size)
            except zlib.error:
                if not (first and wbits == 15):
                    raise httpx.DecodingError(f"{response.url}: bad compressed body") from None
                inflater = zlib.decompressobj(-15)  # a raw deflate stream after all
                first = False
                continue
            first = False
            size += len(out)
            if size > limit:
                raise TooLarge(str(response.url), limit)
            chunks.append(out)
            pending = inflater.unconsumed_tail
    return b"".join(chunks)


def canonical_url(url: str) -> str:
    """The URL that identifies an article: tracking parameters and the fragment removed,
    host lower-cased, query sorted (courlan's `normalize_url`); `url` itself when it
    cannot be parsed. Two feeds listing one story give the same canonical URL."""
    from courlan import normalize_url

    try:
        clean = str(normalize_url(url))
    except (ValueError, TypeError):
        return url
    return clean.split("#", 1)[0]


def usable_date(stamp: time.struct_time | None, now: datetime | None = None) -> datetime | None:
    """A feed's parsed date (feedparser's UTC struct_time) as an aware datetime, or None
    when it is unusable: impossible ("0000-00-00" parses to year -1), before 1995, or more
    than FUTURE_SLACK after `now` (an entry dated 2099 is undated, not the freshest)."""
    if stamp is None:
        return None
    try:
        moment = datetime(*stamp[:6], tzinfo=UTC)
    except (ValueError, TypeError, OverflowError):
        return None
    return moment if _plausible(moment, now) else None


def usable_iso_date(value: str | None, now: datetime | None = None) -> str | None:
    """A page's or feed's "YYYY-MM-DD…" date if it is plausible (see `usable_date`), else
    None: a source dated 2099-01-01 is shown with no date rather than a wrong one."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value[:10]).replace(tzinfo=UTC)
    except ValueError:
        return None
    return value if _plausible(moment, now) else None


def _plausible(moment: datetime, now: datetime | None) -> bool:
    now = now or datetime.now(UTC)
    return EARLIEST <= moment <= now + FUTURE_SLACK
