"""Fetching pages, feeds and APIs for news search (both engines), over one shared HTTP client.

`sources.fetch_url` opens a new httpx client per page, which loads the CA bundle into a
new SSL context each time (~50 ms of CPU); with dozens of jobs searching at once in one
worker that adds up, so the news backends share one thread-safe client. Pages (a
learner's URL, links found by the search) go through the same SSRF guard as
`fetch_url`; the operator's own endpoints (Serper, feeds) do not. Extraction skips
trafilatura's fallback extractors and comments: news pages do not need them and they
cost most of the CPU.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import httpx

from opad.engines.feed_items import ACCEPT_ENCODING, read_capped
from opad.engines.sources import FETCH_HEADERS, SourceText, fetch_url
from opad.netguard import Network, allowed_networks, page_client
from opad.settings import Settings


class Fetcher:
    """GET pages (size- and time-capped) and POST JSON, on one client per process."""

    _client: httpx.Client | None = None
    _lock = threading.Lock()

    def __init__(self, timeout: float, max_bytes: int, allow: Sequence[Network] = ()) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow = tuple(allow)

    @classmethod
    def from_settings(cls, settings: Settings) -> Fetcher:
        """A fetcher with OPAD_FETCH_TIMEOUT, OPAD_FETCH_MAX_BYTES, OPAD_FETCH_ALLOW_NETWORKS."""
        return cls(
            settings.fetch_timeout_seconds,
            settings.fetch_max_bytes,
            allowed_networks(settings.fetch_allow_networks),
        )

    @classmethod
    def client(cls) -> httpx.Client:
        """The shared client (made on first use; timeouts are set per request)."""
        with cls._lock:
            if cls._client is None:
                # Redirects are followed per call: the SSRF guard checks every hop itself.
                # A page client: each page's whole fetch is bounded by `timeout`.
                cls._client = page_client(
                    headers=FETCH_HEADERS,
                    limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
                )
            return cls._client

    def post_json(self, url: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        """POST a JSON body; the answer is read whole but capped at `max_bytes` after
        decompression (TooLarge past it; httpx errors propagate)."""
        headers = {"Accept-Encoding": ACCEPT_ENCODING, **headers}
        with self.client().stream(
            "POST", url, json=body, headers=headers, timeout=self.timeout
        ) as resp:
            return _whole(resp, read_capped(resp, self.max_bytes))

    def get(self, url: str) -> httpx.Response:
        """GET a document such as a feed, following redirects (`response.url` is the final
        one), its body capped at `max_bytes` after decompression: TooLarge past it, before
        the rest is downloaded. httpx errors propagate."""
        with self.client().stream("GET", url, timeout=self.timeout, follow_redirects=True) as resp:
            return _whole(resp, read_capped(resp, self.max_bytes))

    def page(self, url: str) -> SourceText:
        """A page's main text and metadata, or EngineError (transient when worth retrying)."""
        return fetch_url(
            url,
            timeout=self.timeout,
            max_bytes=self.max_bytes,
            allow=self.allow,
            client=self.client(),
            fast=True,
        )


def _whole(streamed: httpx.Response, content: bytes) -> httpx.Response:
    """A plain response with the capped body, as callers of `get` expect (`.content`,
    `.json()`, `.url`, `raise_for_status`); the encoding header goes, the body is decoded."""
    headers = [(k, v) for k, v in streamed.headers.multi_items() if k.lower() not in _DROP]
    return httpx.Response(
        streamed.status_code, headers=headers, content=content, request=streamed.request
    )


_DROP = frozenset({"content-encoding", "content-length", "transfer-encoding"})
