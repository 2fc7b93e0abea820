"""``qualitylab triage``: the product owner's app (journeys, fix list, problems, one-offs).

Thin: check the lab opens (a mistyped --db or an unreachable server is one line and exit 1,
before the screen is taken over), then run the Textual app, imported only here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qualitylab.cli.common import (
    DbOption,
    JourneysOption,
    check_lang,
    close_labs,
    open_lab,
    require_terminal,
)
from qualitylab.cli.walk import LangOption


def triage(
    db: DbOption = None,
    journeys: JourneysOption = None,
    lang: LangOption = None,
    served: Annotated[
        bool,
        typer.Option(
            "--served",
            hidden=True,
            help="Run as one browser tab of `serve --app triage`: exports become downloads, "
            "nothing is saved in the server's files.",
        ),
    ] = False,
) -> None:
    """Triage the fix list as a product owner: decide, merge, move, export.

    In a browser: qualitylab serve --app triage (behind serve's access key)."""
    from qualitylab.services.triage import check_lab
    from qualitylab.tui.triage.app import make_triage_app

    lang = check_lang(lang)
    check_lab(open_lab(db, journeys, create=False))  # fails fast, with one line
    close_labs()
    if not served:
        require_terminal("triage")
    app = make_triage_app(
        db=db, journeys=Path(journeys) if journeys else None, lang=lang, served=served
    )
    app.run()
    if app.return_code:
        raise typer.Exit(app.return_code)


def register(app: typer.Typer) -> None:
    app.command("triage")(triage)
