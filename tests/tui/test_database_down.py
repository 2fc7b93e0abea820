"""A browser tab opened while the lab's database is down says so, and opens once it is back.

The finding (walker QA): under ``qualitylab serve``, a tab opened while the database was
unreachable (PostgreSQL down, the SQLite file unusable) showed textual-serve's splash and then that
the tab had ended; the server's log got the app's error twice after "Application failed to start".
Now the app starts anyway, tells the walker in their language that the lab's database cannot be
reached and that nothing is lost, tries again by itself (Enter tries at once), and goes on without
a reload; the server's log gets one line.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import typer
from test_serve import ServeFactory, new_browser, serve  # noqa: F401 - the fixture
from textual.pilot import Pilot
from textual.widgets import Static
from tui_helpers import CATALOG, FrozenClock, screen_is, wait_for
from typer.testing import CliRunner

from qualitylab.cli import walk as walk_cli
from qualitylab.config import SERVER_LOG_META, new_walker_secret
from qualitylab.tui.app import QualityLabApp, ServedSession, make_app
from qualitylab.tui.screens.database_down import DatabaseDownScreen
from qualitylab.tui.screens.help import HelpScreen
from qualitylab.tui.screens.profile import ProfileScreen


def down_lab(tmp_path: Path) -> Path:
    """A lab path where a folder stands instead of the database file (SQLite cannot open it)."""
    path = tmp_path / "lab.db"
    path.mkdir()
    (path / "keep").write_text("not a lab", encoding="utf-8")
    return path


def back(path: Path) -> None:
    """The database is back: what stood in its place goes, and the lab is there again (as
    ``serve`` makes it at start: a tab never creates one)."""
    from qualitylab.services import Lab

    if path.is_dir():
        shutil.rmtree(path)
    with Lab.open(db=str(path), journeys=str(CATALOG)) as lab:
        lab.store.engine  # noqa: B018 - creates and migrates the file


def served_tab(
    lab_path: Path, clock: FrozenClock, lang: str, retry_every: float | None = 0.2
) -> QualityLabApp:
    """A browser tab's app over ``lab_path``, retrying every ``retry_every`` s while it is
    down (None: the app's own pause)."""
    app = make_app(
        db=str(lab_path),
        journeys=CATALOG,
        lang=lang,
        walker_name=None,
        clock=clock,
        served=ServedSession(secret=new_walker_secret()),
    )
    if retry_every is not None:
        app.database_retry_every = retry_every
    return app


async def test_a_tab_whose_sqlite_file_is_gone_waits_for_it_and_creates_none(
    tmp_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review: a served tab whose lab file had gone (moved, deleted) made a new, empty lab at
    that path, and walkers saved into it unseen by the rest of the lab. ``serve`` creates the lab
    at start; a tab now says the database cannot be reached, and goes on when the file is back."""
    monkeypatch.setattr(QualityLabApp, "tell_server", lambda self, line: None)
    lab_path = tmp_path / "lab.db"
    app = served_tab(lab_path, clock, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: screen_is(pilot, DatabaseDownScreen))
        down = pilot.app.screen
        assert isinstance(down, DatabaseDownScreen)
        await wait_for(pilot, lambda: down.tries >= 2)
        assert not lab_path.exists()
        back(lab_path)
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))


async def test_a_tab_opened_while_the_database_is_down_says_so_and_opens_when_it_is_back(
    tmp_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QualityLabApp, "tell_server", lambda self, line: told.append(line))
    lab_path = down_lab(tmp_path)
    app = served_tab(lab_path, clock, "ru")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: screen_is(pilot, DatabaseDownScreen))
        down = pilot.app.screen
        assert isinstance(down, DatabaseDownScreen)
        await wait_for(pilot, lambda: down.tries >= 3)
        shown = "\n".join(str(w.render()) for w in down.query(Static))
        assert "База данных лаборатории недоступна" in shown
        assert "сохранено" in shown and "обновлять её не нужно" in shown
        assert str(tmp_path) not in shown  # a tab never shows the server's paths
        assert [n.message for n in app._notifications] == []  # noqa: SLF001 - no toast over it
        assert len(told) == 1, told  # one line in the server's log, not one per try
        assert "cannot reach the lab's database" in told[0] and "\n" not in told[0]
        back(lab_path)
        await pilot.press("enter")  # "try again now"
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
    assert len(told) == 1


async def test_the_database_back_while_the_help_is_open_leaves_no_outage_screen_behind(
    tmp_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review: the screen was closed with ``dismiss``, which pops whatever is on top: with the
    help (``?``) open over it, the help went and "the database cannot be reached" stayed in the
    stack under the next screen, shown again the moment that one closed."""
    monkeypatch.setattr(QualityLabApp, "tell_server", lambda self, line: None)
    lab_path = down_lab(tmp_path)
    app = served_tab(lab_path, clock, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: screen_is(pilot, DatabaseDownScreen))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: screen_is(pilot, HelpScreen))
        back(lab_path)
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        assert [type(s) for s in app.screen_stack][1:] == [ProfileScreen]


def test_walk_served_starts_the_app_when_the_database_is_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: one error line on stderr and exit 1, which a browser shows as a tab that ended.
    The terminal `walk` still refuses a database it cannot use in one line (test_cli_errors)."""
    ran: list[QualityLabApp] = []
    monkeypatch.setattr(QualityLabApp, "run", lambda self, *a, **k: ran.append(self))
    monkeypatch.setenv("QUALITYLAB_WALKER_SECRET", new_walker_secret())
    cli = typer.Typer()
    walk_cli.register(cli)
    lab_path = down_lab(tmp_path)
    argv = ["walk", "--served", "--db", str(lab_path), "--journeys", str(CATALOG)]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    assert len(ran) == 1 and ran[0].served is not None


async def test_the_server_logs_an_apps_line_at_once_and_as_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from textual_serve.download_manager import DownloadManager

    from qualitylab.serving.server import MAX_LOG_LINE, LabAppService

    async def ignore(*_args: Any) -> None:
        return None

    service = LabAppService(
        ["true"],
        {},
        write_bytes=ignore,
        write_str=ignore,
        close=ignore,
        download_manager=DownloadManager(),
        debug=False,
    )
    forged = "database down\nqualitylab: a browser tab opened (9/8 open)\x1b[31m" + "x" * 900
    with caplog.at_level(logging.INFO, logger="qualitylab.serve"):
        await service.on_meta(json.dumps({"type": SERVER_LOG_META, "message": forged}).encode())
    (record,) = caplog.records
    line = record.getMessage()
    assert "\n" not in line and "\x1b" not in line and len(line) <= MAX_LOG_LINE
    assert line.startswith("database down qualitylab:")


@pytest.mark.slow
async def test_a_served_tab_waits_for_the_database_and_the_log_says_it_once(
    serve: ServeFactory,  # noqa: F811 - the fixture imported above
) -> None:
    served = serve(lang="ru")
    kept = served.db.with_name("lab-kept.db")
    served.db.rename(kept)  # the lab's file is away (being restored, say) ...
    down_lab(served.db.parent)  # ... and what stands at its path cannot be opened
    browser = await new_browser(served.url)
    async with browser.session:
        assert await browser.open_lab() == 200
        await browser.connect()
        await browser.wait_for("База данных лаборатории недоступна")
        await browser.wait_for("Попыток: 2")  # it keeps trying (every 5 s), the tab stays open
        log = served.output()
        lines = [line for line in log.splitlines() if "database" in line]
        assert len(lines) == 1 and "cannot reach the lab's database" in lines[0], log
        assert "Traceback" not in log and "Application failed to start" not in log
        shutil.rmtree(served.db)
        kept.rename(served.db)  # back: the tab goes on by itself, no reload
        await browser.wait_for("Добро пожаловать в QualityLab", timeout=20)
        assert not browser.closed
        await browser.close()
    deadline = time.monotonic() + 20
    while "a browser tab closed" not in served.output():
        assert time.monotonic() < deadline
        await asyncio.sleep(0.1)
    assert [line for line in served.output().splitlines() if "database" in line] == lines


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_of_the_database_down_screen(
    snap_compare: Any,
    tmp_path: Path,
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    size: tuple[int, int],
) -> None:
    monkeypatch.setattr(QualityLabApp, "tell_server", lambda self, line: None)
    app = served_tab(down_lab(tmp_path), clock, lang, retry_every=None)

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: screen_is(pilot, DatabaseDownScreen))
        await wait_for(pilot, lambda: pilot.app.screen.tries == 1)  # type: ignore[attr-defined]

    assert snap_compare(app, terminal_size=size, run_before=run_before)
