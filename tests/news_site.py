"""A local news site for the leveler's news tests: RSS 2.0 and Atom feeds, article pages.

Tests add articles (title, paragraphs, date, language) and feeds listing them; every
feed entry links to a page on this same server, so fetching and extracting the full
text (trafilatura) runs for real. A feed can be made slow (`delays`) to test the
fallback; `requests` records every path asked for.
"""

from __future__ import annotations

import contextlib
import html
import threading
import time
from dataclasses import dataclass
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up on a slow feed is expected


@dataclass
class Article:
    slug: str
    title: str
    paragraphs: list[str]
    date: str  # YYYY-MM-DD
    summary: str = ""


class NewsSite:
    """The site; a context manager."""

    def __init__(self) -> None:
        self.articles: dict[str, Article] = {}
        self.feeds: dict[str, tuple[str, str, list[str]]] = {}  # path → (kind, lang, slugs)
        self.delays: dict[str, float] = {}
        # path → (body, content type, extra headers): feeds written by hand (bad dates,
        # relative links, gzip bombs); path → location: redirects.
        self.raw: dict[str, tuple[bytes, str, dict[str, str]]] = {}
        self.redirects: dict[str, str] = {}
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> NewsSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def article(self, slug: str, title: str, paragraphs: list[str], date: str) -> str:
        """Add an article page; returns its URL."""
        self.articles[slug] = Article(slug, title, paragraphs, date, paragraphs[0][:150])
        return self.page_url(slug)

    def page_url(self, slug: str) -> str:
        """Where an article's page is."""
        return f"{self.url}/news/{slug}.html"

    def feed(self, path: str, slugs: list[str], *, kind: str = "rss", lang: str = "en") -> str:
        """Add a feed (kind "rss" or "atom") listing these articles; returns its URL."""
        self.feeds[path] = (kind, lang, slugs)
        return self.url + path

    def _page(self, slug: str) -> str | None:
        a = self.articles.get(slug)
        if a is None:
            return None
        body = "".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
        return (
            f"<!doctype html><html><head><title>{html.escape(a.title)}</title>"
            f'<meta property="article:published_time" content="{a.date}">'
            '<meta property="og:site_name" content="Local Herald">'
            f"</head><body><nav>Home · World · Sport</nav><article><h1>{html.escape(a.title)}"
            f"</h1>{body}</article><footer>© Local Herald</footer></body></html>"
        )

    def _feed(self, path: str) -> str | None:
        if path not in self.feeds:
            return None
        kind, lang, slugs = self.feeds[path]
        items = [self.articles[s] for s in slugs]
        if kind == "atom":
            entries = "".join(
                f"<entry><title>{html.escape(a.title)}</title>"
                f'<link href="{self.page_url(a.slug)}"/><id>{self.page_url(a.slug)}</id>'
                f"<updated>{a.date}T08:00:00Z</updated>"
                f"<summary>{html.escape(a.summary)}</summary></entry>"
                for a in items
            )
            return (
                f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"'
                f' xml:lang="{lang}"><title>Local Herald ({lang})</title><id>{self.url}/</id>'
                f"<updated>2026-01-01T00:00:00Z</updated>{entries}</feed>"
            )
        rss_items = "".join(
            f"<item><title>{html.escape(a.title)}</title><link>{self.page_url(a.slug)}</link>"
            f"<description>{html.escape(a.summary)}</description>"
            f"<pubDate>{_rfc822(a.date)}</pubDate></item>"
            for a in items
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Local Herald</title><link>{self.url}</link><description>News</description>"
            f"<language>{lang}</language>{rss_items}</channel></rss>"
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                with site.lock:
                    site.requests.append(path)
                time.sleep(site.delays.get(path, 0))
                if path in site.redirects:
                    self.send_response(301)
                    self.send_header("Location", site.redirects[path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if path in site.raw:
                    raw, ctype, extra = site.raw[path]
                    self.send_response(200)
                    self.send_header("Content-Type", ctype)
                    for name, value in extra.items():
                        if value:  # "" leaves a header out (no Content-Length: chunked-ish)
                            self.send_header(name, value)
                    if "Content-Length" not in extra:
                        self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    with contextlib.suppress(OSError):  # the client stopped reading
                        self.wfile.write(raw)
                    return
                if path.startswith("/news/"):
                    body, ctype = site._page(path[6:].removesuffix(".html")), "text/html"
                else:
                    body, ctype = site._feed(path), "application/xml"
                data = (body or "not found").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", f"{ctype}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up waiting
                    self.wfile.write(data)

        return Handler


def _rfc822(date: str) -> str:
    from datetime import UTC, datetime

    return format_datetime(datetime.fromisoformat(date).replace(hour=8, tzinfo=UTC))
