"""Users and personal API tokens: registration, login, token checks, revocation.

Passwords are hashed with Argon2id (argon2-cffi). API tokens are random 256-bit strings
shown once; the database keeps only their SHA-256, so a leaked database holds no usable
token, and a lookup by hash is a constant-time comparison by construction.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Literal

import redis
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from opad.bootstrap import Services
from opad.db.models import ApiToken, User, utcnow
from opad.errors import Conflict, NotFound, OpadError
from opad.identifiers import InvalidIdentifier, canonical_email
from opad.learner_time import check_zone

log = logging.getLogger("opad.accounts")
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so both cases take the same time. Made
    by the API at start (`prepare_logins`), not at import: every process that imports this
    module (workers, the CLI) paid ~0.5 s and 64 MiB of argon2 memory for it."""
    return _hasher.hash("opad-dummy-password")


def prepare_logins() -> None:
    """Make the dummy hash now, so the first login with an unknown email takes no longer
    than one with a known email (it would make the hash, then verify against it)."""
    _dummy_hash()


TOKEN_PREFIX = "opad_"
TokenKind = Literal["session", "personal"]
MIN_PASSWORD = 10


class InvalidCredentials(OpadError):
    status_code = 401
    error = "unauthorized"


class TokenRejected(OpadError):
    """A bearer token that does not (or no longer) open the door: says why, in plain words."""

    status_code = 401
    error = "unauthorized"


class InvalidAccountInput(OpadError):
    status_code = 422
    error = "invalid input"


def normalize_email(email: str) -> str:
    """The one stored and compared form (`identifiers.canonical_email`: NFKC, case-folded,
    IDNA domain); 422 naming the field for an invisible character or a non-address."""
    try:
        return canonical_email(email)
    except InvalidIdentifier as exc:
        error = InvalidAccountInput(str(exc))
        error.field = "email"
        raise error from None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(services: Services, email: str, password: str, *, is_admin: bool = False) -> User:
    """A new user (409 if the email is taken)."""
    email = normalize_email(email)
    if len(password) < MIN_PASSWORD:
        raise InvalidAccountInput(f"password: must be at least {MIN_PASSWORD} characters")
    taken = Conflict(f"a user with email {email} exists already")
    try:
        with services.db.session() as session:
            if session.scalar(select(func.count()).where(User.email == email)):
                raise taken
            user = User(
                id=str(uuid.uuid4()),
                email=email,
                password_hash=_hasher.hash(password),
                is_admin=is_admin,
                created_at=utcnow(),
            )
            session.add(user)
    except IntegrityError:  # the same email registered at the same moment
        raise taken from None
    return user


def authenticate(services: Services, email: str, password: str) -> User:
    """The user with these credentials, or InvalidCredentials (same time either way)."""
    with services.db.session() as session:
        user = session.scalar(select(User).where(User.email == normalize_email(email)))
        stored = user.password_hash if user is not None and user.password_hash else _dummy_hash()
        try:
            _hasher.verify(stored, password)
            ok = user is not None and user.password_hash is not None
        except (VerifyMismatchError, InvalidHashError):
            ok = False
        if not ok or user is None:
            raise InvalidCredentials("wrong email or password")
        if _hasher.check_needs_rehash(stored):
            user.password_hash = _hasher.hash(password)
        return user


def issue_token(
    services: Services,
    user_id: str,
    name: str,
    *,
    kind: TokenKind = "personal",
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new API token; the secret is returned once and never stored.

    kind "session" (a browser's sign-in) expires after OPAD_SESSION_IDLE_DAYS without use;
    a "personal" token lives until revoked, or `expires_in_days` days from now if given.
    """
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        id=str(uuid.uuid4()),
        user_id=user_id,
        name=name[:100] or "token",
        token_hash=_token_hash(secret),
        prefix=secret[:12],
        kind=kind,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    with services.db.session() as session:
        session.add(token)
    return token, secret


def token_expiry(token: ApiToken, session_idle_days: float) -> datetime | None:
    """When the token stops working: a session's last use (or creation) plus the idle
    allowance, which slides with every use; a personal token's chosen expiry, or None."""
    if token.kind == "session":
        return (token.last_used_at or token.created_at) + timedelta(days=session_idle_days)
    return token.expires_at


def user_for_token(services: Services, secret: str) -> User:
    """The owner of a live token (and note its use, which also extends a session).

    Raises TokenRejected (401) saying whether the token is unknown, revoked or expired.
    """
    return caller_for_token(services, secret)[0]


def revoked_channel(token_id: str) -> str:
    """The pub/sub channel told when a token is revoked: its open event streams close."""
    return f"opad:auth:token:{token_id}:revoked"


def token_live(services: Services, token_id: str) -> bool:
    """Whether the token still opens the door (exists, not revoked, not expired)."""
    with services.db.session() as session:
        token = session.get(ApiToken, token_id)
        if token is None or token.revoked_at is not None:
            return False
        expiry = token_expiry(token, services.settings.session_idle_days)
        return expiry is None or expiry > utcnow()


def caller_for_token(services: Services, secret: str) -> tuple[User, str]:
    """(the owner, the token's id) of a live token; see `user_for_token`."""
    idle = services.settings.session_idle_days
    with services.db.session() as session:
        row = session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == _token_hash(secret))
        ).first()
        if row is None:
            raise TokenRejected("the token is not valid: sign in again or make a new token")
        token, user = row
        if token.revoked_at is not None:
            raise TokenRejected("the token was revoked: sign in again or make a new token")
        now = utcnow()
        expiry = token_expiry(token, idle)
        if expiry is not None and expiry <= now:
            if token.kind == "session":
                raise TokenRejected(
                    f"the sign-in expired after {idle:g} days without use: sign in again"
                )
            raise TokenRejected(
                f"the token expired on {expiry:%Y-%m-%d %H:%M} UTC: make a new token"
            )
        token.last_used_at = now
        return user, token.id


