"""A real API + worker on a private Redis and SQLite or PostgreSQL, for pushing messages
straight onto the queue as any producer could."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text

from opad.bootstrap import Services, build_services
from opad.db.models import Article
from opad.queue.protocol import DEAD_KEY, DELAYED_KEY, QUEUE_KEY, WORKERS_KEY
from tests.conftest import RedisServer, make_settings
from tests.processes import Stack, base_env, wait_until

TERMINAL = ("succeeded", "failed", "cancelled")
INPUTS = {"language": "English", "level": "B1", "length": "120", "topic": "parks"}


class QueueStack:
    """API and one worker (noop engine taking `seconds`), and direct Redis/database access."""

    def __init__(self, folder: Path, database: str, pg_url: str, seconds: str) -> None:
        self.redis_server = RedisServer(folder / "redis")
        self.redis_server.start()
        values: dict[str, str] = {"REDIS_URL": self.redis_server.url}
        if database == "postgresql":
            values["DATABASE_URL"] = pg_url
            admin = build_services(make_settings(folder, **values))
            with admin.db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            admin.close()
        env = base_env(
            folder,
            OPAD_ENGINE="noop",
            OPAD_NOOP_SECONDS=seconds,
            OPAD_RETRY_BASE_SECONDS="0.2",
            **values,
        )
        self.stack = Stack(env=env, data_dir=folder)
        self.stack.migrate()
        self.stack.start_api(timeout=120)
        self.worker = self.stack.start("worker")
        self.services: Services = build_services(make_settings(folder, **values))
        self.redis = self.redis_server.client()
        wait_until(lambda: self.redis.scard(WORKERS_KEY) > 0, 120, "the worker to register")

    def push(self, message: dict[str, Any] | str | bytes) -> str | bytes:
        raw = message if isinstance(message, str | bytes) else json.dumps(message)
        self.redis.lpush(QUEUE_KEY, raw)
        return raw

    def status(self, job_id: str) -> dict[str, Any] | None:
        raw = self.redis.get(f"opad:job:{job_id}")
        return json.loads(raw) if raw else None

    def wait_terminal(self, job_id: str, timeout: float = 30) -> dict[str, Any]:
        wait_until(
            lambda: (self.status(job_id) or {}).get("status") in TERMINAL,
            timeout,
            f"job {job_id} to end\n{self.worker.output()[-3000:]}",
        )
        return self.status(job_id) or {}

    def dead(self) -> list[dict[str, Any]]:
        return [json.loads(e) for e in self.redis.lrange(DEAD_KEY, 0, -1)]

    def dead_for(self, job_id: str | None) -> list[dict[str, Any]]:
        return [e for e in self.dead() if e.get("job_id") == job_id]

    def idle(self, within: float = 15.0) -> bool:
        """Nothing queued, delayed or held by a worker, within `within` seconds: a worker
        lets go of a message (LREM from its processing list) just after it writes the
        terminal status a test waits for, so "held" is only true if it stays held."""
        deadline = time.monotonic() + within
        while True:
            held = sum(int(self.redis.llen(k)) for k in self.redis.scan_iter("opad:processing:*"))
            total = held + int(self.redis.llen(QUEUE_KEY)) + int(self.redis.zcard(DELAYED_KEY))
            if total == 0:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)

    def articles(self, article_id: str | None = None) -> int:
        with self.services.db.session() as session:
            query = select(func.count()).select_from(Article)
            if article_id is not None:
                query = query.where(Article.id == article_id)
            return int(session.scalar(query) or 0)

    def api_article(self, article_id: str) -> int:
        return httpx.get(f"{self.stack.api_url}/articles/{article_id}", timeout=10).status_code

    def message(self, **fields: Any) -> dict[str, Any]:
        """A valid message with fresh ids, `fields` replacing or adding to it."""
        base = {"job_id": str(uuid.uuid4()), "article_id": str(uuid.uuid4()), "inputs": INPUTS}
        return {**base, **fields}

    def settle(self, seconds: float = 1.5) -> None:
        """Let a worker loop if it were going to (it must not)."""
        time.sleep(seconds)

    def close(self) -> None:
        self.stack.stop()
        self.services.close()
        self.redis_server.stop()
