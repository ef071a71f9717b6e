"""The API's `/metrics` endpoint, the queue's sizes read at scrape time, and the
middleware that counts its requests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import prometheus_client
import redis
from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opad.api.deps import ServicesDep
from opad.metrics import API_REGISTRY, HTTP_REQUESTS
from opad.queue.protocol import DEAD_KEY, DELAYED_KEY, QUEUE_KEY, WORKERS_KEY, processing_key
from opad.queue.redis_queue import JobQueue

log = logging.getLogger("opad.metrics")

router = APIRouter(tags=["meta"])


@router.get("/metrics", include_in_schema=False)
def metrics(services: ServicesDep) -> Response:
    """Prometheus metrics: requests, jobs enqueued, and the queue's sizes now."""
    return Response(render_api_metrics(services.queue), media_type=CONTENT_TYPE_LATEST)


class RequestMetrics:
    """Counts each request by route template (not raw path: ids would explode the label
    set); pure ASGI, so the SSE streams pass through untouched and count when they end."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; count it once the response has started (or failed)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # an exception that escapes becomes a 500 outside this middleware

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            # The router records the matched route in the scope it shares with us.
            route = getattr(scope.get("route"), "path", "<unmatched>")
            HTTP_REQUESTS.labels(scope["method"], route, str(status)).inc()


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
