"""The web's only way to the system: an HTTP client for the OPAD API, with typed errors."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx

from opad.queue.status import LiveStatus
from opad.reading.model import ReadingBody

# Ids go into API paths; anything else would let a crafted id reach another endpoint.
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
# The API sends a heartbeat every ~15 s, so a minute of silence means it is gone.
_STREAM_TIMEOUT = httpx.Timeout(60.0, connect=3.0)


class ApiError(Exception):
    """The API answered with an error we do not handle specially."""

    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(f"API error {status_code}: {detail}")
        self.status_code = status_code
        self.detail = detail


class ApiUnavailable(Exception):
    """The API could not be reached, or said its own dependencies are down (503)."""

    def __init__(self, api_url: str, reason: str) -> None:
        super().__init__(f"API at {api_url} unavailable: {reason}")
        self.api_url = api_url
        self.reason = reason


class Unauthorized(ApiError):
    """The API wants a (valid) token: none was sent, or it expired or was revoked (401)."""

    def __init__(self, detail: str) -> None:
        super().__init__(401, detail)


class TooManyRequests(ApiError):
    """A limit was hit (429): `detail` says which, `retry_after` in seconds when known."""

    def __init__(self, detail: str, retry_after: int | None) -> None:
        super().__init__(429, detail)
        self.retry_after = retry_after


class NotFound(Exception):
    """The API does not know the article or job (or it is someone else's)."""


class InputRejected(Exception):
    """The API rejected the input (422); `fields` maps a field name to its message."""

    def __init__(self, detail: str, fields: dict[str, str]) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields = fields


def valid_id(value: str) -> bool:
    """Whether `value` looks like an article or job id (and is safe in a URL path)."""
    return bool(_ID.match(value))


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason_phrase
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("error") or body)[:300]
    return str(body)[:300]


def _retry_after(response: httpx.Response) -> int | None:
    value = response.headers.get("retry-after", "")
    return int(value) if value.isdigit() else None


def _fields(response: httpx.Response) -> dict[str, str]:
    try:
        body = response.json()
    except ValueError:
        return {}
    items = body.get("fields") if isinstance(body, dict) else None
    fields: dict[str, str] = {}
    if items is None and isinstance(body, dict):
        # Some checks name their field in the detail only: "password: must be at least…".
        name, sep, message = str(body.get("detail", "")).partition(": ")
        if sep and name.isidentifier():
            return {name: message}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("field"):
            # Several messages for one field read best joined.
            name, message = str(item["field"]), str(item.get("message", "is invalid"))
            fields[name] = f"{fields[name]}; {message}" if name in fields else message
    return fields


