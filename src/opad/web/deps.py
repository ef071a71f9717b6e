"""FastAPI dependencies of the web routes, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from opad.web.api_client import ApiClient
from opad.web.session import CSRF_FIELD, Session, SessionCodec, get_session

# The longest text a learner may paste is capped by the API; percent-encoding can make
# a form body up to three times that, so this only stops bodies no form could produce.
FORM_BYTES_FACTOR = 3


class CsrfRejected(Exception):
    """A form post without this session's CSRF token (stale page, or another site)."""


class FormTooLarge(Exception):
    """A form body larger than any of our forms can send."""


def get_api(request: Request) -> ApiClient:
    """The API client, sending this browser's token when it is signed in, and its address
    (already resolved through trusted proxies) for the API's per-address limits."""
    api: ApiClient = request.app.state.api
    address = request.client.host if request.client else None
    return api.as_user(get_session(request).token).for_client(address)


def auth_required(request: Request) -> bool:
    """Whether the API wants a sign-in: configured so, or learned from an anonymous 401."""
    return bool(request.app.state.auth_required)


async def get_form(request: Request) -> dict[str, str]:
    """The urlencoded form body as {name: last value}, after origin and CSRF checks.

    Parsed by hand because the forms are plain urlencoded posts (no file uploads), which
    spares a multipart dependency.
    """
    _check_same_origin(request)
    limit = request.app.state.settings.max_body_bytes * FORM_BYTES_FACTOR
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise FormTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise FormTooLarge
    raw = body.decode("utf-8", errors="replace")
    form = {key: values[-1] for key, values in parse_qs(raw, keep_blank_values=True).items()}
    codec: SessionCodec = request.app.state.sessions
    if not codec.csrf_ok(get_session(request), form.get(CSRF_FIELD)):
        raise CsrfRejected
    return form


def _check_same_origin(request: Request) -> None:
    # Besides the CSRF token: browsers say where a post comes from, so refuse other sites
    # early (and also where a token could somehow have leaked).
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(status_code=403, detail="cross-site form posts are not accepted")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            raise HTTPException(status_code=403, detail="cross-origin form posts are not accepted")


def safe_next(value: str | None, default: str = "/") -> str:
    """A same-site path to go to after signing in, or `default` (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path in ("/login", "/logout", "/register"):
        return default
    return value


def login_url(next_path: str | None) -> str:
    """The sign-in page, coming back to `next_path` afterwards (when it is one of ours)."""
    target = safe_next(next_path, default="")
    return "/login" + (f"?{urlencode({'next': target})}" if target else "")


def sentence(text: str) -> str:
    """An API message as a sentence: capitalized, with a full stop."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """Render a full page template, with the session's user and CSRF token for its forms."""
    templates: Jinja2Templates = request.app.state.templates
    session: Session = get_session(request)
    codec: SessionCodec = request.app.state.sessions
    common = {
        "csrf_token": codec.csrf_token(session),
        "user_email": session.email if session.signed_in else None,
        "show_sign_in": not session.signed_in and auth_required(request),
    }
    return templates.TemplateResponse(
        request, name, {**common, **(context or {})}, status_code=status_code
    )


Api = Annotated[ApiClient, Depends(get_api)]
Form = Annotated[dict[str, str], Depends(get_form)]
SessionDep = Annotated[Session, Depends(get_session)]
