"""``qualitylab walk`` (the Textual app in this terminal) and ``qualitylab serve`` (in a browser).

Textual and textual-serve are imported inside the commands, so ``qualitylab --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qualitylab.cli.common import (
    DbOption,
    JourneysOption,
    check_lang,
    fail,
    open_lab,
    require_terminal,
    warn,
)
from qualitylab.errors import ReadOnlyLab, StorageUnavailable
from qualitylab.serving.apps import SERVED_APPS
from qualitylab.serving.options import (
    DEFAULT_IDLE_MINUTES,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
    DEFAULT_MAX_SESSIONS,
    MIN_CONNECTIONS_PER_CLIENT,
    browser_url,
    connection_cap,
    connection_cap_problem,
    per_client_cap,
    per_client_cap_problem,
    public_url_problem,
)

if TYPE_CHECKING:
    from qualitylab.services.lab import Lab

LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        envvar="QUALITYLAB_LANG",
        show_envvar=True,
        help="Language of the app: en or ru (default: from the locale).",
        show_default=False,
    ),
]


def walk(
    db: DbOption = None,
    journeys: JourneysOption = None,
    lang: LangOption = None,
    as_name: Annotated[
        str | None,
        typer.Option("--as", help="Walk under this name this time (the saved profile is kept)."),
    ] = None,
    served: Annotated[
        bool,
        typer.Option(
            "--served",
            hidden=True,
            help="Run as one browser tab of `serve`: the walker comes from "
            "$QUALITYLAB_WALKER_SECRET, not from a profile or a typed name.",
        ),
    ] = False,
) -> None:
    """Walk a customer journey step by step and log pain points (the main app).

    The first run asks your name and department and remembers them; F1 in the app shows every key.

    [bold]Examples[/bold]

      qualitylab walk

      qualitylab walk --lang ru --as "Anna K." --journeys my-product.yaml

      qualitylab walk --db postgresql://me@lab-server/lab
    """
    import os

    from qualitylab.config import (
        ENV_RESUME_URL,
        ENV_RESUME_URL_KEPT,
        ENV_WALKER_SECRET,
        is_walker_secret,
    )

    secret = resume_url = ""
    link_kept = False
    if served:
        # Read once and drop from the environment: nothing this process starts inherits it.
        secret = os.environ.pop(ENV_WALKER_SECRET, "")
        resume_url = os.environ.pop(ENV_RESUME_URL, "")
        link_kept = os.environ.pop(ENV_RESUME_URL_KEPT, "") == "1"
        if not is_walker_secret(secret):
            fail("--served is for `qualitylab serve` (no walker key in the environment)")
    # Bad input is one line and exit 1 before the app (and Textual) loads.
    lang = check_lang(lang)
    try:
        lab = _checked_lab(db, journeys)
    except StorageUnavailable:
        if not served:
            raise
        # `serve` checked this database when it started: now it is down (a server restarting,
        # a file being replaced). A tab that exited here showed nothing but "the tab ended";
        # the app says so in the walker's words and opens the lab once it answers.
        lab = None
    if not served:
        require_terminal("walk")
    from qualitylab.tui.app import ServedSession, make_app

    session = (
        ServedSession(secret=secret, resume_url=resume_url, link_kept=link_kept) if served else None
    )
    app = make_app(
        db=db,
        journeys=Path(journeys) if journeys else None,
        lang=lang,
        walker_name=None if served else as_name,
        served=session,
        lab=lab,
    )
    app.run()
    if app.return_code:
        raise typer.Exit(app.return_code)


def _checked_lab(db: str | None, journeys: str | None) -> Lab | None:
    """Refuse a database the app could not use (unreachable, or one this user may only read),
    before it opens: one line and exit 1, not a toast in an app that cannot save.

    A SQLite lab is only checked for where its file goes (a missing folder; ``demo`` says the
    same) and stays closed: the app opens it after its first frame, and importing SQLAlchemy
    here would delay that frame by ~0.2 s. A lab on a database server is connected and
    migrated here, and handed to the app.
    """
    from qualitylab.config import resolve_db_url

    if resolve_db_url(db).startswith("sqlite"):
        from qualitylab.services import Lab

        Lab.open(db=db, journeys=journeys).check_location(writes=True)
        return None
    lab = open_lab(db, journeys)
    lab.store.engine  # noqa: B018 - connects and migrates; raises StorageUnavailable
    lab.check_writable("pain_point")  # a walker's first save would be refused: say so now
    return lab


def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. Anything but a loopback address opens the lab to the "
            "network: put a TLS reverse proxy in front (README).",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    db: DbOption = None,
    journeys: JourneysOption = None,
    lang: LangOption = None,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help="The address browsers use, e.g. https://lab.example.com behind a proxy "
            "(with --host 0.0.0.0 this machine's name is used). The websocket accepts only "
            "this origin.",
            show_default=False,
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="QUALITYLAB_SERVE_TOKEN",
            show_envvar=True,
            help="Access key every browser needs (at least 16 characters; default: a new "
            "random one at each start). Prefer the environment variable: a command line is "
            "visible to other users of the machine.",
            show_default=False,
        ),
    ] = None,
    max_sessions: Annotated[
        int,
        typer.Option(
            "--max-sessions",
            min=1,
            max=1000,
            help="Browser tabs (app processes, ~80 MB each) at once; the next visitor is asked "
            "to try again in a minute.",
        ),
    ] = DEFAULT_MAX_SESSIONS,
    max_connections: Annotated[
        int | None,
        typer.Option(
            "--max-connections",
            min=3,
            max=65_535,
            help=f"Open connections at once (default: {DEFAULT_MAX_CONNECTIONS}, or 2 per tab "
            f'above {DEFAULT_MAX_CONNECTIONS // 2} tabs). Over it a connection gets "try again" '
            "(503) and is closed; open tabs go on working.",
            show_default=False,
        ),
    ] = None,
    max_per_client: Annotated[
        int | None,
        typer.Option(
            "--max-per-client",
            min=0,
            max=65_535,
            help="Open connections from one IP address (0: no cap; else at least "
            f"{MIN_CONNECTIONS_PER_CLIENT}, what one browser opens for a page). Default: "
            f"{DEFAULT_MAX_CONNECTIONS_PER_CLIENT} with a network --host; 0 with a loopback "
            "--host or a --public-url, as behind a reverse proxy everyone has the proxy's "
            "address (let the proxy limit per client: README).",
            show_default=False,
        ),
    ] = None,
    idle_timeout: Annotated[
        float,
        typer.Option(
            "--idle-timeout",
            min=0.05,
            max=24 * 60.0,  # a day: tabs must end, or abandoned ones lock everyone out
            help="Minutes without a key press after which a tab ends (its answers are saved).",
        ),
    ] = DEFAULT_IDLE_MINUTES,
    app_name: Annotated[
        str,
        typer.Option("--app", help="Which app the tabs get: " + ", ".join(SERVED_APPS) + "."),
    ] = "walk",
) -> None:
    """Serve the walk app to browser tabs, behind an access key (each browser is its own walker).

    [bold]Examples[/bold]

      qualitylab serve

      QUALITYLAB_DB=postgresql://lab@db/lab qualitylab serve --max-sessions 20

      qualitylab serve --host 0.0.0.0 --public-url https://lab.example.com --db /srv/lab/lab.db

      qualitylab serve --app triage --port 8001
    """
    from qualitylab.config import ENV_DB, ENV_JOURNEYS, ENV_LANG, mask_db_url, resolve_db_url
    from qualitylab.services.catalog import check_catalog
    from qualitylab.serving import ServeOptions, is_loopback, serve_app
    from qualitylab.serving.options import MIN_TOKEN_CHARS

    lang = check_lang(lang)
    served_app = SERVED_APPS.get(app_name)
    if served_app is None:
        fail(f"--app must be one of {', '.join(SERVED_APPS)}, not {app_name!r}")
    if public_url is not None:
        problem = public_url_problem(public_url)
        if problem:
            fail(problem)
        public_url = public_url.strip()
    connections = connection_cap(max_sessions, max_connections)
    problem = connection_cap_problem(max_sessions, connections) or per_client_cap_problem(
        max_per_client
    )
    if problem:
        fail(problem)
    if token is not None and len(token.strip()) < MIN_TOKEN_CHARS:
        fail(f"--token must be at least {MIN_TOKEN_CHARS} characters (use a random one)")
    # Resolve the database now so every tab writes to the same place whatever its cwd, and fail
    # here (one line) if it cannot be opened, instead of in every tab.
    db_url = resolve_db_url(db)
    lab = open_lab(db_url, journeys, create=served_app.creates_lab)
    if served_app.needs_catalog:  # a broken one: told here once, not in every tab
        check_catalog(lab)  # before the database, so a new lab file is not left behind
    lab.store.engine  # noqa: B018 - connects and migrates once, before any tab starts
    try:
        lab.check_writable(served_app.writes)
    except ReadOnlyLab as err:
        if not served_app.read_only_ok:
            fail(str(err))
        warn(f"qualitylab: warning: {err}; tabs can read, but no decision will be saved")
    env = {ENV_DB: db_url}  # the environment, never argv: a password stays out of `ps`
    if journeys:
        env[ENV_JOURNEYS] = str(Path(journeys).expanduser().resolve())
    if lang:
        env[ENV_LANG] = lang
    if not is_loopback(host):
        warn(
            f"qualitylab: warning: --host {host} opens the lab to the network over plain HTTP; "
            "put a TLS reverse proxy in front (see README: Serving to a company) and pass "
            "--public-url https://..."
        )
    import secrets

    options = ServeOptions(
        host=host,
        port=port,
        public_url=(public_url or browser_url(host, port)).rstrip("/"),
        token=token.strip() if token else secrets.token_urlsafe(24),
        token_fixed=token is not None,
        app_env=env,
        lang=lang,
        max_sessions=max_sessions,
        max_connections=connections,
        max_connections_per_client=per_client_cap(host, public_url, max_per_client),
        idle_seconds=idle_timeout * 60,
        db_label=mask_db_url(db_url),
    )
    try:
        serve_app(served_app, options)
    except OSError as exc:  # the port is taken, the address is not this machine's, ...
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


def register(app: typer.Typer) -> None:
    """Mount ``walk`` and ``serve`` on the root command."""
    app.command("walk")(walk)
    app.command("serve")(serve)
