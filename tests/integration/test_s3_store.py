"""The S3 content store against a real S3-compatible server (moto over HTTP)."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from opad.bootstrap import build_store
from opad.errors import DependencyUnavailable
from opad.store.s3 import S3Store, parse_s3_url
from tests.conftest import make_settings
from tests.s3 import S3Server


def store_for(tmp_path: Path, server: S3Server, bucket: str, prefix: str = "opad") -> S3Store:
    env = server.env(bucket, prefix)
    settings = make_settings(
        tmp_path,
        OPAD_STORAGE_URL=env["OPAD_STORAGE_URL"],
        OPAD_S3_ENDPOINT_URL=env["OPAD_S3_ENDPOINT_URL"],
        OPAD_S3_REGION=env["OPAD_S3_REGION"],
        OPAD_S3_TIMEOUT=2,
    )
    store = build_store(settings)
    assert isinstance(store, S3Store)
    return store


def article_id() -> str:
    return str(uuid.uuid4())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("s3://bucket", ("bucket", "")),
        ("s3://bucket/", ("bucket", "")),
        ("s3://bucket/a/b/", ("bucket", "a/b")),
    ],
)
def test_parse_s3_url(url: str, expected: tuple[str, str]) -> None:
    assert parse_s3_url(url) == expected


@pytest.mark.parametrize("url", ["s3://", "gs://bucket/x", "ftp://x"])
def test_other_urls_are_refused(tmp_path: Path, url: str) -> None:
    with pytest.raises(ValueError, match="OPAD_STORAGE_URL"):
        build_store(make_settings(tmp_path, OPAD_STORAGE_URL=url))


def test_round_trip_under_the_prefix(tmp_path: Path, s3_server: S3Server) -> None:
    bucket = s3_server.new_bucket()
    store = store_for(tmp_path, s3_server, bucket, "deploy/one")
    store.ping()
    aid = article_id()
    assert store.get_markdown(aid) is None and store.get_result(aid) is None
    key = store.put(aid, "# Título\n\nÜber alles.", json.dumps({"title": "Título"}))
    assert key == f"deploy/one/articles/{aid}"
    assert store.get_markdown(aid) == "# Título\n\nÜber alles."
    assert json.loads(store.get_result(aid) or "") == {"title": "Título"}
    assert s3_server.keys(bucket) == [f"{key}/article.md", f"{key}/result.json"]
    head = s3_server.client().head_object(Bucket=bucket, Key=f"{key}/article.md")
    assert head["ContentType"].startswith("text/markdown")
    assert not (tmp_path / "content").exists()


def test_empty_prefix(tmp_path: Path, s3_server: S3Server) -> None:
    bucket = s3_server.new_bucket()
    store = store_for(tmp_path, s3_server, bucket, "")
    aid = article_id()
    store.put(aid, "md", "{}")
    assert s3_server.keys(bucket) == [f"articles/{aid}/article.md", f"articles/{aid}/result.json"]


class Recorder:
    """A client proxy that notes the order of writes and deletes."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls: list[tuple[str, str]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)

        def call(**kwargs: Any) -> Any:
            if name in ("put_object", "delete_object"):
                self.calls.append((name, kwargs["Key"].rsplit("/", 1)[1]))
            return method(**kwargs)

        return call


def test_readers_never_see_half_an_article(tmp_path: Path, s3_server: S3Server) -> None:
    """The markdown is the last object written and the first deleted: when it is there,
    the result is too."""
    store = store_for(tmp_path, s3_server, s3_server.new_bucket())
    recorder = Recorder(store.client)
    store.client = recorder
    aid = article_id()
    store.put(aid, "md", "{}")
    store.delete(aid)
    assert recorder.calls == [
        ("put_object", "result.json"),
        ("put_object", "article.md"),
        ("delete_object", "article.md"),
        ("delete_object", "result.json"),
    ]


def test_delete_removes_every_object_of_the_article(tmp_path: Path, s3_server: S3Server) -> None:
    bucket = s3_server.new_bucket()
    store = store_for(tmp_path, s3_server, bucket)
    keep, gone = article_id(), article_id()
    store.put(keep, "keep", "{}")
    store.put(gone, "gone", "{}")
    # An object a later version might add is removed too.
    s3_server.client().put_object(Bucket=bucket, Key=f"opad/articles/{gone}/audio.mp3", Body=b"x")
    store.delete(gone)
    assert all(gone not in key for key in s3_server.keys(bucket))
    assert store.get_markdown(keep) == "keep"
    store.delete(gone)  # nothing left: no error


def test_unsafe_ids_are_refused(tmp_path: Path, s3_server: S3Server) -> None:
    store = store_for(tmp_path, s3_server, s3_server.new_bucket())
    for bad in ("../x", "", "a/b", "abc?"):
        with pytest.raises(ValueError, match="unsafe"):
            store.put(bad, "md", "{}")


def test_missing_bucket_and_server_down_fail_fast_as_store_unavailable(
    tmp_path: Path, s3_server: S3Server
) -> None:
    with pytest.raises(DependencyUnavailable, match="NoSuchBucket") as missing:
        store_for(tmp_path, s3_server, "opad-no-such-bucket").ping()
    assert missing.value.error == "store unavailable"
    store = store_for(tmp_path, s3_server, s3_server.new_bucket())
    s3_server.stop()
    for action in (store.ping, lambda: store.put(article_id(), "md", "{}")):
        start = time.monotonic()
        with pytest.raises(DependencyUnavailable, match="Could not connect"):
            action()
        assert time.monotonic() - start < 3
    s3_server.start()
    store.ping()
