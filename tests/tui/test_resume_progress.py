"""What the resume offer on home says of a walk in progress: how much is answered, where it opens.

The finding (walker QA): a walker answered steps, went back to step 1, and home then offered
"Resume: step 1 of 8", as if nothing had been done. The offer now counts the answered steps (a
step with an outcome) and names where the walk opens: the step the walker left it on (or the finish
screen), so the count and the landing never contradict each other.
"""

from __future__ import annotations

from textual.widgets import OptionList
from tui_helpers import (
    AppFactory,
    done_to_finish,
    home_loaded,
    list_text,
    open_journey,
    step_ready,
    wait_for,
)

from qualitylab import config
from qualitylab.domain import Outcome
from qualitylab.services import Lab
from qualitylab.tui.screens.home import HomeScreen


def progress_shown(home: HomeScreen) -> tuple[str, str]:
    """The resume row's and the journey row's progress, as data and as drawn."""
    resume = next(row for row in home.rows if row.resume)
    journey = next(row for row in home.rows if not row.resume and row.journey_id == "buy-sim")
    drawn = list_text(home.query_one("#journeys", OptionList))
    assert resume.progress in drawn.replace("\n", " ") or resume.progress[:30] in drawn
    return resume.progress, journey.progress


async def test_going_back_to_step_1_keeps_the_answered_steps_in_the_offer(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    async with new_app().run_test(size=(120, 40)) as pilot:
        step = await open_journey(pilot, "buy")
        for index in (0, 1):
            step = await step_ready(pilot, index)
            await pilot.press("d")
            await wait_for(pilot, lambda s=step: s.outcome == Outcome.DONE)  # type: ignore[misc]
            await pilot.press("right")
        await step_ready(pilot, 2)
        await pilot.press("left")
        await step_ready(pilot, 1)
        await pilot.press("left")
        await step_ready(pilot, 0)
        await pilot.press("escape")
        home = await home_loaded(pilot)
        await wait_for(pilot, lambda: any(row.resume for row in home.rows))
        resume, journey = progress_shown(home)
        assert resume == "▶ 2 of 3 steps answered · resume at step 1"
        assert journey == "in progress: 2 of 3 steps answered"

    async with new_app(lang="ru").run_test(size=(120, 40)) as pilot:
        home = await home_loaded(pilot)
        resume, journey = progress_shown(home)
        assert resume == "▶ отвечено 2 из 3 · продолжить с шага 1"
        assert journey == "в процессе: отвечено 2 из 3"
        await pilot.press("enter")  # the offer keeps its word: the walk opens on step 1
        await step_ready(pilot, 0)


async def test_a_walk_left_on_the_finish_screen_offers_the_finish(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """It used to say "step 3 of 3" and then opened the finish screen."""
    async with new_app().run_test(size=(120, 40)) as pilot:
        await done_to_finish(pilot)
        await pilot.press("ctrl+q")
    async with new_app().run_test(size=(120, 40)) as pilot:
        resume, journey = progress_shown(await home_loaded(pilot))
        assert resume == "▶ 3 of 3 steps answered · resume at the finish"
        assert journey == "in progress: 3 of 3 steps answered"
    async with new_app(lang="ru").run_test(size=(120, 40)) as pilot:
        resume, _ = progress_shown(await home_loaded(pilot))
        assert resume == "▶ отвечено 3 из 3 · продолжить с завершения прохода"
