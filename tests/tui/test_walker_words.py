"""What the walker reads is in their language and promises only what the keys do."""

from __future__ import annotations

from textual.widgets import Static
from tui_helpers import AppFactory, home_loaded, open_journey, screen_is, step_ready, wait_for

from qualitylab import config
from qualitylab.tui.screens.intro import IntroScreen
from qualitylab.tui.screens.praise import PraiseForm
from qualitylab.tui.screens.step import StepScreen


def shown(pilot_app: object) -> str:
    from textual.app import App

    assert isinstance(pilot_app, App)
    return "\n".join(str(w.render()) for w in pilot_app.screen.query(Static))


async def test_ctrl_c_tells_a_russian_walker_how_to_quit_in_russian(
    new_app: AppFactory, profile: config.Profile
) -> None:
    """Ctrl+C is the key people press to leave a terminal app; Textual's own answer to it is
    English ("Do you want to quit? Press ctrl+q to quit the app")."""
    async with new_app(lang="ru").run_test(size=(100, 30)) as pilot:
        await open_journey(pilot, "porting")
        await pilot.press("ctrl+c")
        await pilot.pause()
        messages = [(n.title, n.message) for n in pilot.app._notifications]  # noqa: SLF001
        assert messages, "ctrl+c says nothing"
        title, message = messages[-1]
        assert "quit" not in f"{title} {message}".lower()
        assert "ctrl+q" in message and "Нажмите" in message
        assert screen_is(pilot, StepScreen)  # and nothing else happened


async def test_the_journey_intro_names_the_channel_in_the_walkers_language(
    new_app: AppFactory, profile: config.Profile
) -> None:
    async with new_app(lang="ru").run_test(size=(100, 40)) as pilot:
        await home_loaded(pilot)
        pilot.app.screen.query_one("#filter").value = "porting"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_is(pilot, IntroScreen))
        text = shown(pilot.app)
        assert "Канал\n" in text
        assert "\nсалон\n" in text and "\nshop\n" not in text


async def test_the_praise_list_offers_only_what_praise_allows(
    new_app: AppFactory, profile: config.Profile
) -> None:
    """Praise cannot be edited ("e" on it says so): its list must not offer "e edit"."""
    async with new_app().run_test(size=(100, 40)) as pilot:
        step = await open_journey(pilot, "buy")
        await pilot.press("g")
        await wait_for(pilot, lambda: screen_is(pilot, PraiseForm))
        pilot.app.screen.query_one("#praise-text").load_text("Clear prices")  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await step_ready(pilot)
        await wait_for(pilot, lambda: bool(step.praise))
        label = str(step.query_one("#praise-label", Static).render())
        assert "delete" in label and "edit" not in label
