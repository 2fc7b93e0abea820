"""``qualitylab serve`` in a real browser: the page loads, the app runs behind it, Chromium draws it

Needs the Debian ``chromium`` package; skipped with a reason when it is missing. Chromium is driven
over the DevTools protocol (not ``--screenshot``): the terminal arrives over a WebSocket after the
page has loaded, and only real waiting sees it (``--virtual-time-budget`` shows the splash).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import CATALOG

aiohttp = pytest.importorskip("aiohttp")

ACCENT = bytes((0xFF, 0xA6, 0x2B))  # $accent of textual-dark: the "Welcome" title
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium not installed (apt-get install chromium)"
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "QUALITYLAB_CONFIG_DIR": str(tmp_path / "config")}
    argv = [sys.executable, "-m", "qualitylab", "serve", "--port", str(port)]
    argv += ["--db", str(tmp_path / "lab.db"), "--journeys", str(CATALOG), "--lang", "en"]
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def png_colours(png: bytes) -> set[bytes]:
    """Pixel values (RGB) sampled from an 8-bit RGB(A) PNG, without needing an imaging library."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    seen: set[bytes] = set()
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        filter_type, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upleft = previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filter_type == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filter_type == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filter_type == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else upleft
                line[i] = (line[i] + pred) & 0xFF
        if row % 2 == 0:
            seen.update(bytes(line[i : i + 3]) for i in range(0, stride, channels))
        previous = line
    return seen


async def app_output(url: str, wait_for: bytes, timeout: float = 30) -> bytes:
    """Connect as the page does and collect what the walk app draws."""
    ws_url = url.replace("http://", "ws://") + "ws?width=100&height=30"
    got = b""
    async with aiohttp.ClientSession() as session, session.ws_connect(ws_url) as ws:
        await ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
        deadline = time.monotonic() + timeout
        while wait_for not in got and time.monotonic() < deadline:
            try:
                msg = await asyncio.wait_for(ws.receive(), 1)
            except TimeoutError:
                continue
            if msg.type == aiohttp.WSMsgType.BINARY:
                got += msg.data
            elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break
    return got


async def chromium_screenshot(url: str, profile: Path, settle: float = 6.0) -> bytes:
    assert CHROMIUM is not None
    port = free_port()
    argv = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}", "--window-size=1200,800",
        f"--remote-debugging-port={port}", "about:blank",
    ]  # fmt: skip
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        async with aiohttp.ClientSession() as session:
            pages: list[dict[str, Any]] = []
            for _ in range(200):
                try:
                    async with session.get(f"http://127.0.0.1:{port}/json/list") as resp:
                        pages = [p for p in await resp.json() if p["type"] == "page"]
                except aiohttp.ClientError:
                    pages = []
                if pages:
                    break
                await asyncio.sleep(0.1)
            assert pages, "chromium did not start its DevTools endpoint"
            async with session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                counter = 0

                async def call(method: str, **params: Any) -> dict[str, Any]:
                    nonlocal counter
                    counter += 1
                    await ws.send_str(
                        json.dumps({"id": counter, "method": method, "params": params})
                    )
                    while True:
                        reply = json.loads((await ws.receive()).data)
                        if reply.get("id") == counter:
                            return dict(reply.get("result", {}))

                await call("Page.enable")
                await call("Page.navigate", url=url)
                await asyncio.sleep(settle)  # the page, then the WebSocket, then the app's frames
                shot = await call("Page.captureScreenshot", format="png")
                return base64.b64decode(shot["data"])
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def test_serve_page_loads_and_shows_the_walk_app(served: str, tmp_path: Path) -> None:
    async with aiohttp.ClientSession() as session, session.get(served) as resp:
        html = await resp.text()
    assert resp.status == 200
    assert "textual.js" in html and "/ws" in html  # the textual-serve page

    drawn = await app_output(served, b"Welcome to QualityLab")
    assert b"Welcome to QualityLab" in drawn  # a browser walker is asked who they are
    assert b"Walk anonymously" in drawn

    png = await chromium_screenshot(served, tmp_path / "chrome")
    (tmp_path / "serve.png").write_bytes(png)
    colours = png_colours(png)
    assert len(colours) > 12, "the screenshot is blank"
    # textual-serve's splash screen is grey and blue; the app's dialog title is the theme's orange
    assert ACCENT in colours, "the browser shows the splash screen, not the walk app"
