"""Profile POST /generate in one thread with pyinstrument (not part of `make bench`).

    uv pip install pyinstrument   # once; a profiling tool, not a dependency of OPAD
    python -m bench.profile_accept [sqlite|postgresql] [REQUESTS]

The API runs in-process behind httpx's ASGI transport, with FastAPI's thread hand-off
replaced by a direct call so that the sync endpoint runs in the profiled thread: the profile
shows the whole request path (middleware, validation, dependencies, SQLAlchemy, Redis),
without uvicorn's HTTP parsing, which the bare endpoint pays as well. Prints the profile
and the mean time per request (ms).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import migrated_services, new_pg_database, opad_env, private_redis

BODY = {"language": "English", "level": "B1", "length": 200, "topic": "city parks"}
PG = os.environ.get("OPAD_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def _inline(func: Any, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def _run_inline() -> None:
    """Run sync endpoints and dependencies in the calling thread (profiled)."""
    import fastapi.dependencies.utils
    import fastapi.routing

    fastapi.routing.run_in_threadpool = _inline  # type: ignore[assignment]
    fastapi.dependencies.utils.run_in_threadpool = _inline  # type: ignore[attr-defined]


async def _drive(app: Any, requests: int) -> float:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
        for _ in range(50):  # warm-up: first connections, lazy imports
            assert (await client.post("/generate", json=BODY)).status_code == 202
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        start = time.perf_counter()
        with profiler:
            for _ in range(requests):
                resp = await client.post("/generate", json=BODY)
                assert resp.status_code == 202, resp.text
        per_request = (time.perf_counter() - start) / requests * 1000
    show_all = os.environ.get("PROFILE_ALL") == "1"
    print(profiler.output_text(unicode=True, color=False, show_all=show_all))
    return per_request


def main(backend: str, requests: int) -> None:
    from opad.api.app import create_app
    from opad.settings import Settings

    _run_inline()
    with private_redis() as server:
        folder = Path(tempfile.mkdtemp(prefix="opad-profile-"))
        extra, drop = {}, None
        if backend == "postgresql":
            url, drop = new_pg_database(PG)
            extra = {"DATABASE_URL": url}
        env = opad_env(folder, server.url, **extra)
        services = migrated_services(env)
        values = {k: v for k, v in env.items() if k.startswith(("OPAD_", "REDIS_", "DATABASE_"))}
        app = create_app(Settings(_env_file=None, **values), services)  # type: ignore[arg-type]
        app.state.services = services  # ASGITransport sends no lifespan events
        try:
            per_request = asyncio.run(_drive(app, requests))
            print(f"{backend}: {per_request:.2f} ms per POST /generate (one at a time)")
        finally:
            services.close()
            if drop:
                drop()


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0] if args else "sqlite", int(args[1]) if len(args) > 1 else 500)
