"""The methods a path answers, for a 405's `Allow` header (RFC 9110 §15.5.6).

Shared by the API and the web, and kept free of their dependencies: the web process loads
no database or Redis client (tests/integration/test_lean_processes.py), and a 405 must not
make it load one.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.routing import Match

_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> str:
    """The methods the request's path answers, for a 405's `Allow` header ("GET, POST")."""
    # Starlette names only the first route it matched; a path served by several routes
    # (GET and POST /articles) must list them all. Each method is tried against the
    # routes' own matching (`matches`), which also sees into included routers (FastAPI
    # ≥ 0.16x keeps them as one route each, not as their APIRoutes).
    allowed = []
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.routes):
            allowed.append(method)
    # A literal path is also matched by a parameter route beside it (/words/known by
    # /words/{word}); the methods the API documents for the most specific template win.
    documented = _documented_methods(request)
    if documented is not None:
        allowed = [m for m in allowed if m in documented]
    return ", ".join(allowed)


def _documented_methods(request: Request) -> set[str] | None:
    """The methods the OpenAPI schema gives the path template that matches the request's
    path with the fewest parameters; None when no documented template matches."""
    path = request.scope.get("path", "")
    best: tuple[int, set[str]] | None = None
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            params = template.count("{")
            if best is None or params < best[0]:
                best = (params, {m.upper() for m in operations})
    return None if best is None else best[1]
