"""A local news site for the crew tests: a Serper-shaped search API, article pages, a feed.

`POST /news` answers like https://google.serper.dev/news (an `X-API-KEY` header is
required); every result links to an article page on this same server, so fetching the
full text (trafilatura) runs for real. `GET /feed.xml` is an RSS 2.0 feed of such pages.
"""

from __future__ import annotations

import html
import json
import re
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from tests.crew.fake_llm import QuietServer

API_KEY = "serper-test-key"
AUTHORS = {1: "Jane Doe", 2: None, 3: "Ali Kaya"}
FEED_TOPICS = ("solar energy", "city parks", "space research", "football")


def slugify(text: str) -> str:
    """Lowercase words joined by dashes."""
    return "-".join(re.findall(r"\w+", text.lower())) or "news"


def article_text(topic: str, n: int) -> list[str]:
    """The paragraphs of article `n` about `topic`."""
    return [
        f"This is report number {n} about {topic}. The city council met on Monday to "
        f"discuss {topic} and what it means for the people who live here.",
        f"Residents said that {topic} has changed their daily lives. Some welcomed the "
        "changes, others asked for more time and more information from the council.",
        "The mayor promised a public meeting next month. Experts will explain the plan, "
        "its costs and its benefits, and answer questions from the audience.",
        "Local businesses expect more visitors. Schools plan lessons on the subject, and a "
        "group of volunteers has started to collect ideas from the neighbourhood.",
    ]


class FakeNews:
    """The news site; a context manager like FakeLLM."""

    def __init__(self, api_key: str = API_KEY, repeat: int = 1) -> None:
        self.api_key = api_key
        self.repeat = repeat  # pages repeat their ~100 words this often (news-length texts)
        self.topics: dict[str, str] = {
            slug: topic for topic in FEED_TOPICS for slug in [slugify(topic)]
        }
        self.searches: list[dict[str, Any]] = []
        self.pages: list[str] = []
        self.fail_search: int | None = None  # HTTP status to answer searches with
        self.lock = threading.Lock()
        self.server = QuietServer(("127.0.0.1", 0), self._handler_class())
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeNews:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeNews:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def page_url(self, topic: str, n: int) -> str:
        """Where article `n` about `topic` lives."""
        return f"{self.url}/articles/{slugify(topic)}-{n}.html"

    def results(self, query: str) -> list[dict[str, Any]]:
        """Serper news items for a query: three articles, the third one a dead link."""
        slug = slugify(query)
        with self.lock:
            self.topics[slug] = query
        return [
            {
                "title": f"{query.capitalize()}: report {n}",
                "link": self.page_url(query, n),
                "snippet": article_text(query, n)[0][:120],
                "date": f"2025-05-0{n}",
                "source": f"Daily News {n}",
                "position": n,
            }
            for n in (1, 2, 3)
        ]

    def page(self, path: str) -> str | None:
        """An article page, or None (404) for the third article of each topic."""
        match = re.fullmatch(r"/articles/(.+)-(\d)\.html", path)
        if not match:
            return None
        slug, n = match.group(1), int(match.group(2))
        with self.lock:
            topic = self.topics.get(slug)
        if topic is None or n == 3:
            return None
        author = AUTHORS.get(n)
        meta = f'<meta name="author" content="{html.escape(author)}">' if author else ""
        texts = article_text(topic, n) * self.repeat
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in texts)
        title = html.escape(f"{topic.capitalize()}: report {n}")
        return (
            "<!doctype html><html><head>"
            f"<title>{title}</title>{meta}"
            f'<meta property="article:published_time" content="2025-05-0{n}">'
            f'<meta property="og:site_name" content="Daily News {n}">'
            f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
        )

    def feed(self) -> str:
        """An RSS 2.0 feed with one item per FEED_TOPICS entry."""
        items = "".join(
            "<item>"
            f"<title>{html.escape(topic.capitalize())}: report 1</title>"
            f"<link>{self.page_url(topic, 1)}</link>"
            f"<description>{html.escape(article_text(topic, 1)[0])}</description>"
            "<author>jane@example.org (Jane Doe)</author>"
            "<pubDate>Fri, 02 May 2025 10:00:00 GMT</pubDate>"
            "</item>"
            for topic in FEED_TOPICS
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Daily News</title><link>{self.url}</link>"
            f"<description>Test feed</description>{items}</channel></rss>"
        )

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, body: str, ctype: str) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                path = urlsplit(self.path).path
                if path not in ("/news", "/search"):
                    self._send(404, '{"message": "not found"}', "application/json")
                    return
                with site.lock:
                    site.searches.append({"path": path, **body})
                if self.headers.get("X-API-KEY") != site.api_key:
                    self._send(403, '{"message": "Unauthorized."}', "application/json")
                    return
                if site.fail_search:
                    self._send(site.fail_search, '{"message": "scripted"}', "application/json")
                    return
                key = "news" if path == "/news" else "organic"
                payload = {"searchParameters": body, key: site.results(str(body.get("q", "")))}
                self._send(200, json.dumps(payload), "application/json")

            def do_GET(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                with site.lock:
                    site.pages.append(path)
                if path == "/feed.xml":
                    self._send(200, site.feed(), "application/rss+xml")
                    return
                page = site.page(path)
                if page is None:
                    self._send(404, "<h1>Not found</h1>", "text/html")
                else:
                    self._send(200, page, "text/html; charset=utf-8")

        return Handler
