"""A save the lab refuses for rights is told to the walker in their language, once, and their text
stays on screen; once write access is given, the same form saves.

QA found: against a PostgreSQL user without write rights a save failed as "unexpected
ProgrammingError ... permission denied"; a read-only SQLite lab was worded as "read-only or
damaged". Neither says that waiting will not help but write access will.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static, TextArea
from tui_helpers import (
    CATALOG,
    AppFactory,
    FrozenClock,
    fill_form,
    home_loaded,
    made_by_serve,
    open_journey,
    screen_is,
    wait_for,
)

import qualitylab
from qualitylab import config, services
from qualitylab.config import new_walker_secret
from qualitylab.services import Lab
from qualitylab.tui.app import QualityLabApp, ServedSession, make_app
from qualitylab.tui.screens.pain_point import PainPointForm
from qualitylab.tui.screens.profile import ProfileScreen
from qualitylab.tui.screens.step import StepScreen

READ_ONLY = {
    "en": ("read-only for the app", "what you typed stays on screen", "Ask whoever runs the lab"),
    "ru": ("только для чтения", "введённое остаётся на экране", "Попросите того, кто ведёт"),
}
RETRYING = ("Could not save yet", "Пока не удалось сохранить")
#: The catalog the app ships with: seven journeys, more than an 80x24 home shows at once.
BUNDLED = Path(qualitylab.__file__).parent / "journeys.yaml"


def messages(app: QualityLabApp) -> list[str]:
    return [n.message for n in app._notifications]  # noqa: SLF001


def form_error(app: QualityLabApp) -> str:
    return str(app.screen.query_one("#form-error", Static).render())


async def refused_then_saved(
    app: QualityLabApp, lang: str, revoke: Any, grant: Any, *, served: bool = False
) -> str:
    """Open a journey, lose write access, save a pain point (refused: the walker reads why, the
    form keeps the text, nothing is retried), get it back, save again; the walk's uuid."""
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        if served:
            await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
            pilot.app.screen.query_one("#name", Input).value = "Anna Petrova"
            await pilot.press("ctrl+s")
            await home_loaded(pilot)
        step = await open_journey(pilot, "buy")
        revoke(app)
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await fill_form(pilot, "Offer page is blank", severity=3, category="bug")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: READ_ONLY[lang][0] in form_error(app))
        await pilot.pause(0.4)  # longer than the app waits before it says "retrying"
        shown = form_error(app)
        assert all(words in shown for words in READ_ONLY[lang]), shown
        assert ("sqlite" in shown or "postgresql" in shown) is not served  # details: terminal
        assert not any(retry in m for m in messages(app) for retry in RETRYING)
        assert screen_is(pilot, PainPointForm)
        assert app.screen.query_one("#pain-text", TextArea).text == "Offer page is blank"
        grant(app)
        await pilot.press("ctrl+s")  # the same form, once the lab may be written again
        await wait_for(pilot, lambda: screen_is(pilot, StepScreen) and len(step.pains) == 1)
        return step.walk.uuid


def fast(app: QualityLabApp) -> QualityLabApp:
    app.save_notice_after = 0.3
    app.save_retry_every = 0.05
    return app


class QueryOnly:
    """Every new connection of the app's SQLite lab refuses writes (SQLite's own read-only
    answer, SQLITE_READONLY, as for a file or folder made read-only), until ``off``."""

    def __init__(self) -> None:
        self.on = False

    def __call__(self, dbapi_conn: Any, _record: Any) -> None:
        if self.on:
            dbapi_conn.execute("PRAGMA query_only=1")

    def revoke(self, app: QualityLabApp) -> None:
        from sqlalchemy import event

        engine = app.lab().store.engine
        event.listen(engine, "connect", self)
        self.on = True
        engine.dispose()  # the pool's connections were opened before

    def grant(self, app: QualityLabApp) -> None:
        self.on = False
        app.lab().store.engine.dispose()


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_a_save_the_sqlite_lab_refuses_is_told_not_retried_and_saved_later(
    new_app: AppFactory, profile: config.Profile, lab: Lab, lang: str
) -> None:
    query_only = QueryOnly()
    app = fast(new_app(lang=lang))
    walk = await refused_then_saved(app, lang, query_only.revoke, query_only.grant)
    assert [p.text for p in services.list_pain_points(lab, walk_uuid=walk)] == [
        "Offer page is blank"
    ]


async def test_a_served_tab_tells_the_walker_without_the_servers_details(
    db_path: str, clock: FrozenClock, lab: Lab
) -> None:
    session = ServedSession(
        secret=new_walker_secret(), resume_url="http://lab:8000/?token=t", link_kept=False
    )
    app = make_app(
        db=made_by_serve(db_path),
        journeys=CATALOG,
        lang="en",
        walker_name=None,
        clock=clock,
        served=session,
    )
    query_only = QueryOnly()
    walk = await refused_then_saved(
        fast(app), "en", query_only.revoke, query_only.grant, served=True
    )
    assert len(services.list_pain_points(lab, walk_uuid=walk)) == 1


