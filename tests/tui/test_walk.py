"""A walker goes through a whole journey in the app; the database holds exactly what they did."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, RadioSet, TextArea
from tui_helpers import (
    AppFactory,
    FrozenClock,
    catalog_without,
    done_to_finish,
    fill_form,
    home_loaded,
    list_text,
    log_pain,
    open_journey,
    screen_is,
    step_ready,
    to_finish,
    wait_for,
)

from qualitylab import config, services
from qualitylab.domain import Outcome, Severity, WalkStatus
from qualitylab.services import Lab
from qualitylab.tui.screens.confirm import ConfirmDialog
from qualitylab.tui.screens.home import HomeScreen
from qualitylab.tui.screens.pain_point import PainPointForm
from qualitylab.tui.screens.praise import PraiseForm
from qualitylab.tui.screens.profile import ProfileScreen
from qualitylab.tui.screens.step import StepScreen


async def test_first_run_to_finish(new_app: AppFactory, lab: Lab, tmp_path: Path) -> None:
    app = new_app()
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(b"\x89PNG fake")
    async with app.run_test(size=(80, 24)) as pilot:
        # first run: who is walking
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        await pilot.press(*"Anna")
        await pilot.press("enter")  # to department
        app.screen.query_one("#department", Input).value = "Shop 12"
        await pilot.press("enter")  # start
        await home_loaded(pilot)
        assert config.load_profile() == config.Profile(name="Anna", department="Shop 12")

        step = await open_journey(pilot, "sim")
        assert step.journey.id == "buy-sim" and step.index == 0

        # step 1: one pain point with a file, outcome and ease with one key each
        await log_pain(
            pilot,
            "The offer is below three banners",
            severity=2,
            category="usability",
            fix="Put it first",
            attachment=str(shot),
        )
        await pilot.press("f", "3")
        await wait_for(pilot, lambda: step.outcome == Outcome.FRICTION and step.ease == 3)
        await pilot.press("right")
        step = await step_ready(pilot, 1)

        # step 2: two pain points, edit one, delete the other, praise
        await log_pain(pilot, "Card form rejects spaces", severity=3, category="bug")
        await log_pain(pilot, "Typo in the button", severity=1, category="wording")
        assert len(step.pains) == 2
        step.query_one("#pains", OptionList).highlighted = 0
        await pilot.press("e")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        assert pilot.app.screen.query_one("#pain-text", TextArea).text == "Card form rejects spaces"
        await pilot.press("space", "x")  # editing starts at the end of what was written
        text = pilot.app.screen.query_one("#pain-text", TextArea).text
        assert text == "Card form rejects spaces x"
        await fill_form(pilot, "Card number field rejects spaces", severity=4, category="delivery")
        await pilot.press("ctrl+s")
        await step_ready(pilot, 1)
        step.query_one("#pains", OptionList).highlighted = 1
        await pilot.press("delete")
        await wait_for(pilot, lambda: screen_is(pilot, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen) and len(step.pains) == 1)
        await pilot.press("g")
        await wait_for(pilot, lambda: screen_is(pilot, PraiseForm))
        pilot.app.screen.query_one("#praise-text", TextArea).load_text("Apple Pay worked at once")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen) and len(step.praise) == 1)
        await pilot.press("right")  # no outcome yet: the walker is told and stays
        await pilot.pause()
        assert step.index == 1 and app._notifications  # noqa: SLF001
        await pilot.press("b", "1", "n")
        step = await step_ready(pilot, 2)

        # step 3: skipped, then finish
        await pilot.press("s", "right")
        finish = await to_finish(pilot)
        await wait_for(pilot, lambda: "2" in str(finish.query_one("#by-severity").render()))
        await pilot.press("8")
        finish.query_one("#comment", TextArea).load_text("Good, but the card form hurts")
        await pilot.press("ctrl+s")
        home = await home_loaded(pilot)
        await wait_for(pilot, lambda: any("done" in r.progress for r in home.rows))

    walks = services.list_walks(lab)
    assert len(walks) == 1
    walk = services.get_walk(lab, walks[0].uuid)
    assert walk.status == WalkStatus.COMPLETED
    assert walk.nps == 8 and walk.closing_comment == "Good, but the card form hurts"
    assert walk.walker.name == "Anna" and walk.walker.department == "Shop 12"
    visits = {v.step_id: (v.outcome, v.ease) for v in walk.visits}
    assert visits == {
        "find-offer": (Outcome.FRICTION, 3),
        "pay": (Outcome.BLOCKED, 1),
        "track": (Outcome.SKIPPED, None),
    }
    points = sorted(services.list_pain_points(lab, walk_uuid=walk.uuid), key=lambda p: p.step_id)
    assert [(p.step_id, p.text, p.severity, p.category, p.suggested_fix) for p in points] == [
        (
            "find-offer",
            "The offer is below three banners",
            Severity.MINOR,
            "usability",
            "Put it first",
        ),
        ("pay", "Card number field rejects spaces", Severity.BLOCKER, "delivery", ""),
    ]
    assert points[0].attachment_name == "screenshot.png"
    praise = services.list_praise(lab, walk_uuid=walk.uuid)
    assert [(p.step_id, p.text) for p in praise] == [("pay", "Apple Pay worked at once")]


async def test_resume_after_quit(
    new_app: AppFactory, profile: config.Profile, clock: FrozenClock, lab: Lab
) -> None:
    """Quit on step 2 and start a new app on the same file: same step, same texts, timer goes on."""
    first = new_app()
    async with first.run_test(size=(80, 24)) as pilot:
        step = await open_journey(pilot, "buy")
        clock.advance(65)
        await pilot.press("d", "6", "right")
        step = await step_ready(pilot, 1)
        await log_pain(pilot, "Card form rejects spaces", severity=3, category="bug")
        clock.advance(42)
        timer = step.query_one("#timer")
        await wait_for(pilot, lambda: "00:42" in str(timer.render()), timeout=3)
        await pilot.press("p")  # quitting with a dialog open still saves the step's time
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await pilot.press("ctrl+q")

    second = new_app()
    async with second.run_test(size=(80, 24)) as pilot:
        home = await home_loaded(pilot)
        resume = [row for row in home.rows if row.resume]
        assert len(resume) == 1 and "2" in resume[0].progress
        assert home.query_one("#journeys", OptionList).highlighted_option.id == resume[0].key  # type: ignore[union-attr]
        await pilot.press("enter")
        step = await step_ready(pilot, 1)
        assert step.journey.steps[step.index].id == "pay"
        assert "Card form rejects spaces" in list_text(step.query_one("#pains", OptionList))
        timer = step.query_one("#timer")
        await wait_for(pilot, lambda: "00:42" in str(timer.render()), timeout=3)
        clock.advance(8)
        await pilot.press("left")
        step = await step_ready(pilot, 0)
        assert step.outcome == Outcome.DONE and step.ease == 6  # confirmed answers come back
        timer = step.query_one("#timer")
        await wait_for(pilot, lambda: "01:05" in str(timer.render()), timeout=3)

    (walk,) = services.list_walks(lab)
    assert walk.status == WalkStatus.IN_PROGRESS
    seconds = {v.step_id: v.seconds_spent for v in services.get_walk(lab, walk.uuid).visits}
    assert seconds == {"find-offer": 65.0, "pay": 50.0}


async def test_quitting_on_the_finish_screen_resumes_there(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """All steps answered, finish screen open, app closed: the next start reopens the finish."""
    first = new_app()
    async with first.run_test(size=(80, 24)) as pilot:
        finish = await done_to_finish(pilot)
        await pilot.press("ctrl+q")

    (walk,) = services.list_walks(lab)
    assert walk.status == WalkStatus.IN_PROGRESS
    assert walk.current_step == len(finish.journey.steps)  # "at the finish"

    second = new_app()
    async with second.run_test(size=(80, 24)) as pilot:
        home = await home_loaded(pilot)
        (row,) = [r for r in home.rows if r.resume]
        assert row.progress == "▶ 3 of 3 steps answered · resume at the finish"  # not "4 of 3"
        await pilot.press("enter")
        await to_finish(pilot)
        resumed = services.get_walk(lab, walk.uuid)
        assert all(v.left_at is not None for v in resumed.visits)  # no step is left open
        await pilot.press("escape")  # back to the last step: resuming now opens that step
        await step_ready(pilot, 2)
    assert services.get_walk(lab, walk.uuid).current_step == 2


async def test_back_from_the_finish_keeps_the_score_and_comment_typed(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """Found walking: score 8 and a closing comment typed, Escape ("Back to last step") to look
    at the last step once more, → again: the finish screen was empty. Going back is a move, not
    a cancel."""
    async with new_app().run_test(size=(80, 24)) as pilot:
        finish = await done_to_finish(pilot)
        finish.query_one("#nps", Input).value = "8"
        finish.query_one("#comment", TextArea).load_text("Clear, but the refund took 3 calls")
        await pilot.press("escape")
        await step_ready(pilot, 2)
        await pilot.press("right")
        finish = await to_finish(pilot)
        assert finish.query_one("#nps", Input).value == "8"
        assert finish.query_one("#comment", TextArea).text == "Clear, but the refund took 3 calls"
        await pilot.press("ctrl+s")
        await home_loaded(pilot)
    (walk,) = services.list_walks(lab)
    assert walk.status == WalkStatus.COMPLETED
    assert (walk.nps, walk.closing_comment) == (8, "Clear, but the refund took 3 calls")


async def test_a_suggestion_pasted_on_several_lines_is_kept_whole(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """Found walking: a suggested fix pasted from a note on two lines kept only its first line
    (a one-line field drops the rest of a paste); the walker saw the start and saved half."""
    from textual import events

    async with new_app().run_test(size=(100, 30)) as pilot:
        await open_journey(pilot, "buy")
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await fill_form(pilot, "Price is hidden", severity=2, category="usability")
        form = pilot.app.screen
        form.set_focus(form.query_one("#fix", Input))
        await pilot.pause()
        paste = events.Paste("Show the price on the first screen\r\nand say it is free\n")
        assert pilot.app._driver is not None
        pilot.app._driver.send_message(paste)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen))
    (walk,) = services.list_walks(lab)
    (point,) = services.list_pain_points(lab, walk_uuid=walk.uuid)
    assert point.suggested_fix == "Show the price on the first screen and say it is free"


async def test_walk_survives_journey_removed_from_catalog(
    new_app: AppFactory, profile: config.Profile, db_path: str, clock: FrozenClock, tmp_path: Path
) -> None:
    """The walk runs on its snapshot: removing the journey from journeys.yaml loses nothing."""
    from qualitylab.tui.app import make_app

    first = new_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await open_journey(pilot, "buy")
        await log_pain(pilot, "Banner hides the offer", severity=2, category="usability")
        await pilot.press("ctrl+q")

    smaller = catalog_without(tmp_path, "buy-sim")
    second = make_app(db=db_path, journeys=smaller, lang="en", walker_name=None, clock=clock)
    async with second.run_test(size=(80, 24)) as pilot:
        home = await home_loaded(pilot)
        (row,) = [r for r in home.rows if r.resume]
        assert "no longer in the catalog" in row.progress
        await pilot.press("enter")
        step = await step_ready(pilot, 0)
        assert "Banner hides the offer" in list_text(step.query_one("#pains", OptionList))
        await log_pain(pilot, "Still walking after removal", severity=1, category="other")
        assert len(step.pains) == 2


async def test_storage_error_is_a_message_not_a_traceback(
    new_app: AppFactory, profile: config.Profile
) -> None:
    """Home whose database cannot be reached says so on the outage screen (it used to be a
    toast over an empty list) with the reason for the terminal's user, and keeps trying."""
    from textual.widgets import Static

    from qualitylab.tui.screens.database_down import DatabaseDownScreen

    app = new_app()
    app.db = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: screen_is(pilot, DatabaseDownScreen), timeout=20)
        down = pilot.app.screen
        await wait_for(pilot, lambda: down.query_one("#down-detail", Static).display, timeout=20)
        shown = "\n".join(str(w.render()) for w in down.query(Static))
        assert "The lab's database cannot be reached" in shown
        assert "127.0.0.1" in shown and "Traceback" not in shown
        assert [type(s) for s in app.screen_stack][1:] == [HomeScreen, DatabaseDownScreen]
        await pilot.press("ctrl+q")
    assert app.return_code in (None, 0)


