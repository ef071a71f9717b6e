"""Pages as the web serves them, from a real local HTTP server: charsets declared in the
header, a BOM, the page itself or nowhere; consent notices; a title repeated as the first
paragraph; servers that trickle. (OPAD_FETCH_ALLOW_NETWORKS-style allowance for loopback.)"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from opad.engines.base import EngineError
from opad.engines.crew.fetch import Fetcher
from opad.engines.sources import fetch_url
from opad.netguard import parse_networks

ALLOW = parse_networks("127.0.0.1/32")
MAX = 2_000_000

ARTICLE_DE = (
    "<p>Grüne Städte für alle: Die Stadt pflanzt in diesem Jahr zweitausend neue Bäume.</p>"
    "<p>Die Bürgerinnen und Bürger wünschen sich mehr Schatten und weniger Lärm. Überall "
    "entstehen kleine Gärten, und die Schulen machen mit.</p>"
    "<p>Im Herbst sollen die ersten Straßen fertig sein. Der Bürgermeister ist zufrieden.</p>"
)
ARTICLE_FR = (
    "<p>L’été dernier, la ville a planté des arbres le long de la rivière – « c’est génial », "
    "dit Hélène, qui habite près du marché. Les élèves ont adoré la fête.</p>"
    "<p>Les travaux continueront en hiver. La mairie espère que les familles viendront "
    "nombreuses au parc, où l’on mange des crêpes près de la fontaine.</p>"
)
ARTICLE_RU = (
    "<p>Зелёные города для всех: в этом году город посадит две тысячи деревьев.</p>"
    "<p>Жители хотят больше тени и меньше шума на улицах. Повсюду появляются сады, "
    "и школы тоже участвуют.</p>"
)
ARTICLE_JA = (
    "<p>緑の都市をすべての人に。市は今年、二千本の木を植えます。</p>"
    "<p>住民はもっと多くの日陰と、通りの騒音の少なさを望んでいます。至る所に庭ができています。</p>"
)
COOKIE_DE = (
    "Wir verwenden Cookies, um Inhalte zu personalisieren und Zugriffe zu analysieren. "
    "Mit „Alle akzeptieren“ stimmen Sie der Verarbeitung Ihrer Daten durch uns und unsere "
    "Partner zu. Details finden Sie in unserer Datenschutzerklärung."
)


def page(body: str, head: str = "", title: str = "Grüne Städte") -> str:
    return f"<html><head>{head}<title>{title}</title></head><body>{body}</body></html>"


# path → (content-type header, body bytes)
PAGES: dict[str, tuple[str, bytes]] = {
    "/latin1-meta": (
        "text/html",
        page(f"<article>{ARTICLE_DE}</article>", '<meta charset="iso-8859-1">').encode("latin-1"),
    ),
    "/bom-wrong-header": (
        "text/html; charset=iso-8859-1",
        b"\xef\xbb\xbf" + page(f"<article>{ARTICLE_DE}</article>").encode("utf-8"),
    ),
    "/utf8-header-latin1-page": (
        "text/html; charset=utf-8",
        page(f"<article>{ARTICLE_DE}</article>", '<meta charset="iso-8859-1">').encode("latin-1"),
    ),
    "/cp1252-undeclared": (
        "text/html",
        page(f"<article>{ARTICLE_FR * 3}</article>", title="L’été").encode("cp1252"),
    ),
    "/cp1251-meta": (
        "text/html",
        page(f"<article>{ARTICLE_RU}</article>", '<meta charset="windows-1251">', "Города").encode(
            "cp1251"
        ),
    ),
    "/shift-jis-http-equiv": (
        "text/html",
        page(
            f"<article>{ARTICLE_JA}</article>",
            '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">',
            "緑の都市",
        ).encode("shift_jis"),
    ),
    "/aside-with-cookie-notice": (
        "text/html; charset=utf-8",
        page(
            '<header><nav><a href="/">Start</a> <a href="/politik">Politik</a></nav></header>'
            f'<div class="notice"><p>{COOKIE_DE}</p><button>Alle akzeptieren</button>'
            "<button>Einstellungen</button></div>"
            f"<aside><h1>Grüne Städte für alle</h1>{ARTICLE_DE}</aside><footer>© Blatt</footer>"
        ).encode(),
    ),
    "/consent-wall-marked": (
        "text/html; charset=utf-8",
        page(
            '<div id="sp_message_container"><div class="message-component">'
            "<p>Nous et nos partenaires utilisons des traceurs pour mesurer l’audience. "
            "Vous pouvez accepter ou refuser.</p><button>Accepter</button>"
            "<button>Refuser</button></div></div>"
        ).encode(),
    ),
    "/consent-wall-unmarked": (
        "text/html; charset=utf-8",
        page(
            "<div><p>Utilizamos cookies propias y de terceros para analizar el tráfico. Si "
            "continúa navegando, acepta nuestra política de privacidad.</p>"
            "<a href='#'>Aceptar</a> <a href='#'>Configurar</a></div>",
        ).encode(),
    ),
    "/h1-title": (
        "text/html; charset=utf-8",
        page(
            f"<article><h1>Grüne Städte für alle!</h1>{ARTICLE_DE}</article>",
            title="Grüne Städte für alle!",
        ).encode(),
    ),
}


class Server:
    """Serves PAGES, and /trickle (one byte every 0.25 s), /endless, /slow-headers."""

    def __init__(self) -> None:
        stop = self.stop = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                with contextlib.suppress(OSError):  # the client gave up, as it should
                    self._serve()

            def _serve(self) -> None:
                if self.path in PAGES:
                    ctype, body = PAGES[self.path]
                    self.send_response(200)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                if self.path == "/slow-headers":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    while not stop.wait(0.25):
                        self.wfile.write(b"X")  # a header line that never ends
                        self.wfile.flush()
                    return
                body = page(f"<article>{ARTICLE_DE}</article>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                if self.path == "/trickle":
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                n = 0
                while not stop.wait(0.25):
                    self.wfile.write(body[n % len(body) : n % len(body) + 1])
                    self.wfile.flush()
                    n += 1
                    if self.path == "/trickle" and n == len(body):
                        return

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site() -> Iterator[Server]:
    server = Server()
    yield server
    server.close()


def fetch(site: Server, path: str, timeout: float = 10):  # type: ignore[no-untyped-def]
    return fetch_url(f"{site.url}{path}", timeout=timeout, max_bytes=MAX, allow=ALLOW)


def test_latin1_page_declared_only_in_meta(site: Server) -> None:
    text = fetch(site, "/latin1-meta")
    assert text.body.startswith("Grüne Städte für alle")
    assert "\ufffd" not in text.body and "Ã" not in text.body


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/bom-wrong-header", "Grüne Städte für alle"),  # a BOM outranks the header
        ("/utf8-header-latin1-page", "Grüne Städte für alle"),  # a wrong header is not trusted
        ("/cp1252-undeclared", "L’été dernier, la ville a planté"),  # detection
        ("/cp1251-meta", "Зелёные города для всех"),
        ("/shift-jis-http-equiv", "緑の都市をすべての人に"),
    ],
)
def test_charsets_from_bom_header_page_or_detection(site: Server, path: str, expected: str) -> None:
    text = fetch(site, path)
    assert expected in text.body, text.body[:200]
    assert "\ufffd" not in text.body + text.title


def test_article_in_an_aside_beside_a_cookie_notice(site: Server) -> None:
    text = fetch(site, "/aside-with-cookie-notice")
    assert text.body.startswith("Grüne Städte für alle: Die Stadt pflanzt")
    assert "Bürgermeister ist zufrieden" in text.body
    for boilerplate in ("Cookies", "akzeptieren", "Datenschutz", "Politik"):
        assert boilerplate not in text.body


@pytest.mark.parametrize("path", ["/consent-wall-marked", "/consent-wall-unmarked"])
def test_a_consent_wall_is_never_the_reading(site: Server, path: str) -> None:
    with pytest.raises(EngineError, match="no readable article text found"):
        fetch(site, path)


def test_title_is_not_repeated_as_the_first_paragraph(site: Server) -> None:
    text = fetch(site, "/h1-title")
    assert text.title == "Grüne Städte für alle!"
    assert text.body.startswith("Grüne Städte für alle: Die Stadt")


def test_trickling_page_fails_at_the_deadline(site: Server) -> None:
    # ~830 bytes at 4 bytes a second would take minutes; the fetch as a whole gets 10 s.
    started = time.monotonic()
    with pytest.raises(EngineError, match=r"fetching .*/trickle timed out after 10 s") as err:
        fetch(site, "/trickle", timeout=10)
    assert err.value.transient
    assert 9.5 <= time.monotonic() - started < 13


@pytest.mark.parametrize("path", ["/endless", "/slow-headers"])
def test_endless_trickles_end_at_the_deadline(site: Server, path: str) -> None:
    started = time.monotonic()
    with pytest.raises(EngineError, match="timed out after 2 s"):
        fetch(site, path, timeout=2)
    assert time.monotonic() - started < 5


def test_the_crews_shared_client_is_bounded_too(site: Server) -> None:
    fetcher = Fetcher(timeout=2, max_bytes=MAX, allow=ALLOW)
    started = time.monotonic()
    with pytest.raises(EngineError, match="timed out after 2 s"):
        fetcher.page(f"{site.url}/endless")
    assert time.monotonic() - started < 5
    # The same client still fetches a normal page afterwards.
    assert fetcher.page(f"{site.url}/latin1-meta").body.startswith("Grüne Städte")
