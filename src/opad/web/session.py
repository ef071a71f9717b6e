"""The browser's session: an encrypted cookie holding the API token, and CSRF tokens.

The cookie carries a random nonce (for CSRF tokens, also before anyone signs in) and,
once signed in, the API token, its id and the email. It is encrypted and authenticated
(Fernet from `cryptography`: AES-128-CBC with HMAC-SHA256, key derived from
OPAD_SECRET_KEY by HKDF), so the token never travels readable: not in a proxy's log, a
browser's cookie store or a screenshot of the developer tools. The web keeps no state of
its own (it never touches Redis or the database), so the cookie is the session; a
server-side session id would need one. itsdangerous, used before, signs but does not
encrypt; PyNaCl's SecretBox would do as well as Fernet but adds libsodium, while
`cryptography` was already installed.

A refused request (403, 413, a server error) never changes the cookie: a page on another
site that posts a form here must not be able to replace the learner's session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from itsdangerous import BadData, URLSafeSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opad.settings import Settings

COOKIE = "opad_session"
SCOPE_KEY = "opad.session"
CSRF_FIELD = "csrf_token"
# Answers to requests that were refused: they leave the session as it was.
REFUSED = frozenset({400, 403, 405, 413})


@dataclass
class Session:
    """What the cookie says about this browser; `changed` makes the response re-send it."""

    nonce: str = ""
    token: str | None = None
    token_id: str | None = None
    email: str | None = None
    changed: bool = False

    @property
    def signed_in(self) -> bool:
        """Whether this browser holds an API token."""
        return self.token is not None

    def ensure_nonce(self) -> str:
        """The session's nonce, made on first use (so the first form already has a token)."""
        if not self.nonce:
            self.nonce = secrets.token_urlsafe(18)
            self.changed = True
        return self.nonce

    def sign_in(self, token: str, token_id: str | None, email: str | None) -> None:
        """Hold a new API token; a new nonce too, so forms from before no longer count."""
        self.nonce = secrets.token_urlsafe(18)
        self.token, self.token_id, self.email = token, token_id, email
        self.changed = True

    def clear(self) -> None:
        """Forget everything; the response deletes the cookie."""
        self.nonce, self.token, self.token_id, self.email = "", None, None, None
        self.changed = True

    def drop_token(self) -> None:
        """Forget a token the API no longer accepts (expired or revoked), keep the nonce."""
        if self.token is not None:
            self.token = self.token_id = self.email = None
            self.changed = True


class SessionCodec:
    """Signs the cookie and makes CSRF tokens, with a key from OPAD_SECRET_KEY."""

    def __init__(self, settings: Settings) -> None:
        if settings.secret_key is not None:
            key = settings.secret_key.get_secret_value().encode()
        else:
            # Development without a key: a random key per process. Restarting `opad web`
            # signs everyone out and expires open forms (they say "reload"), which is fine
            # on a laptop; production refuses to start without OPAD_SECRET_KEY.
            key = secrets.token_bytes(32)
        # Cookies of earlier versions (signed only): read once, then written encrypted.
        self._legacy = URLSafeSerializer(key, salt="opad.web.session")
        derived = HKDF(hashes.SHA256(), 32, salt=None, info=b"opad.web.session.v2").derive(key)
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))
        # A key of its own for CSRF tokens, derived so one secret serves both purposes.
        self._csrf_key = hmac.new(key, b"opad.web.csrf", hashlib.sha256).digest()

    def load(self, value: str | None) -> Session:
        """The session in a cookie value; an empty one if missing, tampered with or stale."""
        if not value:
            return Session()
        legacy = False
        try:
            data = json.loads(self._fernet.decrypt(value.encode("ascii")))
        except (InvalidToken, ValueError, UnicodeError):
            try:
                data, legacy = self._legacy.loads(value), True
            except (BadData, ValueError):
                return Session()
        if not isinstance(data, dict) or not isinstance(data.get("n"), str):
            return Session()
        return Session(
            nonce=data["n"],
            token=_str_or_none(data.get("t")),
            token_id=_str_or_none(data.get("i")),
            email=_str_or_none(data.get("e")),
            changed=legacy,  # re-sent encrypted
        )

    def dump(self, session: Session) -> str:
        """The encrypted cookie value of a session (URL-safe base64)."""
        data: dict[str, Any] = {"n": session.nonce}
        if session.token:
            data |= {"t": session.token, "i": session.token_id, "e": session.email}
        return self._fernet.encrypt(json.dumps(data).encode()).decode("ascii")

    def csrf_token(self, session: Session) -> str:
        """The CSRF token of forms in this session: an HMAC of its nonce."""
        nonce = session.ensure_nonce()
        return hmac.new(self._csrf_key, nonce.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, session: Session, token: str | None) -> bool:
        """Whether a posted token belongs to this session (constant-time)."""
        if not session.nonce or not token:
            return False
        expected = hmac.new(self._csrf_key, session.nonce.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, token)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def is_https(scope: Scope) -> bool:
    """Whether the browser reached us over HTTPS (directly or through a TLS proxy)."""
    if scope.get("scheme") == "https":
        return True
    for name, value in scope.get("headers", []):
        if name == b"x-forwarded-proto":
            return value.decode("latin-1").split(",")[0].strip().lower() == "https"
    return False


class SessionMiddleware:
    """Reads the session cookie into the scope and writes it back when it changed.

    Pure ASGI (not BaseHTTPMiddleware) so the SSE relay streams through untouched.
    """

    def __init__(self, app: ASGIApp, codec: SessionCodec) -> None:
        self.app = app
        self.codec = codec

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Attach the session, then add Set-Cookie to the response start if it changed."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = ""
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                raw = cookie_parser(value.decode("latin-1")).get(COOKIE, "")
                break
        session = self.codec.load(raw)
        scope[SCOPE_KEY] = session

        async def send_with_cookie(message: Message) -> None:
            refused = message.get("status", 200) in REFUSED or message.get("status", 200) >= 500
            if message["type"] == "http.response.start" and session.changed and not refused:
                headers = MutableHeaders(scope=message)
                headers.append("set-cookie", self._cookie(scope, session))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, scope: Scope, session: Session) -> str:
        attributes = "Path=/; HttpOnly; SameSite=Lax"
        if is_https(scope):
            attributes += "; Secure"
        if not session.nonce:
            return f"{COOKIE}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; {attributes}"
        return f"{COOKIE}={self.codec.dump(session)}; {attributes}"


def get_session(request: Request) -> Session:
    """This request's session (the middleware always sets one)."""
    session: Session = request.scope[SCOPE_KEY]
    return session
