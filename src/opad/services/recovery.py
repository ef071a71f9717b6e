"""The database as the record of running jobs: what Redis lost is found and ended.

A job recorded `running` always has its message somewhere in Redis — in the processing
list of the worker running it (put back there by that worker's heartbeat if Redis lost
it: worker/loops.py), or on the queue once a reaper returned it. When Redis loses data (a
restart without its append-only file, a FLUSHDB, a failover, an evicted key) and the
worker is gone too, nothing would ever end the job: it stays `running` for good and keeps
one of its learner's places under OPAD_MAX_QUEUED_PER_USER.

Every worker sweeps for such jobs (with the enqueue outbox, services/outbox.py). A run
seen without a message in every sweep for a lease (`grace`) is ended, fenced by its token
so a run that is alive after all can change nothing:

- the first time, back to `queued` without spending an attempt (the loss was Redis's,
  not the job's), its message pushed again;
- a second time, `failed`, with a reason in the learner's terms and a dead letter for the
  operator.

`resync_statuses` writes back the live statuses Redis lost (`SET … NX`: never over one
that exists), once a worker notices the loss (queue/checks.DataLossWatch).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import case, or_, select

from opad.db.models import Job, utcnow
from opad.db.session import Database
from opad.jobs.records import job_payload, job_status_document, transition
from opad.queue.checks import DataLossWatch
from opad.queue.protocol import DEAD_KEY, now_iso, status_key
from opad.queue.redis_queue import JobQueue
from opad.services.outbox import SWEEP_LIMIT, due_for_push
from opad.states import LIVE, JobStatus

log = logging.getLogger("opad.recovery")

RECOVERY_LIMIT = 1  # runs put back per job; the next loss fails it
LOST_ERROR = (
    "the queue (Redis) lost this job while it was running, twice: restarted without its "
    "data, flushed, or evicting keys (see docs/operations.md)"
)
LOST_MESSAGE = (
    "Failed: the reading could not be finished because the service lost track of it. "
    "Please try again."
)
RECOVERED_MESSAGE = "Job queued... (picked up again after an interruption)"
RESYNC_PAGE = 1000


class RunningSweep:
    """One worker's sweeper of running jobs whose message Redis lost."""

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

    def sweep(self) -> list[str]:
        """Look once; end the runs missing for the whole grace period. Returns their ids."""
        with self.db.session() as session:
            rows = session.execute(
                select(Job.id, Job.fence)
                .where(Job.status == JobStatus.RUNNING)
                .order_by(Job.started_at)
                .limit(SWEEP_LIMIT)
            ).all()
        fences = {job_id: fence for job_id, fence in rows}
        missing = self.queue.missing(list(fences))
        # Keyed by run (id and token): a new run of the same job starts a new count.
        runs = {f"{job_id}#{fences[job_id]}" for job_id in missing}
        self._since, due = due_for_push(runs, self._since, self.clock(), self.grace)
        ended = []
        for run in due:
            job_id, _, fence = run.rpartition("#")
            if self._recover(job_id, int(fence)):
                ended.append(job_id)
            self._since.pop(run, None)
        return ended

    def _recover(self, job_id: str, fence: int) -> bool:
        with self.db.session() as session:
            job = transition(
                session,
                job_id,
                JobStatus.QUEUED,
                token=fence,
                where=Job.recoveries < RECOVERY_LIMIT,
                fence=Job.fence + 1,  # the lost run can change nothing any more
                attempts=case((Job.attempts > 0, Job.attempts - 1), else_=0),
                recoveries=Job.recoveries + 1,
                progress=0,
                message=RECOVERED_MESSAGE,
            )
            if job is None:
                job = transition(
                    session,
                    job_id,
                    JobStatus.FAILED,
                    token=fence,
                    fence=Job.fence + 1,
                    message=LOST_MESSAGE,
                    error=LOST_ERROR,
                )
            if job is None:
                return False  # it moved on meanwhile (ended, or a new run)
            payload, status, token = job_payload(job), job_status_document(job), job.fence
        self.queue.write_recorded(token, status.document())
        if status.status == JobStatus.QUEUED:
            self.queue.push_missing([(payload, status.document())])
            log.warning("job %s was running but Redis lost it: back on the queue", job_id)
        else:
            entry = {
                "job_id": job_id,
                "payload": json.dumps(payload),
                "error": LOST_ERROR,
                "attempts": status.attempts,
                "at": now_iso(),
            }
            self.queue.redis.lpush(DEAD_KEY, json.dumps(entry))
            log.error("job %s failed: %s", job_id, LOST_ERROR)
        return True


def resync_statuses(db: Database, queue: JobQueue) -> int:
    """Write back the live status of every job that is live or ended within the status
    TTL and has none in Redis; returns how many were written."""
    since = utcnow() - timedelta(seconds=queue.status_ttl)
    written, after = 0, ""
    while True:
        with db.session() as session:
            jobs = session.scalars(
                select(Job)
                .where(Job.id > after)
                .where(or_(Job.status.in_(sorted(LIVE)), Job.finished_at >= since))
                .order_by(Job.id)
                .limit(RESYNC_PAGE)
            ).all()
            docs = [job_status_document(job) for job in jobs]
        if not docs:
            return written
        pipe = queue.redis.pipeline(transaction=False)
        for doc in docs:
            ttl = queue.status_ttl
            if doc.finished_at is not None:
                ttl = int(ttl - (utcnow() - doc.finished_at).total_seconds())
            pipe.set(status_key(doc.id), doc.to_json(), ex=max(60, ttl), nx=True)
        written += sum(1 for applied in pipe.execute() if applied)
        after = docs[-1].id


class Recovery:
    """A worker's pass over what Redis may have lost: notice a loss (and write the live
    statuses back), then end the running jobs it lost. Called with the outbox sweep."""

    RESYNC_EVERY = 10.0  # s: under constant eviction, not a rewrite at every pass

    def __init__(self, db: Database, queue: JobQueue, lease_seconds: float) -> None:
        self.db = db
        self.queue = queue
        self.watch = DataLossWatch(queue.redis)
        self.running = RunningSweep(db, queue, lease_seconds)
        self._lost: str | None = None  # a loss not yet followed by a resync
        self._resynced = -self.RESYNC_EVERY

    def sweep(self) -> list[str]:
        """One pass; the ids of running jobs ended because Redis lost them."""
        self._lost = self.watch.check() or self._lost
        # A loss seen again before its resync is due waits for it: the last resync comes
        # after the last loss (keys evicted one by one, then no more).
        if self._lost and time.monotonic() - self._resynced >= self.RESYNC_EVERY:
            lost, self._lost, self._resynced = self._lost, None, time.monotonic()
            written = resync_statuses(self.db, self.queue)
            log.warning("%s: %d live status(es) written back from the database", lost, written)
        return self.running.sweep()
