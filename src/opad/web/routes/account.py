"""Signing in, registering and signing out: the API issues the token, the cookie keeps it."""

from __future__ import annotations

import contextlib
import logging
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from opad.web.api_client import (
    ApiClient,
    ApiError,
    ApiUnavailable,
    InputRejected,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from opad.web.deps import Api, Form, SessionDep, auth_required, page, safe_next, sentence

router = APIRouter()
log = logging.getLogger("opad.web")

# Names the token on the account's token list, so the learner can tell it from CLI ones.
TOKEN_NAME = "web sign-in"
SIGN_IN_ENDED = (
    "Your sign-in has ended (it was not used for a long time, or was signed out from your "
    "account page). Please sign in again."
)


def _wait_message(exc: TooManyRequests) -> str:
    if not exc.retry_after:
        return sentence(exc.detail)
    minutes = -(-exc.retry_after // 60)
    when = f"{exc.retry_after} seconds" if exc.retry_after < 120 else f"{minutes} minutes"
    return sentence(f"{exc.detail} (in about {when})")


def _form(
    request: Request,
    template: str,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    message: str | None = None,
    status_code: int = 200,
) -> Response:
    errors = errors or {}
    context: dict[str, Any] = {
        "values": values,
        "errors": errors,
        "message": message,
        "general_errors": [
            msg for name, msg in errors.items() if name not in ("email", "password")
        ],
        "next": safe_next(values.get("next"), default=""),
    }
    return page(request, template, context, status_code=status_code)


async def _sign_in(
    api: Api, session: SessionDep, email: str, password: str, next_path: str, time_zone: str = ""
) -> Response:
    answer = await api.as_user(None).login(email, password, TOKEN_NAME, session=True)
    user = answer.get("user") or {}
    await _revoke_session_token(api, session)  # the cookie is about to hold a new one
    session.sign_in(str(answer["token"]), answer.get("id"), user.get("email") or email)
    if time_zone and not user.get("time_zone"):
        # The browser's zone, until the learner chooses one (a wrong or unknown name
        # is not worth failing a sign-in for).
        with contextlib.suppress(ApiError, ApiUnavailable, InputRejected, Unauthorized):
            await api.as_user(session.token).set_time_zone(time_zone)
    return RedirectResponse(safe_next(next_path), status_code=303)


async def _revoke_session_token(api: Api, session: SessionDep) -> None:
    """Revoke the token this browser's cookie holds, before the cookie forgets it (a new
    sign-in or a sign-out): a token no cookie holds any more must not stay usable."""
    if not (session.token and session.token_id):
        return
    try:
        await api.as_user(session.token).revoke_token(session.token_id)
    except (Unauthorized, NotFound):
        pass  # already expired or revoked elsewhere: nothing left to revoke
    except (ApiError, ApiUnavailable) as exc:
        # The cookie changes anyway; the token stays listed for the learner to revoke,
        # and expires by itself after OPAD_SESSION_IDLE_DAYS unused.
        log.warning("could not revoke web token %s: %s", session.token_id, exc)


@router.get("/login")
async def login_form(request: Request, next: str = "", ended: str = "") -> Response:
    """The sign-in form (`ended`: the browser's sign-in expired or was revoked)."""
    message = SIGN_IN_ENDED if ended else None
    return _form(request, "login.html", {"email": "", "next": next}, message=message)


@router.post("/login")
async def login(request: Request, api: Api, session: SessionDep, form: Form) -> Response:
    """Exchange email and password for an API token kept in the session cookie."""
    values = {"email": form.get("email", "").strip(), "next": form.get("next", "")}
    try:
        return await _sign_in(
            api, session, values["email"], form.get("password", ""), values["next"],
            form.get("time_zone", ""),
        )  # fmt: skip
    except Unauthorized:
        return _form(request, "login.html", values, message="Wrong email or password.",
                     status_code=401)  # fmt: skip
    except TooManyRequests as exc:
        return _form(request, "login.html", values, message=_wait_message(exc), status_code=429)
    except InputRejected as exc:
        errors = exc.fields or {"body": exc.detail}
        return _form(request, "login.html", values, errors, status_code=422)


@router.get("/register")
async def register_form(request: Request, next: str = "") -> Response:
    """The registration form (the API says on submit whether registration is open)."""
    return _form(request, "register.html", {"email": "", "next": next})


@router.post("/register")
async def register(request: Request, api: Api, session: SessionDep, form: Form) -> Response:
    """Create an account through the API, then sign it in."""
    values = {"email": form.get("email", "").strip(), "next": form.get("next", "")}
    password = form.get("password", "")
    anonymous = api.as_user(None)
    try:
        await anonymous.register(values["email"], password)
        zone = form.get("time_zone", "")
        signed_in = await _sign_in(api, session, values["email"], password, values["next"], zone)
        # Readings and words made before this account (a local install): offer to move
        # them in, instead of letting them seem gone (issue 33).
        found = await _local_data(api.as_user(session.token))
        if found.get("can_move"):
            return RedirectResponse("/account/local-data", status_code=303)
        return signed_in
    except InputRejected as exc:
        errors = exc.fields or {"body": exc.detail}
        return _form(request, "register.html", values, errors, status_code=422)
    except TooManyRequests as exc:
        return _form(request, "register.html", values, message=_wait_message(exc),
                     status_code=429)  # fmt: skip
    except ApiError as exc:
        if exc.status_code == 409:
            errors = {"email": "An account with this email exists already. Sign in instead?"}
            return _form(request, "register.html", values, errors, status_code=409)
        if exc.status_code == 403:
            # Registration is closed: show the API's own words (who to ask for an account).
            message = sentence(exc.detail)
            return _form(request, "register.html", values, message=message, status_code=403)
        raise


async def _local_data(api: ApiClient) -> dict[str, Any]:
    """GET /account/local-data ({} from an API without it: nothing is offered)."""
    try:
        return dict((await api._request("GET", "/account/local-data")).json())
    except (ApiError, NotFound, Unauthorized):
        return {}


@router.get("/account/local-data")
async def local_data_page(request: Request, api: Api, moved: str = "") -> Response:
    """What was made here before the account, with one button to move it in."""
    context = {"found": await _local_data(api), "moved": moved}
    return page(request, "local_data.html", context)


@router.post("/account/local-data/move")
async def move_local_data(api: Api, _form: Form) -> Response:
    """Move the readings and words made without an account into this one."""
    result = (await api._request("POST", "/account/local-data/move")).json()
    query = urlencode({"moved": f"{result['readings']},{result['words']}"})
    return RedirectResponse(f"/account/local-data?{query}", status_code=303)


@router.post("/logout")
async def logout(request: Request, api: Api, session: SessionDep, _form: Form) -> Response:
    """Revoke this browser's token at the API and forget the session."""
    await _revoke_session_token(api, session)
    session.clear()
    return RedirectResponse("/login" if auth_required(request) else "/", status_code=303)
