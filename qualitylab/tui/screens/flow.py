"""Moving between home, intro, the step screen and finish; shared so every entry point agrees.

What these need from the database goes through ``QualityLabApp.until_the_database_answers``:
with the database away, the walker sees the outage screen instead of an error line, and the
move goes on by itself once it answers. Run them in a worker (``HomeScreen``, ``IntroScreen``):
an awaited action would hold the app's keys, and the outage screen's Enter with them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from qualitylab import config, services
from qualitylab.domain import Catalog, Walker
from qualitylab.errors import NotFound, QualityLabError

if TYPE_CHECKING:
    from qualitylab.services import Lab
    from qualitylab.tui.app import QualityLabApp


def current_catalog(lab: Lab) -> Catalog:
    """The lab's catalog (loaded once); a function so ``QualityLabApp.call`` can run it."""
    return lab.catalog


async def ensure_walker(app: QualityLabApp) -> Walker:
    """The walker record for the profile (home usually loaded it already)."""
    if app.walker is None:
        profile = app.profile
        assert profile is not None, "the profile is chosen before any walk starts"
        app.walker = await app.until_the_database_answers(
            services.get_or_create_walker,
            name=profile.name,
            department=profile.department,
            anonymous=profile.anonymous,
        )
    return app.walker


async def open_journey(app: QualityLabApp, journey_id: str, *, resuming: bool = False) -> None:
    """Show the journey's intro (persona, goal, what to have at hand); ``resuming``: the walker
    has a walk of it in progress, which the intro continues."""
    from qualitylab.tui.screens.intro import IntroScreen

    try:
        catalog = await app.call(current_catalog)
    except QualityLabError:
        return
    try:
        journey = catalog.journey(journey_id)
    except KeyError:
        app.report_error(
            NotFound(f"no journey {journey_id!r}", code="journey.gone", journey=journey_id)
        )
        return
    try:
        product = catalog.product(journey.product)
        product_name, release = product.name, product.release
    except KeyError:
        product_name, release = journey.product, ""
    app.push_screen(
        IntroScreen(journey, product_name=product_name, release=release, resuming=resuming)
    )


async def start_walk(app: QualityLabApp, journey_id: str) -> None:
    """Start (or resume) the walker's walk of a journey and replace the intro with its step."""
    try:
        walker = await ensure_walker(app)
        own = app.profile.walks if app.profile is not None else ()
        walk = await app.until_the_database_answers(
            services.start_or_resume_walk, journey_id=journey_id, walker=walker, own_walks=own
        )
    except QualityLabError:
        return
    if walker.anonymous:
        remember_walk(app, walk.uuid)
    await _show_walk(app, walk.uuid, replace=True)


def remember_walk(app: QualityLabApp, walk_uuid: str) -> None:
    """Keep an anonymous walker's walk in their profile (this computer only), so home can list
    it and it can be resumed; the database links it to nothing."""
    profile = app.profile
    if profile is None or walk_uuid in profile.walks:
        return
    walks = (*profile.walks, walk_uuid)[-config.MAX_REMEMBERED_WALKS :]
    app.profile = replace(profile, walks=walks)
    if app.served is not None:  # a browser: its secret finds its walks, no profile file
        return
    try:
        config.save_profile(app.profile)
    except OSError as err:
        app.report_error(err)


async def resume_walk(app: QualityLabApp, walk_uuid: str) -> None:
    """Open an in-progress walk at the step where the walker left it."""
    await _show_walk(app, walk_uuid, replace=False)


async def _show_walk(app: QualityLabApp, walk_uuid: str, *, replace: bool) -> None:
    from qualitylab.tui.screens.step import StepScreen

    try:
        walk = await app.until_the_database_answers(services.get_walk, walk_uuid)
        if app.served is not None and (app.walker is None or walk.walker.uuid != app.walker.uuid):
            # Defence in depth: a browser walker's screens only ever list their own walks.
            app.report_error(
                NotFound("this walk belongs to another walker", code="entry.not_yours")
            )
            return
        # the walk's own snapshot, never the catalog
        journey = await app.until_the_database_answers(services.walk_journey, walk_uuid)
    except QualityLabError:
        return
    screen = StepScreen(walk, journey)
    if replace:
        app.switch_screen(screen)
    else:
        app.push_screen(screen)
