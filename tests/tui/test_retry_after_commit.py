"""What the walker confirms while COMMIT's answer is lost is done once, without a false error.

The connection can drop after the database committed but before it said so; ``LabApp.call``
then runs the same service again. Found: the retried delete of a pain point or a praise note
found nothing left to delete and the walker read "no pain point with id ..." for a delete that
had worked (and the item stayed drawn); a retried finish or abandon read "walk ... is
completed; it can no longer change" and the screen stayed. Here COMMIT itself loses its answer
(the ``commit_answer_lost`` fixture), armed only for the call under test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from test_save_retry import fast
from textual.pilot import Pilot
from textual.widgets import OptionList, TextArea
from tui_helpers import (
    AppFactory,
    done_to_finish,
    fill_form,
    home_loaded,
    list_text,
    log_pain,
    open_journey,
    screen_is,
    wait_for,
)

from qualitylab import config, services
from qualitylab.domain import Severity, WalkStatus
from qualitylab.services import Lab
from qualitylab.tui.app import QualityLabApp
from qualitylab.tui.screens.confirm import ConfirmDialog
from qualitylab.tui.screens.home import HomeScreen
from qualitylab.tui.screens.pain_point import PainPointForm
from qualitylab.tui.screens.praise import PraiseForm
from qualitylab.tui.screens.step import StepScreen


class FirstAnswerLost:
    """Wraps a service: its first call commits and then loses COMMIT's answer (the real store
    path raises, as on a dropped connection); the app's retries go through as they are."""

    def __init__(self, real: Callable[..., Any], lost: Any) -> None:
        self.real = real
        self.lost = lost
        self.calls = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls == 1:
            self.lost.arm()
        return self.real(*args, **kwargs)

    @property
    def retried_once(self) -> bool:
        """Called twice, the first COMMIT's answer lost: the app did retry."""
        return self.calls == 2 and self.lost.lost == 1


LoseFirstAnswer = Callable[[str], FirstAnswerLost]


@pytest.fixture
def lose_first_answer(monkeypatch: pytest.MonkeyPatch, commit_answer_lost: Any) -> LoseFirstAnswer:
    """``lose_first_answer("delete_praise")``: that service's first call loses its answer."""

    def wrap(name: str) -> FirstAnswerLost:
        wrapped = FirstAnswerLost(getattr(services, name), commit_answer_lost)
        monkeypatch.setattr(services, name, wrapped)
        return wrapped

    return wrap


@pytest.fixture
def app(new_app: AppFactory, profile: config.Profile) -> QualityLabApp:
    return fast(new_app())


def errors(pilot: Pilot[None]) -> list[str]:
    return [n.message for n in pilot.app._notifications if n.severity == "error"]  # noqa: SLF001


def told(pilot: Pilot[None], message: str) -> bool:
    return any(n.message == message for n in pilot.app._notifications)  # noqa: SLF001


async def settled(pilot: Pilot[None], done: str) -> None:
    """Until the app says ``done`` or shows an error."""
    await wait_for(pilot, lambda: bool(errors(pilot)) or told(pilot, done))


async def confirm(pilot: Pilot[None]) -> None:
    await wait_for(pilot, lambda: screen_is(pilot, ConfirmDialog))
    await pilot.press("y")


async def two_pain_points(pilot: Pilot[None]) -> StepScreen:
    step = await open_journey(pilot, "buy")
    await log_pain(pilot, "Offer page is blank", severity=3, category="bug")
    await log_pain(pilot, "Price is hidden", severity=2, category="usability")
    return step


