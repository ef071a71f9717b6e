"""Prometheus metrics: the worker's job counters, the API's requests and the queue's sizes.

Two registries, so each process exposes only its own metrics: the API at `/metrics`, a
worker on `OPAD_WORKER_METRICS_PORT`. Queue sizes are read from Redis at scrape time, so
every API replica reports the same values (aggregate them with max, not sum).
docs/operations.md lists every name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import prometheus_client
import redis
from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from opad.engines.base import Usage
from opad.jobs.outcomes import (
    DeadLetter,
    Decision,
    Drop,
    Fail,
    GaveUp,
    NotRun,
    Retry,
    Skipped,
    Succeed,
)
from opad.queue.protocol import DEAD_KEY, DELAYED_KEY, QUEUE_KEY, WORKERS_KEY, processing_key
from opad.queue.redis_queue import JobQueue
from opad.states import JobStatus

log = logging.getLogger("opad.metrics")

# The `_created` twin of every counter doubles the output for nothing a dashboard uses.
prometheus_client.disable_created_metrics()

WORKER_REGISTRY = CollectorRegistry()
API_REGISTRY = CollectorRegistry()
ProcessCollector(registry=WORKER_REGISTRY)
ProcessCollector(registry=API_REGISTRY)

# Generation takes seconds (offline) to minutes (an LLM crew).
DURATION_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 180, 300, 600, 1200)

JOBS_STARTED = Counter(
    "opad_worker_jobs_started", "Runs started (each attempt counts)", registry=WORKER_REGISTRY
)
READINGS_ANALYZED = Counter(
    "opad_worker_readings_analyzed",
    "Readings analyzed into their typed body (once per job; once per reading stored before)",
    ["language"],
    registry=WORKER_REGISTRY,
)
JOBS_SUCCEEDED = Counter(
    "opad_worker_jobs_succeeded", "Jobs that succeeded", registry=WORKER_REGISTRY
)
JOBS_FAILED = Counter(
    "opad_worker_jobs_failed",
    "Jobs failed for good: permanent error, timeout, invalid input, or retries exhausted",
    registry=WORKER_REGISTRY,
)
JOBS_RETRIED = Counter(
    "opad_worker_jobs_retried",
    "Runs that ended in a transient error and were scheduled to run again",
    registry=WORKER_REGISTRY,
)
JOBS_CANCELLED = Counter(
    "opad_worker_jobs_cancelled",
    "Cancelled jobs this worker stopped while running or dropped when it claimed them",
    registry=WORKER_REGISTRY,
)
JOB_DURATION = Histogram(
    "opad_worker_job_duration_seconds",
    "Time from a run's start to its end, by outcome",
    ["outcome"],
    buckets=DURATION_BUCKETS,
    registry=WORKER_REGISTRY,
)
LLM_TOKENS = Counter(
    "opad_llm_tokens",
    "LLM tokens used by succeeded jobs, by model and kind (prompt or completion)",
    ["model", "kind"],
    registry=WORKER_REGISTRY,
)

JOBS_ENQUEUED = Counter(
    "opad_api_jobs_enqueued", "Jobs the API put on the queue", registry=API_REGISTRY
)
HTTP_REQUESTS = Counter(
    "opad_http_requests",
    "HTTP requests answered, by method, route template and status code",
    ["method", "route", "status"],
    registry=API_REGISTRY,
)


# -- worker hooks --------------------------------------------------------------------------


def job_succeeded(seconds: float, usage: Usage | None) -> None:
    """A run stored its result; count its LLM tokens when the engine reported them."""
    JOBS_SUCCEEDED.inc()
    JOB_DURATION.labels("succeeded").observe(seconds)
    if usage is not None and (usage.prompt_tokens or usage.completion_tokens):
        model = usage.model or "unknown"
        LLM_TOKENS.labels(model, "prompt").inc(usage.prompt_tokens)
        LLM_TOKENS.labels(model, "completion").inc(usage.completion_tokens)


def job_ended(outcome: str, seconds: float | None = None) -> None:
    """A run (or a claimed job that never ran) ended: "failed", "retried" or "cancelled"."""
    counter = {"failed": JOBS_FAILED, "retried": JOBS_RETRIED, "cancelled": JOBS_CANCELLED}
    counter[outcome].inc()
    if seconds is not None:
        JOB_DURATION.labels(outcome).observe(seconds)


def record_decision(decision: Decision, seconds: float) -> None:
    """A run ended and the worker carried out `decision`: count it once, by its kind."""
    if isinstance(decision, Succeed):
        job_succeeded(seconds, decision.result.usage)
    elif isinstance(decision, Retry):
        job_ended("retried", seconds)
    elif isinstance(decision, Fail | DeadLetter):
        job_ended("failed", seconds)
    elif isinstance(decision, Drop) and decision.cancelled:
        job_ended("cancelled", seconds)


def record_not_run(why: NotRun) -> None:
    """A claimed job that did not start: count the ones that end here."""
    if isinstance(why, GaveUp):
        job_ended("failed")
    elif isinstance(why, Skipped) and why.already == JobStatus.CANCELLED:
        job_ended("cancelled")


def serve_worker_metrics(host: str, port: int) -> Callable[[], None]:
    """Serve the worker's metrics over HTTP in a thread; returns the function that stops it."""
    server, thread = prometheus_client.start_http_server(port, host, registry=WORKER_REGISTRY)
    log.info("metrics at http://%s:%d/metrics", host, port)

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(5)

    return stop


# -- API -----------------------------------------------------------------------------------


class QueueCollector(Collector):
    """The queue's sizes, read from Redis when Prometheus scrapes."""

    def __init__(self, queue: JobQueue) -> None:
        self.queue = queue

    def collect(self) -> Iterator[Metric]:
        """One gauge per list; `opad_redis_up` 0 (and nothing else) when Redis is down."""
        up = GaugeMetricFamily("opad_redis_up", "1 if Redis answered this scrape")
        try:
            r = self.queue.redis
            workers = sorted(str(w) for w in r.smembers(WORKERS_KEY))
            pipe = r.pipeline(transaction=False)
            pipe.llen(QUEUE_KEY)
            pipe.zcard(DELAYED_KEY)
            pipe.llen(DEAD_KEY)
            for worker_id in workers:
                pipe.llen(processing_key(worker_id))
            queued, delayed, dead, *processing = pipe.execute()
        except redis.RedisError as exc:
            log.warning("metrics: Redis unavailable (%s)", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        for name, doc, value in (
            ("opad_queue_depth", "Jobs waiting on opad:jobs", queued),
            ("opad_queue_delayed", "Retries waiting for their time (opad:jobs:delayed)", delayed),
            ("opad_queue_dead_letters", "Entries on opad:jobs:dead", dead),
            ("opad_queue_processing", "Jobs claimed by registered workers", sum(processing)),
            ("opad_workers_registered", "Workers in opad:workers", len(workers)),
        ):
            yield GaugeMetricFamily(name, doc, value=float(value))


def render_api_metrics(queue: JobQueue) -> bytes:
    """The API's exposition text: its own counters, then the queue's sizes as of now."""
    scrape = CollectorRegistry()
    scrape.register(QueueCollector(queue))
    return prometheus_client.generate_latest(API_REGISTRY) + prometheus_client.generate_latest(
        scrape
    )
