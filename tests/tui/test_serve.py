"""``qualitylab serve`` driven as browsers (and hostile pages) would: over real HTTP and websockets.

Each test starts the real server on a free port. What a port open to a company must hold (issue 9
section 1): 403 without the access key, 403 for a foreign Origin, two browsers that type the same
name kept apart (checked in the database), a bounded number of tabs, idle tabs closed, no password
in the banner or on a command line, and the favicon. The last test looks at the page in headless
Chromium (skipped with a reason when the Debian ``chromium`` package is missing), driven over the
DevTools protocol: the terminal arrives over a websocket after the page has loaded, and only real
waiting sees it (``--virtual-time-budget`` shows the splash).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import CATALOG

from qualitylab import services

aiohttp = pytest.importorskip("aiohttp")

ACCENT = bytes((0xFF, 0xA6, 0x2B))  # $accent of textual-dark: the "Welcome" title
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TOKEN = "test-access-key-0123456789"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")

pytestmark = [pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    url: str
    proc: subprocess.Popen[bytes]
    log: Path
    db: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


ServeFactory = Callable[..., Served]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[ServeFactory]:
    """Start ``qualitylab serve`` (extra arguments and environment as given) and wait for it."""
    started: list[tuple[Served, Any]] = []

    def start(
        *extra: str,
        env: dict[str, str] | None = None,
        db: str | None = None,
        lang: str = "en",
        token: str | None = TOKEN,
    ) -> Served:
        port = free_port()
        environ = {**os.environ, "QUALITYLAB_CONFIG_DIR": str(tmp_path / "config")}
        environ.pop("QUALITYLAB_SERVE_TOKEN", None)
        if token is not None:  # None: serve makes up a key at start
            environ["QUALITYLAB_SERVE_TOKEN"] = token
        environ.update(env or {})
        lab = tmp_path / "lab.db"
        argv = [sys.executable, "-m", "qualitylab", "serve", "--port", str(port)]
        argv += ["--db", db or str(lab), "--journeys", str(CATALOG), *extra]
        argv += ["--lang", lang] if lang else []  # none: each browser's Accept-Language
        log_path = tmp_path / f"serve-{port}.log"
        log = log_path.open("wb")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=environ)
        served = Served(f"http://127.0.0.1:{port}", proc, log_path, lab)
        started.append((served, log))
        deadline = time.monotonic() + 30
        while "Ctrl+C" not in served.output():
            assert proc.poll() is None, served.output()
            assert time.monotonic() < deadline, served.output()
            time.sleep(0.1)
        return served

    yield start
    for served, log in started:
        served.proc.terminate()
        served.proc.wait(timeout=20)
        log.close()


@dataclass
class Browser:
    """One browser: its own cookie jar, its tab's websocket, and what the app has drawn."""

    url: str
    session: Any
    ws: Any = None
    screen: bytes = b""
    closed: bool = False
    reader: asyncio.Task[None] | None = field(default=None, repr=False)

    async def open_lab(self, token: str = TOKEN) -> int:
        async with self.session.get(f"{self.url}/?token={token}") as resp:
            status = int(resp.status)
        async with self.session.get(f"{self.url}/") as resp:
            return int(resp.status) if status == 200 else status

    async def connect(self, origin: str | None = None) -> None:
        headers = {"Origin": origin} if origin else {}
        ws_url = self.url.replace("http://", "ws://") + "/ws?width=100&height=30"
        self.ws = await self.session.ws_connect(ws_url, headers=headers)
        await self.ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
        self.screen, self.closed = b"", False
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for msg in self.ws:
            if msg.type == aiohttp.WSMsgType.BINARY:
                self.screen += msg.data
        self.closed = True

    def text(self) -> str:
        return ANSI.sub(b"", self.screen).decode("utf-8", "replace")

    async def wait_for(self, needle: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            assert not self.closed, f"the tab closed before showing {needle!r}"
            assert time.monotonic() < deadline, f"{needle!r} never showed: {self.text()[-400:]!r}"
            await asyncio.sleep(0.05)

    async def join(self, name: str, department: str) -> None:
        """Open the key link in a new tab and say who is walking."""
        assert await self.open_lab() == 200
        await self.connect()
        await self.sign_in(name, department)
        await self.wait_for(f"Hello, {name}")

    async def sign_in(self, *fields: str) -> None:
        """Answer "who is walking" once the form shows: each field and Enter."""
        await self.wait_for("Welcome to QualityLab")
        # The app starts blurred (textual-serve); the page sends "focus" when it has it, and the
        # app then focuses the form's first field (QualityLabApp.on_app_focus).
        await self.ws.send_str(json.dumps(["focus"]))
        await asyncio.sleep(0.3)
        for value in fields:
            await self.type(value, "\r")
            await asyncio.sleep(0.5)  # a key right after a focus change may land in the old field

    async def type(self, *keys: str) -> None:
        for key in keys:
            await self.ws.send_str(json.dumps(["stdin", key]))
            await asyncio.sleep(0.15)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await self.reader


async def new_browser(url: str) -> Browser:
    return Browser(url, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)))


