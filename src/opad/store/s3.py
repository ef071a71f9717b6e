"""A content store in an S3-compatible bucket: AWS S3, Cloudflare R2, MinIO.

Each article is two objects (with audio: `audio.json` and the audio file it names) under
`<prefix>/articles/<id>/`. A PUT is atomic per object,
so, as in the local store, `result.json` is written first and `article.md` last: a reader
that finds the markdown finds the complete article (and the database only points at the
article once both are stored).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from opad.errors import DependencyUnavailable
from opad.settings import Settings
from opad.store.base import checked_id, checked_name

_MISSING = {"NoSuchKey", "404", "NotFound"}


@contextmanager
def _calling(what: str) -> Iterator[None]:
    """S3 errors as the domain's "store unavailable": the API answers 503 naming the store,
    the worker retries the job (a failed write is transient) with this message."""
    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        raise DependencyUnavailable("store", f"S3 {what}: {exc}") from exc


def parse_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` → ("bucket", "some/prefix"); the prefix may be empty."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"OPAD_STORAGE_URL {url!r}: expected s3://bucket[/prefix]")
    return parts.netloc, parts.path.strip("/")


def make_client(settings: Settings) -> Any:
    """A boto3 S3 client that fails fast: a down store must not hold a worker slot or
    a readiness check for long (the job is retried later anyway)."""
    config = Config(
        connect_timeout=settings.s3_timeout_seconds,
        read_timeout=settings.s3_timeout_seconds,
        retries={"total_max_attempts": 2, "mode": "standard"},
        max_pool_connections=max(10, settings.worker_concurrency + 2),
        # Newer botocore adds CRC checksums to every upload by default; several
        # S3-compatible servers reject or ignore them, so only send them when required.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    # Credentials come from boto3's usual chain: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
    # AWS_PROFILE, or the machine's role. A session per store: sessions are not thread-safe,
    # the client they make is.
    session = boto3.session.Session()
    return session.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region or session.region_name or "us-east-1",
        config=config,
    )


class S3Store:
    """Objects `<prefix>/articles/<id>/result.json` and `…/article.md` in one bucket."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Store:
        """The store OPAD_STORAGE_URL (s3://bucket/prefix) and the OPAD_S3_* settings name."""
        bucket, prefix = parse_s3_url(settings.storage_url or "")
        return cls(make_client(settings), bucket, prefix)

    def _folder(self, article_id: str) -> str:
        key = f"articles/{checked_id(article_id)}"
        return f"{self.prefix}/{key}" if self.prefix else key

    def _put(self, key: str, text: str | bytes, content_type: str) -> None:
        body = text.encode("utf-8") if isinstance(text, str) else text
        with _calling(f"PUT {key}"):
            self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)

    def put(self, article_id: str, markdown: str, result_json: str) -> str:
        """Write result.json first, article.md last: the markdown appearing means complete."""
        folder = self._folder(article_id)
        self._put(f"{folder}/result.json", result_json, "application/json")
        self._put(f"{folder}/article.md", markdown, "text/markdown; charset=utf-8")
        return folder

    def _read(self, key: str) -> str | None:
        with _calling(f"GET {key}"):
            try:
                response = self.client.get_object(Bucket=self.bucket, Key=key)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in _MISSING:
                    return None
                raise
            return bytes(response["Body"].read()).decode("utf-8")

    def get_markdown(self, article_id: str) -> str | None:
        """The article's markdown, or None."""
        return self._read(f"{self._folder(article_id)}/article.md")

    def get_result(self, article_id: str) -> str | None:
        """The article's structured result JSON, or None."""
        return self._read(f"{self._folder(article_id)}/result.json")

    def put_reading(self, article_id: str, reading_json: str) -> None:
        """PUT reading.json."""
        self._put(f"{self._folder(article_id)}/reading.json", reading_json, "application/json")

    def get_reading(self, article_id: str) -> str | None:
        """The article's reading.json, or None."""
        return self._read(f"{self._folder(article_id)}/reading.json")

    def put_audio(self, article_id: str, name: str, audio: bytes, meta_json: str) -> None:
        """PUT the audio object, then audio.json naming it."""
        folder = self._folder(article_id)
        self._put(f"{folder}/{checked_name(name)}", audio, "audio/ogg")
        self._put(f"{folder}/audio.json", meta_json, "application/json")

    def get_audio_meta(self, article_id: str) -> str | None:
        """The article's audio.json, or None."""
        return self._read(f"{self._folder(article_id)}/audio.json")

    def read_audio(self, article_id: str, name: str, first: int, last: int) -> bytes | None:
        """A ranged GET of the audio object (bytes first…last, inclusive), or None."""
        key = f"{self._folder(article_id)}/{checked_name(name)}"
        with _calling(f"GET {key}"):
            try:
                response = self.client.get_object(
                    Bucket=self.bucket, Key=key, Range=f"bytes={first}-{last}"
                )
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in _MISSING:
                    return None
                raise
            return bytes(response["Body"].read())

    def delete_object(self, article_id: str, name: str) -> None:
        """Remove one object of the article."""
        key = f"{self._folder(article_id)}/{checked_name(name)}"
        with _calling(f"DELETE {key}"):
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def delete(self, article_id: str) -> None:
        """Remove every object under the article's folder, the markdown first (so a reader
        never sees a complete-looking article whose result is gone)."""
        folder = self._folder(article_id) + "/"
        with _calling(f"DELETE {folder}"):
            listed = self.client.list_objects_v2(Bucket=self.bucket, Prefix=folder)
            keys = sorted(
                (obj["Key"] for obj in listed.get("Contents", [])),
                key=lambda k: not k.endswith("/article.md"),
            )
            for key in keys:
                self.client.delete_object(Bucket=self.bucket, Key=key)

    def ping(self) -> None:
        """List one key under the prefix: needs only the permissions OPAD uses (a
        HeadBucket would need bucket-level rights that scoped R2/IAM tokens may lack)."""
        with _calling(f"LIST s3://{self.bucket}/{self.prefix}"):
            self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1)
