"""The account page: who you are, and your sign-ins and API tokens, to see and revoke."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from opad.web.api_client import InputRejected, NotFound, valid_id
from opad.web.deps import Api, Form, SessionDep, login_url, page, sentence

router = APIRouter()

# How a learner reads each kind and state of token.
KIND_LABEL = {"session": "Browser sign-in", "personal": "API token"}
STATE_LABEL = {"active": "Active", "expired": "Expired", "revoked": "Revoked"}


async def _account_page(
    request: Request,
    api: Api,
    session: SessionDep,
    *,
    new_token: dict[str, Any] | None = None,
    message: str | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    me = await api.me()
    tokens = await api.tokens()
    # Live ones first (newest first), then the rest, so what can still be used is on top.
    tokens.sort(key=lambda t: str(t.get("created_at")), reverse=True)
    tokens.sort(key=lambda t: t.get("state") != "active")
    for token in tokens:
        token["kind_label"] = KIND_LABEL.get(token.get("kind", ""), "API token")
        token["state_label"] = STATE_LABEL.get(token.get("state", ""), "Active")
        token["this_browser"] = token.get("id") == session.token_id
    from opad.web.routes.account import _local_data

    context = {
        "me": me,
        # Readings made here before the account, still to move in ("Not now" earlier).
        "local_data": await _local_data(api),
        "tokens": tokens,
        "new_token": new_token,
        "message": message,
        "errors": errors or {},
    }
    response = page(request, "account.html", context, status_code=status_code)
    # A new token's secret is shown here once, and the page lists every sign-in: no
    # browser cache (back button, shared computer) or proxy may keep a copy.
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/account")
async def account(request: Request, api: Api, session: SessionDep) -> Response:
    """Your account: email, since when, and every sign-in and token with its state."""
    if not session.signed_in:
        return RedirectResponse(login_url("/account"), status_code=303)
    return await _account_page(request, api, session)


@router.post("/account/tokens")
async def create_token(request: Request, api: Api, session: SessionDep, form: Form) -> Response:
    """Make a personal API token (for the CLI or a script); its secret is shown once."""
    if not session.signed_in:
        return RedirectResponse(login_url("/account"), status_code=303)
    name = form.get("name", "").strip()
    days_text = form.get("expires_in_days", "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Give the token a name, so you can recognise it later."
    days: int | None = None
    if days_text:
        if not days_text.isdigit() or not 1 <= int(days_text) <= 3650:
            errors["expires_in_days"] = "Enter a number of days from 1 to 3650, or leave empty."
        else:
            days = int(days_text)
    if errors:
        return await _account_page(request, api, session, errors=errors, status_code=422)
    try:
        made = await api.create_token(name, days)
    except InputRejected as exc:
        fields = exc.fields or {"name": sentence(exc.detail)}
        return await _account_page(request, api, session, errors=fields, status_code=422)
    return await _account_page(request, api, session, new_token=made, status_code=201)


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(
    request: Request, token_id: str, api: Api, session: SessionDep, form: Form
) -> Response:
    """Revoke one of your tokens; revoking this browser's own sign-in signs it out."""
    if not session.signed_in:
        return RedirectResponse(login_url("/account"), status_code=303)
    if not valid_id(token_id):
        raise NotFound(token_id)
    await api.revoke_token(token_id)
    if token_id == session.token_id:
        session.clear()
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/time-zone")
async def set_time_zone(request: Request, api: Api, session: SessionDep, form: Form) -> Response:
    """Change the time zone the learner's days are counted in."""
    if not session.signed_in:
        return RedirectResponse(login_url("/account"), status_code=303)
    try:
        await api.set_time_zone(form.get("time_zone", ""))
    except InputRejected as exc:
        errors = {"time_zone": exc.fields.get("time_zone") or exc.detail}
        return await _account_page(request, api, session, errors=errors, status_code=422)
    return RedirectResponse("/account", status_code=303)