@pytest.fixture
def pg_walker(pg_url: str) -> Iterator[tuple[str, str, Any]]:
    """(the lab's URL as its owner, the URL of a walker role, run(sql) as the owner): the role
    may write the lab's tables until a test revokes it."""
    import psycopg
    from sqlalchemy.engine import make_url

    made_by_serve(pg_url)
    role = "walker_" + uuid.uuid4().hex[:8]
    admin = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.format(role=role))

    run("CREATE ROLE {role} LOGIN")
    run("GRANT USAGE ON SCHEMA public TO {role}")
    run("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    run("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    try:
        yield pg_url, make_url(pg_url).set(username=role).render_as_string(False), run
    finally:
        run("DROP OWNED BY {role}")
        run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'")
        run("DROP ROLE {role}")


@pytest.mark.postgres
async def test_a_save_a_postgres_user_may_not_make_is_told_not_retried_and_saved_later(
    pg_walker: tuple[str, str, Any], profile: config.Profile, clock: FrozenClock, tmp_path: Path
) -> None:
    owner, walker_url, run = pg_walker
    app = fast(make_app(db=walker_url, journeys=CATALOG, lang="en", walker_name=None, clock=clock))
    walk = await refused_then_saved(
        app,
        "en",
        lambda _: run("REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM {role}"),
        lambda _: run("GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
    )
    app.lab().close()
    with Lab.open(db=owner, journeys=CATALOG) as lab:
        assert len(services.list_pain_points(lab, walk_uuid=walk)) == 1


#: What a walker reads where nothing was typed: home and the journey's start, a key on a step.
OPENING = {
    "en": ("read-only for the app", "no walk can be started or saved", "open the journey again"),
    "ru": ("только для чтения", "начать или сохранить проход нельзя", "откройте путь снова"),
}
ACTION = {
    "en": ("read-only for the app", "so this was not saved", "then try again"),
    "ru": ("только для чтения", "поэтому это не сохранено", "попробуйте снова"),
}
TYPED = ("what you typed", "введённое")


def screen_text(app: QualityLabApp) -> str:
    """Every line on the screen, stripped and joined by spaces: a wrapped message reads whole
    only when every line of it is in sight."""
    strips = app.screen._compositor.render_strips()  # noqa: SLF001
    return " ".join(line for strip in strips if (line := strip.text.strip()))


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_a_lab_this_user_may_only_read_says_why_at_once_never_waits_as_for_an_outage(
    db_path: str,
    clock: FrozenClock,
    profile: config.Profile,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    """Opened read-only from the start (its folder read-only for this user): the terminal's home
    registers the walker, which is refused; the walker reads why, once, with the journeys
    listed, and no outage screen retries it forever.

    QA (80x24, the bundled catalog, Russian): home said "nothing new was saved (what you typed
    stays on screen...)" before anything was typed, in a notice cut off at the screen's bottom,
    and again as a line under the seven journeys, out of sight. Home now says what the walker
    can and cannot do, once, above the journeys, whole; starting a journey says the same.
    """
    from qualitylab.store import location
    from qualitylab.tui.screens.database_down import DatabaseDownScreen
    from qualitylab.tui.screens.home import HomeScreen
    from qualitylab.tui.screens.intro import IntroScreen

    made_by_serve(db_path)
    folder = Path(db_path).parent
    monkeypatch.setattr(location, "may_write", lambda path: path.exists() and path != folder)
    app = fast(make_app(db=db_path, journeys=BUNDLED, lang=lang, walker_name=None, clock=clock))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        problem = app.screen.query_one("#home-problem", Static)
        await wait_for(pilot, lambda: bool(problem.display))
        await pilot.pause(0.4)
        home = app.screen
        assert isinstance(home, HomeScreen) and home.rows  # the journeys are listed
        assert not any(isinstance(s, DatabaseDownScreen) for s in app.screen_stack)
        assert not messages(app)  # said once, where it stays: not also in a passing notice
        shown = str(problem.render())
        assert all(words in shown for words in OPENING[lang]), shown
        assert not any(words in shown for words in TYPED), shown
        assert f"the folder {folder} of lab file lab.db is read-only for this user" in shown
        assert " ".join(shown.split()) in screen_text(app)  # every line of it in sight

        await pilot.press("enter")  # the first journey, then "Start walking"
        await wait_for(pilot, lambda: screen_is(pilot, IntroScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(OPENING[lang][0] in m for m in messages(app)))
        (told,) = messages(app)
        assert all(words in told for words in OPENING[lang]), told
        assert not any(words in told for words in TYPED), told
        assert screen_is(pilot, IntroScreen)
    with Lab.open(db=db_path, journeys=str(BUNDLED), create=False) as lab:
        assert services.list_walks(lab) == []  # nothing was started


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_a_key_on_a_step_the_lab_refuses_says_so_without_talking_of_typed_text(
    new_app: AppFactory, profile: config.Profile, lab: Lab, lang: str
) -> None:
    """An outcome key pressed once the lab went read-only: the walker typed nothing, so the
    notice does not say "what you typed stays on screen"; once write access is back, the same
    key saves (checked in the database)."""
    query_only = QueryOnly()
    app = fast(new_app(lang=lang))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        query_only.revoke(app)
        await pilot.press("d")
        await wait_for(pilot, lambda: any(ACTION[lang][0] in m for m in messages(app)))
        await pilot.pause(0.4)
        (told,) = [m for m in messages(app) if ACTION[lang][0] in m]
        assert all(words in told for words in ACTION[lang]), told
        assert not any(words in told for words in TYPED), told
        assert step.outcome is None
        walk = services.get_walk(lab, step.walk.uuid)
        assert walk.visits[0].outcome is None
        query_only.grant(app)
        await pilot.press("d")
        await wait_for(pilot, lambda: step.outcome is not None)
        walk = services.get_walk(lab, step.walk.uuid)
        assert walk.visits[0].outcome is not None
