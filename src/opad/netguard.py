"""Outbound fetches of user-supplied URLs, guarded against server-side request forgery.

A URL is fetched only if its scheme is http(s) and every address its host resolves to is
public — not private, loopback, link-local (cloud metadata lives at 169.254.169.254),
multicast, reserved or unspecified — unless an operator allowed that network explicitly
(`OPAD_FETCH_ALLOW_NETWORKS`). Redirects are followed by hand so that every hop is checked,
and the address actually connected to is checked again (a DNS answer can change between
the check and the connection).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_REDIRECTS = 5


# When the fetch under way in this thread must be over (time.monotonic()); None: no bound.
_DEADLINE: ContextVar[float | None] = ContextVar("opad_fetch_deadline", default=None)


class UnsafeURL(Exception):
    """The URL points somewhere OPAD must not fetch; the message says why."""


def parse_networks(spec: str) -> tuple[Network, ...]:
    """`10.1.0.0/16, 127.0.0.2/32` → networks (ValueError on a bad entry)."""
    return tuple(
        ipaddress.ip_network(p.strip(), strict=False) for p in spec.split(",") if p.strip()
    )


def _forbidden(ip: IPAddress) -> bool:
    return bool(
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_address(host: str, address: str, allow: Sequence[Network]) -> None:
    """Refuse `address` (what `host` resolved to) unless it is public or allowed."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if _forbidden(ip) and not any(ip in net for net in allow):
        kind = "loopback" if ip.is_loopback else "link-local" if ip.is_link_local else "private"
        raise UnsafeURL(f"{host} resolves to {ip}, a {kind} address that OPAD does not fetch")


def check_url(url: str, allow: Sequence[Network] = ()) -> None:
    """Refuse a URL that is not http(s) or whose host resolves to a forbidden address."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeURL(f"only http and https URLs are fetched, not {parts.scheme or 'none'}:")
    host = parts.hostname
    if not host:
        raise UnsafeURL("the URL has no host")
    try:
        infos = socket.getaddrinfo(
            host, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError) as exc:
        # The resolver's "[Errno -2] Name or service not known" means nothing to a learner.
        raise UnsafeURL(
            f"no web site called {host} was found: check the address for typing mistakes"
        ) from exc
    for info in infos:
        check_address(host, str(info[4][0]), allow)


def _check_peer(resp: httpx.Response, host: str, allow: Sequence[Network]) -> None:
    stream = resp.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer:
        check_address(host, str(peer[0]), allow)


def allowed_networks(spec: str) -> tuple[Network, ...]:
    """OPAD_FETCH_ALLOW_NETWORKS parsed (an operator's exceptions, e.g. an intranet)."""
    return parse_networks(spec)


def probe_url(url: str, settings: Any) -> None:
    """Refuse a submitted URL now if it, or a redirect it answers with, is forbidden.

    A quick GET that reads no body (3 s at most); other failures are left to the worker,
    which checks everything again when it fetches.
    """
    allow = allowed_networks(settings.fetch_allow_networks)
    check_url(url, allow)
    try:
        with page_client() as client, guarded_stream(client, url, timeout=3, allow=allow):
            pass
    except httpx.HTTPError:
        pass


@contextmanager
def guarded_stream(
    client: httpx.Client, url: str, *, timeout: float, allow: Sequence[Network] = ()
) -> Iterator[httpx.Response]:
    """GET `url`, following up to 5 redirects, each hop and each connection checked.

    The client must not follow redirects itself. With a `page_client`, `timeout` bounds the
    whole exchange — connecting, every redirect, the headers and the body the caller reads
    inside the `with` — however slowly the server trickles; the caller caps the body's size.
    """
    deadline = time.monotonic() + timeout
    bound = _DEADLINE.set(deadline)
    try:
        yield from _follow(client, url, deadline, timeout, allow)
    finally:
        _DEADLINE.reset(bound)


def _follow(
    client: httpx.Client, url: str, deadline: float, timeout: float, allow: Sequence[Network]
) -> Iterator[httpx.Response]:
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        check_url(current, allow)
        remaining = max(0.1, deadline - time.monotonic())
        request = client.build_request("GET", current, timeout=remaining)
        resp = client.send(request, stream=True, follow_redirects=False)
        try:
            _check_peer(resp, urlsplit(current).hostname or "", allow)
            if resp.is_redirect and "location" in resp.headers:
                current = urljoin(current, resp.headers["location"])
                resp.close()
                if time.monotonic() > deadline:
                    raise httpx.TimeoutException(f"redirects took longer than {timeout:g} s")
                continue
            yield resp
            return
        finally:
            resp.close()
    raise UnsafeURL(f"more than {MAX_REDIRECTS} redirects")


def _time_left(timeout: float | None, error: type[Exception]) -> float | None:
    """The smaller of an operation's own timeout and what is left of the fetch's deadline."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the fetch took longer than its deadline")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write stops at the fetch's deadline.

    httpx's timeouts are per operation: a server sending one byte every 0.25 s never
    trips a 10 s read timeout, and would hold a worker for as long as it likes.
    """

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        left = _time_left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own sockets, wrapped in `_DeadlineStream`."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = _time_left(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, left, local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        left = _time_left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_unix_socket(path, left, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport on `_DeadlineBackend` (httpx has no public switch for the backend,
    so its pool is rebuilt the way HTTPTransport builds it; the trickle tests check it)."""

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_DeadlineBackend(),
        )


def page_client(
    *, limits: httpx.Limits | None = None, headers: dict[str, str] | None = None
) -> httpx.Client:
    """An httpx client for `guarded_stream`: redirects left to the guard, and every fetch
    bounded as a whole by the guard's `timeout`."""
    limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
    return httpx.Client(
        transport=_DeadlineTransport(limits),
        headers=headers,
        limits=limits,
        max_redirects=MAX_REDIRECTS,
    )
