"""textual-serve's server with the lab's access control, limits and per-browser identity.

Every request passes :meth:`LabServer.guard` first: ``/?token=...`` with the right token is traded
for an HttpOnly ``SameSite=Strict`` cookie; without that cookie every HTTP and websocket request is
403. The websocket also refuses any ``Origin`` other than the served one, so a foreign page cannot
drive the app even in a browser that holds the cookie. Each tab's app process is started without a
shell, with secrets (walker secret, database URL) in its environment, never on its command line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from qualitylab.config import (
    ENV_RESUME_URL,
    ENV_RESUME_URL_KEPT,
    ENV_SERVED,
    ENV_WALKER_SECRET,
    SERVER_LOG_META,
    is_walker_secret,
    new_walker_secret,
    resolve_lang,
)
from qualitylab.serving.apps import ServedApp
from qualitylab.serving.connections import ConnectionLimit, http_refusal, open_file_limit
from qualitylab.serving.options import ServeOptions
from qualitylab.serving.pages import (
    FAVICON_SVG,
    TAB_TEXTS,
    banner,
    content_security_policy,
    fixed_lang,
    page,
    pick_lang,
)

log = logging.getLogger("qualitylab.serve")

ACCESS_COOKIE = "qualitylab_access"
WALKER_COOKIE = "qualitylab_walker"
ENV_SERVE_TOKEN = "QUALITYLAB_SERVE_TOKEN"
#: Largest HTTP request body and websocket message accepted (keys and pastes fit easily).
MAX_MESSAGE_BYTES = 64 * 1024
MAX_COLUMNS, MAX_ROWS = 400, 200
#: A connection that has not sent a whole request within this many seconds is closed (aiohttp's
#: default is 75 s: a page left half-sent, or a client holding sockets open, keeps each one that
#: long). Tabs are not affected: a websocket is a request being handled, not an idle connection.
IDLE_CONNECTION_SECONDS = 15.0
#: Pending connections the kernel queues before ``accept`` (aiohttp's default).
BACKLOG = 128
#: File descriptors beyond one per connection: each tab's app process is three pipes; the rest is
#: the listening socket, the log, the database and Python's own.
FDS_PER_TAB, FDS_SPARE = 3, 64
#: How long a quitting app process gets to save and exit before it is killed.
STOP_GRACE_SECONDS = 10.0
WALKER_COOKIE_DAYS = 365
#: The lab's own page template and script (textual-serve's JS, font and images stay in its package).
HERE = Path(__file__).parent
LAB_SCRIPT = "lab.js"
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",  # no framing: a foreign page cannot click through the app
    "Referrer-Policy": "no-referrer",  # the token link never leaks as a Referer
    "X-Content-Type-Options": "nosniff",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

AIOHTTP_LOGGERS = ("aiohttp.server", "aiohttp.web", "aiohttp.websocket", "aiohttp.internal")


def one_line_without_request_data(record: logging.LogRecord) -> bool:
    """aiohttp logs a request it cannot parse (an over-long URL or header) with a traceback whose
    message quotes the start of that URL or header: the access key and a walker's secret from a
    link, or a cookie. Keep the line, drop the quote: only the error's type is shown."""
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        record.msg = f"{record.getMessage()}: {type(error).__name__} (details withheld)"
        record.args = None
        record.exc_info = None
        record.exc_text = None
    return True


#: The longest line an app process may put in the server's log.
MAX_LOG_LINE = 400


def log_line(message: object) -> str:
    """An app's message as one bounded line of printable characters (it cannot forge others)."""
    text = "".join(c if c.isprintable() else " " for c in str(message))
    text = " ".join(text.split())
    return text if len(text) <= MAX_LOG_LINE else text[: MAX_LOG_LINE - 1] + "…"