def walkers(db: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT uuid, name, secret_hash FROM walker ORDER BY id").fetchall()
    return [(str(u), str(n), str(h)) for u, n, h in rows]


# ---------------------------------------------------------------------------- access


async def test_without_the_access_key_every_request_is_refused(serve: ServeFactory) -> None:
    served = serve()
    async with aiohttp.ClientSession() as session:
        for path in ("/", "/?again", "/favicon.ico", "/static/js/textual.js", "/download/x"):
            async with session.get(served.url + path) as resp:
                assert resp.status == 403, path
        async with session.get(served.url + "/?token=wrong-key-0123456789") as resp:
            assert resp.status == 403
            assert "no longer opens the lab" in await resp.text()
        async with session.post(served.url + "/", data=b"x") as resp:
            assert resp.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(served.url.replace("http", "ws") + "/ws")
        assert refused.value.status == 403
        # a forged cookie is no key either
        session.cookie_jar.update_cookies({"qualitylab_access": "guess"})
        async with session.get(served.url + "/") as resp:
            assert resp.status == 403
    assert served.proc.poll() is None


async def test_the_key_link_becomes_a_private_cookie_and_opens_the_page(
    serve: ServeFactory,
) -> None:
    served = serve()
    browser = await new_browser(served.url)
    async with browser.session as session:
        async with session.get(f"{served.url}/?token={TOKEN}", allow_redirects=False) as resp:
            assert resp.status == 200
            cookie = resp.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            refresh = 'http-equiv="refresh" content="0;url=/"'  # the key leaves the address bar
            assert refresh in await resp.text()
            assert resp.headers["Referrer-Policy"] == "no-referrer"
        async with session.get(f"{served.url}/") as resp:
            html = await resp.text()
            assert resp.status == 200
            assert "textual.js" in html and "/ws" in html  # the textual-serve page
            assert TOKEN not in html
            assert resp.headers["X-Frame-Options"] == "DENY"
            walker_cookie = resp.headers["Set-Cookie"]
            assert "qualitylab_walker=" in walker_cookie and "HttpOnly" in walker_cookie
        async with session.get(f"{served.url}/favicon.ico") as resp:
            assert resp.status == 200
            assert resp.content_type == "image/svg+xml"
            assert (await resp.read()).startswith(b"<svg")
        async with session.get(f"{served.url}/static/") as resp:
            assert resp.status in (403, 404)  # no directory listing
    log = served.output()
    assert log.count(TOKEN) == 1, "the key link is printed once, at start"
    assert "qualitylab_walker" not in log and "qualitylab_access" not in log


OTHER_ORIGIN_URLS = re.compile(r"(?<!xmlns=.)(?:https?|wss?)://[^\s\"'<>()]+")
LOADED = re.compile(r"""(?:src|href)=["']([^"']+)["']|url\(["']?([^"')]+)""")


def other_origin_urls(text: str, origin: str) -> list[str]:
    """URLs in served HTML/CSS pointing anywhere but ``origin`` (an SVG's ``xmlns`` names a
    namespace, not a place, and CSS comments load nothing)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    own = (f"{origin}/", origin.replace("http", "ws", 1) + "/")
    return [u for u in OTHER_ORIGIN_URLS.findall(text) if not (u + "/").startswith(own)]


async def test_the_page_loads_nothing_from_another_origin(serve: ServeFactory) -> None:
    """The finding: textual-serve's page fetched Roboto Mono from Google Fonts, so every visit
    told a third party, and a lab on a network without internet waited on it. Now the page and
    everything it names come from the lab, and the CSP forbids any other origin."""
    served = serve()
    ws_origin = served.url.replace("http://", "ws://")
    browser = await new_browser(served.url)
    async with browser.session as session:
        async with session.get(f"{served.url}/?token={TOKEN}") as resp:  # the "opening" page
            assert other_origin_urls(await resp.text(), served.url) == []
            assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
        async with session.get(f"{served.url}/") as resp:
            html = await resp.text()
            csp = dict(part.strip().split(" ", 1) for part in resp.headers[
                "Content-Security-Policy"].split(";"))  # fmt: skip
        assert other_origin_urls(html, served.url) == [], html
        assert "googleapis" not in html and "<script>" not in html and "onclick" not in html.lower()
        assert csp["default-src"] == "'none'" and csp["script-src"] == "'self'"
        assert csp["font-src"] == "'self'" and csp["img-src"] == "'self' data:"
        assert csp["connect-src"] == f"'self' {ws_origin}" and csp["frame-ancestors"] == "'none'"
        assert "http" not in csp["style-src"] and "*" not in resp.headers["Content-Security-Policy"]
        assets = {a or b for a, b in LOADED.findall(html)}
        assert {"/static/js/textual.js", "/lab/lab.js", "/static/css/xterm.css"} <= assets
        assert any(a.startswith("/static/fonts/RobotoMono") for a in assets)  # the shipped font
        for asset in sorted(assets):
            assert asset.startswith("/"), asset  # this server, whatever host the browser used
            async with session.get(served.url + asset) as resp:
                assert resp.status == 200, asset
                if asset.endswith((".css", ".js")):  # what they load (comments load nothing)
                    assert other_origin_urls(await resp.text(), served.url) == [], asset
                assert "Content-Security-Policy" in resp.headers
        async with aiohttp.ClientSession() as stranger:  # refusal pages are self-contained too
            async with stranger.get(f"{served.url}/") as resp:
                assert resp.status == 403
                assert other_origin_urls(await resp.text(), served.url) == []
                assert "default-src 'none'" in resp.headers["Content-Security-Policy"]


async def test_a_foreign_page_cannot_drive_the_app(serve: ServeFactory) -> None:
    """Even in a browser that holds the cookie, a websocket from another Origin is refused."""
    served = serve()
    browser = await new_browser(served.url)
    async with browser.session:
        assert await browser.open_lab() == 200
        for origin in ("http://evil.example", "http://127.0.0.1:1", "null"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await browser.connect(origin=origin)
            assert refused.value.status == 403, origin
        await browser.connect(origin=served.url)  # the served page itself may
        await browser.wait_for("Welcome to QualityLab")
        await browser.close()


# ---------------------------------------------------------------------------- identity


async def test_two_browsers_typing_the_same_name_are_two_walkers(serve: ServeFactory) -> None:
    """The finding: typing a colleague's name showed her walk. Now a name is only a label."""
    served = serve()
    # Anna walks in the terminal too: her walk there must stay hers
    lab = services.Lab.open(db=str(served.db), journeys=CATALOG)
    terminal_anna = services.get_or_create_walker(lab, name="Anna Petrova", department="Shop 12")
    services.start_or_resume_walk(lab, journey_id="buy-sim", walker=terminal_anna)
    lab.close()

    anna, mallory = await new_browser(served.url), await new_browser(served.url)
    async with anna.session, mallory.session:
        await anna.join("Anna Petrova", "Shop 12")
        await anna.wait_for("All journeys")
        assert "Continue where you left off" not in anna.text()  # not the terminal Anna's walk
        await anna.type("\r")  # open the first journey
        await anna.wait_for("Start walking")
        await anna.type("\r")
        await anna.wait_for("Step 1")
        await anna.close()

        await anna.connect()  # the same browser comes back: no question, her walk is there
        await anna.wait_for("Continue where you left off")
        assert "Hello, Anna Petrova" in anna.text()
        await anna.close()

        await mallory.join("Anna Petrova", "Shop 12")
        await mallory.wait_for("All journeys")
        await asyncio.sleep(1)  # the walker's own walks load after the journeys
        assert "Continue where you left off" not in mallory.text()
        assert "in progress" not in mallory.text()
        await mallory.close()

    rows = walkers(served.db)
    named = [r for r in rows if r[1] == "Anna Petrova"]
    assert len(named) == 3 and len({uuid for uuid, _, _ in named}) == 3
    browser_rows = [r for r in named if r[2]]
    assert len(browser_rows) == 2 and len({h for _, _, h in browser_rows}) == 2
    lab = services.Lab.open(db=str(served.db), journeys=CATALOG)
    by_walker = {uuid: services.list_walks(lab, walker_uuid=uuid) for uuid, _, _ in named}
    lab.close()
    assert sorted(len(w) for w in by_walker.values()) == [0, 1, 1]  # Mallory has none


async def test_only_a_link_with_the_key_can_change_a_browsers_walker(serve: ServeFactory) -> None:
    """Admin QA: ``/?walker=SECRET`` without the key was honoured whenever the browser held the
    access cookie. SameSite=Strict sends that cookie to requests a *same-site* page starts (any
    other port or subdomain of the lab's host), so such a page could quietly switch a
    colleague's browser to a walker its author controls, and read the walks she then made
    through its own personal link. A personal link carries the key; only such a link may."""
    from qualitylab.config import new_walker_secret

    served = serve()
    browser = await new_browser(served.url)
    planted = new_walker_secret()
    async with browser.session as session:
        assert await browser.open_lab() == 200
        own = next(c.value for c in session.cookie_jar if c.key == "qualitylab_walker")
        async with session.get(f"{served.url}/?walker={planted}") as resp:
            assert "qualitylab_walker" not in resp.headers.get("Set-Cookie", "")
        walker = next(c.value for c in session.cookie_jar if c.key == "qualitylab_walker")
        assert walker == own


async def test_a_personal_link_resumes_on_another_device(serve: ServeFactory) -> None:
    served = serve()
    phone, laptop = await new_browser(served.url), await new_browser(served.url)
    async with phone.session, laptop.session:
        await phone.join("Kim", "")
        await phone.close()
        secret = next(c.value for c in phone.session.cookie_jar if c.key == "qualitylab_walker")
        async with laptop.session.get(f"{served.url}/?token={TOKEN}&walker={secret}") as resp:
            assert resp.status == 200
        async with laptop.session.get(f"{served.url}/") as resp:
            assert resp.status == 200
        await laptop.connect()
        await laptop.wait_for("Hello, Kim")  # no question: the same walker
        await laptop.close()
    assert [name for _, name, _ in walkers(served.db)] == ["Kim"]


def banner_link(served: Served) -> str:
    match = re.search(r"^  (http://\S+/\?token=\S+)$", served.output(), flags=re.M)
    assert match, served.output()
    return match.group(1)


async def test_the_banner_and_the_walker_learn_how_long_links_last(serve: ServeFactory) -> None:
    """The finding: personal links silently broke when serve restarted with a key made up at
    start. Now the banner and the walker's form say so, and an old link says what happened."""
    served = serve(token=None)
    assert "last until this server stops" in served.output()
    assert "Set QUALITYLAB_SERVE_TOKEN" in served.output()
    link = banner_link(served)
    browser = await new_browser(served.url)
    async with browser.session:
        async with browser.session.get(link) as resp:
            assert resp.status == 200
        async with browser.session.get(f"{served.url}/") as resp:  # the page: a walker cookie
            assert resp.status == 200
        await browser.connect()
        await browser.wait_for("Your personal link")
        await browser.wait_for("This link works only until")
        await browser.close()
        served.proc.terminate()
        served.proc.wait(timeout=20)

        again = serve(token=None, lang="")  # the same lab restarted: a new key
        assert banner_link(again) != link
        old_query = link.split("/?", 1)[1]
        async with browser.session.get(f"{again.url}/") as resp:  # the old key's cookie
            assert resp.status == 403
            assert "no longer opens the lab" in await resp.text()
        async with aiohttp.ClientSession() as fresh:  # the old link on another device
            async with fresh.get(f"{again.url}/?{old_query}") as resp:
                assert resp.status == 403
                assert "restarted without a fixed key" in await resp.text()
            ru = {"Accept-Language": "ru"}
            async with fresh.get(f"{again.url}/?{old_query}", headers=ru) as resp:
                assert "ссылка больше не открывает лабораторию" in await resp.text()

    fixed = serve(lang="ru")  # a key from the environment: links outlive restarts
    assert "будут работать и после перезапуска" in fixed.output()
    assert "Нажмите Ctrl+C" in fixed.output()
    assert banner_link(fixed).endswith(f"?token={TOKEN}")
    browser = await new_browser(fixed.url)
    async with browser.session:
        assert await browser.open_lab() == 200
        await browser.connect()
        await browser.wait_for("Ваша личная ссылка")
        await asyncio.sleep(0.5)
        assert "до перезапуска" not in browser.text()
        await browser.close()


# ---------------------------------------------------------------------------- limits


async def test_a_full_lab_says_so_and_idle_tabs_end(serve: ServeFactory) -> None:
    served = serve("--max-sessions", "1", "--idle-timeout", "0.15", lang="")  # 9 s idle
    first, second = await new_browser(served.url), await new_browser(served.url)
    async with first.session, second.session:
        assert await first.open_lab() == 200
        await first.connect()
        await first.wait_for("Welcome to QualityLab")
        assert await second.open_lab() == 503
        headers = {"Accept-Language": "ru-RU,ru;q=0.9"}
        async with second.session.get(f"{served.url}/", headers=headers) as resp:
            assert resp.status == 503
            assert "все места заняты" in await resp.text()
        async with second.session.get(f"{served.url}/") as resp:
            page = await resp.text()
            assert "the lab is full" in page and "Try again in a minute" in page
        with pytest.raises(aiohttp.WSServerHandshakeError) as full:
            await second.connect()
        assert full.value.status == 503
        started = time.monotonic()
        assert first.reader is not None
        await asyncio.wait_for(first.reader, 30)  # nobody typed: the tab ends
        assert time.monotonic() - started < 25
        for _ in range(100):
            async with second.session.get(f"{served.url}/") as resp:
                if resp.status == 200:
                    break
            await asyncio.sleep(0.1)
        assert resp.status == 200  # the place is free again
        await first.close()


def open_sockets(pid: int) -> int:
    """Sockets the server process holds: its open connections, its listener, asyncio's own."""
    return sum(
        os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
        for fd in os.listdir(f"/proc/{pid}/fd")
    )


def flood(
    served: Served, count: int, source: str = "127.0.0.1"
) -> tuple[list[socket.socket], list[bytes]]:
    """Open ``count`` connections that send nothing (from ``source``: all of 127/8 is this
    machine); return those the server kept open and what the others got before it closed them."""
    host, port = served.url.removeprefix("http://").split(":")
    socks = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind((source, 0))
        sock.connect((host, int(port)))
        socks.append(sock)
    time.sleep(1.0)
    kept, refused = [], []
    for sock in socks:
        try:
            answer = sock.recv(65536, socket.MSG_DONTWAIT)
        except BlockingIOError:
            kept.append(sock)
            continue
        refused.append(answer)
        sock.close()
    return kept, refused


async def test_a_flood_of_connections_is_capped_and_open_tabs_go_on(serve: ServeFactory) -> None:
    """Admin QA: 1,500 connections without the access key were all held open (a descriptor and
    memory each; at a service's usual limit of 1,024 descriptors the lab stopped opening for
    walkers with the key). By default the server now holds at most DEFAULT_MAX_CONNECTIONS: the
    next gets "503, retry" and is closed at accept, an open tab goes on, and closed connections
    make room again."""
    from qualitylab.serving.options import DEFAULT_MAX_CONNECTIONS as CAP

    served = serve()  # the defaults: a loopback --host, so no per-address cap
    walker, late = await new_browser(served.url), await new_browser(served.url)
    async with walker.session, late.session:
        assert await walker.open_lab() == 200
        await walker.connect()
        await walker.wait_for("Welcome to QualityLab")
        kept, refused = flood(served, CAP + 20)
        try:
            assert len(refused) >= 20, f"{len(kept)} connections held open"
            for answer in refused:
                assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n"), answer[:80]
                assert b"\r\nRetry-After: 60\r\n" in answer and b"the lab is full" in answer
            assert open_sockets(served.proc.pid) <= CAP + 4  # + the listener and asyncio's pair
            assert await late.open_lab() == 503  # a new visitor is told to retry, not hung
            await walker.sign_in("Ann", "QA")  # the tab already open goes on
            await walker.wait_for("Hello, Ann")
        finally:
            for sock in kept:
                sock.close()
        for _ in range(50):  # the closed connections are counted down: room again
            if await late.open_lab() == 200:
                break
            await asyncio.sleep(0.1)
        assert await late.open_lab() == 200
        await walker.close()
    assert "refusing connections over the cap" in served.output()


async def test_one_address_cannot_take_every_connection(serve: ServeFactory) -> None:
    """With --max-per-client (on by default for a network --host), a flood from one address
    fills only its own share: a browser at another address opens the lab and its tab."""
    served = serve("--max-per-client", "8")  # the least one browser needs
    kept, refused = flood(served, 12, source="127.0.0.2")
    try:
        assert (len(kept), len(refused)) == (8, 4)
        browser = await new_browser(served.url)  # from 127.0.0.1
        async with browser.session:
            assert await browser.open_lab() == 200
            await browser.connect()
            await browser.wait_for("Welcome to QualityLab")
            await browser.close()
    finally:
        for sock in kept:
            sock.close()


def test_a_refused_connection_is_told_in_both_languages_unless_one_is_fixed(
    serve: ServeFactory,
) -> None:
    """A connection over the cap is answered before its request (and Accept-Language) is read:
    the page was in English whatever the walker read, unless --lang was set. Now, without
    --lang, it says it in English and in Russian; with --lang ru, in Russian only."""
    for lang, expected, absent in (
        ("", [b"the lab is full", "все места заняты".encode()], []),
        ("ru", ["все места заняты".encode()], [b"the lab is full"]),
    ):
        served = serve("--max-per-client", "8", lang=lang)
        kept, refused = flood(served, 10, source="127.0.0.2")
        try:
            assert refused
            for answer in refused:
                assert all(text in answer for text in expected), answer
                assert not any(text in answer for text in absent), answer
        finally:
            for sock in kept:
                sock.close()


def raw_get(served: Served, path: str, headers: str = "") -> tuple[str, bytes]:
    """A GET sent byte for byte (an HTTP client would normalise ``..`` and ``%2e`` away)."""
    host, port = served.url.removeprefix("http://").split(":")
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n{headers}\r\n"
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(request.encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body


def test_static_files_never_reach_outside_their_folder(serve: ServeFactory) -> None:
    """Even with the access key: ``..`` in any spelling reads nothing but the page's own files."""
    served = serve()
    cookie = f"Cookie: qualitylab_access={TOKEN}\r\n"
    status, body = raw_get(served, "/static/js/textual.js", cookie)
    assert status.endswith("200 OK") and len(body) > 100_000
    for path in (
        "/static/../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e/server.py",
        "/static/js/%2e%2e/%2e%2e/server.py",
        "/static/%252e%252e/server.py",
        "/static/..\\..\\server.py",
        "/static/%2fetc%2fpasswd",
        "/static//etc/passwd",
        "/lab/%2e%2e/server.py",
        "/download/..%2f..%2fserver.py",
        "//etc/passwd",
        "/static/",
    ):
        status, body = raw_get(served, path, cookie)
        assert status.split()[1] in ("403", "404"), (path, status)
        assert b"root:" not in body and b"import " not in body, path
    for origin in ("http://evil.example", "null"):  # plain HTTP too, not just the websocket
        status, _ = raw_get(served, "/", cookie + f"Origin: {origin}\r\n")
        assert status.split()[1] == "403", origin


def test_a_malformed_request_never_puts_a_key_in_the_log(serve: ServeFactory) -> None:
    """The finding (driving serve as a hostile page would): a URL or header too long for aiohttp
    was logged with a traceback quoting its start, so a link's access key and walker secret (or
    a cookie) landed in the server's log."""
    served = serve()
    secret = "W" * 43
    padding = "a" * 9000
    cookie = f"Cookie: qualitylab_access={TOKEN}; qualitylab_walker={secret}{padding}\r\n"
    for path, headers in ((f"/?token={TOKEN}&walker={secret}&x={padding}", ""), ("/", cookie)):
        status, _ = raw_get(served, path, headers)
        assert status.split()[1] == "400"
    deadline = time.monotonic() + 10
    while served.output().count("Error handling request") < 2:
        assert time.monotonic() < deadline, served.output()
        time.sleep(0.1)
    log = served.output()
    assert log.count(TOKEN) == 1, log  # the banner's link, nothing else
    assert secret not in log and "Traceback" not in log and padding[:100] not in log
    assert served.proc.poll() is None


async def test_oversized_and_malformed_messages_do_no_harm(serve: ServeFactory) -> None:
    served = serve()
    browser = await new_browser(served.url)
    async with browser.session:
        assert await browser.open_lab() == 200
        await browser.connect()
        await browser.wait_for("Welcome to QualityLab")
        for junk in ("not json", "[]", '["stdin"]', '["resize", {"width": 1e9}]', "{}"):
            await browser.ws.send_str(junk)
        await browser.ws.send_str(json.dumps(["resize", {"width": 10**9, "height": -5}]))
        await browser.ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
        await browser.sign_in("Zoe")
        await browser.wait_for("Zoe")  # still alive and drawing
        await browser.ws.send_str(json.dumps(["stdin", "x" * 200_000]))
        assert browser.reader is not None
        await asyncio.wait_for(browser.reader, 20)  # the server closes a too-large message
        await browser.close()
    assert served.proc.poll() is None


async def test_an_app_that_quits_by_itself_is_not_killed() -> None:
    """The finding: "Unknown child process pid N, will report returncode 255" in serve's log when
    tabs closed. The app had quit, but asyncio had not yet reported it, and killing it then made
    ``Popen.send_signal`` reap the child from under asyncio's child watcher."""
    from textual_serve.download_manager import DownloadManager

    from qualitylab.serving.server import LabAppService

    async def ignore(*_args: Any) -> None:
        return None

    quits_on_input = "import sys; print('__GANGLION__', flush=True); sys.stdin.buffer.read(1)"
    signalled: list[int] = []
    for _ in range(5):
        service = LabAppService(
            [sys.executable, "-c", quits_on_input],
            {},
            write_bytes=ignore,
            write_str=ignore,
            close=ignore,
            download_manager=DownloadManager(),
            debug=False,
        )
        await service.start(80, 24)
        process = service._process
        assert process is not None
        process.kill = lambda pid=process.pid: signalled.append(pid)  # type: ignore[method-assign]
        await service.stop_within(10)
        assert signalled == [] and process.returncode == 0


async def test_closing_tabs_leaves_no_child_process_warning(serve: ServeFactory) -> None:
    served = serve()
    for _ in range(3):
        browser = await new_browser(served.url)
        async with browser.session:
            assert await browser.open_lab() == 200
            await browser.connect()
            await browser.wait_for("Welcome to QualityLab")
            await browser.close()
    deadline = time.monotonic() + 20
    while served.output().count("a browser tab closed") < 3:
        assert time.monotonic() < deadline, served.output()
        await asyncio.sleep(0.1)
    assert "Unknown child process" not in served.output()


async def test_stopping_the_server_closes_the_tabs_at_once(serve: ServeFactory) -> None:
    """Found while driving it: SIGTERM (or Ctrl+C) with a tab open took 60 s, aiohttp's wait for
    open handlers; a service manager kills the server long before (Docker after 10 s)."""
    served = serve()
    browser = await new_browser(served.url)
    async with browser.session:
        assert await browser.open_lab() == 200
        await browser.connect()
        await browser.wait_for("Welcome to QualityLab")
        (app,) = child_pids(served.proc.pid)
        started = time.monotonic()
        served.proc.terminate()
        assert browser.reader is not None
        await asyncio.wait_for(browser.reader, 20)  # the tab is closed by the server
        while served.proc.poll() is None:
            assert time.monotonic() - started < 20, "serve did not stop"
            await asyncio.sleep(0.1)
        await browser.close()
    assert not Path(f"/proc/{app}").exists() or "Z" in Path(f"/proc/{app}/stat").read_text()
    assert "a browser tab closed (0/8 open)" in served.output()


async def app_command_lines(served: Served) -> list[list[bytes]]:
    """Open one tab and read the command lines of the app processes it started (``ps``)."""
    browser = await new_browser(served.url)
    async with browser.session:
        assert await browser.open_lab() == 200
        await browser.connect()
        await browser.wait_for("Welcome to QualityLab")
        found = [
            Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            for pid in child_pids(served.proc.pid)
        ]
        await browser.close()
    assert found, "no app process found"
    return found


async def test_no_password_in_the_banner_or_on_a_command_line(serve: ServeFactory) -> None:
    served = serve()
    for argv in await app_command_lines(served):
        assert argv[-3:-1] == [b"walk", b"--served"] or b"--served" in argv
        assert not any(str(served.db).encode() in part for part in argv)
        assert not any(b"qualitylab_walker" in part or len(part) == 43 for part in argv)


def child_pids(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.postgres
async def test_a_database_password_is_masked_and_kept_off_command_lines(
    serve: ServeFactory, pg_url: str
) -> None:
    """The test server trusts local connections, so any password gets in; it must never show."""
    scheme, rest = pg_url.split("://", 1)
    user, host = rest.split("@", 1)
    with_password = f"{scheme}://{user.split(':')[0]}:S3cret-pw@{host}"
    served = serve(db=with_password)
    argvs = await app_command_lines(served)
    assert "***@" in served.output() and "S3cret-pw" not in served.output()
    assert not any(b"S3cret-pw" in part for argv in argvs for part in argv)


def test_an_unreachable_database_is_one_line_with_the_password_masked() -> None:
    argv = [sys.executable, "-m", "qualitylab", "serve", "--port", str(free_port())]
    argv += ["--db", "postgresql://lab:S3cret-pw@127.0.0.1:1/lab"]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert out.stderr.startswith("qualitylab: error: cannot open database ")
    assert "lab:***@127.0.0.1:1/lab" in out.stderr and "S3cret" not in out.stderr + out.stdout
    assert len(out.stderr.splitlines()) == 1


def test_a_non_loopback_host_warns_that_tls_is_needed(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "qualitylab", "serve", "--host", "0.0.0.0", "--port", "1"]
    argv += ["--db", str(tmp_path / "lab.db"), "--journeys", str(CATALOG), "--token", "short"]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert out.stderr.startswith("qualitylab: error: --token must be at least 16 characters")
    argv[-1] = TOKEN
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:  # port 1 may be bindable as root: it serves, so stop it
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert "opens the lab to the network over plain HTTP" in err
    assert "TLS reverse proxy" in err


# ---------------------------------------------------------------------------- a real browser


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


def shows_the_app(png: bytes) -> bool:
    """The app's orange title is on screen (anti-aliased text: nearly the accent colour), not
    textual-serve's grey and blue splash."""
    colours = png_colours(png)
    near = min(sum(abs(a - b) for a, b in zip(c, ACCENT, strict=True)) for c in colours)
    return len(colours) > 12 and near <= 6


async def chromium_screenshot(
    url: str,
    profile: Path,
    ready: Callable[[bytes], bool],
    timeout: float = 60.0,
    events: list[dict[str, Any]] | None = None,
) -> bytes:
    """Open ``url`` and screenshot it every 2 s until ``ready(png)`` (or give the last one).
    ``events`` collects what the page did meanwhile (DevTools Network and Log events)."""
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
                        if events is not None and "method" in reply:
                            events.append(reply)

                await call("Page.enable")
                await call("Network.enable")
                await call("Log.enable")
                await call("Page.navigate", url=url)
                deadline = time.monotonic() + timeout
                while True:  # the page, then the websocket, then the app's frames
                    await asyncio.sleep(2)
                    shot = await call("Page.captureScreenshot", format="png")
                    png = base64.b64decode(shot["data"])
                    if ready(png) or time.monotonic() > deadline:
                        return png
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
async def test_chromium_shows_the_walk_app_from_the_key_link(
    serve: ServeFactory, tmp_path: Path
) -> None:
    """... and everything the page fetched came from the lab itself, with nothing refused by its
    Content-Security-Policy (a page open to a company leaks no visit to a font CDN)."""
    served = serve()
    link = f"{served.url}/?token={TOKEN}"
    events: list[dict[str, Any]] = []
    png = await chromium_screenshot(link, tmp_path / "chrome", shows_the_app, events=events)
    (tmp_path / "serve.png").write_bytes(png)
    assert shows_the_app(png), f"the browser does not show the walk app; see {tmp_path}"
    logged = [e["params"]["entry"]["text"] for e in events if e["method"] == "Log.entryAdded"]
    assert not [text for text in logged if "Content Security Policy" in text], logged
    requested = {
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    }
    requested |= {e["params"]["url"] for e in events if e["method"] == "Network.webSocketCreated"}
    assert any(url.endswith("/static/js/textual.js") for url in requested), requested
    assert any("/static/fonts/RobotoMono" in url for url in requested), requested  # ours
    assert any(url.startswith(served.url.replace("http", "ws")) for url in requested), requested
    own = (served.url, served.url.replace("http", "ws"), "data:")
    assert [url for url in requested if not url.startswith(own)] == []


def test_a_connection_that_sends_no_whole_request_is_closed(serve: ServeFactory) -> None:
    """Half a request line, then nothing: the server closes the socket after
    ``IDLE_CONNECTION_SECONDS`` (aiohttp alone waits 75 s), so held-open sockets do not pile up."""
    from qualitylab.serving.server import IDLE_CONNECTION_SECONDS

    served = serve()
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x")
        sock.settimeout(IDLE_CONNECTION_SECONDS + 10)
        start = time.monotonic()
        assert sock.recv(1024) == b""  # closed by the server, nothing answered
        assert time.monotonic() - start < IDLE_CONNECTION_SECONDS + 5
