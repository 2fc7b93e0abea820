"""A browser tab on a phone (390 px, about 40 columns): every screen of the walk app fits.

QA (en and ru, 40x40): the footer was cut before the help key, the pain form's "Отмена (esc)" and
the profile screen's third button were cut at the right edge, and the home title bar was cut
mid-word. Buttons now stack, the footer shows the help key first, the title ends in "…".
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Button
from textual.widgets._footer import FooterKey
from tui_helpers import (
    AppFactory,
    done_to_finish,
    home_loaded,
    open_journey,
    screen_is,
    wait_for,
)

from qualitylab import config
from qualitylab.config import new_walker_secret
from qualitylab.tui.app import ServedSession, make_app
from qualitylab.tui.screens.intro import IntroScreen
from qualitylab.tui.screens.pain_point import PainPointForm
from qualitylab.tui.screens.praise import PraiseForm
from qualitylab.tui.screens.profile import ProfileScreen

PHONE = (40, 40)
HELP = {"en": "Help", "ru": "Справка"}


def bottom_line(pilot: Pilot[None]) -> str:
    strips = pilot.app.screen._compositor.render_strips()  # noqa: SLF001
    return strips[-1].text


def buttons_fit(pilot: Pilot[None]) -> None:
    """Each button of the screen on top is drawn whole, inside the screen."""
    width, height = pilot.app.size
    buttons = list(pilot.app.screen.query(Button))
    assert buttons, "no buttons"
    for button in buttons:
        region = button.region
        assert region.width > 0, f"{button.id} is not shown"
        assert region.x >= 0 and region.right <= width, f"{button.id} at {region}"
        assert region.bottom <= height, f"{button.id} at {region}"
        label = str(button.label)
        assert button.content_region.width >= len(label), f"{button.id} {label!r} cut"


def help_in_footer(pilot: Pilot[None], lang: str) -> None:
    """The footer of the screen shows the help key whole, inside the screen."""
    width, _ = pilot.app.size
    keys = [k for k in pilot.app.screen.query(FooterKey) if k.action.endswith("help")]
    assert keys, f"no help key in the footer: {bottom_line(pilot)!r}"
    region = keys[0].region
    assert region.width > 0 and region.right <= width, f"help key at {region}"
    assert HELP[lang] in bottom_line(pilot), bottom_line(pilot)


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_a_phone_wide_walk_shows_the_title_every_button_and_the_help_key(
    new_app: AppFactory, profile: config.Profile, lang: str
) -> None:
    async with new_app(lang=lang).run_test(size=PHONE) as pilot:
        await home_loaded(pilot)
        await pilot.pause()
        top = pilot.app.screen._compositor.render_strips()[0].text  # noqa: SLF001
        assert top.rstrip().endswith("…"), top  # not cut mid-word, nor wrapped out of sight
        help_in_footer(pilot, lang)
        step = await open_journey(pilot, "buy")
        await pilot.pause()
        help_in_footer(pilot, lang)
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await pilot.pause()
        buttons_fit(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is step)
        await pilot.press("g")
        await wait_for(pilot, lambda: screen_is(pilot, PraiseForm))
        await pilot.pause()
        buttons_fit(pilot)


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_a_phone_wide_intro_and_finish_fit(
    new_app: AppFactory, profile: config.Profile, lang: str
) -> None:
    async with new_app(lang=lang).run_test(size=PHONE) as pilot:
        home = await home_loaded(pilot)
        home.query_one("#filter").value = "sim"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_is(pilot, IntroScreen))
        await pilot.pause()
        buttons_fit(pilot)
        help_in_footer(pilot, lang)
        await pilot.press("escape")
        await home_loaded(pilot)
        await done_to_finish(pilot)
        await pilot.pause()
        buttons_fit(pilot)
        help_in_footer(pilot, lang)


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_a_phone_wide_profile_screen_shows_all_three_buttons(db_path: str, lang: str) -> None:
    from tui_helpers import CATALOG, made_by_serve

    served = ServedSession(
        secret=new_walker_secret(), resume_url="http://lab:8000/?token=t", link_kept=True
    )
    app = make_app(
        db=made_by_serve(db_path), journeys=CATALOG, lang=lang, walker_name=None, served=served
    )
    async with app.run_test(size=PHONE) as pilot:
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        await pilot.pause()
        assert len(pilot.app.screen.query(Button)) == 3
        buttons_fit(pilot)
        help_in_footer(pilot, lang)


async def test_a_tab_narrowed_to_a_phone_and_widened_again_redraws_its_footer(
    new_app: AppFactory, profile: config.Profile
) -> None:
    """A phone turned (or a desktop window narrowed): the footer follows the new width."""
    async with new_app(lang="ru").run_test(size=(80, 24)) as pilot:
        await open_journey(pilot, "buy")
        await pilot.pause()
        wide = bottom_line(pilot)
        assert not wide.startswith("? Справка"), wide  # 80 columns: as before, help is last
        await pilot.resize_terminal(*PHONE)
        await wait_for(pilot, lambda: bottom_line(pilot).startswith("? Справка"))
        help_in_footer(pilot, "ru")
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: bottom_line(pilot) == wide)
