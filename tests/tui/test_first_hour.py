"""The walk without rough edges (issue 13): what a first-time walker met in the first hour."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Markdown
from tui_helpers import (
    CATALOG,
    AppFactory,
    FrozenClock,
    done_to_finish,
    home_loaded,
    open_journey,
    screen_is,
    step_ready,
    to_finish,
    wait_for,
)

from qualitylab import config
from qualitylab.services import Lab
from qualitylab.tui.app import QualityLabApp


def screen_text(pilot: Pilot[None]) -> str:
    """Every character on the screen as plain text, row by row (what a walker reads)."""
    strips = pilot.app.screen._compositor.render_strips()  # noqa: SLF001
    return "\n".join(strip.text for strip in strips)


async def test_what_good_looks_like_renders_markdown_like_the_instructions(
    new_app: AppFactory, profile: config.Profile
) -> None:
    """``**first**`` showed with its asterisks while the step text beside it was rendered."""
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        step = await open_journey(pilot, "SIM")
        expected = step.query_one("#expected")
        assert isinstance(expected, Markdown)
        shown = screen_text(pilot)
        assert "The offer is on the first screen." in shown
        assert "**" not in shown


async def test_pressing_next_again_without_an_outcome_shows_one_warning(
    new_app: AppFactory, profile: config.Profile
) -> None:
    """Five presses of → stacked five identical toasts over half of an 80x24 screen."""
    app = new_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_journey(pilot, "SIM")
        for _ in range(5):
            await pilot.press("right")
        await pilot.pause()
        warnings = [n for n in app._notifications if n.severity == "warning"]  # noqa: SLF001
        assert len(warnings) == 1
        assert screen_text(pilot).count(app.tr("step.need_outcome").split("\n")[0][:30]) == 1


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_the_help_fits_24_rows_and_says_how_to_enter_the_score(
    new_app: AppFactory, profile: config.Profile, lang: str
) -> None:
    """The F1 help was taller than 30 rows and never said how to enter the 0-10 score."""
    from textual.containers import VerticalScroll

    from qualitylab.tui.screens.help import HelpScreen

    app = new_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_loaded(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: screen_is(pilot, HelpScreen))
        await pilot.pause()
        dialog = app.screen.query_one(VerticalScroll)
        assert dialog.max_scroll_y == 0  # nothing hidden below the fold
        assert dialog.outer_size.height <= 24
        assert "0 … 10" in screen_text(pilot)


@pytest.mark.parametrize("rows", [24, 30, 40])
async def test_the_open_category_list_stays_inside_the_form(
    new_app: AppFactory, profile: config.Profile, rows: int
) -> None:
    """At 30 rows the open category list drew over the form's border and the footer."""
    from textual.containers import VerticalScroll
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    from qualitylab.tui.screens.pain_point import PainPointForm

    app = new_app()
    async with app.run_test(size=(80, rows)) as pilot:
        await open_journey(pilot, "SIM")
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        select = app.screen.query_one("#category", Select)
        select.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: select.expanded)
        await pilot.pause()
        await pilot.pause()
        form = app.screen.query_one(".pain-form", VerticalScroll)
        overlay = select.query_one(SelectOverlay)
        assert overlay.region.height >= 3
        assert overlay.region.bottom <= form.region.bottom - 1  # above the form's bottom border
        await pilot.press("down", "enter")
        assert isinstance(select.value, str)  # still usable: a category was chosen


def type_at_once(app: QualityLabApp, keys: list[str]) -> None:
    """Queue every key before the app handles any, as a paste or a fast typist does in a real
    terminal (Pilot.press waits for the app after each key, which hides the race)."""
    from textual import events

    for key in keys:
        char = key if len(key) == 1 else None
        app.post_message(events.Key(key, char))


async def test_keys_typed_right_after_tab_land_in_the_next_field(
    new_app: AppFactory,
) -> None:
    """ "Anna" Tab "Shop" gave the name "AnnaShop" in a real terminal (reproduced in tmux)."""
    from textual.widgets import Input

    from qualitylab.tui.screens.profile import ProfileScreen

    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        await pilot.pause()
        type_at_once(app, [*"Anna", "tab", *"Shop", "shift+tab"])
        department = app.screen.query_one("#department", Input)
        await wait_for(pilot, lambda: department.value == "Shop" and app.focused is not department)
        assert app.screen.query_one("#name", Input).value == "Anna"
        assert app.focused is app.screen.query_one("#name", Input)