async def test_mouse_works_too(new_app: AppFactory, profile: config.Profile, lab: Lab) -> None:
    """Click a journey, Start, an outcome, an ease number, abandon: same as the keys."""
    from qualitylab.tui.screens.intro import IntroScreen

    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        home = await home_loaded(pilot)
        options = home.query_one("#journeys", OptionList)
        first_journey_line = 1  # line 0 is the "All journeys" header
        await pilot.click(options, offset=(4, first_journey_line))
        await wait_for(pilot, lambda: screen_is(pilot, IntroScreen))
        await pilot.click("#start")
        step = await step_ready(pilot, 0)
        question = app.tr("step.outcome")
        await pilot.click("#outcome-row", offset=(len(question) + 4, 0))  # " d done "
        await wait_for(pilot, lambda: step.outcome == Outcome.DONE)
        await pilot.click("#ease-row", offset=(4 * 4 + 1, 0))  # the fifth number: 5
        await wait_for(pilot, lambda: step.ease == 5)
        await pilot.press("a")  # abandoning asks first, then is recorded
        await wait_for(pilot, lambda: screen_is(pilot, ConfirmDialog))
        await pilot.click("#yes")
        await home_loaded(pilot)
    (walk,) = services.list_walks(lab)
    assert walk.status == WalkStatus.ABANDONED
    visit = services.get_walk(lab, walk.uuid).visit("find-offer")
    assert visit is not None and (visit.outcome, visit.ease) == (Outcome.DONE, 5)


