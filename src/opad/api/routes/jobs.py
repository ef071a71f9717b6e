"""Jobs: live status, and a Server-Sent Events stream of its changes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import anyio
import redis
from fastapi import APIRouter
from pydantic import ValidationError
from sse_starlette import EventSourceResponse, ServerSentEvent

from opad.api.deps import CallerDep, DatabaseDep, EventsDep, QueueDep, ServicesDep
from opad.api.schemas import ErrorOut, JobOut, WorkerOut
from opad.queue.protocol import events_channel, reading_channel
from opad.queue.status import LiveStatus
from opad.queue.workers import live_workers
from opad.services.accounts import revoked_channel, token_live
from opad.services.jobs import cancel_job, check_job_owner, read_job

router = APIRouter(tags=["jobs"])

HEARTBEAT_SECONDS = 15.0
# Plain "\n" line ends, as the stream has always had (the library defaults to "\r\n").
_SEP = "\n"


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    responses={404: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)
def get_job(job_id: str, caller: CallerDep, db: DatabaseDep, queue: QueueDep) -> LiveStatus:
    """The job's status, progress and message (the JSON of opad:job:{id})."""
    return read_job(db, queue, job_id, caller.scope)


@router.post(
    "/jobs/{job_id}/cancel",
    response_model=JobOut,
    responses={404: {"model": ErrorOut}, 409: {"model": ErrorOut}, 503: {"model": ErrorOut}},
)
def cancel(job_id: str, caller: CallerDep, db: DatabaseDep, queue: QueueDep) -> LiveStatus:
    """Cancel a queued job (it never runs) or a running one (it stops at its next step)."""
    return cancel_job(db, queue, job_id, caller.scope)


@router.get("/workers", response_model=list[WorkerOut], responses={503: {"model": ErrorOut}})
def workers(caller: CallerDep, queue: QueueDep) -> list[dict[str, Any]]:
    """Live workers, from their heartbeats."""
    return live_workers(queue)


def _event(status: LiveStatus) -> ServerSentEvent:
    return ServerSentEvent(status.to_json(), event="status", sep=_SEP)


def _reading_event(data: str | bytes) -> ServerSentEvent:
    # Relayed as published ({"id", "text"}): one line of JSON, so one SSE data line.
    body = data.decode() if isinstance(data, bytes) else data
    return ServerSentEvent(body, event="reading", sep=_SEP)


def _ping() -> ServerSentEvent:
    return ServerSentEvent(comment="ping", sep=_SEP)


@router.get(
    "/jobs/{job_id}/events",
    response_class=EventSourceResponse,
    responses={
        200: {
            "description": (
                "`event: status` with the job's status JSON at each change; ends when final. "
                "While the crew writes: `event: reading` with {id, text}, the text so far"
            ),
            "content": {
                "text/event-stream": {
                    "schema": {
                        "type": "object",
                        "description": "One Server-Sent Event: `status` with the job's status JSON",
                        "properties": {"event": {"type": "string"}, "data": {"type": "string"}},
                    }
                }
            },
        },
        404: {"model": ErrorOut},
        503: {"model": ErrorOut},
    },
)
async def job_events(
    job_id: str,
    caller: CallerDep,
    db: DatabaseDep,
    queue: QueueDep,
    events: EventsDep,
    services: ServicesDep,
) -> EventSourceResponse:
    """Server-Sent Events: the current status, then every change until a terminal state."""
    await asyncio.to_thread(check_job_owner, db, job_id, caller.scope)
    pubsub = events.pubsub()
    revoked = revoked_channel(caller.token_id) if caller.token_id else None
    try:
        # Subscribe before reading, so no change can slip between the read and the stream.
        # A RedisError is the API's one 503 (api/errors.py).
        channels = [events_channel(job_id), reading_channel(job_id)]
        await pubsub.subscribe(*channels, *([revoked] if revoked else []))
        current = await asyncio.to_thread(read_job, db, queue, job_id)
    except BaseException:
        await pubsub.aclose()
        raise

    async def stream() -> AsyncIterator[ServerSentEvent]:
        # A client that goes away cancels this generator (EventSourceResponse watches for
        # the disconnect); the finally clause then closes the subscription.
        last = current
        try:
            yield _event(last)
            while not last.is_terminal:
                message = await pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=HEARTBEAT_SECONDS
                )
                if message is None:
                    # Quiet for a while: re-read in case a message was missed (pub/sub is
                    # fire-and-forget). The heartbeat comments come from the response's ping.
                    if caller.token_id and not await asyncio.to_thread(
                        token_live, services, caller.token_id
                    ):
                        return  # revoked or expired meanwhile (and its message was missed)
                    fresh = await asyncio.to_thread(read_job, db, queue, job_id)
                    if fresh != last:
                        last = fresh
                        yield _event(last)
                    continue
                if message["channel"] == revoked:
                    return  # the token was revoked (or its browser signed out): stop here
                if message["channel"] == reading_channel(job_id):
                    yield _reading_event(message["data"])
                    continue
                try:
                    last = LiveStatus.parse(message["data"])
                except ValidationError:
                    continue  # not a status (a producer's broken write): nothing to show
                yield _event(last)
        except redis.RedisError:
            return  # the client reconnects (EventSource does) or falls back to polling
        finally:
            # Shielded: on a disconnect the response's cancel scope is still cancelling,
            # and would otherwise interrupt the close half-way.
            with anyio.CancelScope(shield=True):
                await pubsub.aclose()

    return EventSourceResponse(
        stream(),
        headers={"Cache-Control": "no-cache"},
        ping=HEARTBEAT_SECONDS,
        ping_message_factory=_ping,
        sep=_SEP,
    )