class ApiClient:
    """Async client for the OPAD API; one pool per web process, opened in the app's lifespan.

    `as_user(token)` gives a client on the same pool that sends the user's bearer token;
    without one the API treats the call as anonymous (the local user in development).
    `for_client(address)` gives one that tells the API whose request it relays
    (X-Forwarded-For), so the API's per-address limits count the learner, not the web.
    """

    def __init__(
        self,
        api_url: str,
        *,
        token: str | None = None,
        http: httpx.AsyncClient | None = None,
        client_ip: str | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self._http = http or httpx.AsyncClient(base_url=self.api_url, timeout=_TIMEOUT)
        self._token = token
        self._client_ip = client_ip
        self._auth = {"Authorization": f"Bearer {token}"} if token else {}
        if client_ip:
            # Only the learner's address, not a chain: the web resolved its own trusted
            # proxies already, and the API trusts this header only from the web's address.
            self._auth["X-Forwarded-For"] = client_ip

    def as_user(self, token: str | None) -> ApiClient:
        """This client, sending `token` as the bearer (none: anonymous)."""
        return ApiClient(self.api_url, token=token, http=self._http, client_ip=self._client_ip)

    def for_client(self, client_ip: str | None) -> ApiClient:
        """This client, relaying requests of the browser at `client_ip`."""
        return ApiClient(self.api_url, token=self._token, http=self._http, client_ip=client_ip)

    @property
    def signed_in(self) -> bool:
        """Whether calls carry a user's token."""
        return self._token is not None

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def _request(
        self, method: str, path: str, *, not_found_ok: bool = False, **kwargs: Any
    ) -> httpx.Response:
        kwargs["headers"] = {**self._auth, **kwargs.get("headers", {})}
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise ApiUnavailable(self.api_url, type(exc).__name__) from exc
        self._raise_for(response, not_found_ok=not_found_ok)
        return response

    def _raise_for(self, response: httpx.Response, *, not_found_ok: bool = False) -> None:
        if response.status_code < 400:
            return
        if response.status_code == 404:
            if not_found_ok:
                return  # the caller reads the 404 itself
            raise NotFound(_detail(response))
        if response.status_code == 401:
            raise Unauthorized(_detail(response))
        if response.status_code == 422:
            raise InputRejected(_detail(response), _fields(response))
        if response.status_code == 429:
            raise TooManyRequests(_detail(response), _retry_after(response))
        if response.status_code in (502, 503, 504):
            raise ApiUnavailable(self.api_url, _detail(response))
        raise ApiError(response.status_code, _detail(response))

    async def languages(self) -> list[dict[str, Any]]:
        """GET /languages."""
        return (await self._request("GET", "/languages")).json()

    async def meta(self) -> dict[str, Any]:
        """GET /meta: the active engine and what it does; {} from an API that predates it."""
        response = await self._request("GET", "/meta", not_found_ok=True)
        return {} if response.status_code == 404 else dict(response.json())

    async def levels(self) -> list[dict[str, Any]]:
        """GET /levels."""
        return (await self._request("GET", "/levels")).json()

    async def generate(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST /generate: create an article and enqueue its job."""
        return (await self._request("POST", "/generate", json=dict(body))).json()

    async def regenerate(self, article_id: str) -> dict[str, Any]:
        """POST /articles/{id}/generate: enqueue a new job for an existing article."""
        return (await self._request("POST", f"/articles/{_checked(article_id)}/generate")).json()

    async def job(self, job_id: str) -> LiveStatus:
        """GET /jobs/{id}: the job's live status."""
        return LiveStatus.parse((await self._request("GET", f"/jobs/{_checked(job_id)}")).content)

    async def articles(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """GET /articles with filters and paging."""
        query = {k: v for k, v in params.items() if v not in (None, "")}
        return (await self._request("GET", "/articles", params=query)).json()

    async def article(self, article_id: str) -> dict[str, Any]:
        """GET /articles/{id}."""
        return (await self._request("GET", f"/articles/{_checked(article_id)}")).json()

    async def content(self, article_id: str) -> str | None:
        """GET /articles/{id}/content: the markdown, or None when there is none yet."""
        response = await self._request(
            "GET", f"/articles/{_checked(article_id)}/content", not_found_ok=True
        )
        return None if response.status_code == 404 else response.text

    async def reading(self, article_id: str) -> ReadingBody | None:
        """GET /articles/{id}/reading: the typed body, or None when there is none yet (no
        text yet, or a reading stored before typed bodies: its analysis is under way)."""
        response = await self._request(
            "GET", f"/articles/{_checked(article_id)}/reading", not_found_ok=True
        )
        if response.status_code != 200:
            return None
        return ReadingBody.model_validate_json(response.content)

    async def delete(self, article_id: str) -> None:
        """DELETE /articles/{id}."""
        await self._request("DELETE", f"/articles/{_checked(article_id)}")

    async def audio(
        self, article_id: str, headers: Mapping[str, str], method: str = "GET"
    ) -> httpx.Response:
        """GET (or HEAD) /articles/{id}/audio, passing the player's Range/If-Range headers;
        the response as it came (200, 206 or 416); NotFound when there is no audio."""
        path = f"/articles/{_checked(article_id)}/audio"
        try:
            response = await self._http.request(method, path, headers={**self._auth, **headers})
        except httpx.TransportError as exc:
            raise ApiUnavailable(self.api_url, type(exc).__name__) from exc
        if response.status_code != 416:  # a range past the end is the player's to handle
            self._raise_for(response)
        return response

    async def audio_timings(self, article_id: str) -> dict[str, Any] | None:
        """GET /articles/{id}/audio/timings, or None when the reading has no audio."""
        response = await self._request(
            "GET", f"/articles/{_checked(article_id)}/audio/timings", not_found_ok=True
        )
        return None if response.status_code == 404 else dict(response.json())

    async def request_audio(self, article_id: str) -> dict[str, Any]:
        """POST /articles/{id}/audio: ask a worker to make the reading's audio."""
        return (await self._request("POST", f"/articles/{_checked(article_id)}/audio")).json()

    async def register(self, email: str, password: str) -> dict[str, Any]:
        """POST /auth/register: a new account (403 while registration is closed)."""
        body = {"email": email, "password": password}
        return (await self._request("POST", "/auth/register", json=body)).json()

    async def login(
        self, email: str, password: str, token_name: str, *, session: bool = False
    ) -> dict[str, Any]:
        """POST /auth/login: a new API token for these credentials (`session`: a browser's,
        which expires when unused for OPAD_SESSION_IDLE_DAYS)."""
        body: dict[str, Any] = {"email": email, "password": password, "token_name": token_name}
        if session:
            body["session"] = True
        return (await self._request("POST", "/auth/login", json=body)).json()

    async def tokens(self) -> list[dict[str, Any]]:
        """GET /auth/tokens: the signed-in user's tokens (never their secrets)."""
        return (await self._request("GET", "/auth/tokens")).json()

    async def create_token(self, name: str, expires_in_days: int | None) -> dict[str, Any]:
        """POST /auth/tokens: a new personal token, its secret shown once."""
        body: dict[str, Any] = {"name": name, "expires_in_days": expires_in_days}
        return (await self._request("POST", "/auth/tokens", json=body)).json()

    async def usage(self) -> dict[str, Any]:
        """GET /usage: tokens and cost of the caller's readings."""
        return (await self._request("GET", "/usage")).json()

    async def me(self) -> dict[str, Any]:
        """GET /auth/me: who the API takes this client for."""
        return (await self._request("GET", "/auth/me")).json()

    async def set_time_zone(self, name: str) -> dict[str, Any]:
        """PATCH /auth/me: the signed-in user's time zone (InputRejected if unknown)."""
        return (await self._request("PATCH", "/auth/me", json={"time_zone": name})).json()

    async def revoke_token(self, token_id: str) -> None:
        """DELETE /auth/tokens/{id}."""
        await self._request("DELETE", f"/auth/tokens/{_checked(token_id)}")

    async def open_events(self, job_id: str) -> httpx.Response:
        """Open GET /jobs/{id}/events as a stream; the caller must close the response."""
        request = self._http.build_request(
            "GET",
            f"/jobs/{_checked(job_id)}/events",
            headers={**self._auth, "Accept": "text/event-stream"},
            timeout=_STREAM_TIMEOUT,
        )
        try:
            response = await self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise ApiUnavailable(self.api_url, type(exc).__name__) from exc
        if response.status_code >= 400:
            await response.aread()
            await response.aclose()
            self._raise_for(response)
        return response


async def relay(response: httpx.Response) -> AsyncIterator[bytes]:
    """Yield an open streaming response's bytes as they come; always close it."""
    try:
        async for chunk in response.aiter_raw():
            yield chunk
    except httpx.TransportError:
        # The API went away mid-stream: end ours; the page falls back to polling.
        return
    finally:
        await response.aclose()


def _checked(identifier: str) -> str:
    if not valid_id(identifier):
        raise NotFound(f"no such id {identifier!r}")
    return identifier
