"""Audio asked for after the reading was made (`POST /articles/{id}/audio`), in Redis.

Not part of the public job protocol (docs/protocol.md): producers that follow it never
see these keys, and a reading's job is never re-run to make its audio. Keys:

- `opad:audio:requests` — sorted set of article ids, scored by when a worker may take one
  (epoch seconds). A worker claims the first due id by moving its score to the end of its
  lease, in one script; the worker renews the lease while it makes the audio, so one that
  dies mid-way lets it run out within one worker lease (OPAD_LEASE_SECONDS) and another
  one takes the request again. Done (or given up) → removed.
- `opad:audio:{article_id}` — the request's state, JSON, 24-hour TTL:
  `{"status": "pending"|"making"|"failed", "error", "attempts", "updated_at"}`; gone once
  the audio is stored (then the content store's `audio.json` says "ready").
- `opad:audio:engines` — hash, worker id → `{"available", "detail", "at", "voices"}`:
  what each worker's speech engine is and which engine speaks each language (`voices`,
  ISO 639-1 code → engine name or null), so the API can answer 503 naming it when none
  can speak, and say "no voice for Japanese" before anyone asks.
"""

from __future__ import annotations

import json
import time
from typing import Any

import redis

from opad.queue.protocol import now_iso

REQUESTS_KEY = "opad:audio:requests"
ENGINES_KEY = "opad:audio:engines"
STATE_TTL = 24 * 3600
ENGINE_FRESH_SECONDS = 30.0  # a worker reports every few seconds; older means gone
MAX_ATTEMPTS = 3

_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], ARGV[2], due[1])
return due[1]
"""
_RENEW = """
if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1])) == tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0
"""
_RELEASE = """
if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1])) == tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
"""


def state_key(article_id: str) -> str:
    """The key of an article's audio request state."""
    return f"opad:audio:{article_id}"


class AudioRequests:
    """Audio requests and speech-engine reports on one Redis client."""

    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self._claim = client.register_script(_CLAIM)
        self._release = client.register_script(_RELEASE)
        self._renew = client.register_script(_RENEW)

    def request(self, article_id: str) -> dict[str, Any]:
        """Ask for the article's audio; a request already waiting or being made stays as
        it is (asking twice makes one audio). Returns the request's state."""
        if self.redis.zadd(REQUESTS_KEY, {article_id: time.time()}, nx=True):
            self.set_state(article_id, "pending", attempts=0)
        return self.state(article_id) or {"status": "pending", "error": None, "attempts": 0}

    def claim(self, lease_seconds: float) -> tuple[str, str] | None:
        """The first due request, leased for `lease_seconds`: (article id, lease score)."""
        lease = repr(round(time.time() + lease_seconds, 3))
        found = self._claim(keys=[REQUESTS_KEY], args=[time.time(), lease])
        if found is None:
            return None
        return (found.decode() if isinstance(found, bytes) else str(found)), lease

    def renew(self, article_id: str, lease: str, lease_seconds: float) -> str | None:
        """Extend a claim that still holds the request: the new lease, or None if lost."""
        new = repr(round(time.time() + lease_seconds, 3))
        held = self._renew(keys=[REQUESTS_KEY], args=[article_id, lease, new])
        return new if held else None

    def release(self, article_id: str, lease: str) -> None:
        """Done with a claimed request (only if this claim still holds it)."""
        self._release(keys=[REQUESTS_KEY], args=[article_id, lease])

    def retry_at(self, article_id: str, when: float) -> None:
        """Put a claimed request back, due at `when` (epoch seconds)."""
        self.redis.zadd(REQUESTS_KEY, {article_id: when})

    def drop(self, article_id: str) -> None:
        """Forget the article's request and state (its reading is gone, or audio stored)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.zrem(REQUESTS_KEY, article_id)
        pipe.delete(state_key(article_id))
        pipe.execute()

    def set_state(
        self, article_id: str, status: str, *, error: str | None = None, attempts: int = 0
    ) -> None:
        """Write the request's state (24-hour TTL)."""
        doc = {"status": status, "error": error, "attempts": attempts, "updated_at": now_iso()}
        self.redis.set(state_key(article_id), json.dumps(doc), ex=STATE_TTL)

    def clear_state(self, article_id: str) -> None:
        """The audio is stored: no request state to show any more."""
        self.redis.delete(state_key(article_id))

    def state(self, article_id: str) -> dict[str, Any] | None:
        """The request's state, or None."""
        raw = self.redis.get(state_key(article_id))
        return json.loads(raw) if raw else None

    def report_engine(
        self,
        worker_id: str,
        available: bool,
        detail: str,
        voices: dict[str, str | None] | None = None,
    ) -> None:
        """Say what this worker's speech engine is and which languages it speaks (see
        `engines`)."""
        doc = {"available": available, "detail": detail, "at": time.time(), "voices": voices}
        self.redis.hset(ENGINES_KEY, worker_id, json.dumps(doc))

    def forget_engine(self, worker_id: str) -> None:
        """A stopping worker's report goes with it."""
        self.redis.hdel(ENGINES_KEY, worker_id)

    def engines(self) -> list[dict[str, Any]]:
        """The fresh reports of running workers (stale ones are removed)."""
        fresh, stale = [], []
        for worker, raw in self.redis.hgetall(ENGINES_KEY).items():
            doc = json.loads(raw)
            if time.time() - float(doc.get("at", 0)) <= ENGINE_FRESH_SECONDS:
                fresh.append(doc)
            else:
                stale.append(worker)
        if stale:
            self.redis.hdel(ENGINES_KEY, *stale)
        return fresh
