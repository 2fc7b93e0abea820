"""A database that stops answering mid-walk loses nothing and is never silent (issue 9 §6).

Found: with the PostgreSQL server frozen (SIGSTOP, 40 s) a save hung the whole 40.9 s with no
message. Now the walker reads "could not save, nothing lost, retrying" within seconds, the screen
stays where it is (the answer is not drawn as saved, the next step does not open), and the same
answer is saved, once, when the database answers again.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import TextArea
from tui_helpers import (
    CATALOG,
    AppFactory,
    FrozenClock,
    fill_form,
    open_journey,
    screen_is,
    step_ready,
    wait_for,
)

from qualitylab import config, services
from qualitylab.domain import Outcome
from qualitylab.errors import StorageUnavailable
from qualitylab.services import Lab
from qualitylab.tui.app import QualityLabApp, make_app
from qualitylab.tui.lab_app import SAVE_NOTICE_AFTER_S
from qualitylab.tui.screens.pain_point import PainPointForm
from qualitylab.tui.screens.praise import PraiseForm
from qualitylab.tui.screens.step import StepScreen


class Outage:
    """Wraps a service: while ``down``, every call fails as a vanished database does."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.down = True
        self.failed = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.down:
            self.failed += 1
            raise StorageUnavailable("database lab is unavailable: server closed the connection")
        return self.real(*args, **kwargs)


class AnswerLost:
    """Wraps a service: the first call commits, then fails as a connection lost mid-COMMIT
    does; later calls (the app's retries) go through as they are."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.calls: list[dict[str, Any]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        saved = self.real(*args, **kwargs)
        if len(self.calls) == 1:
            raise StorageUnavailable("database lab is unavailable: server closed the connection")
        return saved


class Freeze:
    """Wraps a service: calls block (like a frozen server) until ``thaw``."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.gate = threading.Event()
        self.entered = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        assert self.gate.wait(30), "never thawed"
        return self.real(*args, **kwargs)


def messages(app: QualityLabApp) -> list[str]:
    return [n.message for n in app._notifications]  # noqa: SLF001


def retrying(app: QualityLabApp) -> bool:
    return any("Could not save yet. Nothing is lost" in m for m in messages(app))


def fast(app: QualityLabApp) -> QualityLabApp:
    app.save_notice_after = 0.3
    app.save_retry_every = 0.05
    return app


