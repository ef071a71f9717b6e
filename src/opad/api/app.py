"""The API application factory and its lifespan (which builds the services)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from opad.api.body_limit import BodySizeLimit
from opad.api.errors import install_error_handlers
from opad.api.metrics import RequestMetrics
from opad.api.metrics import router as metrics_router
from opad.api.routes import articles, auth, jobs, meta, usage
from opad.api.routes import audio as audio_routes  # issue 13: a reading's audio
from opad.api.routes import daily as daily_routes  # issue 31: daily plans and feed
from opad.api.routes import local_data as local_data_routes  # issue 33: made before an account
from opad.api.routes import quiz as quiz_routes  # issue 13: comprehension questions
from opad.api.routes import readings as reading_routes  # issue 25: the typed reading
from opad.api.routes import review as review_routes  # issue 12: review and word stats
from opad.api.routes import words as learning_routes  # issue 12: the learner's side
from opad.api.security_headers import ApiSecurityHeaders
from opad.bootstrap import Services, build_services
from opad.db.migrate import ensure_current
from opad.services.accounts import prepare_logins
from opad.settings import Settings

log = logging.getLogger("opad.api")


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    """The API; builds its services at start-up unless given some (tests)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        svc = services or build_services(settings)
        ensure_current(svc.db.engine)
        prepare_logins()
        app.state.services = svc
        log.info("API ready (database %s)", svc.db.engine.url.render_as_string())
        try:
            yield
        finally:
            await svc.aclose_events()  # the SSE streams' client, if one was made
            if owned:
                svc.close()

    # Swagger UI from the fastapi-offline package, not a CDN: /docs works offline. No
    # /redoc: ReDoc's bundle still fetches its logo from its CDN.
    app = FastAPIOffline(
        redoc_url=None,
        title="OPAD API",
        version="0.1.0",
        description="Stores articles and enqueues their generation; see docs/protocol.md.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.add_middleware(RequestMetrics)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ApiSecurityHeaders)  # issue 30: on every answer, errors too
    # Outermost: the client's own address for everything inside (login throttling, audit
    # log), taken from X-Forwarded-For only when the web or a proxy we trust sends it.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
    app.include_router(meta.router)
    app.include_router(auth.router)
    app.include_router(local_data_routes.router)
    app.include_router(metrics_router)
    app.include_router(articles.router)
    app.include_router(reading_routes.router)
    app.include_router(audio_routes.router)
    app.include_router(jobs.router)
    app.include_router(usage.router)
    app.include_router(learning_routes.router)
    app.include_router(review_routes.router)
    app.include_router(quiz_routes.router)
    app.include_router(daily_routes.router)
    return app


def app_from_environment() -> FastAPI:
    """The API for one of `opad api --processes N`'s processes: settings from the
    environment (and .env), logging configured, services built by the lifespan."""
    from opad.logs import configure
    from opad.settings import get_settings

    settings = get_settings()
    configure(settings.log_level, settings.log_format)
    return create_app(settings)