async def test_a_pain_point_deleted_while_commits_answer_was_lost_is_gone_without_an_error(
    app: QualityLabApp, lab: Lab, lose_first_answer: LoseFirstAnswer
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await two_pain_points(pilot)
        deleting = lose_first_answer("delete_pain_point")
        step.query_one("#pains", OptionList).highlighted = 0
        await pilot.press("delete")
        await confirm(pilot)
        await settled(pilot, "Pain point deleted.")
        assert errors(pilot) == []
        assert deleting.retried_once  # it was retried
        assert screen_is(pilot, StepScreen)
        assert [p.text for p in step.pains] == ["Price is hidden"]
        drawn = list_text(step.query_one("#pains", OptionList))
        assert "Price is hidden" in drawn and "Offer page is blank" not in drawn
    assert [p.text for p in services.list_pain_points(lab)] == ["Price is hidden"]


async def test_praise_deleted_while_commits_answer_was_lost_is_gone_without_an_error(
    app: QualityLabApp, lab: Lab, lose_first_answer: LoseFirstAnswer
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await open_journey(pilot, "buy")
        for count, text in enumerate(("Found it at once", "Clear prices"), start=1):
            await pilot.press("g")
            await wait_for(pilot, lambda: screen_is(pilot, PraiseForm))
            pilot.app.screen.query_one("#praise-text", TextArea).load_text(text)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda n=count: len(step.praise) == n)  # type: ignore[misc]
        await log_pain(pilot, "Offer page is blank", severity=3, category="bug")
        deleting = lose_first_answer("delete_praise")
        praise = step.query_one("#praise", OptionList)
        praise.focus()
        praise.highlighted = 1
        await pilot.press("delete")
        await confirm(pilot)
        await settled(pilot, "Praise deleted.")
        assert errors(pilot) == []
        assert deleting.retried_once
        assert [p.text for p in step.praise] == ["Found it at once"]
        assert "Found it at once" in list_text(praise) and "Clear prices" not in list_text(praise)
    walk_uuid = step.walk.uuid
    assert [p.text for p in services.list_praise(lab, walk_uuid=walk_uuid)] == ["Found it at once"]
    assert [p.text for p in services.list_pain_points(lab)] == ["Offer page is blank"]


async def test_an_edit_whose_commit_answer_was_lost_is_stored_once_without_an_error(
    app: QualityLabApp, lab: Lab, lose_first_answer: LoseFirstAnswer
) -> None:
    """Pins that an edit tried again sets the same values again: nothing doubles, no error."""
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        step = await two_pain_points(pilot)
        editing = lose_first_answer("edit_pain_point")
        step.query_one("#pains", OptionList).highlighted = 0
        await pilot.press("e")
        await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
        await fill_form(pilot, "Offer page stays blank", severity=4, category="delivery")
        await pilot.press("ctrl+s")
        await settled(pilot, "Pain point saved.")
        assert errors(pilot) == []
        assert editing.retried_once
        assert screen_is(pilot, StepScreen)
        assert [(p.text, p.severity) for p in step.pains] == [
            ("Offer page stays blank", Severity.BLOCKER),
            ("Price is hidden", Severity.MINOR),
        ]
    stored = [(p.text, p.severity, p.category) for p in services.list_pain_points(lab)]
    assert stored == [
        ("Offer page stays blank", Severity.BLOCKER, "delivery"),
        ("Price is hidden", Severity.MINOR, "usability"),
    ]


async def test_a_walk_finished_while_commits_answer_was_lost_is_finished_without_an_error(
    app: QualityLabApp, lab: Lab, lose_first_answer: LoseFirstAnswer
) -> None:
    """Found with the same retry: "walk ... is completed; it can no longer change" under the
    finish form, which stayed open however often the walker pressed save."""
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        finish = await done_to_finish(pilot)
        finishing = lose_first_answer("finish_walk")
        await pilot.press("8")
        finish.query_one("#comment", TextArea).load_text("Good")
        await pilot.press("ctrl+s")
        await settled(pilot, "Walk finished. Thank you!")
        assert errors(pilot) == []
        assert finishing.retried_once
        await home_loaded(pilot)
    (walk,) = services.list_walks(lab)
    assert (walk.status, walk.nps, walk.closing_comment) == (WalkStatus.COMPLETED, 8, "Good")


async def test_a_walk_abandoned_while_commits_answer_was_lost_is_abandoned_without_an_error(
    app: QualityLabApp, lab: Lab, lose_first_answer: LoseFirstAnswer
) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_journey(pilot, "buy")
        abandoning = lose_first_answer("abandon_walk")
        await pilot.press("a")
        await confirm(pilot)
        await wait_for(pilot, lambda: bool(errors(pilot)) or screen_is(pilot, HomeScreen))
        assert errors(pilot) == []
        assert abandoning.retried_once
        await home_loaded(pilot)
    (walk,) = services.list_walks(lab)
    assert walk.status == WalkStatus.ABANDONED
