"""What a reading is made from, spelled one way: the key of "already read".

A news page is known by its canonical URL (the same article reached with tracking
parameters, http, a trailing slash or another escape is the same page); a library text,
which has no URL, by its id.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def library_origin(code: str, slug: str) -> str:
    """The id a library text is recorded under ("library:en/city-parks")."""
    return f"library:{code}/{slug}"


# Query parameters that say where a reader came from, not which page it is.
_TRACKING = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "ref", "cmpid", "ocid"})


def canonical_url(url: str) -> str:
    """One spelling per page, for "already read": w3lib's canonical form (sorted query,
    normalized escapes, no fragment), lower-case host, tracking parameters dropped,
    http and https alike, no trailing slash. Ids such as "library:…" pass unchanged."""
    from w3lib.url import canonicalize_url  # loaded on first use

    if not url.startswith(("http://", "https://")):
        return url
    parts = urlsplit(canonicalize_url(url))
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
    ]  # fmt: skip
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", parts.netloc.lower(), path, urlencode(query), ""))
