"""Every 405, of the API and of the web, names the methods the address answers (`Allow`,
RFC 9110 §15.5.6) — including the paths served by several routes.

The real applications, in-process (no lifespan: a refused method never reaches a route).
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from opad.api.app import create_app as create_api
from opad.web.app import create_app as create_web
from tests.conftest import make_settings

METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def test_every_api_405_names_the_allowed_methods(tmp_path: Path) -> None:
    app = create_api(make_settings(tmp_path))
    client = TestClient(app, raise_server_exceptions=False)
    checked = 0
    for template, operations in app.openapi()["paths"].items():
        path = re.sub(r"\{[^}]+\}", "x", template)
        allowed = {m.upper() for m in operations}
        for method in METHODS:
            if method in allowed or method == "OPTIONS":
                continue
            answer = client.request(method, path)
            if answer.status_code != 405:  # another route of the same shape answers it
                continue
            assert answer.headers.get("allow"), (method, path)
            assert allowed <= set(answer.headers["allow"].split(", ")), (method, path)
            checked += 1
    assert checked > 100  # the whole API, not a handful


def test_web_405_names_the_allowed_methods(tmp_path: Path) -> None:
    web = create_web(make_settings(tmp_path, OPAD_API_URL="http://127.0.0.1:9"))
    client = TestClient(web)
    for method, path, allow in [
        ("DELETE", "/articles/x/audio", "GET, HEAD, POST"),
        ("PUT", "/", "GET"),
        ("DELETE", "/login", "GET, POST"),
    ]:
        answer = client.request(method, path)
        assert answer.status_code == 405 and answer.headers["allow"] == allow, (method, path)
