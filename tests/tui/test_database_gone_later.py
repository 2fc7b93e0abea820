"""The database going away after the app opened: home waits on the outage screen, and a pain point
confirmed after the lab's SQLite file was deleted is never "saved" into the deleted file.

Findings (the last stop's open defects):

1. On home, a database gone after the app opened gave an error line and nothing more; opening a
   journey or resuming a walk did not retry by itself. Now whatever home needs from the database
   (its list, resuming, starting a walk) shows the outage screen a tab opened during an outage
   gets, in the walker's language, tries again every few seconds (Enter: at once) and goes on
   to where the walker was going once the database answers.
2. SQLite keeps writing through the handle it opened: after ``rm lab.db`` a walker's pain point
   was "saved" into the deleted file. Now the save is refused as an outage (the form stays with
   the text, "could not save yet, retrying") and lands in the file put back at the path.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea
from tui_helpers import (
    CATALOG,
    AppFactory,
    FrozenClock,
    fill_form,
    home_loaded,
    made_by_serve,
    screen_is,
    step_ready,
    wait_for,
)

from qualitylab import config, services
from qualitylab.config import new_walker_secret
from qualitylab.services import Lab
from qualitylab.tui.app import QualityLabApp, ServedSession, make_app
from qualitylab.tui.screens.database_down import DatabaseDownScreen
from qualitylab.tui.screens.home import HomeScreen
from qualitylab.tui.screens.intro import IntroScreen
from qualitylab.tui.screens.pain_point import PainPointForm
from qualitylab.tui.screens.step import StepScreen


def shown(app: QualityLabApp) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def messages(app: QualityLabApp) -> list[str]:
    return [n.message for n in app._notifications]  # noqa: SLF001


def quick(app: QualityLabApp) -> QualityLabApp:
    app.database_retry_every = 0.2
    app.save_notice_after = 0.3
    app.save_retry_every = 0.05
    return app


def texts_at(path: Path) -> list[str]:
    with Lab.open(db=str(path), journeys=CATALOG, create=False) as reader:
        return sorted(p.text for p in services.list_pain_points(reader))


def served_walk(db_path: str) -> tuple[str, str]:
    """A browser walker (its secret) with a walk of buy-sim in progress, on a lab made as
    ``serve`` makes it."""
    secret = new_walker_secret()
    with Lab.open(db=made_by_serve(db_path), journeys=CATALOG) as lab:
        walker = services.save_served_walker(lab, secret, name="Kim")
        walk = services.start_or_resume_walk(lab, journey_id="buy-sim", walker=walker)
    return secret, walk.uuid


def served(db_path: str, secret: str, clock: FrozenClock, lang: str) -> QualityLabApp:
    app = make_app(
        db=db_path,
        journeys=CATALOG,
        lang=lang,
        walker_name=None,
        clock=clock,
        served=ServedSession(secret=secret),
    )
    return quick(app)


async def test_resuming_on_home_with_the_lab_file_away_waits_and_then_opens_the_walk(
    db_path: str, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QualityLabApp, "tell_server", lambda self, line: told.append(line))
    secret, walk_uuid = served_walk(db_path)
    path, away = Path(db_path), Path(db_path).with_name("away.db")
    app = served(db_path, secret, clock, "ru")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        home = await home_loaded(pilot)
        assert [row.walk_uuid for row in home.rows if row.resume] == [walk_uuid]
        path.rename(away)  # the lab's file is moved away (a restore, a disk swap)
        await pilot.press("enter")  # resume, highlighted first
        await wait_for(pilot, lambda: screen_is(pilot, DatabaseDownScreen))
        down = pilot.app.screen
        assert isinstance(down, DatabaseDownScreen)
        await wait_for(pilot, lambda: down.tries >= 2)  # it keeps trying by itself
        text = shown(app)
        assert "База данных лаборатории недоступна" in text and "сохранено" in text
        assert str(path.parent) not in text  # a tab never shows the server's paths
        assert messages(app) == []  # the screen says it; no error toast over it
        assert not path.exists()  # and no new, empty lab was made in its place
        assert len(told) == 1 and "cannot reach the lab's database" in told[0]
        away.rename(path)  # back: the walk opens, no key needed
        step = await step_ready(pilot, 0)
        assert step.walk.uuid == walk_uuid
        assert [type(s) for s in app.screen_stack][1:] == [HomeScreen, StepScreen]
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await fill_form(pilot, "Tariff table cut off", severity=3, category="bug")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen))
    assert texts_at(path) == ["Tariff table cut off"]


async def test_home_in_a_terminal_waits_for_its_database_and_lists_again(
    new_app: AppFactory, db_path: str, profile: config.Profile, lab: Lab
) -> None:
    """Home's list (drawn again when the walker comes back to it) and starting a walk from the
    intro both wait on the outage screen; the terminal's user also reads why."""
    path, away = Path(db_path), Path(db_path).with_name("away.db")
    app = quick(new_app())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await home_loaded(pilot)
        pilot.app.screen.query_one("#filter", Input).value = "sim"
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_is(pilot, IntroScreen))
        path.rename(away)
        await pilot.press("escape")  # back on home, which lists the walker's walks again
        await wait_for(pilot, lambda: screen_is(pilot, DatabaseDownScreen))
        text = shown(app)
        assert "The lab's database cannot be reached" in text
        assert "The app tries again by itself" in text and "This tab" not in text
        await wait_for(pilot, lambda: "no lab database at" in shown(app))  # why, for the admin
        away.rename(path)
        await pilot.press("enter")  # "try again now"
        home = await home_loaded(pilot)
        assert screen_is(pilot, HomeScreen) and messages(app) == []
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_is(pilot, IntroScreen))
        path.rename(away)
        await pilot.press("enter")  # start the walk: it waits for the database too
        await wait_for(pilot, lambda: screen_is(pilot, DatabaseDownScreen))
        away.rename(path)
        step = await step_ready(pilot, 0)
        assert [type(s) for s in app.screen_stack][1:] == [HomeScreen, StepScreen]
        assert home.rows
    assert [w.uuid for w in services.list_walks(lab)] == [step.walk.uuid]


