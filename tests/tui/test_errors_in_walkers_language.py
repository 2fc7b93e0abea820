"""Every refusal a walker can meet in the walk app reads in the walker's language.

The finding (walker QA): in the Russian pain-point form, what the service layer refused (a text
too long, a file that cannot be attached, a walk closed meanwhile) showed in English, under
"Ничего не изменено (подробности по-английски)". The services now raise errors with a code and
parameters; the app words them from its one string table (``tui/i18n.py``), in both languages.
Each case is driven with keys in a Russian form, then the form line, the notice and the database
are checked.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static, TextArea
from tui_helpers import (
    CATALOG,
    AppFactory,
    FrozenClock,
    fill_form,
    log_pain,
    open_journey,
    screen_is,
    wait_for,
)

from qualitylab import config, services
from qualitylab.config import new_walker_secret
from qualitylab.domain import MAX_ATTACHMENT_BYTES, MAX_TEXT_CHARS
from qualitylab.services import Lab
from qualitylab.tui.app import QualityLabApp, ServedSession, make_app
from qualitylab.tui.i18n import STRINGS
from qualitylab.tui.screens.pain_point import PainPointForm
from qualitylab.tui.screens.praise import PraiseForm

URL = re.compile(r"https?://\S*")


def english_words(message: str) -> list[str]:
    """Latin words in a message (an example link aside): a Russian message has none."""
    return re.findall(r"[A-Za-z]{2,}", URL.sub("", message))


def notices(app: QualityLabApp) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]  # noqa: SLF001


def assert_russian(message: str) -> None:
    assert message.strip(), "no message shown"
    assert re.search("[а-яА-Я]", message), message
    assert english_words(message) == [], message


async def refusal_shown(pilot: Pilot[None], app: QualityLabApp) -> str:
    """Wait for the open form's error line; it and every notice must read in Russian."""
    line = pilot.app.screen.query_one("#form-error", Static)
    await wait_for(pilot, lambda: bool(str(line.render()).strip()))
    shown = str(line.render())
    assert_russian(shown)
    assert notices(app), "no notice"
    for notice in notices(app):
        assert_russian(notice)
        assert "по-английски" not in notice
    return shown


Prepare = Callable[[Pilot[None], Lab, Path], Awaitable[None]]


async def _long_text(pilot: Pilot[None], lab: Lab, tmp: Path) -> None:
    await fill_form(pilot, "x" * (MAX_TEXT_CHARS + 1), severity=2, category="bug")


async def _long_fix(pilot: Pilot[None], lab: Lab, tmp: Path) -> None:
    await fill_form(pilot, "Кнопка не работает", severity=2, category="bug", fix="y" * 20_001)


async def _missing_file(pilot: Pilot[None], lab: Lab, tmp: Path) -> None:
    await fill_form(pilot, "Кнопка не работает", severity=2, category="bug")
    await fill_form(pilot, attachment=str(tmp / "нет-такого.png"))


async def _large_file(pilot: Pilot[None], lab: Lab, tmp: Path) -> None:
    big = tmp / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(MAX_ATTACHMENT_BYTES))
    await fill_form(pilot, "Кнопка не работает", severity=2, category="bug")
    await fill_form(pilot, attachment=str(big))


async def _lone_surrogate(pilot: Pilot[None], lab: Lab, tmp: Path) -> None:
    await fill_form(pilot, "Кнопка \ud83d не работает", severity=2, category="bug")


async def _walk_closed_meanwhile(pilot: Pilot[None], lab: Lab, tmp: Path) -> None:
    """Finished in another tab (or by the walker's other device) while this form was open."""
    (walk,) = services.list_walks(lab)
    services.finish_walk(lab, walk.uuid, nps=9)
    await fill_form(pilot, "Кнопка не работает", severity=2, category="bug")


CASES = {
    "text too long": (_long_text, "20\u00a0000"),
    "suggestion too long": (_long_fix, "20\u00a0000"),
    "file missing": (_missing_file, "5 МБ"),
    "file too large": (_large_file, "больше 5 МБ"),
    "lone surrogate": (_lone_surrogate, "«Что произошло?»"),
    "walk closed": (_walk_closed_meanwhile, "завершён"),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_refused_pain_point_is_explained_in_russian(
    case: str, new_app: AppFactory, profile: config.Profile, lab: Lab, tmp_path: Path
) -> None:
    prepare, expected = CASES[case]
    app = new_app(lang="ru")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await open_journey(pilot, "buy")
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await prepare(pilot, lab, tmp_path)
        await pilot.press("ctrl+s")
        assert expected in await refusal_shown(pilot, app)
        assert screen_is(pilot, PainPointForm)  # the form stays open with what was typed
    assert services.list_pain_points(lab) == []


async def test_editing_a_pain_point_deleted_meanwhile_says_so_in_russian(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    app = new_app(lang="ru")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        await log_pain(pilot, "Кнопка не работает", severity=2, category="bug")
        step.query_one("#pains", OptionList).focus()
        await pilot.press("e")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        (point,) = services.list_pain_points(lab)
        services.delete_pain_point(lab, point.uuid)  # in the walker's other tab
        await fill_form(pilot, "Кнопка не работает совсем")
        await pilot.press("ctrl+s")
        assert "удалено" in await refusal_shown(pilot, app)


async def test_a_bad_link_in_the_browser_form_is_explained_in_russian(
    db_path: str, lab: Lab, clock: FrozenClock
) -> None:
    secret = new_walker_secret()
    with Lab.open(db=db_path, journeys=CATALOG) as own:
        services.save_served_walker(own, secret, name="Лея")
    app = make_app(
        db=db_path,
        journeys=CATALOG,
        lang="ru",
        walker_name=None,
        clock=clock,
        served=ServedSession(secret=secret),
    )
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await open_journey(pilot, "sim")
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await fill_form(pilot, "Кнопка не работает", severity=2, category="bug")
        await fill_form(pilot, attachment="/etc/passwd")
        await pilot.press("ctrl+s")
        assert "https://" in await refusal_shown(pilot, app)  # what a link looks like
    assert services.list_pain_points(lab) == []


async def test_a_praise_too_long_is_explained_in_russian(
    new_app: AppFactory, profile: config.Profile, lab: Lab
) -> None:
    app = new_app(lang="ru")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await open_journey(pilot, "buy")
        await pilot.press("g")
        await wait_for(pilot, lambda: screen_is(pilot, PraiseForm))
        pilot.app.screen.query_one("#praise-text", TextArea).load_text("z" * (MAX_TEXT_CHARS + 1))
        await pilot.press("ctrl+s")
        assert "20\u00a0000" in await refusal_shown(pilot, app)
    (walk,) = services.list_walks(lab)
    assert services.list_praise(lab, walk_uuid=walk.uuid) == []


def test_every_error_code_the_services_raise_has_words_in_both_languages() -> None:
    """A new refusal with a code but no words would show as its code: caught here."""
    root = Path(__file__).resolve().parents[2] / "qualitylab"
    codes: set[str] = set()
    for source in root.rglob("*.py"):
        codes |= set(re.findall(r'code="([a-z_.]+)"', source.read_text(encoding="utf-8")))
    assert len(codes) >= 8, codes
    missing = sorted(code for code in codes if f"err.{code}" not in STRINGS)
    assert missing == []


def test_field_names_in_errors_have_words_in_both_languages() -> None:
    from qualitylab.services.walks import FIELDS

    assert sorted(f for f in FIELDS if f"field.{f}" not in STRINGS) == []