def list_tokens(services: Services, user_id: str) -> list[dict[str, Any]]:
    """The user's tokens, oldest first (never their secrets), each with its state:
    "active", "expired" or "revoked"."""
    with services.db.session() as session:
        tokens = session.scalars(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at)
        ).all()
        return [_token_out(t, services.settings.session_idle_days) for t in tokens]


def revoke_token(services: Services, user_id: str, token_id: str) -> None:
    """Revoke one of the user's tokens (404 for anyone else's)."""
    with services.db.session() as session:
        token = session.get(ApiToken, token_id)
        if token is None or token.user_id != user_id:
            raise NotFound(f"no token with id {token_id}")
        if token.revoked_at is None:
            token.revoked_at = utcnow()
    # After the commit: streams opened with the token end now, not at their next check
    # (which they still make, should Redis be unreachable at this moment).
    try:
        services.queue.redis.publish(revoked_channel(token_id), "revoked")
    except redis.RedisError as exc:
        log.warning("token %s revoked, but its streams were not told: %s", token_id, exc)


def list_tokens_one(services: Services, token: ApiToken) -> dict[str, Any]:
    """The public view of one token."""
    return _token_out(token, services.settings.session_idle_days)


# Revoked and expired tokens stay listed this long (so a learner sees what ended), then go.
KEEP_ENDED_DAYS = 30


def purge_ended_tokens(services: Services) -> int:
    """Delete tokens revoked or expired more than KEEP_ENDED_DAYS ago; how many went.

    Without this, every browser sign-in would leave a row forever (each new sign-in
    revokes the last one).
    """
    now = utcnow()
    cutoff = now - timedelta(days=KEEP_ENDED_DAYS)
    idle_cutoff = cutoff - timedelta(days=services.settings.session_idle_days)
    with services.db.session() as session:
        result = session.execute(
            delete(ApiToken).where(
                or_(
                    ApiToken.revoked_at < cutoff,
                    and_(ApiToken.kind == "personal", ApiToken.expires_at < cutoff),
                    and_(
                        ApiToken.kind == "session",
                        func.coalesce(ApiToken.last_used_at, ApiToken.created_at) < idle_cutoff,
                    ),
                )
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)


def user_by_id(services: Services, user_id: str) -> User | None:
    """A user by id."""
    with services.db.session() as session:
        return session.get(User, user_id)


def _token_out(token: ApiToken, session_idle_days: float) -> dict[str, Any]:
    expires_at = token_expiry(token, session_idle_days)
    if token.revoked_at is not None:
        state = "revoked"
    elif expires_at is not None and expires_at <= utcnow():
        state = "expired"
    else:
        state = "active"
    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "kind": token.kind,
        "state": state,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": expires_at,
        "revoked_at": token.revoked_at,
    }


def user_out(user: User) -> dict[str, Any]:
    """The public view of a user."""
    return {
        "id": user.id,
        "email": user.email,
        "is_admin": user.is_admin,
        "created_at": user.created_at,
        "time_zone": user.time_zone,
    }


def set_time_zone(services: Services, user_id: str, name: str) -> User:
    """Set the user's time zone (an IANA name; 422 naming `time_zone` otherwise)."""
    try:
        name = check_zone(name)
    except InvalidIdentifier as exc:
        error = InvalidAccountInput(str(exc))
        error.field = "time_zone"
        raise error from None
    with services.db.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise TokenRejected("the account no longer exists")
        user.time_zone = name
        return user


def user_by_email(services: Services, email: str) -> User | None:
    """Look a user up (e.g. the configured system user)."""
    with services.db.session() as session:
        return session.scalar(select(User).where(User.email == normalize_email(email)))
