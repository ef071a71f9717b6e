"""FastAPI dependencies of the web routes, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from opad.web.api_client import ApiClient


def get_api(request: Request) -> ApiClient:
    """The process-wide API client opened in the lifespan."""
    return request.app.state.api


async def get_form(request: Request) -> dict[str, str]:
    """The urlencoded form body as {name: last value}, after a same-origin check.

    Parsed by hand because the forms are plain urlencoded posts (no file uploads), which
    spares a multipart dependency.
    """
    _check_same_origin(request)
    raw = (await request.body()).decode("utf-8", errors="replace")
    return {key: values[-1] for key, values in parse_qs(raw, keep_blank_values=True).items()}


def _check_same_origin(request: Request) -> None:
    # No accounts yet, so no session to protect with a token; still, another site must
    # not be able to make a visitor's browser delete articles or start jobs.
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(status_code=403, detail="cross-site form posts are not accepted")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            raise HTTPException(status_code=403, detail="cross-origin form posts are not accepted")


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """Render a full page template."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)


Api = Annotated[ApiClient, Depends(get_api)]
Form = Annotated[dict[str, str], Depends(get_form)]
