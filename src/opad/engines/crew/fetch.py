"""Fetching pages and APIs for the crew's news search, over one shared HTTP client.

`sources.fetch_url` opens a new httpx client per page, which loads the CA bundle into a
new SSL context each time (~50 ms of CPU); with dozens of crews searching at once in one
worker that adds up, so the crew's backends share one thread-safe client. Pages (a
learner's URL, links found by the search) go through the same SSRF guard as
`fetch_url`; the operator's own endpoints (Serper, feeds) do not. Extraction skips
trafilatura's fallback extractors and comments: news pages do not need them and they
cost most of the CPU.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from opad.engines.base import EngineError
from opad.engines.sources import SourceText
from opad.netguard import Network, UnsafeURL, allowed_networks, guarded_stream
from opad.settings import Settings

USER_AGENT = "OPAD/0.1 (+reader)"


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
                cls._client = httpx.Client(
                    max_redirects=5,
                    headers={"User-Agent": USER_AGENT},
                    limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
                )
            return cls._client

    def post_json(self, url: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        """POST a JSON body (httpx errors propagate)."""
        return self.client().post(url, json=body, headers=headers, timeout=self.timeout)

    def get(self, url: str) -> httpx.Response:
        """GET a small document such as a feed (httpx errors propagate)."""
        return self.client().get(url, timeout=self.timeout, follow_redirects=True)

    def page(self, url: str) -> SourceText:
        """A page's main text and metadata, or EngineError (transient when worth retrying)."""
        import trafilatura  # heavy: loaded on first fetch

        try:
            with guarded_stream(self.client(), url, timeout=self.timeout, allow=self.allow) as resp:
                if resp.status_code >= 400:
                    raise EngineError(
                        f"fetching {url} failed: HTTP {resp.status_code}",
                        transient=resp.status_code >= 500 or resp.status_code == 429,
                    )
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise EngineError(f"{url} is larger than {self.max_bytes} bytes")
                    chunks.append(chunk)
                html = b"".join(chunks).decode(resp.encoding or "utf-8", errors="replace")
        except UnsafeURL as exc:
            raise EngineError(f"refused to fetch {url}: {exc}") from exc
        except httpx.TimeoutException as exc:
            raise EngineError(f"fetching {url} timed out", transient=True) from exc
        except httpx.HTTPError as exc:
            raise EngineError(f"fetching {url} failed: {exc}", transient=True) from exc
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, fast=True
        )
        text = getattr(doc, "text", None)
        if not text or not text.strip():
            raise EngineError(f"no readable article text found at {url}")
        host = urlsplit(url).hostname or url
        return SourceText(
            title=getattr(doc, "title", None) or host,
            body="\n\n".join(p.strip() for p in text.splitlines() if p.strip()),
            name=getattr(doc, "sitename", None) or host,
            url=url,
            date=getattr(doc, "date", None),
            author=getattr(doc, "author", None),
        )
