"""First run (anonymous), --as overriding the saved name, and the light/dark theme choice."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static
from tui_helpers import (
    AppFactory,
    home_loaded,
    made_by_serve,
    open_journey,
    screen_is,
    step_ready,
    wait_for,
)

from qualitylab import config, services
from qualitylab.services import Lab
from qualitylab.tui.app import DARK, LIGHT
from qualitylab.tui.screens.profile import ProfileScreen


async def change_name_after_a_walk(pilot: Pilot[None]) -> str:
    """Start a walk, go back home and open "Change name"; the walk's id."""
    step = await open_journey(pilot, "buy")
    await pilot.press("escape")
    await home_loaded(pilot)
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
    return step.walk.uuid


async def test_walk_anonymously_keeps_no_name_and_links_no_walks(
    new_app: AppFactory, lab: Lab
) -> None:
    """Issue 9 §7: the anonymous profile was a fixed ``anonymous-<8 hex>`` walker per computer.
    Now the profile holds no name, each walk gets a walker record of its own, and only this
    computer's profile remembers which walks are its own (to resume them)."""
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        await pilot.click("#anonymous")
        home = await home_loaded(pilot)
        assert "anonymous walker" in str(home.query_one("#topbar", Static).render())
        step = await open_journey(pilot, "buy")
        walk_uuid = step.walk.uuid
    saved = config.load_profile()
    assert saved is not None and saved.anonymous and saved.name == ""
    assert saved.walks == (walk_uuid,)
    walk = services.get_walk(lab, walk_uuid)
    assert walk.walker.anonymous and walk.walker.department == ""
    other = services.start_or_resume_walk(
        lab,
        journey_id=walk.journey_id,
        walker=services.get_or_create_walker(lab, name="", anonymous=True),
    )
    assert other.walker.uuid != walk.walker.uuid  # another anonymous person: no shared record
    app = new_app()  # next day, same computer: the open walk is on home, and it resumes
    async with app.run_test(size=(80, 24)) as pilot:
        await home_loaded(pilot)
        await pilot.press("enter")  # the open walk is the first row: resume it
        step = await step_ready(pilot)
        assert step.walk.uuid == walk_uuid


async def test_choosing_anonymous_again_keeps_the_remembered_walks(
    new_app: AppFactory, lab: Lab
) -> None:
    """Review finding: "change name" -> anonymous saved a profile with no walks, and the
    computer's unfinished anonymous walks could no longer be listed or resumed."""
    config.save_profile(config.Profile(name="", anonymous=True))
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await home_loaded(pilot)
        walk_uuid = await change_name_after_a_walk(pilot)
        await pilot.click("#anonymous")
        await home_loaded(pilot)
    saved = config.load_profile()
    assert saved is not None and saved.walks == (walk_uuid,)


async def test_change_name_can_be_cancelled_and_offers_the_current_name(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    """Found walking: ctrl+n ("Change name") opened an empty "Welcome … who are you?" form that
    Escape did not close; the only ways out were retyping the name exactly, quitting, or going
    anonymous, which hid the walker's unfinished walks from the list."""
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        walk_uuid = await change_name_after_a_walk(pilot)
        form = pilot.app.screen
        assert form.query_one("#name", Input).value == "Anna Petrova"
        assert form.query_one("#department", Input).value == "Shop 12"
        await pilot.press("escape")
        home = await home_loaded(pilot)
        assert app.profile == profile
        assert [r.walk_uuid for r in home.rows if r.resume] == [walk_uuid]
    assert config.load_profile() == profile
    assert len(services.list_walks(lab)) == 1


async def test_as_name_overrides_the_saved_profile_without_replacing_it(
    new_app: AppFactory, profile: config.Profile
) -> None:
    app = new_app(walker_name="Boris")
    async with app.run_test(size=(80, 24)) as pilot:
        home = await home_loaded(pilot)
        assert "Hello, Boris" in str(home.query_one("#topbar", Static).render())
        assert app.walker is not None and app.walker.name == "Boris"
    assert config.load_profile() == profile


async def test_theme_toggle_is_remembered(new_app: AppFactory, profile: config.Profile) -> None:
    first = new_app()
    async with first.run_test(size=(80, 24)) as pilot:
        await home_loaded(pilot)
        assert first.theme == DARK
        await pilot.press("ctrl+t")
        assert first.theme == LIGHT
    second = new_app()
    assert second.theme == LIGHT


@pytest.mark.parametrize(("fgbg", "theme"), [("0;15", LIGHT), ("15;0", DARK), ("", DARK)])
def test_terminal_background_picks_the_first_theme(
    new_app: AppFactory, monkeypatch: pytest.MonkeyPatch, fgbg: str, theme: str
) -> None:
    monkeypatch.setenv("COLORFGBG", fgbg)
    assert new_app().theme == theme


async def test_step_keys_work_on_the_russian_layout(
    new_app: AppFactory, profile: config.Profile
) -> None:
    """After typing a note in Russian, "p" is "з" on the same key: it still opens the form."""
    from tui_helpers import open_journey, step_ready

    from qualitylab.domain import Outcome
    from qualitylab.tui.screens.pain_point import PainPointForm

    app = new_app("ru")
    async with app.run_test(size=(80, 24)) as pilot:
        step = await open_journey(pilot, "buy")
        await pilot.press("в", "5")  # d = done, then ease 5
        await wait_for(pilot, lambda: step.outcome == Outcome.DONE and step.ease == 5)
        await pilot.press("з")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await pilot.press("escape")
        await pilot.press("т")  # n = next
        await step_ready(pilot, 1)


async def test_browser_sessions_ask_once_per_browser_and_remember_nothing_on_the_server(
    db_path: str, profile: config.Profile
) -> None:
    """A `serve` tab asks a new browser who is walking, and writes no profile or theme file."""
    from tui_helpers import CATALOG

    from qualitylab.config import new_walker_secret
    from qualitylab.tui.app import ServedSession, make_app

    served = ServedSession(secret=new_walker_secret())
    app = make_app(
        db=made_by_serve(db_path), journeys=CATALOG, lang="en", walker_name=None, served=served
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        await pilot.press(*"Kim")
        await pilot.press("enter", "enter")
        home = await home_loaded(pilot)
        assert "Hello, Kim" in str(home.query_one("#topbar", Static).render())
        await pilot.press("ctrl+t")
    assert config.load_profile() == profile  # the server's saved profile is untouched
    assert make_app(db=db_path, journeys=CATALOG, lang="en", walker_name=None).theme == DARK
