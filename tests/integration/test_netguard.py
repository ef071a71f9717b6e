"""The SSRF guard against real local servers (127.0.0.2 stands in for an allowed host)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from opad.netguard import UnsafeURL, check_url, guarded_stream, parse_networks


class Site:
    """A server on `host` that answers /page, and redirects /to?u=… anywhere."""

    def __init__(self, host: str) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/to?u="):
                    self.send_response(302)
                    self.send_header("Location", self.path[len("/to?u=") :])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = b"<html><body><p>hello</p></body></html>"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sites() -> Iterator[tuple[Site, Site]]:
    allowed, private = Site("127.0.0.2"), Site("127.0.0.1")
    yield allowed, private
    allowed.close()
    private.close()


ALLOW = parse_networks("127.0.0.2/32")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://0.0.0.0/", "private"),
        ("http://localhost/", "loopback"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://example.org/", "only http and https"),
        ("http:///nohost", "no host"),
    ],
)
def test_forbidden_targets(url: str, fragment: str) -> None:
    with pytest.raises(UnsafeURL, match=fragment):
        check_url(url)


def test_allowed_network_is_fetched_and_redirects_are_checked(sites: tuple[Site, Site]) -> None:
    allowed, private = sites
    with httpx.Client() as client:
        with guarded_stream(client, f"{allowed.url}/page", timeout=5, allow=ALLOW) as resp:
            assert resp.status_code == 200 and b"hello" in resp.read()
        hop = f"{allowed.url}/to?u={allowed.url}/page"
        with guarded_stream(client, hop, timeout=5, allow=ALLOW) as resp:
            assert resp.status_code == 200
        with (
            pytest.raises(UnsafeURL, match="127.0.0.1, a loopback"),
            guarded_stream(
                client, f"{allowed.url}/to?u={private.url}/page", timeout=5, allow=ALLOW
            ),
        ):
            pass
        with (
            pytest.raises(UnsafeURL, match="169.254.169.254"),
            guarded_stream(
                client, f"{allowed.url}/to?u=http://169.254.169.254/", timeout=5, allow=ALLOW
            ),
        ):
            pass
        with (
            pytest.raises(UnsafeURL, match="only http and https"),
            guarded_stream(
                client, f"{allowed.url}/to?u=file:///etc/passwd", timeout=5, allow=ALLOW
            ),
        ):
            pass
