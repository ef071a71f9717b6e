"""The security headers a JSON API sends (OWASP REST Security Cheat Sheet, "Security
headers"), on every response, pure ASGI so event streams pass through untouched.

- `Cache-Control: no-store` unless the route chose its own (tokens are in answers to
  POST /auth/login and /auth/tokens; audio and event streams set theirs);
- `X-Content-Type-Options: nosniff`; `X-Frame-Options: DENY` and a CSP of
  `default-src 'none'; frame-ancestors 'none'` (an answer is data, never a page to run
  or frame; the HTML of /docs keeps its own, as Swagger UI runs scripts);
- `Referrer-Policy: no-referrer`, `Cross-Origin-Resource-Policy: same-origin`;
- `Strict-Transport-Security` when the request came over HTTPS (directly or through a
  trusted proxy), never over plain HTTP where it means nothing.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALWAYS = (
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-resource-policy", "same-origin"),
)
DATA_CSP = "default-src 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000"


class ApiSecurityHeaders:
    """Adds the headers above to each response start."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap `send` to add the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS:
                    headers[name] = value
                if "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
                if not headers.get("content-type", "").startswith("text/html"):
                    headers["content-security-policy"] = DATA_CSP
                if scope.get("scheme") == "https":
                    headers["strict-transport-security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)
