"""Readings stored before they were analyzed (older versions of OPAD), converted once.

The API never analyzes text (it holds no language analyzer): when it needs the typed body
of a reading that has none, it asks for it here and answers meanwhile without it (the
reader shows the plain text; counts wait). A worker takes the request, analyzes the
stored markdown once and stores `reading.json` beside it (opad.worker.convert). Nothing
else changes: the text, the vocabulary, the questions and the audio stay as they were.

Not part of the public job protocol (docs/protocol.md). Keys:

- `opad:reading:requests` — sorted set of article ids, scored by when a worker may take
  one (epoch seconds); a worker claims the first due id by moving its score to the end of
  a lease (one script), and removes it when done. A worker that dies mid-way lets the
  lease run out and another takes the request again.
"""

from __future__ import annotations

import time

import redis

REQUESTS_KEY = "opad:reading:requests"

_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], ARGV[2], due[1])
return due[1]
"""
_RELEASE = """
if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1])) == tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
"""


class AnalysisRequests:
    """Requests to analyze stored readings, on one Redis client."""

    def __init__(self, client: redis.Redis) -> None:
        self.redis = client
        self._claim = client.register_script(_CLAIM)
        self._release = client.register_script(_RELEASE)

    def request(self, *article_ids: str) -> int:
        """Ask for the readings' analysis; one already asked for stays as it is. Returns
        how many requests are new."""
        if not article_ids:
            return 0
        now = time.time()
        added = self.redis.zadd(REQUESTS_KEY, dict.fromkeys(article_ids, now), nx=True)
        return int(added or 0)

    def claim(self, lease_seconds: float) -> tuple[str, str] | None:
        """The first due request, leased for `lease_seconds`: (article id, lease score)."""
        lease = repr(round(time.time() + lease_seconds, 3))
        found = self._claim(keys=[REQUESTS_KEY], args=[time.time(), lease])
        if found is None:
            return None
        return (found.decode() if isinstance(found, bytes) else str(found)), lease

    def release(self, article_id: str, lease: str) -> None:
        """Done with a claimed request (only if this claim still holds it)."""
        self._release(keys=[REQUESTS_KEY], args=[article_id, lease])

    def retry_at(self, article_id: str, when: float) -> None:
        """Put a claimed request back, due at `when` (epoch seconds)."""
        self.redis.zadd(REQUESTS_KEY, {article_id: when})

    def pending(self) -> int:
        """How many requests wait or are being worked on."""
        return int(self.redis.zcard(REQUESTS_KEY))
