"""User text is data in every triage screen: markup, ANSI escapes, bidi overrides, formulas and
10,000 characters show literally (the walk app's corpus), and are stored exactly as typed."""

from __future__ import annotations

import html
import re
import sqlite3
from typing import Any

import pytest
from test_hostile_text import HOSTILE
from textual.widgets import DataTable, Input, OptionList
from triage_helpers import build_lab, fake_engine, list_ready, problem_ready, tables_settled
from tui_helpers import CATALOG, list_text, wait_for

from qualitylab.services import Lab
from qualitylab.services.fixes import list_fix_records
from qualitylab.tui.triage.app import make_triage_app
from qualitylab.tui.triage.dialogs import ChooseProblem, DecideDialog

EVE = "[red]Eve[/red] \x1b[5mblink"
#: (piece of user text, how it must be drawn): the first few of HOSTILE's pieces always fit.
DRAWN = ("[bold]loud[/bold]", "[link=https://evil.example]")
NEVER = ("\x1b", "\u202e", "\x07")


@pytest.fixture(autouse=True)
def _fake_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qualitylab.services.fixes._default_cluster_fn", lambda: fake_engine)


@pytest.fixture
def hostile_db(db_path: str) -> str:
    """The small lab plus two identical hostile reports (one problem) and a hostile one-off,
    all by a walker whose name is hostile too."""
    build_lab(
        db_path,
        extra=[("pay", HOSTILE, 4), ("pay", HOSTILE, 3), ("track", "zzz " + HOSTILE, 3)],
    )
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE walker SET name = ? WHERE name = 'Anna Petrova'", (EVE,))
    return db_path


def drawn(app: Any) -> str:
    """Every character on the screen, as the terminal shows it."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def assert_literal(text: str, *pieces: str) -> None:
    for piece in (*DRAWN, *pieces):
        assert piece in text, piece
    for raw in NEVER:
        assert raw not in text, repr(raw)


async def test_every_triage_screen_shows_user_text_literally(hostile_db: str) -> None:
    app = make_triage_app(db=hostile_db, journeys=CATALOG, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_ready(pilot)
        table = screen.query_one("#fixes", DataTable)
        hostile_id = next(str(k.value) for k in table.rows if "loud" in str(k.value))
        # fix list: the title cell and the preview under the table
        await pilot.press("slash", *"loud", "enter")
        await wait_for(pilot, lambda: [str(k.value) for k in table.rows] == [hostile_id])
        await tables_settled(pilot)
        # (the preview keeps each line to one row, so the title's tail is the problem's to show)
        assert_literal(drawn(app), "␛[31mred␛[0m␇")

        # a problem: title, quotes, reports (walker too)
        await pilot.press("enter")
        await problem_ready(pilot, hostile_id)
        text = drawn(app)
        assert_literal(
            text, "<U+202E>evil", "[red]Eve[/red] ␛[", "=HYPERLINK(", "<script>alert(1)</script>"
        )
        reports = pilot.app.screen.query_one("#reports", DataTable)
        cells = [str(c) for n in range(reports.row_count) for c in reports.get_row_at(n)]
        assert any("[bold]loud[/bold]" in c for c in cells)

        # a decision note typed in the dialog: drawn literally, stored exactly
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DecideDialog))
        pilot.app.screen.query_one("#d-note", Input).value = "[b]sprint[/b] \x1b[2J 12"
        await pilot.press("ctrl+s")
        with Lab.open(db=hostile_db, journeys=CATALOG) as lab:
            await wait_for(pilot, lambda: bool(list_fix_records(lab)))
            assert list_fix_records(lab)[0].note == "[b]sprint[/b] \x1b[2J 12"
        await wait_for(pilot, lambda: "[b]sprint[/b] ␛[2J 12" in drawn(app))

        # one-offs: the table and the preview; the attach dialog's problem titles
        await pilot.press("3")
        await wait_for(pilot, lambda: pilot.app.screen.query("#oneoffs").first() is not None)
        oneoffs = pilot.app.screen.query_one("#oneoffs", DataTable)
        await wait_for(pilot, lambda: oneoffs.row_count == 3)
        await tables_settled(pilot)
        assert_literal(drawn(app), "zzz [bold]loud[/bold]")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChooseProblem))
        options = pilot.app.screen.query_one("#candidates", OptionList)
        await pilot.pause()
        assert "[bold]loud[/bold]" in list_text(options)
        await pilot.press("escape")

        # journeys: counts only, but the screen must still draw with such a lab
        await pilot.press("1")
        await wait_for(pilot, lambda: "Steps of" in drawn(app))
