"""The composition root: builds the queue, database, store and engine from settings.

The API's lifespan, the worker, the CLI and the tests all come through here, and nothing
connects at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import redis.asyncio

from opad.db.session import Database
from opad.queue import embedded
from opad.queue.connection import connect, connect_async
from opad.queue.redis_queue import JobQueue
from opad.settings import Settings
from opad.store.base import ContentStore
from opad.store.local import LocalStore


def resolve_redis_url(settings: Settings) -> str:
    """REDIS_URL, or the embedded Redis under the data directory (started if needed)."""
    if settings.redis_url:
        return settings.redis_url
    url, _ = embedded.ensure_running(settings.data_path)
    return url


def build_store(settings: Settings) -> ContentStore:
    """The content store OPAD_STORAGE_URL names (a local folder by default)."""
    url = settings.storage_url
    if url and url.startswith("s3://"):
        # Imported here: boto3 is slow to import and only S3 deployments need it.
        from opad.store.s3 import S3Store

        return S3Store.from_settings(settings)
    if url and not url.startswith("file://"):
        raise ValueError(f"OPAD_STORAGE_URL {url!r}: expected file:///path or s3://bucket/prefix")
    return LocalStore(settings.content_dir)


@dataclass
class Services:
    """Everything a process needs, built once and closed once."""

    settings: Settings
    redis_url: str
    db: Database
    queue: JobQueue
    store: ContentStore
    _events: redis.asyncio.Redis | None = field(default=None, init=False, repr=False)

    def events(self) -> redis.asyncio.Redis:
        """The process's asyncio Redis client for pub/sub (the API's event streams), made on
        first use inside the running event loop; `aclose_events` releases it."""
        if self._events is None:
            self._events = connect_async(
                self.redis_url, timeout=self.settings.redis_timeout_seconds
            )
        return self._events

    async def aclose_events(self) -> None:
        """Close the asyncio client, if one was made (at the end of its event loop)."""
        if self._events is not None:
            client, self._events = self._events, None
            await client.aclose()

    def close(self) -> None:
        """Release connections."""
        self.db.close()
        self.queue.redis.close()


def build_services(settings: Settings, *, block_timeout: float = 0.0) -> Services:
    """Build the shared services; `block_timeout` is the longest blocking Redis call planned."""
    redis_url = resolve_redis_url(settings)
    client = connect(
        redis_url,
        timeout=settings.redis_timeout_seconds,
        block_timeout=block_timeout,
    )
    return Services(
        settings=settings,
        redis_url=redis_url,
        db=Database(settings),
        queue=JobQueue(client, settings.status_ttl_seconds),
        store=build_store(settings),
    )
