"""What a reading is made from, spelled one way: the key of "already read".

A news page is known by its canonical URL (the same article reached with tracking
parameters, http, a trailing slash or another escape is the same page); a library text,
which has no URL, by its id.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def library_origin(code: str, slug: str) -> str:
    """The id a library text is recorded under ("library:en/city-parks")."""
    return f"library:{code}/{slug}"


def canonical_url(url: str) -> str:
    """One spelling per page, for "already read": the feeds' canonical form
    (opad.engines.feed_items.canonical_url: tracking parameters and fragment removed, host
    lower-cased, query sorted), and http and https alike, no trailing slash. Ids such as
    "library:…" pass unchanged."""
    from opad.engines.feed_items import canonical_url as feed_canonical

    if not url.startswith(("http://", "https://")):
        return url
    parts = urlsplit(feed_canonical(url))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", parts.netloc.lower(), path, parts.query, ""))
