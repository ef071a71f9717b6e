"""The web's calls to the learner's side of the API (lookups, words, review, export).

Functions over the shared `ApiClient` rather than more methods on it, so this concern
stays in one file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from opad.web.api_client import ApiClient


def _query(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v not in (None, "")}


# A lookup may ask the LLM (up to 20 s) or load a language's analyzer on the API's first
# lookup in it (Kiwi, SudachiPy: seconds on a busy machine): longer than other API calls.
LOOKUP_TIMEOUT = httpx.Timeout(45.0, connect=3.0)


async def lookup(api: ApiClient, params: Mapping[str, Any]) -> dict[str, Any]:
    """GET /lookup."""
    response = await api._request("GET", "/lookup", params=_query(params), timeout=LOOKUP_TIMEOUT)
    return response.json()


async def learner_settings(api: ApiClient) -> dict[str, Any]:
    """GET /learner/settings."""
    return (await api._request("GET", "/learner/settings")).json()


async def set_explain_in(api: ApiClient, code: str) -> dict[str, Any]:
    """PUT /learner/settings."""
    return (await api._request("PUT", "/learner/settings", json={"explain_in": code})).json()


async def save_word(api: ApiClient, body: Mapping[str, Any]) -> dict[str, Any]:
    """POST /words."""
    return (await api._request("POST", "/words", json=dict(body))).json()


async def states(api: ApiClient, language: str, lemmas: list[str]) -> dict[str, Any]:
    """POST /words/states: {lemma: {state, stage}} for a whole page in one call."""
    if not lemmas:
        return {}
    body = {"language": language, "lemmas": lemmas}
    response = await api._request("POST", "/words/states", json=body)
    result: dict[str, Any] = response.json()["states"]
    return result


async def mark_known(api: ApiClient, language: str, lemmas: list[str]) -> dict[str, Any]:
    """POST /words/known: `{"added": n, "batch": id or None}` (the id undoes it)."""
    body = {"language": language, "lemmas": lemmas}
    return (await api._request("POST", "/words/known", json=body)).json()


async def undo_known(api: ApiClient, batch: str) -> int:
    """DELETE /words/known/{batch}; returns how many words were unsaved again."""
    response = await api._request("DELETE", f"/words/known/{_id(batch)}")
    return int(response.json()["removed"])


async def words(api: ApiClient, params: Mapping[str, Any]) -> dict[str, Any]:
    """GET /words with filters."""
    return (await api._request("GET", "/words", params=_query(params))).json()


async def change_word(api: ApiClient, word_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """PATCH /words/{id}."""
    return (await api._request("PATCH", f"/words/{_id(word_id)}", json=dict(body))).json()


async def delete_word(api: ApiClient, word_id: str) -> None:
    """DELETE /words/{id}."""
    await api._request("DELETE", f"/words/{_id(word_id)}")


async def due(api: ApiClient, language: str = "") -> dict[str, Any]:
    """GET /review."""
    return (await api._request("GET", "/review", params=_query({"language": language}))).json()


async def grade(api: ApiClient, word_id: str, rating: str) -> dict[str, Any]:
    """POST /review/{id}."""
    body = {"rating": rating}
    return (await api._request("POST", f"/review/{_id(word_id)}", json=body)).json()


async def export(api: ApiClient, kind: str, params: Mapping[str, Any]) -> bytes:
    """GET /words/export.apkg or .csv: the file's bytes."""
    response = await api._request("GET", f"/words/export.{kind}", params=_query(params))
    return response.content


def _id(value: str) -> str:
    from opad.web.api_client import NotFound, valid_id

    if not valid_id(value):
        raise NotFound(f"no such id {value!r}")
    return value


async def stats(api: ApiClient, days: int = 30, language: str = "") -> dict[str, Any]:
    """GET /stats/words (one language's words with `language`, a code)."""
    params = _query({"days": days, "language": language})
    return (await api._request("GET", "/stats/words", params=params)).json()
