"""``qualitylab serve --app triage``: the product owners' app behind serve's access control.

Real server, real HTTP and websockets: without the key every request is 403, a foreign Origin
cannot open the app, and with the key and the page's own Origin the triage app draws its fix
list in the tab.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from triage_helpers import build_lab
from tui_helpers import CATALOG

aiohttp = pytest.importorskip("aiohttp")

TOKEN = "triage-access-key-0123456789"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")

pytestmark = [pytest.mark.slow]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """``qualitylab serve --app triage`` on a free port over a small lab; yields its URL."""
    db = tmp_path / "lab.db"
    build_lab(str(db))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "QUALITYLAB_CONFIG_DIR": str(tmp_path / "config")}
    env["QUALITYLAB_SERVE_TOKEN"] = TOKEN
    argv = [sys.executable, "-m", "qualitylab", "serve", "--app", "triage", "--port", str(port)]
    argv += ["--db", str(db), "--journeys", str(CATALOG), "--lang", "en"]
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 30
            while "Press Ctrl+C" not in log_path.read_text(errors="replace"):
                assert proc.poll() is None, log_path.read_text(errors="replace")
                assert time.monotonic() < deadline, log_path.read_text(errors="replace")
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=20)


async def test_triage_is_behind_the_same_403s(served: str) -> None:
    async with aiohttp.ClientSession() as session:
        for path in ("/", "/favicon.ico", "/static/js/textual.js"):
            async with session.get(served + path) as resp:
                assert resp.status == 403, path
        async with session.get(served + "/?token=wrong-key-0123456789") as resp:
            assert resp.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(served.replace("http", "ws") + "/ws")
        assert refused.value.status == 403


async def test_with_the_key_the_tab_runs_triage_and_exports_as_a_download(
    served: str, tmp_path: Path
) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        async with session.get(f"{served}/?token={TOKEN}") as resp:
            assert resp.status == 200
        async with session.get(f"{served}/") as resp:
            assert resp.status == 200 and "textual.js" in await resp.text()
            assert "qualitylab_walker" not in resp.headers.get("Set-Cookie", "")  # no walker
        ws_url = served.replace("http://", "ws://") + "/ws?width=100&height=30"
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(ws_url, headers={"Origin": "http://evil.example"})
        assert refused.value.status == 403
        screen = b""
        async with session.ws_connect(ws_url, headers={"Origin": served}) as ws:
            await ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
            delivery = ""

            async def read_until(done: Callable[[], bool]) -> None:
                nonlocal screen, delivery
                deadline = time.monotonic() + 40
                while not done():
                    assert time.monotonic() < deadline, ANSI.sub(b"", screen)[-400:]
                    try:
                        msg = await ws.receive(timeout=1)
                    except TimeoutError:
                        continue
                    if msg.type == aiohttp.WSMsgType.BINARY:
                        screen += msg.data
                    elif msg.type == aiohttp.WSMsgType.TEXT and "deliver_file_start" in msg.data:
                        delivery = json.loads(msg.data)[1]
                    elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                        raise AssertionError(ANSI.sub(b"", screen)[-400:])

            def drawn() -> str:
                return ANSI.sub(b"", screen).decode("utf-8", "replace")

            await read_until(lambda: "Fix list · whole lab" in drawn() and "c-" in drawn())
            # export: no folder is asked, the report comes down as the browser's download
            await ws.send_str(json.dumps(["stdin", "e"]))
            await read_until(lambda: "Export a report" in drawn())
            assert "Folder to save it in" not in drawn()
            await ws.send_str(json.dumps(["stdin", "\x13"]))  # ctrl+s
            await read_until(lambda: bool(delivery))
            async with session.get(f"{served}/download/{delivery}") as resp:
                assert resp.status == 200
                body = await resp.text()
            assert "<html" in body.lower() and "card form rejects spaces" in body
    assert not list(tmp_path.glob("qualitylab-report*")) and not list(
        Path.cwd().glob("qualitylab-report*")
    )