async def test_an_outcome_is_retried_until_saved_and_the_step_waits_for_it(
    new_app: AppFactory, profile: config.Profile, lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    outage = Outage(services.record_step)
    app = fast(new_app())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        monkeypatch.setattr(services, "record_step", outage)
        await pilot.press("d")
        await wait_for(pilot, lambda: retrying(app) and outage.failed >= 3)
        assert step.outcome is None  # not drawn as saved
        outage.down = False  # the database is back: the same answer goes through
        await wait_for(pilot, lambda: step.outcome == Outcome.DONE)
        assert "Saved." in messages(app) and not retrying(app)
        await pilot.press("right")
        await step_ready(pilot, 1)
    visit = services.get_walk(lab, step.walk.uuid).visit("find-offer")
    assert visit is not None and visit.outcome == Outcome.DONE


async def test_a_database_that_answers_no_is_reported_once_not_retried(
    new_app: AppFactory, profile: config.Profile, lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only file (or a missing table) will not change by waiting: the walker reads the
    real reason once, instead of "retrying until the database answers" forever."""
    calls = []

    def read_only(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        raise StorageUnavailable(
            "database lab.db is unavailable: attempt to write a readonly database; "
            "nothing was saved",
            lasting=True,
        )

    app = fast(new_app())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        monkeypatch.setattr(services, "record_step", read_only)
        await pilot.press("d")
        await wait_for(pilot, lambda: any("readonly database" in m for m in messages(app)))
        await pilot.pause(0.3)
        assert len(calls) == 1 and not retrying(app)
        assert step.outcome is None  # not drawn as saved


def test_the_store_marks_a_read_only_database_as_lasting(tmp_path: Path) -> None:
    import sqlite3

    from sqlalchemy import event

    db = tmp_path / "lab.db"
    ro = Lab.open(db=str(db), journeys=CATALOG)
    engine = ro.store.engine  # creates the schema; from now on every connection is read-only
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA query_only=1"))
    engine.dispose()
    try:
        with pytest.raises(StorageUnavailable) as caught:
            services.get_or_create_walker(ro, name="Zed")
        assert caught.value.lasting and "readonly" in str(caught.value)
    finally:
        ro.close()
    assert sqlite3.connect(db).execute("select count(*) from walker").fetchone() == (0,)


async def test_a_hanging_save_tells_the_walker_and_the_next_step_waits_for_it(
    new_app: AppFactory, profile: config.Profile, lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = fast(new_app())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        await pilot.press("d")
        await wait_for(pilot, lambda: step.outcome == Outcome.DONE)
        frozen = Freeze(services.record_step)
        monkeypatch.setattr(services, "record_step", frozen)
        await pilot.press("right")  # saves the step's time, then would open step 2
        await wait_for(pilot, lambda: retrying(app), timeout=5)
        assert frozen.entered.is_set() and step.index == 0 and screen_is(pilot, StepScreen)
        frozen.gate.set()  # the server resumes
        await step_ready(pilot, 1)
        assert "Saved." in messages(app)
    walk = services.get_walk(lab, step.walk.uuid)
    assert walk.current_step == 1


async def test_a_pain_point_typed_during_an_outage_is_saved_once_when_it_ends(
    new_app: AppFactory, profile: config.Profile, lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    outage = Outage(services.log_pain_point)
    app = fast(new_app())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        monkeypatch.setattr(services, "log_pain_point", outage)
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await fill_form(pilot, "Offer page is blank", severity=3, category="bug")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: retrying(app) and outage.failed >= 2)
        assert screen_is(pilot, PainPointForm)  # the form (and its text) stays
        outage.down = False
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen) and len(step.pains) == 1)
    (point,) = services.list_pain_points(lab)
    assert point.text == "Offer page is blank"


async def test_a_pain_point_whose_commit_answer_was_lost_is_stored_once(
    new_app: AppFactory, profile: config.Profile, lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review finding: the connection can drop after the database committed but before it said
    so; the app then retries the same save. It must not store the pain point twice."""
    app = fast(new_app())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        monkeypatch.setattr(services, "log_pain_point", AnswerLost(services.log_pain_point))
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await fill_form(pilot, "Offer page is blank", severity=3, category="bug")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen) and len(step.pains) == 1)
    assert [p.text for p in services.list_pain_points(lab)] == ["Offer page is blank"]


async def test_praise_whose_commit_answer_was_lost_is_stored_once(
    new_app: AppFactory, profile: config.Profile, lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same review finding for "this was great": the retry stored the praise twice."""
    lost = AnswerLost(services.add_praise)
    app = fast(new_app())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        monkeypatch.setattr(services, "add_praise", lost)
        await pilot.press("g")
        await wait_for(pilot, lambda: screen_is(pilot, PraiseForm))
        pilot.app.screen.query_one("#praise-text", TextArea).load_text("Found it at once")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen) and len(step.praise) == 1)
    assert len(lost.calls) == 2
    praise = services.list_praise(lab, walk_uuid=step.walk.uuid)
    assert [p.text for p in praise] == ["Found it at once"]


@contextmanager
def frozen_postgres(pg_dir: str) -> Iterator[None]:
    """SIGSTOP every process of the test server (as the finding did), SIGCONT on the way out."""
    master = int((Path(pg_dir) / "data" / "postmaster.pid").read_text().split()[0])
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


@pytest.mark.postgres
async def test_a_frozen_postgres_server_is_announced_within_ten_seconds_and_nothing_is_lost(
    pg_url: str, profile: config.Profile, clock: FrozenClock
) -> None:
    """The finding itself, against the real server: SIGSTOP while the walker answers."""
    pg_dir = os.environ.get("QUALITYLAB_TEST_PG_DIR")
    if not pg_dir:
        pytest.skip("needs the throwaway PostgreSQL server that scripts/test starts")
    app = make_app(db=pg_url, journeys=CATALOG, lang="en", walker_name=None, clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        with frozen_postgres(pg_dir):
            started = time.monotonic()
            await pilot.press("d")
            await wait_for(pilot, lambda: retrying(app), timeout=15)
            told = time.monotonic() - started
            assert SAVE_NOTICE_AFTER_S - 0.5 < told < 10
            assert step.outcome is None and screen_is(pilot, StepScreen)
        await wait_for(pilot, lambda: step.outcome == Outcome.DONE, timeout=60)
        assert "Saved." in messages(app)
    with Lab.open(db=pg_url, journeys=CATALOG) as lab:
        visit = services.get_walk(lab, step.walk.uuid).visit("find-offer")
        assert visit is not None and visit.outcome == Outcome.DONE
