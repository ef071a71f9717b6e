"""Prometheus metrics: the worker's job counters, the API's requests and the queue's sizes.

Two registries, so each process exposes only its own metrics: the API at `/metrics`, a
worker on `OPAD_WORKER_METRICS_PORT`. Queue sizes are read from Redis at scrape time, so
every API replica reports the same values (aggregate them with max, not sum).
docs/operations.md lists every name.

This module holds the registries and the counters only and imports nothing of OPAD, so
any layer can count (the reading's analysis counts readings analyzed). What reads a run's
outcome into the counters is the worker's (`worker/metrics.py`); the queue's sizes at
scrape time are the API's (`api/metrics.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import prometheus_client
from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector

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


def serve_worker_metrics(host: str, port: int) -> Callable[[], None]:
    """Serve the worker's metrics over HTTP in a thread; returns the function that stops it."""
    server, thread = prometheus_client.start_http_server(port, host, registry=WORKER_REGISTRY)
    log.info("metrics at http://%s:%d/metrics", host, port)

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(5)

    return stop