def _clamp(value: str | int, default: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(1, min(high, number))


class LabAppService(AppService):
    """One tab's app process: argv without a shell, per-tab secrets in the environment only."""

    def __init__(self, argv: list[str], env: dict[str, str], **kwargs: Any) -> None:
        super().__init__(" ".join(argv[:4]), **kwargs)
        self.argv = argv
        self.extra_env = env

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env: dict[str, str] = super()._build_environment(width=width, height=height)
        env.pop(ENV_SERVE_TOKEN, None)  # the app needs no access token
        env.update(self.extra_env)
        return env

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        self._stdin = process.stdin
        return process

    async def on_meta(self, data: bytes) -> None:
        """The app's own line for this log (``SERVER_LOG_META``), written at once and as one
        line; anything else as textual-serve handles it."""
        try:
            meta = json.loads(data)
        except ValueError:
            return
        if isinstance(meta, dict) and meta.get("type") == SERVER_LOG_META:
            log.warning("%s", log_line(meta.get("message")))
            return
        await super().on_meta(data)

    async def stop_within(self, seconds: float) -> None:
        """Ask the app to quit (it saves what it holds); kill it only if it has not gone in time.

        The app closing its output (which ends :meth:`stop`) comes a moment before asyncio's
        child watcher reports its exit, so ``returncode`` is still None then. Killing at that
        point was the cause of asyncio's "Unknown child process pid N, will report returncode
        255": ``Popen.send_signal`` polls first (bpo-38630) and so reaps the exited child under
        the watcher's thread, which then finds nothing to wait for. So: wait for the exit the
        watcher reports, and signal only a child that is still running when time is up.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        try:
            await asyncio.wait_for(self.stop(), seconds)
        except (TimeoutError, Exception):  # noqa: BLE001 - a stuck or broken child is killed
            pass
        process = self._process
        if process is None:
            return
        try:
            await asyncio.wait_for(process.wait(), max(0.1, deadline - loop.time()))
            return
        except TimeoutError:
            pass
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(process.wait(), seconds)


class LabServer(Server):
    """Serve one of :data:`~qualitylab.serving.apps.SERVED_APPS` behind the lab's access rules."""

    def __init__(self, app: ServedApp, options: ServeOptions) -> None:
        super().__init__(
            command=f"qualitylab {' '.join(app.argv)}",
            host=options.host,
            port=options.port,
            title=app.title,
            public_url=options.public_url.rstrip("/"),
        )
        self.served_app = app
        self.options = options
        #: App processes running now (at most ``options.max_sessions``).
        self.sessions = 0
        #: The open tabs' websockets, closed first when the server stops.
        self.tabs: set[web.WebSocketResponse] = set()
        self.csp = content_security_policy(options.origin)
        self.lab_script = (HERE / "static" / LAB_SCRIPT).read_bytes()

    # ------------------------------------------------------------------ application

    async def _make_app(self) -> web.Application:
        """textual-serve's routes (no static directory listing) behind :meth:`guard`, with the
        lab's own self-contained page template instead of textual-serve's."""
        import aiohttp_jinja2
        import jinja2

        app = web.Application(client_max_size=MAX_MESSAGE_BYTES, middlewares=[self.guard])
        loader = jinja2.FileSystemLoader(HERE / "templates")
        aiohttp_jinja2.setup(app, loader=loader, autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get(f"/lab/{LAB_SCRIPT}", self.handle_lab_script, name="lab-script"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/favicon.ico", self.handle_favicon, name="favicon"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_shutdown.append(self.close_tabs)
        app.on_response_prepare.append(self._security_headers)
        return app

    async def _security_headers(self, _request: web.Request, response: web.StreamResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", self.csp)

    def initialize_logging(self) -> None:
        """One line per session; no request log (URLs may carry the token) and no tracebacks
        with local variables (they may hold cookies)."""
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
        for name in AIOHTTP_LOGGERS:
            logging.getLogger(name).addFilter(one_line_without_request_data)

    def serve(self, debug: bool = False) -> None:
        self.initialize_logging()
        asyncio.run(self.listen())

    async def listen(self) -> None:
        """Serve until SIGINT/SIGTERM. aiohttp's ``run_app`` with one change: the listening
        socket takes connections through :class:`ConnectionLimit` (``run_app`` and its sites
        hand every accepted connection straight to aiohttp, which caps nothing)."""
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C still ends asyncio.run
                loop.add_signal_handler(signum, stop.set)
        self.check_open_file_limit()
        runner = web.AppRunner(
            await self._make_app(), access_log=None, keepalive_timeout=IDLE_CONNECTION_SECONDS
        )
        await runner.setup()
        listener: asyncio.Server | None = None
        try:
            assert runner.server is not None  # set by setup()
            connections = ConnectionLimit(
                runner.server,
                total=self.options.max_connections,
                per_client=self.options.max_connections_per_client,
                refusal=self.refusal(),
            )
            listener = await loop.create_server(connections, self.host, self.port, backlog=BACKLOG)
            # Only now: the banner (with the access key) never announces a server that then
            # fails to listen.
            self.print_banner()
            await stop.wait()
        finally:
            if listener is not None:
                listener.close()  # no new connections; then aiohttp closes the app's (tabs first)
            await runner.cleanup()

    def refusal(self) -> bytes:
        """What a connection over the cap gets: the "lab is full" page, which retries itself.
        Sent before the request is read, so without ``--lang`` it speaks both languages."""
        headers = {**SECURITY_HEADERS, "Content-Security-Policy": self.csp}
        body = page("full", fixed_lang(self.options.lang), refresh="60")
        return http_refusal(body, headers, retry_after=60)

    def check_open_file_limit(self) -> None:
        """Each open connection and each tab's pipes is a file descriptor: make room for the
        caps, or say (once, at start) that the system's limit is the lower bound."""
        o = self.options
        need = o.max_connections + FDS_PER_TAB * o.max_sessions + FDS_SPARE
        limit = open_file_limit(need)
        if limit is not None and limit < need:
            log.warning(
                "warning: the open-file limit (%d) is below what --max-connections %d and "
                "--max-sessions %d need (about %d): lower them or raise the limit (ulimit -n)",
                limit,
                o.max_connections,
                o.max_sessions,
                need,
            )

    async def close_tabs(self, _app: web.Application) -> None:
        """On Ctrl+C or SIGTERM: close every tab now, so each app saves and quits and the
        server exits in seconds. Left open, aiohttp waits up to 60 s for the tabs' handlers, long
        enough for a service manager (Docker: 10 s) to kill the server before any app quit."""
        for websocket in list(self.tabs):
            with contextlib.suppress(Exception):
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping")

    def print_banner(self) -> None:
        """The banner (in --lang, else the locale's language): see :func:`pages.banner`."""
        o = self.options
        text = banner(
            resolve_lang(o.lang),
            app=self.served_app.name,
            url=self.public_url,
            link=f"{self.public_url}/?{urlencode({'token': o.token})}",
            db=o.db_label,
            tabs=o.max_sessions,
            idle_minutes=o.idle_seconds / 60,
            token_fixed=o.token_fixed,
        )
        sys.stdout.write(text)
        sys.stdout.flush()

    # ------------------------------------------------------------------ access control

    def _lang(self, request: web.Request) -> str:
        return pick_lang(self.options.lang, request.headers.get("Accept-Language", ""))

    def _page(
        self, request: web.Request, kind: str, status: int, refresh: str = ""
    ) -> web.Response:
        return web.Response(
            text=page(kind, self._lang(request), refresh=refresh),
            status=status,
            content_type="text/html",
            headers={"Cache-Control": "no-store"},
        )

    def _refusal(self, request: web.Request, kind: str, status: int) -> web.HTTPException:
        """The same page as an exception, for handlers typed to return a websocket."""
        error = web.HTTPForbidden if status == 403 else web.HTTPServiceUnavailable
        return error(
            text=page(kind, self._lang(request)),
            content_type="text/html",
            headers={"Cache-Control": "no-store"},
        )

    def token_ok(self, value: str | None) -> bool:
        if not value:
            return False
        return secrets.compare_digest(value.encode("utf-8"), self.options.token.encode("utf-8"))

    def origin_ok(self, request: web.Request) -> bool:
        """No Origin (not a browser) is fine: the cookie still decides. A browser's Origin must
        be the served one."""
        origin = request.headers.get("Origin")
        return origin is None or origin.rstrip("/").lower() == self.options.origin

    def _set_cookie(self, response: web.StreamResponse, name: str, value: str, days: int) -> None:
        response.set_cookie(
            name,
            value,
            max_age=days * 86400 if days else None,
            path="/",
            httponly=True,
            samesite="Strict",
            secure=self.options.secure,
        )

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD"):
            return self._page(request, "refused", 403)
        if not self.origin_ok(request):
            return self._page(request, "refused", 403)
        if "token" in request.query or "walker" in request.query:
            return self._exchange(request)
        cookie = request.cookies.get(ACCESS_COOKIE)
        if not self.token_ok(cookie):
            if cookie:  # the key of an earlier run of the server (restarted with a new key)
                return self._page(request, "stale", 403)
            # A navigation from another site arrives without the Strict cookie even when the
            # browser holds it; one same-site reload (``?again``) brings it along.
            again = request.path == "/" and "again" not in request.query
            return self._page(request, "forbidden", 403, refresh="0;url=/?again" if again else "")
        return await handler(request)

    def _exchange(self, request: web.Request) -> web.Response:
        """Trade ``?token=`` (and a personal ``&walker=`` link) for cookies, then reload ``/``
        without them in the address bar. A meta refresh, not a redirect: after a redirect that a
        click on another site started, the browser would withhold the Strict cookie."""
        token = request.query.get("token")
        if token is None:
            token = request.cookies.get(ACCESS_COOKIE)
        if not self.token_ok(token):
            # A link with a key that is not (or no longer) this server's: most often a link
            # from before a restart of a server whose key was made up at start.
            return self._page(request, "stale" if token else "forbidden", 403)
        response = self._page(request, "opening", 200, refresh="0;url=/")
        self._set_cookie(response, ACCESS_COOKIE, self.options.token, days=0)
        walker = request.query.get("walker", "")
        # Only a link that carries the key (a personal link does) may set the walker: the
        # Strict cookie also comes with requests that a page on the same *site* (another port
        # or subdomain of this host) starts, and such a page must not switch a browser to a
        # walker whose secret its author holds.
        with_key = "token" in request.query
        if with_key and walker and is_walker_secret(walker) and self.served_app.walker_identity:
            self._set_cookie(response, WALKER_COOKIE, walker, days=WALKER_COOKIE_DAYS)
        return response

    # ------------------------------------------------------------------ pages

    async def handle_favicon(self, request: web.Request) -> web.Response:
        return web.Response(
            body=FAVICON_SVG,
            content_type="image/svg+xml",
            headers={"Cache-Control": "max-age=86400"},
        )

    async def handle_lab_script(self, request: web.Request) -> web.Response:
        return web.Response(
            body=self.lab_script,
            content_type="text/javascript",
            headers={"Cache-Control": "max-age=3600"},
        )

    def full(self) -> bool:
        return self.sessions >= self.options.max_sessions

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.full():
            return self._page(request, "full", 503, refresh="60")
        import aiohttp_jinja2

        lang = self._lang(request)
        scheme, rest = self.public_url.split("://", 1)
        context = {
            "base": urlsplit(self.public_url).path.rstrip("/"),  # behind a proxy's path prefix
            "lang": lang,
            "title": self.title,
            "websocket_url": f"{'wss' if scheme == 'https' else 'ws'}://{rest}/ws",
            "font_size": _clamp(request.query.get("fontsize", "16"), 16, 64),
            **TAB_TEXTS[lang],
        }
        response = aiohttp_jinja2.render_template("lab_index.html.j2", request, context)
        response.headers["Cache-Control"] = "no-store"
        if self.served_app.walker_identity and not is_walker_secret(
            request.cookies.get(WALKER_COOKIE, "")
        ):
            self._set_cookie(response, WALKER_COOKIE, new_walker_secret(), WALKER_COOKIE_DAYS)
        return response

    # ------------------------------------------------------------------ app sessions

    def app_env(self, request: web.Request, walker_secret: str | None) -> dict[str, str]:
        """The tab's process environment: the lab's settings, the language, the walker."""
        env = dict(self.options.app_env)
        env[ENV_SERVED] = self.served_app.name
        if not self.options.lang:
            env["QUALITYLAB_LANG"] = self._lang(request)
        if walker_secret is not None:
            env[ENV_WALKER_SECRET] = walker_secret
            query = urlencode({"token": self.options.token, "walker": walker_secret})
            env[ENV_RESUME_URL] = f"{self.public_url}/?{query}"
            env[ENV_RESUME_URL_KEPT] = "1" if self.options.token_fixed else "0"
        return env

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.full():  # the access key is checked (guard): say "full", not "forbidden"
            raise self._refusal(request, "full", 503)
        walker_secret: str | None = None
        if self.served_app.walker_identity:
            walker_secret = request.cookies.get(WALKER_COOKIE, "")
            if not is_walker_secret(walker_secret):
                raise self._refusal(request, "forbidden", 403)
        self.sessions += 1
        try:
            return await self._run_session(request, walker_secret)
        finally:
            self.sessions -= 1
            log.info("a browser tab closed (%d/%d open)", self.sessions, self.options.max_sessions)

    async def _run_session(
        self, request: web.Request, walker_secret: str | None
    ) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
        width = _clamp(request.query.get("width", "80"), 80, MAX_COLUMNS)
        height = _clamp(request.query.get("height", "24"), 24, MAX_ROWS)
        await websocket.prepare(request)
        self.tabs.add(websocket)
        service = LabAppService(
            [sys.executable, "-m", "qualitylab", *self.served_app.argv],
            self.app_env(request, walker_secret),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=False,
        )
        log.info("a browser tab opened (%d/%d open)", self.sessions, self.options.max_sessions)
        try:
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # noqa: BLE001 - one line, no locals (they hold cookies)
            log.warning("a browser tab failed: %s", type(error).__name__)
        finally:
            self.tabs.discard(websocket)
            await service.stop_within(STOP_GRACE_SECONDS)
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        """Relay the browser's keys and sizes; malformed messages are ignored, and a tab with no
        input for ``idle_seconds`` is closed (its app saves and quits)."""
        loop = asyncio.get_running_loop()
        last_input = loop.time()
        idle = self.options.idle_seconds

        async def watchdog() -> None:
            while True:
                left = last_input + idle - loop.time()
                if left <= 0:
                    log.info("closing a browser tab idle for %g min", idle / 60)
                    await websocket.close(message=b"idle")
                    return
                await asyncio.sleep(min(left, 30.0))

        guard = asyncio.create_task(watchdog())
        try:
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    envelope = json.loads(message.data)
                    kind = envelope[0]
                    data = envelope[1] if len(envelope) > 1 else None  # focus/blur carry none
                except (ValueError, TypeError, IndexError, KeyError):
                    continue
                if kind == "stdin" and isinstance(data, str) and data:  # empty: a 0-byte packet
                    last_input = loop.time()
                    await app_service.send_bytes(data.encode("utf-8", "replace"))
                elif kind == "resize" and isinstance(data, dict):
                    await app_service.set_terminal_size(
                        _clamp(data.get("width", 80), 80, MAX_COLUMNS),
                        _clamp(data.get("height", 24), 24, MAX_ROWS),
                    )
                elif kind == "ping":
                    await websocket.send_json(["pong", str(data)[:64]])
                elif kind == "blur":
                    await app_service.blur()
                elif kind == "focus":
                    await app_service.focus()
        finally:
            guard.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await guard
