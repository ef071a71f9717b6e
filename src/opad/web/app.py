"""The web application factory: templates, static files, routes and the error pages."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from opad.http_methods import allowed_methods
from opad.languages import find_language
from opad.settings import Settings
from opad.states import TERMINAL
from opad.web.api_client import (
    ApiClient,
    ApiError,
    ApiUnavailable,
    InputRejected,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from opad.web.deps import CsrfRejected, FormTooLarge, login_url, page, sentence
from opad.web.routes import (
    account,
    articles,
    audio,  # issue 13: a reading's audio
    generate,
    jobs,
    library,
    tokens,
    usage,
)
from opad.web.routes import daily as daily_pages  # issue 31: daily plans and feed
from opad.web.routes import quiz as quiz_pages  # issue 13: comprehension questions
from opad.web.routes import words as learning_pages  # issue 12: the learner's side
from opad.web.session import SessionCodec, SessionMiddleware, get_session
from opad.wording import as_sentence

HERE = Path(__file__).parent
log = logging.getLogger("opad.web")
# Everything is served from our own origin; nothing inline, so a stray script cannot run.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        b"form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI, so SSE streams pass through)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap `send` to add the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def format_date(value: str | None, with_time: bool = False) -> str:
    """An ISO 8601 timestamp as '18 April 2026' (and ', 14:03 UTC' with the time)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    text = f"{moment.day} {moment:%B %Y}"
    if with_time:
        zone = moment.tzname() or ""
        text += f", {moment:%H:%M} {zone}".rstrip()
    return text


def format_usd(value: float | None) -> str:
    """US dollars for a learner: '$0.0042' below a cent (readings cost fractions of one),
    '$1.25' above."""
    if value is None:
        return ""
    if value == 0:
        return "$0"
    return f"${value:.4f}" if value < 0.01 else f"${value:,.2f}"


def length_unit(language: str) -> str:
    """What a reading's length counts in `language` (name or code): "characters" in
    Korean, Japanese and Chinese, else "words" (opad.languages, as the engines count)."""
    found = find_language(language or "")
    return found.length_unit if found else "words"


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    # A content hash in static URLs lets browsers cache them forever yet see every change.
    versions = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in (HERE / "static").iterdir()
        if path.is_file()
    }
    env = templates.env
    env.globals["static_url"] = lambda name: f"/static/{name}?v={versions.get(name, '0')}"
    # The one terminal set (opad/states.py), for app.js to read from a <meta>.
    env.globals["terminal_statuses"] = " ".join(sorted(TERMINAL))
    env.filters["date"] = format_date
    env.filters["usd"] = format_usd
    env.filters["length_unit"] = length_unit
    env.filters["sentence"] = as_sentence  # notices stored before they were sentences
    env.trim_blocks = env.lstrip_blocks = True
    return templates


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.endswith(".json") or path.endswith("/events")


def _error(
    request: Request,
    status: int,
    title: str,
    message: str,
    headers: dict[str, str] | None = None,
    **extra: str,
) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": title, "detail": message}, status, headers)
    context = {"status": status, "title": title, "message": message, **extra}
    response = page(request, "error.html", context, status_code=status)
    response.headers.update(headers or {})
    return response


def _back_to(request: Request) -> str:
    """Where to return after signing in: this page, or for a form post the page it was on."""
    path = request.url.path
    if request.method == "GET":
        return path + (f"?{request.url.query}" if request.url.query else "")
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "articles":
        return f"/articles/{parts[2]}"
    return "/"


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(ApiUnavailable)
    async def api_unavailable(request: Request, exc: ApiUnavailable) -> Response:
        return _error(
            request,
            503,
            "The OPAD API is not reachable",
            f"The web page could not get an answer from the OPAD API at {exc.api_url} "
            f"({exc.reason}).",
            api_url=exc.api_url,
        )

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, "Not found", "There is no such article or job.")

    @app.exception_handler(Unauthorized)
    async def unauthorized(request: Request, exc: Unauthorized) -> Response:
        session = get_session(request)
        ended = session.signed_in
        if ended:
            session.drop_token()  # expired or revoked: sign in again
        else:
            # An anonymous call refused: the API wants sign-in (also in a split deployment
            # whose web was started without OPAD_ENV=production).
            request.app.state.auth_required = True
        if _wants_json(request):
            return JSONResponse({"error": "unauthorized", "detail": "sign in first"}, 401)
        url = login_url(_back_to(request))
        if ended:  # the sign-in page says why the learner is there again
            url += ("&" if "?" in url else "?") + "ended=1"
        return RedirectResponse(url, status_code=303)

    @app.exception_handler(TooManyRequests)
    async def too_many(request: Request, exc: TooManyRequests) -> Response:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return _error(request, 429, "Please wait a little", sentence(exc.detail), headers)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        if exc.status_code == 413:
            return _error(request, 413, "Too large", f"The API refused it: {exc.detail}.")
        if exc.status_code == 403:
            return _error(request, 403, "Not allowed", exc.detail)
        return _error(request, 502, "The API returned an error", exc.detail)

    @app.exception_handler(InputRejected)
    async def input_rejected(request: Request, exc: InputRejected) -> Response:
        # The form shows these by its fields; elsewhere (e.g. "Try again") on a page.
        message = "; ".join(exc.fields.values()) or exc.detail
        return _error(request, 422, "This reading cannot be made", sentence(message))

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request: Request, exc: CsrfRejected) -> Response:
        ip = request.client.host if request.client else "-"
        log.warning("form refused: bad CSRF token path=%s ip=%s", request.url.path, ip)
        return _error(
            request,
            403,
            "The form expired, reload and try again",
            "This form belongs to an earlier visit (or another site sent it). Go back, "
            "reload the page and send the form again.",
        )

    @app.exception_handler(FormTooLarge)
    async def form_too_large(request: Request, exc: FormTooLarge) -> Response:
        return _error(request, 413, "Too large", "The form is larger than any OPAD form sends.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error(request, 404, "Not found", "There is no page at this address.")
        page = _error(request, exc.status_code, "Request not accepted", str(exc.detail))
        if exc.status_code == 405:  # RFC 9110 §15.5.6: a 405 names the methods allowed
            page.headers["Allow"] = allowed_methods(request)
        return page


def create_app(settings: Settings) -> FastAPI:
    """Build the web application; it reaches the API at settings.api_url.

    Raises ValueError in production without a secret key (sessions could be forged).
    """
    settings.check_production()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.api = ApiClient(settings.api_url)
        try:
            yield
        finally:
            await app.state.api.aclose()

    app = FastAPI(
        title="OPAD web", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.settings = settings
    app.state.templates = _templates()
    app.state.sessions = codec = SessionCodec(settings)
    # Known from the settings when web and API share them (`opad up`, one .env); otherwise
    # learned from the API's first 401 to an anonymous call.
    app.state.auth_required = settings.auth_required
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (
        generate,
        jobs,
        articles,
        library,
        account,
        tokens,
        learning_pages,
        quiz_pages,
        audio,
        usage,
        daily_pages,
    ):
        app.include_router(module.router)
    _install_error_pages(app)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """The icon, for browsers and tools that ask for it before reading the page."""
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    @app.get("/health")
    def health() -> dict[str, str]:
        """Liveness of the web process itself (it does not check the API)."""
        return {"status": "ok"}

    app.add_middleware(SessionMiddleware, codec=codec)
    app.add_middleware(SecurityHeaders)
    # The browser's address behind a trusted reverse proxy; the web passes it on to the API.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
    return app
