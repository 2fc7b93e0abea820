"""The walk app as a ``serve`` tab (Pilot): the walker is the browser's secret, never a typed name,
and the pain-point form takes a link, never a path on the server's disk (issue 9 sections 1-2)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label, Static
from tui_helpers import (
    CATALOG,
    FrozenClock,
    fill_form,
    home_loaded,
    made_by_serve,
    open_journey,
    screen_is,
    step_ready,
    wait_for,
)

from qualitylab import services
from qualitylab.config import new_walker_secret
from qualitylab.services import Lab
from qualitylab.tui.app import QualityLabApp, ServedSession, make_app
from qualitylab.tui.screens.pain_point import PainPointForm
from qualitylab.tui.screens.profile import ProfileScreen


def served_app(
    db_path: str, secret: str, clock: FrozenClock, *, lang: str = "en", link_kept: bool = False
) -> QualityLabApp:
    session = ServedSession(
        secret=secret,
        resume_url=f"http://lab:8000/?token=t&walker={secret}",
        link_kept=link_kept,
    )
    return make_app(
        db=made_by_serve(db_path),
        journeys=CATALOG,
        lang=lang,
        walker_name=None,
        clock=clock,
        served=session,
    )


async def sign_in(app: QualityLabApp, name: str, department: str = "") -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        pilot.app.screen.query_one("#name", Input).value = name
        pilot.app.screen.query_one("#department", Input).value = department
        await pilot.press("ctrl+s")
        await home_loaded(pilot)


async def test_a_colleagues_name_opens_a_new_walker_not_her_walks(
    db_path: str, lab: Lab, clock: FrozenClock
) -> None:
    """The finding: typing another walker's name and department showed her walk in progress."""
    anna_secret, mallory_secret = new_walker_secret(), new_walker_secret()
    await sign_in(served_app(db_path, anna_secret, clock), "Anna Petrova", "Shop 12")
    anna = services.served_walker(lab, anna_secret)
    assert anna is not None
    walk = services.start_or_resume_walk(lab, journey_id="buy-sim", walker=anna)
    services.log_pain_point(
        lab, walk_uuid=walk.uuid, step_id="find-offer", text="secret", severity=2, category="bug"
    )

    app = served_app(db_path, mallory_secret, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        pilot.app.screen.query_one("#name", Input).value = "Anna Petrova"
        pilot.app.screen.query_one("#department", Input).value = "Shop 12"
        await pilot.press("ctrl+s")
        home = await home_loaded(pilot)
        assert not any(row.resume for row in home.rows)
        assert app.walker is not None and app.walker.uuid != anna.uuid
    assert services.list_walks(lab, walker_uuid=app.walker.uuid) == []
    assert len(services.list_pain_points(lab, walk_uuid=walk.uuid)) == 1  # untouched


async def test_a_returning_browser_skips_the_question_and_sees_its_own_walk(
    db_path: str, lab: Lab, clock: FrozenClock
) -> None:
    secret = new_walker_secret()
    await sign_in(served_app(db_path, secret, clock), "Kim")
    walker = services.served_walker(lab, secret)
    assert walker is not None
    services.start_or_resume_walk(lab, journey_id="buy-sim", walker=walker)

    app = served_app(db_path, secret, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        home = await home_loaded(pilot)  # no profile question
        assert [row.journey_id for row in home.rows if row.resume] == ["buy-sim"]
        await pilot.press("ctrl+n")  # renaming keeps the same walker and shows the personal link
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        form = pilot.app.screen
        assert form.query_one("#name", Input).value == "Kim"
        assert secret in str(form.query_one("#resume-url", Static).render())
        form.query_one("#name", Input).value = "Kim Lee"
        await pilot.press("ctrl+s")
        await home_loaded(pilot)
    renamed = services.served_walker(lab, secret)
    assert renamed is not None and (renamed.uuid, renamed.name) == (walker.uuid, "Kim Lee")


async def test_the_personal_link_is_one_key_away_in_a_browser_too(
    db_path: str, lab: Lab, clock: FrozenClock
) -> None:
    """Found walking the browser tab: home offered only ctrl+n for "Change name", the screen with
    the personal link, and a browser keeps ctrl+n (new window) for itself (as it does ctrl+t and
    ctrl+w): a keyboard walker could not reach the link. F2 works in both, and the footer shows
    it."""
    secret = new_walker_secret()
    await sign_in(served_app(db_path, secret, clock), "Kim")
    app = served_app(db_path, secret, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        home = await home_loaded(pilot)
        shown = [
            b.binding.key
            for b in home.active_bindings.values()
            if b.binding.action == "change_profile" and b.binding.show
        ]
        assert shown == ["f2"]  # what the footer offers
        await pilot.press("f2")
        await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
        assert secret in str(pilot.app.screen.query_one("#resume-url", Static).render())


async def test_the_walker_is_told_when_the_personal_link_ends(
    db_path: str, clock: FrozenClock
) -> None:
    """With a key made up at each start of ``serve``, the personal link dies with the server."""
    secret = new_walker_secret()
    for lang, kept, note in (
        ("en", False, "works only until the lab's server restarts"),
        ("ru", False, "действует только до перезапуска сервера"),
        ("en", True, None),
    ):
        app = served_app(db_path, secret, clock, lang=lang, link_kept=kept)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: screen_is(pilot, ProfileScreen))
            notes = pilot.app.screen.query("#resume-lasts")
            if note is None:
                assert not notes
            else:
                assert note in str(notes.first(Static).render())


async def test_the_browser_form_takes_a_link_and_never_reads_the_servers_disk(
    db_path: str, lab: Lab, clock: FrozenClock
) -> None:
    """The finding: typing /etc/shadow in the browser's file field stored the server's file."""
    secret = new_walker_secret()
    await sign_in(served_app(db_path, secret, clock), "Lea")
    app = served_app(db_path, secret, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journey(pilot, "sim")
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        form = pilot.app.screen
        labels = [str(label.render()) for label in form.query(Label)]
        assert "Link" in labels and "Screenshot/file" not in labels
        assert "never reads its disk" in str(form.query_one("#link-note", Static).render())
        error = form.query_one("#form-error", Static)
        for server_path in ("/etc/passwd", "/proc/self/environ", db_path, "~/.profile"):
            await fill_form(pilot, "Offer is hidden", severity=2, category="bug")
            await fill_form(pilot, attachment=server_path)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "http" in str(error.render()))
            assert screen_is(pilot, PainPointForm)  # refused, the form keeps what was typed
        await fill_form(pilot, attachment="https://share.example.com/shot.png")
        await pilot.press("ctrl+s")
        await step_ready(pilot)
    (point,) = services.list_pain_points(lab)
    blob = services.walks.pain_point_attachment(lab, point.uuid)
    assert blob == ("link.url", "text/uri-list", b"https://share.example.com/shot.png")


async def test_the_terminal_form_refuses_what_it_may_not_read(
    new_app: object, profile: object, lab: Lab, tmp_path: Path
) -> None:
    """In the terminal a file is attached, but only a regular file; /proc is refused."""
    from tui_helpers import AppFactory

    build: AppFactory = new_app  # type: ignore[assignment]
    shot = tmp_path / "screen.txt"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # a PNG whatever the name says
    link = tmp_path / "passwd-link"
    link.symlink_to("/etc/passwd")
    app = build()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journey(pilot, "sim")
        await pilot.press("p")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        form = pilot.app.screen
        error = form.query_one("#form-error", Static)
        for refused in ("/proc/self/environ", str(link), "/no/such/file", str(tmp_path)):
            await fill_form(pilot, "Offer is hidden", severity=2, category="bug")
            await fill_form(pilot, attachment=refused)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "Cannot attach this file" in str(error.render()))
            assert refused not in str(error.render())  # says nothing about the path
            error.update("")
        await fill_form(pilot, attachment=str(shot))
        await pilot.press("ctrl+s")
        await step_ready(pilot)
    (point,) = services.list_pain_points(lab)
    blob = services.walks.pain_point_attachment(lab, point.uuid)
    assert blob is not None and blob[:2] == ("screen.txt", "image/png")
