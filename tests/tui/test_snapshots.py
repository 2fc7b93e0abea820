"""What the walker sees: home, step, pain-point form and finish at 80x24 and 120x40, en and ru.

The clock is frozen and the profile fixed, so a changed snapshot means the screen changed. Look at
the diff report before running ``--snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import (
    CATALOG,
    AppFactory,
    fill_form,
    home_loaded,
    screen_is,
    step_ready,
    to_finish,
    wait_for,
)

from qualitylab import config, services
from qualitylab.domain import Outcome
from qualitylab.services import Lab
from qualitylab.tui.screens.pain_point import PainPointForm

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["en", "ru"]

RunBefore = Callable[[Pilot[None]], Awaitable[None]]


def seed_walk(db_path: str, profile: config.Profile, *, upto: int) -> None:
    """A walk of buy-sim with answers on the first ``upto`` steps and a few pain points."""
    with Lab.open(db=db_path, journeys=CATALOG) as lab:
        walker = services.get_or_create_walker(
            lab, name=profile.name, department=profile.department
        )
        walk = services.start_or_resume_walk(lab, journey_id="buy-sim", walker=walker)
        journey = services.walk_journey(lab, walk.uuid)
        outcomes = [Outcome.FRICTION, Outcome.BLOCKED, Outcome.SKIPPED]
        for index, step in enumerate(journey.steps[:upto]):
            services.enter_step(lab, walk.uuid, step.id)
            services.record_step(
                lab, walk.uuid, step.id, outcome=outcomes[index], ease=index + 2, seconds_spent=61.0
            )
        services.log_pain_point(
            lab,
            walk_uuid=walk.uuid,
            step_id="find-offer",
            text="The offer is hidden below three [bold]banners[/bold]",
            severity=3,
            category="usability",
            suggested_fix="Show it first",
        )
        services.log_pain_point(
            lab,
            walk_uuid=walk.uuid,
            step_id="pay",
            text="Card form rejects spaces",
            severity=4,
            category="bug",
        )
        services.add_praise(lab, walk_uuid=walk.uuid, step_id="find-offer", text="Clear photos")


async def pain_form(pilot: Pilot[None], text: str) -> None:
    """Resume the seeded walk and open the pain-point form on step 1 with ``text``, severity 2."""
    home = await home_loaded(pilot)
    await home.action_open()
    step = await step_ready(pilot, 0)
    step.action_log_pain()
    await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
    await fill_form(pilot, text, severity=2)


def check(snap_compare: Any, app: Any, size: tuple[int, int], run_before: RunBefore) -> None:
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_home(
    snap_compare: Any,
    new_app: AppFactory,
    profile: config.Profile,
    db_path: str,
    lang: str,
    size: tuple[int, int],
) -> None:
    seed_walk(db_path, profile, upto=1)

    async def run_before(pilot: Pilot[None]) -> None:
        await home_loaded(pilot)

    check(snap_compare, new_app(lang), size, run_before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_step(
    snap_compare: Any,
    new_app: AppFactory,
    profile: config.Profile,
    db_path: str,
    lang: str,
    size: tuple[int, int],
) -> None:
    seed_walk(db_path, profile, upto=1)

    async def run_before(pilot: Pilot[None]) -> None:
        home = await home_loaded(pilot)
        await home.action_open()  # the resume row is highlighted: step 1 with its answers
        await step_ready(pilot, 0)

    check(snap_compare, new_app(lang), size, run_before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_pain_point_form(
    snap_compare: Any,
    new_app: AppFactory,
    profile: config.Profile,
    db_path: str,
    lang: str,
    size: tuple[int, int],
) -> None:
    seed_walk(db_path, profile, upto=0)

    async def run_before(pilot: Pilot[None]) -> None:
        await pain_form(pilot, "The button says “Next” but\nnothing happens")

    check(snap_compare, new_app(lang), size, run_before)


def test_pain_point_form_on_a_phone_wide_tab(
    snap_compare: Any, new_app: AppFactory, profile: config.Profile, db_path: str
) -> None:
    """A browser tab on a 390 px phone (40x40), in Russian: the buttons stack inside the form
    (before, "Отмена (esc)" was cut at the right edge), the fields go under their labels."""
    seed_walk(db_path, profile, upto=0)

    async def run_before(pilot: Pilot[None]) -> None:
        await pain_form(pilot, "Кнопка «Далее»\nничего не делает")

    check(snap_compare, new_app("ru"), (40, 40), run_before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_finish(
    snap_compare: Any,
    new_app: AppFactory,
    profile: config.Profile,
    db_path: str,
    lang: str,
    size: tuple[int, int],
) -> None:
    seed_walk(db_path, profile, upto=3)

    async def run_before(pilot: Pilot[None]) -> None:
        home = await home_loaded(pilot)
        await home.action_open()
        step = await step_ready(pilot, 2)
        step.action_next()  # a worker: to_finish waits for it
        finish = await to_finish(pilot)
        await wait_for(pilot, lambda: "03:03" in str(finish.query_one("#summary").render()))

    check(snap_compare, new_app(lang), size, run_before)
