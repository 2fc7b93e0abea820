"""A cap on the connections a served port holds open, in total and per client address.

aiohttp accepts every connection it is offered (its maintainers leave limits to the proxy in
front), and each open one costs the server a file descriptor and a few KB: 1,500 held without the
access key took 1,500 descriptors, and at a service's usual limit of 1,024 the next accept failed,
so walkers with the key could no longer open the lab. :class:`ConnectionLimit` stands in front of
aiohttp's protocol factory: a connection under the caps is handed to aiohttp unchanged; one over
them gets a canned ``503`` with ``Retry-After`` and is closed at once, before any parsing, so a
flood costs nothing that outlives the accept. The count goes down in ``connection_lost``, which
asyncio calls exactly once per accepted connection whatever ends it, so the cap never leaks.
Counting happens in ``connection_made``, which asyncio runs one at a time in accept order: a
burst of accepts cannot overshoot the cap.

Pure asyncio: no aiohttp here, so the counting is tested on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("qualitylab.serve")

#: At most one "connections refused" line per this many seconds: a flood must not flood the log.
REFUSAL_LOG_SECONDS = 60.0


def open_file_limit(need: int) -> int | None:
    """Raise this process's open-file limit (soft) towards ``need`` as far as the hard limit
    allows, as servers do at start: a service's default soft limit is often 1,024. Returns the
    soft limit now, None when it is unlimited or the platform has none (no ``resource``)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= need:
        return None if soft == resource.RLIM_INFINITY else soft
    target = need if hard == resource.RLIM_INFINITY else min(need, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def http_refusal(body: str, headers: dict[str, str], retry_after: int) -> bytes:
    """The whole ``503`` response a refused connection gets, built once at start."""
    data = body.encode("utf-8")
    lines = [
        "HTTP/1.1 503 Service Unavailable",
        "Content-Type: text/html; charset=utf-8",
        f"Content-Length: {len(data)}",
        f"Retry-After: {retry_after}",
        "Cache-Control: no-store",
        "Connection: close",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data


def client_address(transport: asyncio.BaseTransport) -> str:
    """The peer's IP address (what the per-client cap counts by); "" when there is none."""
    peer: Any = transport.get_extra_info("peername")
    if isinstance(peer, tuple) and peer:
        return str(peer[0])
    return ""


class ConnectionLimit:
    """A protocol factory for ``loop.create_server``: ``factory``'s protocol for at most ``total``
    connections open at once, and at most ``per_client`` from one address (0: no per-client cap,
    as behind a reverse proxy, where every visitor has the proxy's address)."""

    def __init__(
        self,
        factory: Callable[[], asyncio.Protocol],
        *,
        total: int,
        per_client: int = 0,
        refusal: bytes = b"",
    ) -> None:
        if total < 1 or per_client < 0:
            raise ValueError(f"connection caps must be positive, not {total}/{per_client}")
        self.factory = factory
        self.total = total
        self.per_client = per_client
        self.refusal = refusal
        #: Connections handed to ``factory``'s protocol and not yet lost.
        self.open = 0
        self.by_client: dict[str, int] = {}
        #: Refused since the last log line (and when that line was written).
        self.refused = 0
        self._logged_at: float | None = None

    def __call__(self) -> asyncio.Protocol:
        return CountedConnection(self)

    def admit(self, client: str) -> bool:
        """Count a new connection from ``client`` in, or say it is over a cap."""
        if self.open >= self.total:
            return False
        if self.per_client and self.by_client.get(client, 0) >= self.per_client:
            return False
        self.open += 1
        self.by_client[client] = self.by_client.get(client, 0) + 1
        return True

    def release(self, client: str) -> None:
        self.open -= 1
        left = self.by_client.get(client, 0) - 1
        if left > 0:
            self.by_client[client] = left
        else:
            self.by_client.pop(client, None)

    def refuse(self, transport: asyncio.BaseTransport) -> None:
        """Answer ``503`` (a browser shows the "lab is full" page, which retries by itself) and
        close: nothing of the request is read or parsed, no handler is made."""
        if self.refusal and isinstance(transport, asyncio.WriteTransport):
            transport.write(self.refusal)
        transport.close()
        self.refused += 1
        now = asyncio.get_running_loop().time()
        if self._logged_at is None or now - self._logged_at >= REFUSAL_LOG_SECONDS:
            self._logged_at = now
            log.warning(
                "refusing connections over the cap: %d open (at most %d, %s per address); "
                "%d refused since the last such line",
                self.open,
                self.total,
                self.per_client or "no cap",
                self.refused,
            )
            self.refused = 0


class CountedConnection(asyncio.Protocol):
    """One accepted connection: the real protocol inside while it is counted, nothing otherwise.

    Every callback asyncio makes is passed on unchanged, so aiohttp sees the transport and the
    data exactly as without the cap.
    """

    def __init__(self, limit: ConnectionLimit) -> None:
        self.limit = limit
        self.client = ""
        self.inner: asyncio.Protocol | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        client = client_address(transport)
        if not self.limit.admit(client):
            self.limit.refuse(transport)
            return
        self.client = client
        try:
            self.inner = self.limit.factory()
            self.inner.connection_made(transport)
        except BaseException:
            self.inner = None
            self.limit.release(client)
            transport.close()
            raise

    def connection_lost(self, exc: Exception | None) -> None:
        inner, self.inner = self.inner, None
        if inner is None:
            return
        self.limit.release(self.client)
        inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.inner is not None:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.inner is not None else None

    def pause_writing(self) -> None:
        if self.inner is not None:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.inner is not None:
            self.inner.resume_writing()
