"""Accounts: register, log in (a personal API token), who am I, list and revoke tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status

from opad.api.deps import CallerDep, ServicesDep
from opad.api.schemas import (
    AccountUpdate,
    Credentials,
    ErrorOut,
    NewToken,
    TokenCreate,
    TokenOut,
    UserOut,
)
from opad.errors import Conflict, OpadError
from opad.services import accounts, limits

router = APIRouter(prefix="/auth", tags=["auth"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut},
    422: {"model": ErrorOut},
    429: {"model": ErrorOut},
}


class RegistrationClosed(OpadError):
    status_code = 403
    error = "registration closed"


def _ip(request: Request) -> str:
    # The real client's address (the proxy-headers middleware resolved trusted proxies).
    return request.client.host if request.client else "-"


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses={403: {"model": ErrorOut}, 409: {"model": ErrorOut}, **ERRORS},
)
def register(body: Credentials, request: Request, services: ServicesDep) -> dict[str, Any]:
    """Create an account (when registration is open).

    409 says the email has an account; each one counts as a failed sign-in of the client
    (429 past OPAD_LOGIN_MAX_FAILURES_PER_ADDRESS), so asking which emails have accounts
    is throttled like guessing passwords.
    """
    if not services.settings.registration_open:
        raise RegistrationClosed("registration is closed: ask an administrator for an account")
    ip = _ip(request)
    limits.check_registration(services, ip)
    try:
        user = accounts.create_user(services, body.email, body.password)
    except Conflict:
        limits.record_registration_taken(services, ip)
        raise
    return accounts.user_out(user)


@router.post("/login", response_model=NewToken, responses=ERRORS)
def login(body: Credentials, request: Request, services: ServicesDep) -> dict[str, Any]:
    """Exchange email and password for a new personal API token (shown once)."""
    ip = _ip(request)
    limits.check_login(services, body.email, ip)
    try:
        user = accounts.authenticate(services, body.email, body.password)
    except accounts.InvalidCredentials:
        limits.record_login_failure(services, body.email, ip)
        raise
    limits.clear_login_failures(services, body.email, ip)
    token, secret = accounts.issue_token(
        services,
        user.id,
        body.token_name or "login",
        kind="session" if body.session else "personal",
        expires_in_days=None if body.session else body.expires_in_days,
    )
    return {
        "token": secret,
        **accounts.list_tokens_one(services, token),
        "user": accounts.user_out(user),
    }


@router.get("/me", response_model=UserOut, responses=ERRORS)
def me(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """The signed-in user."""
    user = accounts.user_by_id(services, caller.id)
    if user is None:  # deleted between the token check and now
        raise accounts.TokenRejected("the account no longer exists")
    return accounts.user_out(user)


@router.patch("/me", response_model=UserOut, responses=ERRORS)
def update_me(body: AccountUpdate, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Change the signed-in user's settings: the time zone their days are counted in."""
    return accounts.user_out(accounts.set_time_zone(services, caller.id, body.time_zone))


@router.get("/tokens", response_model=list[TokenOut], responses=ERRORS)
def tokens(caller: CallerDep, services: ServicesDep) -> list[dict[str, Any]]:
    """Your personal API tokens (never their secrets)."""
    return accounts.list_tokens(services, caller.id)


@router.post(
    "/tokens", status_code=status.HTTP_201_CREATED, response_model=NewToken, responses=ERRORS
)
def new_token(body: TokenCreate, caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """A new named token for the signed-in user (shown once)."""
    token, secret = accounts.issue_token(
        services, caller.id, body.name, expires_in_days=body.expires_in_days
    )
    user = accounts.user_by_id(services, caller.id)
    return {
        "token": secret,
        **accounts.list_tokens_one(services, token),
        "user": accounts.user_out(user) if user else None,
    }


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={404: {"model": ErrorOut}, **ERRORS},
)
def revoke(token_id: str, caller: CallerDep, services: ServicesDep) -> Response:
    """Revoke one of your tokens."""
    accounts.revoke_token(services, caller.id, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
