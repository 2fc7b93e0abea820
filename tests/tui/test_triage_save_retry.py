"""Triage's changes are stored once when a COMMIT's answer is lost (review of issue 9).

The connection can drop after the database committed but before it said so; the shared LabApp
then retries the same call (it reads "could not save yet, retrying"). Each change the product
owner confirms carries one id, made when they confirm and reused by every retry, so the retry
finds what the first attempt stored instead of recording the merge, move, decision or undo a
second time (an undo tried again used to take back the next correction too).
"""

from __future__ import annotations

import pytest
from test_save_retry import AnswerLost, fast
from test_triage import _fake_engine, corrections, new_triage  # noqa: F401 (fixtures)
from textual.pilot import Pilot
from triage_helpers import TriageFactory, open_problem
from tui_helpers import wait_for

from qualitylab.services import Lab
from qualitylab.services import triage as triage_services
from qualitylab.services.corrections import move_report, problem_history
from qualitylab.tui.screens.confirm import ConfirmDialog
from qualitylab.tui.triage.dialogs import ChooseProblem


def retried_once_with_one_id(lost: AnswerLost) -> bool:
    """The app tried the change again once, under the id it made when the user confirmed."""
    return len(lost.calls) == 2 and lost.calls[0]["uuid"] == lost.calls[1]["uuid"]


def lose_first_answer(monkeypatch: pytest.MonkeyPatch, name: str) -> AnswerLost:
    lost = AnswerLost(getattr(triage_services, name))
    monkeypatch.setattr(triage_services, name, lost)
    return lost


async def answered(pilot: Pilot[None], done: str) -> list[str]:
    """Wait until the change is reported saved, or an error is shown; the messages shown."""

    def told() -> list[str]:
        return [n.message for n in pilot.app._notifications]  # noqa: SLF001

    def settled() -> bool:
        errors = [n for n in pilot.app._notifications if n.severity == "error"]  # noqa: SLF001
        return bool(errors) or any(m.startswith(done) for m in told())

    await wait_for(pilot, settled)
    return told()


def decisions(lab: Lab, cluster_id: str) -> list[str]:
    return [h.what for h in problem_history(lab, cluster_id) if h.what.startswith("set ")]


async def test_a_merge_whose_commit_answer_was_lost_is_stored_once(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lost = lose_first_answer(monkeypatch, "merge_into")
    app = fast(new_triage())
    async with app.run_test(size=(120, 40)) as pilot:
        problem = await open_problem(pilot, "c-pay")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChooseProblem))
        await pilot.press(*"tracking", "enter")
        assert "Merged c-track into c-pay." in await answered(pilot, "Merged")
        await wait_for(
            pilot, lambda: problem.detail is not None and len(problem.detail.reports) == 5
        )
    assert corrections(lab) == [("merge", "c-track", "c-pay", True)]
    assert decisions(lab, "c-pay") == []
    assert retried_once_with_one_id(lost)


async def test_a_move_whose_commit_answer_was_lost_is_stored_once(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lost = lose_first_answer(monkeypatch, "move_report")
    app = fast(new_triage())
    async with app.run_test(size=(120, 40)) as pilot:
        problem = await open_problem(pilot, "c-pay")
        moved = problem.current_report().uuid
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("y")
        assert "Moved the report out of c-pay." in await answered(pilot, "Moved")
        await wait_for(
            pilot, lambda: problem.detail is not None and len(problem.detail.reports) == 2
        )
    assert corrections(lab) == [("move", moved, "", True)]
    assert retried_once_with_one_id(lost)


async def test_a_decision_whose_commit_answer_was_lost_is_one_event(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lost = lose_first_answer(monkeypatch, "decide")
    app = fast(new_triage())
    async with app.run_test(size=(120, 40)) as pilot:
        await open_problem(pilot, "c-pay")
        await pilot.press("o", *"Olga", "ctrl+s")
        assert "Saved: c-pay is open." in await answered(pilot, "Saved:")
    assert decisions(lab, "c-pay") == ["set status open, owner Olga"]
    assert corrections(lab) == []
    assert retried_once_with_one_id(lost)


async def test_an_undo_whose_commit_answer_was_lost_takes_back_one_correction(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lost = lose_first_answer(monkeypatch, "undo_last")
    app = fast(new_triage())
    async with app.run_test(size=(120, 40)) as pilot:
        problem = await open_problem(pilot, "c-pay")
        first, second = (r.uuid for r in problem.detail.reports[:2])
        move_report(lab, first, None)
        move_report(lab, second, None)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("y")
        told = await answered(pilot, "Undone:")
        assert any(m.startswith(f"Undone: moved report {second[:8]}") for m in told)
    assert corrections(lab) == [("move", first, "", True), ("move", second, "", False)]
    assert retried_once_with_one_id(lost)


async def test_a_split_whose_commit_answer_was_lost_is_stored_once(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lost = lose_first_answer(monkeypatch, "split_off")
    app = fast(new_triage())
    async with app.run_test(size=(120, 40)) as pilot:
        problem = await open_problem(pilot, "c-pay")
        first, second = (r.uuid for r in problem.detail.reports[:2])
        await pilot.press("space", "down", "space", "s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("y")
        assert any(
            m.startswith("Split 2 reports off c-pay into s-")
            for m in await answered(pilot, "Split")
        )
        await wait_for(
            pilot, lambda: problem.detail is not None and len(problem.detail.reports) == 1
        )
    moves = corrections(lab)
    assert [(kind, subject, active) for kind, subject, _, active in moves] == [
        ("move", first, True),
        ("move", second, True),
    ]
    assert moves[0][2] == moves[1][2] and moves[0][2].startswith("s-")
    assert retried_once_with_one_id(lost)
