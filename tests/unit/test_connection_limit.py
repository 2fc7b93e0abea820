"""The connection cap of ``serve`` (:mod:`qualitylab.serving.connections`) over real sockets.

A plain asyncio server stands in for aiohttp: what matters is what the cap does at accept and
that every way a connection ends (the client closes, resets, or the server closes it) counts it
down, so the cap never leaks. The whole server under a flood is in ``tests/tui/test_serve.py``.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import AsyncIterator

import pytest

from qualitylab.serving.connections import ConnectionLimit, http_refusal
from qualitylab.serving.options import (
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
    connection_cap,
    connection_cap_problem,
    per_client_cap,
)

REFUSAL = http_refusal("<p>full</p>", {"X-Frame-Options": "DENY"}, retry_after=60)


class Echo(asyncio.Protocol):
    """The served protocol: echoes, and closes its side on ``bye``."""

    made: list[Echo] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.lost = False
        Echo.made.append(self)

    def data_received(self, data: bytes) -> None:
        if data == b"bye":
            self.transport.close()
        else:
            self.transport.write(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True


@pytest.fixture
async def capped() -> AsyncIterator[tuple[ConnectionLimit, int]]:
    Echo.made = []
    limit = ConnectionLimit(Echo, total=4, per_client=3, refusal=REFUSAL)
    server = await asyncio.get_running_loop().create_server(limit, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    yield limit, port
    server.close()
    await server.wait_closed()


async def connect(port: int, source: str = "127.0.0.1") -> socket.socket:
    """A client socket from ``source`` (all of 127/8 is this machine on Linux)."""
    sock = socket.socket()
    sock.setblocking(False)
    sock.bind((source, 0))
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    return sock


async def answer(sock: socket.socket, send: bytes = b"") -> bytes:
    """What the server sends back (all of it, until it closes, for a refused connection)."""
    loop = asyncio.get_running_loop()
    if send:
        await loop.sock_sendall(sock, send)
    data = b""
    while chunk := await asyncio.wait_for(loop.sock_recv(sock, 65536), 5):
        data += chunk
        if send and data == send:
            break
    return data


async def settle(limit: ConnectionLimit, open_: int) -> None:
    for _ in range(200):
        if limit.open == open_:
            return
        await asyncio.sleep(0.01)
    assert limit.open == open_


async def test_over_the_cap_a_connection_gets_503_and_is_closed(
    capped: tuple[ConnectionLimit, int],
) -> None:
    limit, port = capped
    admitted = [await connect(port, "127.0.0.1"), await connect(port, "127.0.0.2")]
    admitted += [await connect(port, "127.0.0.3"), await connect(port, "127.0.0.4")]
    await settle(limit, 4)
    over = await connect(port, "127.0.0.5")
    refused = await answer(over)  # nothing sent: closed at accept, with the answer
    assert refused.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert b"\r\nRetry-After: 60\r\n" in refused and b"\r\nConnection: close\r\n" in refused
    assert refused.endswith(b"<p>full</p>")
    assert len(Echo.made) == 4  # no protocol was made for it
    for sock in admitted:  # the ones under the cap are served as before
        assert await answer(sock, b"ping") == b"ping"
    for sock in (*admitted, over):
        sock.close()
    await settle(limit, 0)


async def test_one_address_cannot_take_every_place(capped: tuple[ConnectionLimit, int]) -> None:
    limit, port = capped
    mine = [await connect(port) for _ in range(3)]
    await settle(limit, 3)
    assert (await answer(await connect(port))).startswith(b"HTTP/1.1 503")
    other = await connect(port, "127.0.0.2")
    assert await answer(other, b"hello") == b"hello"
    assert limit.by_client == {"127.0.0.1": 3, "127.0.0.2": 1}
    for sock in (*mine, other):
        sock.close()
    await settle(limit, 0)
    assert limit.by_client == {}


async def test_every_way_a_connection_ends_counts_it_down(
    capped: tuple[ConnectionLimit, int],
) -> None:
    """Closed by the client, reset by the client, closed by the server: three rounds of filling
    the cap, and each time the same number gets in."""
    limit, port = capped
    for _ in range(3):
        socks = [await connect(port, f"127.0.0.{n}") for n in range(1, 5)]
        await settle(limit, 4)
        assert (await answer(await connect(port, "127.0.0.9"))).startswith(b"HTTP/1.1 503")
        socks[0].close()  # FIN
        socks[1].setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        socks[1].close()  # RST
        assert await answer(socks[2], b"bye") == b""  # the server closes it
        await settle(limit, 1)
        assert all(echo.lost for echo in Echo.made[-4:-1])
        socks[3].close()
        await settle(limit, 0)
    assert limit.by_client == {} and len(Echo.made) == 12


def test_the_caps_defaults_follow_the_tabs_and_the_proxy() -> None:
    assert connection_cap(8, None) == DEFAULT_MAX_CONNECTIONS
    assert connection_cap(1000, None) == 2000  # two per tab when tabs are many
    assert connection_cap(8, 50) == 50
    assert connection_cap_problem(8, 9) is not None and connection_cap_problem(8, 10) is None
    # Behind a reverse proxy (on this machine, or named by --public-url) everyone has the
    # proxy's address: no per-address cap unless asked for.
    assert per_client_cap("127.0.0.1", None, None) == 0
    assert per_client_cap("0.0.0.0", "https://lab.example.com", None) == 0
    assert per_client_cap("0.0.0.0", None, None) == DEFAULT_MAX_CONNECTIONS_PER_CLIENT
    assert per_client_cap("127.0.0.1", None, 5) == 5
