"""``qualitylab walk`` (the Textual app in this terminal) and ``qualitylab serve`` (in a browser).

Textual and textual-serve are imported inside the commands, so ``qualitylab --help`` stays fast.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qualitylab.cli.common import DbOption, JourneysOption, fail, open_lab

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


def _check_lang(lang: str | None) -> str | None:
    if lang is not None and lang.lower() not in ("en", "ru"):
        fail(f"--lang must be 'en' or 'ru', not {lang!r}")
    return lang.lower() if lang else None


def walk(
    db: DbOption = None,
    journeys: JourneysOption = None,
    lang: LangOption = None,
    as_name: Annotated[
        str | None,
        typer.Option("--as", help="Walk under this name this time (the saved profile is kept)."),
    ] = None,
    ask_name: Annotated[
        bool,
        typer.Option(
            "--ask-name",
            hidden=True,
            help="Always ask who is walking and remember nothing (used by `serve`).",
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
    from qualitylab.tui.app import make_app

    lang = _check_lang(lang)
    lab = _reachable_server_lab(db, journeys)
    app = make_app(
        db=db,
        journeys=Path(journeys) if journeys else None,
        lang=lang,
        walker_name=as_name,
        ask_profile=ask_name,
        lab=lab,
    )
    app.run()
    if app.return_code:
        raise typer.Exit(app.return_code)


def _reachable_server_lab(db: str | None, journeys: str | None) -> Lab | None:
    """A lab on a database server, connected and migrated before the app opens, so a server
    that cannot be reached is one line and exit 1 here, not a toast in an app that cannot save.
    A SQLite lab stays lazy (opened on first use) to keep the app's start-up fast."""
    from qualitylab.config import resolve_db_url

    if resolve_db_url(db).startswith("sqlite"):
        return None
    lab = open_lab(db, journeys)
    lab.store.engine  # noqa: B018 - connects and migrates; raises StorageUnavailable
    return lab


def serve_command(db: str | None, journeys: str | None, lang: str | None) -> str:
    """The command textual-serve runs for each browser tab: this Python, the walk app."""
    parts = [sys.executable, "-m", "qualitylab", "walk", "--ask-name"]
    if db:
        parts += ["--db", db]
    if journeys:
        parts += ["--journeys", str(Path(journeys).expanduser().resolve())]
    if lang:
        parts += ["--lang", lang]
    return shlex.join(parts)


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    db: DbOption = None,
    journeys: JourneysOption = None,
    lang: LangOption = None,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help="The address browsers use, e.g. http://lab-pc:8000 (needed behind a proxy; "
            "with --host 0.0.0.0 this machine's name is used).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the walk app to browser tabs (each tab asks who is walking).

    [bold]Examples[/bold]

      qualitylab serve

      qualitylab serve --host 0.0.0.0 --port 8080 --db /srv/lab/lab.db
    """
    from textual_serve.server import Server

    from qualitylab.config import resolve_db_url

    lang = _check_lang(lang)
    # Resolve the database now so every tab writes to the same place whatever its cwd.
    db_url = resolve_db_url(db)
    command = serve_command(db_url, journeys, lang)
    server = Server(
        command,
        host=host,
        port=port,
        title="QualityLab",
        public_url=public_url or browser_url(host, port),
    )
    server.serve()


def browser_url(host: str, port: int) -> str:
    """Where a browser reaches the server; a wildcard address is no use to another machine."""
    if host in ("0.0.0.0", "::", ""):
        import socket

        host = socket.gethostname()
    return f"http://{host}:{port}"


def register(app: typer.Typer) -> None:
    """Mount ``walk`` and ``serve`` on the root command."""
    app.command("walk")(walk)
    app.command("serve")(serve)
