"""Request bodies the API must refuse cleanly: too large however they are sent, and values
the database cannot hold (NUL), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator

import httpx
import pytest

from opad.api.app import create_app
from opad.bootstrap import Services
from tests.processes import ServerThread

BODY = {"language": "German", "level": "B1", "length": 300, "topic": "Stadtpark"}
LIMIT = 1_000_000  # OPAD_MAX_BODY_BYTES' default, which these services use


@pytest.fixture
def client(services: Services) -> Iterator[httpx.Client]:
    assert services.settings.max_body_bytes == LIMIT
    with (
        ServerThread(create_app(services.settings, services)) as server,
        httpx.Client(base_url=server.url, timeout=30) as c,
    ):
        yield c


def _chunks(total: int, size: int = 64 * 1024, pause: float = 0.0) -> Iterator[bytes]:
    """`total` bytes of a JSON-looking body, sent chunked (no Content-Length)."""
    sent = 0
    while sent < total:
        piece = b" " * min(size, total - sent)
        sent += len(piece)
        if pause:
            time.sleep(pause)
        yield piece


def _assert_too_large(resp: httpx.Response) -> None:
    assert resp.status_code == 413, resp.text
    assert resp.json()["error"] == "request too large"
    assert str(LIMIT) in resp.json()["detail"]


def test_large_body_is_413_with_or_without_content_length(
    client: httpx.Client, services: Services
) -> None:
    big = b" " * 1_500_000
    headers = {"content-type": "application/json"}
    _assert_too_large(client.post("/generate", content=big, headers=headers))
    # The same 1.5 MB, chunked: no Content-Length to look at, counted as it streams in.
    chunked = client.post("/generate", content=_chunks(len(big)), headers=headers)
    assert "content-length" not in chunked.request.headers
    _assert_too_large(chunked)
    assert services.queue.depth() == 0


def test_slow_chunked_body_over_the_limit_is_413(client: httpx.Client) -> None:
    resp = client.post(
        "/generate",
        content=_chunks(1_200_000, size=100_000, pause=0.05),
        headers={"content-type": "application/json"},
    )
    _assert_too_large(resp)


def test_body_just_under_the_limit_is_read(client: httpx.Client, services: Services) -> None:
    body = json.dumps(BODY).encode()
    padded = body[:-1] + b" " * (LIMIT - len(body)) + b"}"
    assert len(padded) == LIMIT
    for content in (padded, _chunks_of(padded)):
        resp = client.post(
            "/generate", content=content, headers={"content-type": "application/json"}
        )
        assert resp.status_code == 202, resp.text
    assert services.queue.depth() == 2


def _chunks_of(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_gzip_body_is_measured_as_sent_and_not_inflated(client: httpx.Client) -> None:
    # The API does not inflate request bodies: a compressed body is not JSON to it, and a
    # small "zip bomb" cannot grow past the cap inside the server.
    bomb = gzip.compress(b" " * 5_000_000)
    assert len(bomb) < LIMIT
    resp = client.post(
        "/generate",
        content=bomb,
        headers={"content-type": "application/json", "content-encoding": "gzip"},
    )
    assert resp.status_code == 422, resp.text
    assert resp.json()["detail"] == "body: is not valid JSON"


@pytest.mark.parametrize("field", ["language", "level", "length", "topic", "source_text"])
def test_nul_character_is_422_naming_the_field(
    client: httpx.Client, services: Services, field: str
) -> None:
    body: dict[str, object] = {**BODY, field: f"{BODY.get(field, 'mein Text')}\u0000"}
    resp = client.post("/generate", json=body)
    assert resp.status_code == 422, resp.text
    fields = {f["field"]: f["message"] for f in resp.json()["fields"]}
    assert "NUL" in fields[field], fields
    assert services.queue.depth() == 0
    # The same on the two-step route.
    assert client.post("/articles", json=body).status_code == 422
