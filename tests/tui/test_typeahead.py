"""Keys that arrive together do what they say, in the order typed.

A fast walker who knows the keys ("f", "2", "→"), a paste, or a browser tab over a slow link
delivers several keys before the app has handled the first. The app reads them all in order, but a
key meant for a widget waits in that widget's queue while a *priority* key (→, Enter, Tab) acts at
once: without care "f 2 →" saved the friction and the ease on the next step, "porting ⏎" on the
journeys list opened whichever journey was highlighted before the filter, "2 Tab" in the pain-point
form lost the severity, and the words typed right after "p" were taken as step commands ("b" for
blocked, "a" for abandon) before the form was open.
"""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot
from textual.widgets import RadioSet, Static, TextArea
from tui_helpers import (
    AppFactory,
    fill_form,
    home_loaded,
    open_journey,
    screen_is,
    step_ready,
    wait_for,
)

from qualitylab import config, services
from qualitylab.domain import Outcome
from qualitylab.services import Lab
from qualitylab.tui.screens.confirm import ConfirmDialog
from qualitylab.tui.screens.intro import IntroScreen
from qualitylab.tui.screens.pain_point import PainPointForm
from qualitylab.tui.screens.praise import PraiseForm
from qualitylab.tui.screens.step import StepScreen


def burst(pilot: Pilot[None], *keys: str) -> None:
    """Deliver ``keys`` as one read from the terminal: none is handled before all have arrived
    (``pilot.press`` waits for each key to be handled, which no real terminal does)."""
    app = pilot.app
    assert app._driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


def visits(lab: Lab) -> dict[str, tuple[Outcome | None, int | None]]:
    (walk,) = services.list_walks(lab)
    return {v.step_id: (v.outcome, v.ease) for v in services.get_walk(lab, walk.uuid).visits}


async def test_answers_typed_before_next_stay_on_their_step(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    async with new_app().run_test(size=(100, 30)) as pilot:
        step = await open_journey(pilot, "buy")
        await pilot.press("d", "6")
        await wait_for(pilot, lambda: step.outcome == Outcome.DONE and step.ease == 6)
        burst(pilot, "f", "2", "right")  # changed my mind about step 1, then on to step 2
        await step_ready(pilot, 1)
        await pilot.pause(0.3)
    assert visits(lab)["find-offer"] == (Outcome.FRICTION, 2)
    assert visits(lab)["pay"] == (None, None)


async def test_filter_and_enter_typed_together_open_the_filtered_journey(
    new_app: AppFactory, profile: config.Profile
) -> None:
    async with new_app().run_test(size=(100, 30)) as pilot:
        home = await home_loaded(pilot)
        assert home.rows[0].journey_id == "buy-sim"  # highlighted before the filter
        burst(pilot, *"porting", "enter")
        await wait_for(pilot, lambda: screen_is(pilot, IntroScreen))
        intro = pilot.app.screen
        assert isinstance(intro, IntroScreen)
        assert intro.journey.id == "porting"


async def test_a_severity_typed_just_before_tab_is_kept(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    async with new_app().run_test(size=(100, 30)) as pilot:
        await open_journey(pilot, "buy")
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await fill_form(pilot, "The price hides below the fold", category="usability")
        form = pilot.app.screen
        assert isinstance(form.focused, TextArea)
        burst(pilot, "tab", "2", "tab")
        await pilot.pause(0.3)
        assert form.query_one("#severity", RadioSet).pressed_index == 1
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen))
    (walk,) = services.list_walks(lab)
    (point,) = services.list_pain_points(lab, walk_uuid=walk.uuid)
    assert int(point.severity) == 2


async def test_words_typed_right_after_p_are_never_step_commands(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    async with new_app().run_test(size=(100, 30)) as pilot:
        step = await open_journey(pilot, "buy")
        # "b" is blocked, "a" abandon, "d" done, "s" skipped, "g" praise, "e" edit on the step
        burst(pilot, "p", *"bad design, gives up")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await pilot.pause(0.3)
        assert screen_is(pilot, PainPointForm)
        assert step.outcome is None
        assert not any(isinstance(s, (ConfirmDialog, PraiseForm)) for s in pilot.app.screen_stack)
    assert visits(lab)["find-offer"] == (None, None)


async def test_a_pain_point_opened_while_leaving_a_step_goes_to_the_step_it_names(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    async with new_app().run_test(size=(100, 30)) as pilot:
        step = await open_journey(pilot, "buy")
        await pilot.press("d")
        await wait_for(pilot, lambda: step.outcome == Outcome.DONE)
        burst(pilot, "right", "p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        form = pilot.app.screen
        title = str(form.query_one(".dialog-title", Static).render())
        await fill_form(pilot, "Which step am I on?", severity=2, category="usability")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen))
        step = await step_ready(pilot)
        shown = [p.uuid for p in step.pains]
    (walk,) = services.list_walks(lab)
    (point,) = services.list_pain_points(lab, walk_uuid=walk.uuid)
    named = next(s for s in step.journey.steps if s.title in title)
    assert point.step_id == named.id
    # and the list on screen shows it only when it is the step on screen
    assert (point.uuid in shown) == (step.step_id == point.step_id)


async def test_a_pain_point_typed_right_after_two_moves_goes_to_the_step_they_lead_to(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """QA in tmux (Russian layout, one burst as a fast walker types it): "ы5 т в3 т з" — skipped
    and 5 on step 1, next, done and 3 on step 2, next, a pain point — opened the form for step 1
    (its title named step 1) and saved the pain point there, two steps behind the walker. The
    form now belongs to the step the moves typed before it lead to, and says so once known."""
    async with new_app().run_test(size=(100, 30)) as pilot:
        step = await open_journey(pilot, "buy")
        burst(pilot, "s", "5", "right", "d", "3", "right", "p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        form = pilot.app.screen
        await wait_for(pilot, lambda: step.index == 2)
        await pilot.pause()
        title = str(form.query_one(".dialog-title", Static).render())
        assert "Track the delivery" in title, title
        await fill_form(pilot, "Tracking link is dead", severity=3, category="bug")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen) and len(step.pains) == 1)
    (walk,) = services.list_walks(lab)
    (point,) = services.list_pain_points(lab, walk_uuid=walk.uuid)
    assert point.step_id == "track"
    assert visits(lab)["find-offer"] == (Outcome.SKIPPED, 5)
    assert visits(lab)["pay"] == (Outcome.DONE, 3)


async def test_praise_typed_right_after_a_move_goes_to_the_step_it_leads_to(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    async with new_app().run_test(size=(100, 30)) as pilot:
        step = await open_journey(pilot, "buy")
        burst(pilot, "d", "right", "g")
        await wait_for(pilot, lambda: screen_is(pilot, PraiseForm))
        form = pilot.app.screen
        await wait_for(pilot, lambda: step.index == 1)
        await pilot.pause()
        assert "Pay with the test card" in str(form.query_one(".dialog-title", Static).render())
        form.query_one(TextArea).load_text("Card form is clear")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen) and len(step.praise) == 1)
    (walk,) = services.list_walks(lab)
    (praise,) = services.list_praise(lab, walk_uuid=walk.uuid)
    assert praise.step_id == "pay"
