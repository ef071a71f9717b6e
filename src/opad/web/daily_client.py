"""The web's calls to the daily side of the API (plans, today, feed): functions over the
shared `ApiClient`, like learning_client, so this concern stays in one file."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from opad.web.api_client import ApiClient


async def today(api: ApiClient) -> dict[str, Any]:
    """GET /daily/today."""
    return dict((await api._request("GET", "/daily/today")).json())


async def plans(api: ApiClient) -> list[dict[str, Any]]:
    """GET /daily/plans: the items."""
    return list((await api._request("GET", "/daily/plans")).json()["items"])


async def put_plan(api: ApiClient, language: str, body: dict[str, Any]) -> dict[str, Any]:
    """PUT /daily/plans/{language}."""
    path = f"/daily/plans/{quote(language, safe='')}"
    return dict((await api._request("PUT", path, json=body)).json())


async def delete_plan(api: ApiClient, language: str) -> None:
    """DELETE /daily/plans/{language}."""
    await api._request("DELETE", f"/daily/plans/{quote(language, safe='')}")


async def feed_state(api: ApiClient) -> dict[str, Any]:
    """GET /daily/feed."""
    return dict((await api._request("GET", "/daily/feed")).json())


async def new_feed(api: ApiClient) -> dict[str, Any]:
    """POST /daily/feed: a new secret address (the old one stops working)."""
    return dict((await api._request("POST", "/daily/feed")).json())


async def revoke_feed(api: ApiClient) -> None:
    """DELETE /daily/feed (a 404 when there was none is fine)."""
    await api._request("DELETE", "/daily/feed", not_found_ok=True)


async def mark_read(api: ApiClient, article_id: str) -> None:
    """POST /daily/read/{article_id} (404 when it is not a daily reading: nothing to do)."""
    await api._request("POST", f"/daily/read/{quote(article_id, safe='')}", not_found_ok=True)