async def test_database_failure_mid_walk_keeps_what_was_typed(
    new_app: AppFactory, profile: config.Profile, lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refusals are explained in the form, which keeps the text; a vanished database is retried
    (tests/tui/test_save_retry.py) and the same text saves once it is back."""
    from qualitylab.errors import StorageUnavailable

    real = {"log_pain_point": services.log_pain_point, "record_step": services.record_step}
    down = {"now": True}

    def flaky(name: str) -> object:
        def call(*args: object, **kwargs: object) -> object:
            if down["now"]:
                raise StorageUnavailable("cannot open database file /mnt/lab.db")
            return real[name](*args, **kwargs)

        return call

    app = new_app()
    app.save_retry_every = 0.05
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        monkeypatch.setattr(services, "log_pain_point", flaky("log_pain_point"))
        monkeypatch.setattr(services, "record_step", flaky("record_step"))
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        form = pilot.app.screen
        await fill_form(pilot, "Offer page is blank")
        await pilot.press("ctrl+s")  # the form explains what is missing first
        error = form.query_one("#form-error")
        await wait_for(pilot, lambda: str(error.render()) == app.tr("pain.need_severity"))
        await pilot.press("3")  # the severities have the focus now; a digit picks one
        assert form.query_one("#severity", RadioSet).pressed_index == 2
        await fill_form(pilot, category="bug")
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: any("Nothing is lost" in n.message for n in app._notifications)
        )
        assert screen_is(pilot, PainPointForm)  # still open, text intact
        assert form.query_one("#pain-text", TextArea).text == "Offer page is blank"
        down["now"] = False  # the database is back: the same text saves
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen) and len(step.pains) == 1)
        await pilot.press("d", "right")
        await step_ready(pilot, 1)
    (point,) = services.list_pain_points(lab)
    assert point.text == "Offer page is blank"


async def test_step_time_is_saved_now_and_then_without_leaving(
    new_app: AppFactory,
    profile: config.Profile,
    clock: FrozenClock,
    lab: Lab,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A closed browser tab or a killed terminal loses at most one autosave interval of time."""
    monkeypatch.setattr(StepScreen, "AUTOSAVE_SECONDS", 0.2)
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        step = await open_journey(pilot, "buy")
        clock.advance(30)

        def saved_seconds() -> float:
            visit = services.get_walk(lab, step.walk.uuid).visit("find-offer")
            return visit.seconds_spent if visit else 0.0

        await wait_for(pilot, lambda: saved_seconds() == 30.0, timeout=5)
        assert step.index == 0 and screen_is(pilot, StepScreen)
