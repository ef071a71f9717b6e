"""The enqueue outbox: a job recorded `queued` whose message is nowhere in Redis is pushed
again, exactly once.

The database is the outbox: `POST /generate` commits the job, then pushes its message.
If Redis fails between the two (or is restored without its append-only file, or someone
deletes the message by hand), the record says `queued` and nothing would ever run it.
Every worker sweeps for such jobs; a job seen missing in every sweep for `grace` seconds
(long enough for a slow producer to finish its own push) is pushed by an atomic
check-and-push script, so two workers sweeping together still push it once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy import select

from opad.db.models import Job
from opad.db.session import Database
from opad.jobs.records import job_payload, job_status_document
from opad.queue.redis_queue import JobQueue
from opad.states import JobStatus

log = logging.getLogger("opad.outbox")

SWEEP_LIMIT = 500  # oldest queued jobs looked at per sweep


def due_for_push(
    missing: set[str], since: dict[str, float], now: float, grace: float
) -> tuple[dict[str, float], list[str]]:
    """Pure rule: (who has been missing since when, who is due now).

    `since` holds the first sweep that saw each job missing; a job seen present (or no
    longer queued) drops out, so only an unbroken run of misses counts.
    """
    seen = {job_id: since.get(job_id, now) for job_id in missing}
    due = sorted(job_id for job_id, first in seen.items() if now - first >= grace)
    return seen, due


class Outbox:
    """One worker's sweeper; `sweep()` is called from its own thread every few seconds."""

    def __init__(
        self,
        db: Database,
        queue: JobQueue,
        grace_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.queue = queue
        self.grace = grace_seconds
        self.clock = clock
        self._since: dict[str, float] = {}

    def _queued_ids(self) -> list[str]:
        query = select(Job.id).where(Job.status == JobStatus.QUEUED)
        with self.db.session() as session:
            return list(session.scalars(query.order_by(Job.created_at).limit(SWEEP_LIMIT)))

    def sweep(self) -> list[str]:
        """Look once; push the jobs missing for the whole grace period. Returns their ids."""
        missing = set(self.queue.missing(self._queued_ids()))
        self._since, due = due_for_push(missing, self._since, self.clock(), self.grace)
        if not due:
            return []
        with self.db.session() as session:
            # Read again: a job cancelled since the first look must not come back.
            rows = session.scalars(
                select(Job).where(Job.id.in_(due), Job.status == JobStatus.QUEUED)
            ).all()
            jobs = [(job_payload(job), job_status_document(job).document()) for job in rows]
        pushed = self.queue.push_missing(jobs)
        for job_id in pushed:
            self._since.pop(job_id, None)
            log.warning("job %s was recorded queued but not in Redis: pushed again", job_id)
        return pushed
