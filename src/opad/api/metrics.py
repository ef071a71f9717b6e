"""The API's `/metrics` endpoint and the middleware that counts its requests."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opad.api.deps import ServicesDep
from opad.metrics import HTTP_REQUESTS, render_api_metrics

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
