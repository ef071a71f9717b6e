"""The floor: a bare redis-py loop doing what a reliable queue must, and nothing else.

BLMOVE into a processing list, SET a status, run the no-op (one RPUSH), LREM the message.
"""

from __future__ import annotations

import json
import sys
import time

import redis

DONE_KEY = "bench:done"


def main() -> None:
    client = redis.Redis.from_url(sys.argv[1])
    processing = f"raw:processing:{id(client)}"
    while True:
        raw = client.blmove("raw:jobs", processing, 1, "RIGHT", "LEFT")
        if raw is None:
            if client.llen("raw:jobs") == 0:
                return
            continue
        job_id = json.loads(raw)["job_id"]
        client.set(f"raw:job:{job_id}", '{"status": "running"}', ex=86400)
        client.rpush(DONE_KEY, time.time())
        client.set(f"raw:job:{job_id}", '{"status": "succeeded"}', ex=86400)
        client.lrem(processing, 1, raw)


if __name__ == "__main__":
    main()
