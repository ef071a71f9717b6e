"""SAQ worker (runs until stopped by the driver)."""

from __future__ import annotations

import asyncio
import sys

from saq import Queue, Worker

from bench.peers.tasks import anoop


async def main() -> None:
    queue = Queue.from_url(sys.argv[1])
    worker = Worker(queue, functions=[anoop], concurrency=10)  # SAQ's default concurrency
    await worker.start()


if __name__ == "__main__":
    asyncio.run(main())
