"""FastAPI dependencies as Annotated aliases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import redis.asyncio
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from opad.bootstrap import Services
from opad.db.session import Database
from opad.errors import OpadError
from opad.queue.redis_queue import JobQueue
from opad.services.accounts import caller_for_token
from opad.users import LOCAL_EMAIL, LOCAL_USER_ID

# The dependencies are `async def` though they do no I/O of their own: FastAPI runs a sync
# dependency in its thread pool, a hand-off per dependency per request (docs/benchmarks.md §1).


async def get_services(request: Request) -> Services:
    """The services built by the app's lifespan."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_database(services: ServicesDep) -> Database:
    """The process's database (sessions are opened by the service that needs one)."""
    return services.db


async def get_queue(services: ServicesDep) -> JobQueue:
    """The process's job queue (its one synchronous Redis client)."""
    return services.queue


async def get_events(services: ServicesDep) -> redis.asyncio.Redis:
    """The process's asyncio Redis client, for pub/sub (event streams)."""
    return services.events()


DatabaseDep = Annotated[Database, Depends(get_database)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]
EventsDep = Annotated[redis.asyncio.Redis, Depends(get_events)]


class Unauthorized(OpadError):
    status_code = 401
    error = "unauthorized"


@dataclass(frozen=True)
class Caller:
    """Who is calling, and from where (for ownership checks and the audit log)."""

    id: str
    email: str
    is_admin: bool
    ip: str
    # Whose records this caller may see: their own; None on a local install without
    # sign-in, where the one local user sees everything (jobs pushed by scripts too).
    scope: str | None
    # The bearer token's id (None without one): long requests end when it is revoked.
    token_id: str | None = None


async def get_caller(request: Request, services: ServicesDep) -> Caller:
    """The user behind the bearer token; on a local install without one, the local user.

    The address is the real client's: ProxyHeadersMiddleware has already replaced the
    connecting peer by X-Forwarded-For when the peer is a trusted proxy (OPAD_TRUSTED_PROXIES).
    """
    ip = request.client.host if request.client else "-"
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if header:
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("use Authorization: Bearer <token>")
        # A database read and write: in the thread pool, off the event loop.
        user, token_id = await run_in_threadpool(caller_for_token, services, token.strip())
        return Caller(user.id, user.email, user.is_admin, ip, user.id, token_id)
    if services.settings.auth_required:
        raise Unauthorized(
            "sign in first: POST /auth/login, then send Authorization: Bearer <token>"
        )
    return Caller(LOCAL_USER_ID, LOCAL_EMAIL, True, ip, None)


CallerDep = Annotated[Caller, Depends(get_caller)]