def copy_of(path: Path, to: Path) -> Path:
    """A consistent copy of a lab in use (SQLite's backup API, as an admin's backup is made)."""
    source, target = sqlite3.connect(path), sqlite3.connect(to)
    with target:
        source.backup(target)
    source.close()
    target.close()
    return to


async def test_a_pain_point_confirmed_after_the_lab_file_was_deleted_is_not_lost(
    db_path: str, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QualityLabApp, "tell_server", lambda self, line: None)
    secret, _walk_uuid = served_walk(db_path)
    path = Path(db_path)
    app = served(db_path, secret, clock, "en")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await home_loaded(pilot)
        await pilot.press("enter")  # resume
        await step_ready(pilot, 0)
        backup = copy_of(path, path.with_name("backup.db"))
        os.unlink(path)  # someone deletes the lab file while the tab holds it open
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        form = pilot.app.screen
        await fill_form(pilot, "Confirm button does nothing", severity=4, category="bug")
        await pilot.press("ctrl+s")
        # before: the form closed as saved, into the deleted file
        await wait_for(pilot, lambda: any("Could not save yet" in m for m in messages(app)))
        await pilot.pause(0.3)
        assert pilot.app.screen is form  # the text stays on screen while it is retried
        assert form.query_one("#pain-text", TextArea).text == "Confirm button does nothing"
        assert not path.exists()  # no new, empty lab at the path either
        os.replace(backup, path)  # the lab is put back: the same pain point is saved into it
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen))
        assert "Saved." in messages(app)
    assert texts_at(path) == ["Confirm button does nothing"]
