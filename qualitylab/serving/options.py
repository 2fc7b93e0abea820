"""How ``serve`` was asked to run: address, limits, token; cheap to import (no aiohttp)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_MAX_SESSIONS = 8
#: Open connections at once, in all: each tab holds one (its websocket) and a page load a few
#: more for a moment; the rest is headroom. Never below two per tab (see :func:`connection_cap`).
DEFAULT_MAX_CONNECTIONS = 256
#: Open connections from one address when browsers connect directly (no reverse proxy): a
#: browser opens up to 6 at once per server, so this is several people behind one NAT.
DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 32
#: The lowest per-address cap one browser can use: it opens up to 6 connections at once for a
#: page's files, plus its tab's websocket (under 4, headless Chromium got 503 for the page's
#: script or its websocket and showed no app).
MIN_CONNECTIONS_PER_CLIENT = 8
DEFAULT_IDLE_MINUTES = 15.0
MIN_TOKEN_CHARS = 16


@dataclass(frozen=True)
class ServeOptions:
    host: str
    port: int
    public_url: str
    token: str
    #: Environment every app process gets (database URL, journeys, language): never argv.
    app_env: dict[str, str]
    lang: str | None = None
    max_sessions: int = DEFAULT_MAX_SESSIONS
    #: Open connections at once (over it: 503 and closed at accept), and from one address (0: off).
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_connections_per_client: int = 0
    idle_seconds: float = DEFAULT_IDLE_MINUTES * 60
    #: Shown in the banner instead of the URL itself (its password masked).
    db_label: str = ""
    #: The token was given (``--token``/``$QUALITYLAB_SERVE_TOKEN``), not made up at this start:
    #: only then do links (the lab's and walkers' personal ones) keep working after a restart.
    token_fixed: bool = False

    @property
    def origin(self) -> str:
        """``scheme://host[:port]`` of the public URL: the only Origin the websocket accepts."""
        return url_origin(self.public_url)

    @property
    def secure(self) -> bool:
        return self.public_url.lower().startswith("https://")


def connection_cap(max_sessions: int, given: int | None) -> int:
    """``--max-connections`` as given, else the default, raised for many tabs: every tab holds
    one connection for as long as it is open, and a page load needs a few more."""
    return given if given is not None else max(DEFAULT_MAX_CONNECTIONS, 2 * max_sessions)


def connection_cap_problem(max_sessions: int, max_connections: int) -> str | None:
    """Why the connection cap would lock out tabs the tab cap allows, or None."""
    if max_connections < max_sessions + 2:
        return (
            f"--max-connections {max_connections} leaves no room for --max-sessions "
            f"{max_sessions}: each open tab holds one connection and a page load needs more "
            f"(give at least {max_sessions + 2}, better {2 * max_sessions})"
        )
    return None


def per_client_cap_problem(given: int | None) -> str | None:
    """Why ``--max-per-client`` would lock every browser out, or None (0 is no cap)."""
    if given and given < MIN_CONNECTIONS_PER_CLIENT:
        return (
            f"--max-per-client {given} is less than one browser needs for a page and its tab "
            f"(up to 7 connections at once): give 0 (no cap) or at least "
            f"{MIN_CONNECTIONS_PER_CLIENT}"
        )
    return None


def per_client_cap(host: str, public_url: str | None, given: int | None) -> int:
    """``--max-per-client`` as given, else: off (0) where every visitor may arrive
    from one address (a loopback ``--host``: the reverse proxy on this machine, or only this
    machine; a ``--public-url``: a proxy's address), else the default for browsers that
    connect directly."""
    if given is not None:
        return given
    if is_loopback(host) or public_url:
        return 0
    return DEFAULT_MAX_CONNECTIONS_PER_CLIENT


def url_origin(url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(scheme)
    port = parts.port
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def public_url_problem(url: str) -> str | None:
    """Why ``--public-url`` cannot be the browsers' origin (``url_origin`` of it), or None:
    it needs http(s), a host and a valid port, and no user or password: browsers never send
    one in ``Origin``, and ``serve`` prints the address in its banner and in every link."""
    from qualitylab.config import mask_db_url

    shown = mask_db_url(url)  # never echo a password
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:
        return f"--public-url {shown!r} is not a valid address: {exc}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"--public-url must look like https://lab.example.com, not {shown!r}"
    if parts.username is not None or parts.password is not None:
        return (
            f"--public-url {shown!r} holds a user name or password: it would be in every link "
            "walkers get; give the address alone, e.g. https://lab.example.com"
        )
    return None


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def browser_url(host: str, port: int) -> str:
    """Where a browser reaches the server; a wildcard address is no use to another machine."""
    if host in ("0.0.0.0", "::", ""):
        import socket

        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