async def test_time_on_the_finish_screen_is_not_added_to_the_last_step(
    new_app: AppFactory, profile: config.Profile, lab: Lab, clock: FrozenClock
) -> None:
    """The finish screen said "time: 01:39" while the stored step times added up to 1:54.

    The finish screen was right: the last step's timer kept running under it, and its 30-second
    autosave (and ctrl+q) stored the minutes spent typing the score as time on the last step."""
    from qualitylab import services
    from qualitylab.domain import Outcome
    from qualitylab.tui.screens.step import StepScreen

    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        step = await open_journey(pilot, "sim")
        for index in range(len(step.journey.steps)):
            step = await step_ready(pilot, index)
            clock.advance(33)
            await pilot.press("d", "6")
            await wait_for(pilot, lambda s=step: s.outcome == Outcome.DONE)  # type: ignore[misc]
            await pilot.press("right")
        finish = await to_finish(pilot)
        await wait_for(pilot, lambda: "01:39" in str(finish.query_one("#summary").render()))
        clock.advance(15)  # reading the summary, typing the score
        under = next(s for s in app.screen_stack if isinstance(s, StepScreen))
        under._autosave()  # noqa: SLF001 - what its 30-second interval does
        await pilot.pause()
        await pilot.press("ctrl+q")
    (walk,) = services.list_walks(lab)
    visits = services.get_walk(lab, walk.uuid).visits
    assert sum(v.seconds_spent for v in visits) == 3 * 33  # 01:39, as the finish screen said


@pytest.fixture
def slow_validation(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Validating the catalog waits until the test sets the event (listing must not wait)."""
    validated = threading.Event()
    real = Lab.reload_catalog

    def reload_catalog(lab: Lab) -> object:
        assert validated.wait(10)
        return real(lab)

    monkeypatch.setattr(Lab, "reload_catalog", reload_catalog)
    yield validated
    validated.set()


async def test_journeys_are_listed_before_the_catalog_is_validated(
    new_app: AppFactory, profile: config.Profile, slow_validation: threading.Event
) -> None:
    """Start-up (issue 13): the list comes from the catalog's outline, so validating the catalog
    (pydantic, ~0.15 s) no longer delays it; a journey opened meanwhile opens once validated."""
    import asyncio

    from qualitylab.tui.screens.home import HomeScreen
    from qualitylab.tui.screens.intro import IntroScreen

    validated = slow_validation
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Buy a SIM card online" in screen_text(pilot))
        home = app.screen
        assert isinstance(home, HomeScreen) and not home.loaded
        assert "Перенести номер в салоне" in screen_text(pilot)
        type_at_once(app, ["enter"])  # opens the journey once the catalog is validated
        await asyncio.sleep(0.3)
        assert not screen_is(pilot, IntroScreen)
        validated.set()
        await wait_for(pilot, lambda: screen_is(pilot, IntroScreen))
        await pilot.press("escape")
        await home_loaded(pilot)
        assert "not started" in screen_text(pilot)


async def test_a_catalog_that_fails_validation_is_reported_after_its_outline_was_listed(
    db_path: str, profile: config.Profile, tmp_path: Path, slow_validation: threading.Event
) -> None:
    """The outline does not check ids: the list shows the journeys, then validation's problem
    replaces them (as it showed before there was an outline)."""
    from qualitylab.tui.app import make_app

    validated = slow_validation
    broken = tmp_path / "journeys.yaml"
    broken.write_text(
        CATALOG.read_text(encoding="utf-8").replace("id: buy-sim", "id: Buy SIM!"),
        encoding="utf-8",
    )
    app = make_app(db=db_path, journeys=broken, lang="en", walker_name=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Buy a SIM card online" in screen_text(pilot))
        validated.set()
        await wait_for(pilot, lambda: "ids use only lower-case letters" in screen_text(pilot))
        assert "Buy a SIM card online" not in screen_text(pilot)


async def test_keys_typed_right_after_enter_in_the_name_land_in_the_department(
    new_app: AppFactory,
) -> None:
    """ "Anna" Enter "Shop" typed at once (a paste, a fast typist): Enter moved focus only once
    the name field had taken the keys after it, as Tab did (reproduced in tmux)."""
    from textual.widgets import Input

    from qualitylab.tui.screens.profile import ProfileScreen

    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        await pilot.pause()
        type_at_once(app, [*"Anna", "enter", *"Shop"])
        department = app.screen.query_one("#department", Input)
        await wait_for(pilot, lambda: department.value == "Shop")
        assert app.screen.query_one("#name", Input).value == "Anna"
        assert app.focused is department
        type_at_once(app, ["enter"])  # Enter in the department still starts
        await home_loaded(pilot)
        assert app.profile == config.Profile(name="Anna", department="Shop")


async def test_keys_typed_right_after_enter_in_the_score_land_in_the_comment(
    new_app: AppFactory, profile: config.Profile
) -> None:
    """The finish screen's 0-10 score: Enter moves to the comment, and "9" Enter "Great" typed
    at once left the comment empty (the score field took the letters, and refused them)."""
    from textual.widgets import Input, TextArea

    from qualitylab.tui.screens.finish import FinishScreen

    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(await done_to_finish(pilot), FinishScreen)
        score = app.screen.query_one("#nps", Input)
        score.focus()
        await pilot.pause()
        type_at_once(app, ["9", "enter", *"Great"])
        comment = app.screen.query_one("#comment", TextArea)
        await wait_for(pilot, lambda: comment.text == "Great")
        assert score.value == "9"
        assert app.focused is comment
