"""A product owner types ahead: keys pressed while a triage screen still loads its data are
kept and replayed in order once it has drawn (issue 11: "down x9, enter" opened #1, not #10).

The services are held back on a gate, so every key here is pressed before the data arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from test_triage import _fake_engine, new_triage  # noqa: F401 (fixtures)
from textual import events
from textual.widgets import DataTable
from triage_helpers import TriageFactory, list_ready, problem_ready
from tui_helpers import wait_for

from qualitylab.services import Lab
from qualitylab.services import triage as triage_service
from qualitylab.services.fixes import list_fix_records
from qualitylab.tui.screens.confirm import ConfirmDialog
from qualitylab.tui.triage.fixlist import FixListScreen
from qualitylab.tui.triage.problem import ProblemScreen


class Gate:
    """Holds the named service calls back until ``open``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
        self.event = threading.Event()
        self.calls = 0
        for name in names:
            monkeypatch.setattr(triage_service, name, self._held(getattr(triage_service, name)))

    def _held(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            assert self.event.wait(20), "the test never opened the gate"
            return real(*args, **kwargs)

        return held

    def open(self) -> None:
        self.event.set()


def rows(table: DataTable[object]) -> list[str]:
    return [str(key.value) for key in table.rows]


async def test_downs_and_enter_typed_before_the_list_arrives_open_that_row(
    new_triage: TriageFactory,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = Gate(monkeypatch, "triage_list")
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: gate.calls == 1)
        await pilot.press("down", "down", "enter")
        fixes = app.screen_stack[-1]
        assert isinstance(fixes, FixListScreen) and fixes.data is None  # still loading
        gate.open()
        problem = await problem_ready(pilot)
        third = rows(fixes.query_one("#fixes", DataTable))[2]
        assert problem.cluster_id == third


async def test_a_burst_of_downs_and_enter_is_not_overtaken_by_enter(
    new_triage: TriageFactory,  # noqa: F811
) -> None:
    """Keys that arrive in one read (tmux send-keys, a fast typist) keep their order: enter is
    the screen's priority key, so the cursor keys must not take a longer way than it."""
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_ready(pilot)
        third = rows(screen.query_one("#fixes", DataTable))[2]
        for key in ("down", "down", "enter"):  # queued at once, no pause between them
            app.post_message(events.Key(key, None))
        problem = await problem_ready(pilot)
        assert problem.cluster_id == third


async def test_keys_typed_while_a_problem_loads_act_on_it(
    new_triage: TriageFactory,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    lab: Lab,
) -> None:
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_ready(pilot)
        first = rows(screen.query_one("#fixes", DataTable))[0]
        gate = Gate(monkeypatch, "problem_detail")
        # enter opens the problem; "down x" moves its second report out, all before it loads
        await pilot.press("enter", "down", "x")
        assert isinstance(app.screen, ProblemScreen) and app.screen.detail is None
        gate.open()
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        problem = app.screen_stack[-2]
        assert isinstance(problem, ProblemScreen) and problem.detail is not None
        assert problem.detail.item.cluster.id == first
        second = problem.detail.reports[1].uuid
        assert problem.current_report().uuid == second
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(corrections(lab)))
        assert corrections(lab) == [("move", second, "")]
        assert not list_fix_records(lab)


def corrections(lab: Lab) -> list[tuple[str, str, str]]:
    from qualitylab.services.corrections import list_corrections

    return [(c.kind, c.subject, c.target) for c in list_corrections(lab)]


async def test_enter_typed_before_the_journeys_arrive_opens_the_journeys_fixes(
    new_triage: TriageFactory,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        await list_ready(pilot)
        gate = Gate(monkeypatch, "journey_friction")
        await pilot.press("1", "enter")  # the journeys, and the first one's fixes
        await wait_for(pilot, lambda: gate.calls == 1)
        assert app.scope.journey == ""
        gate.open()
        await wait_for(pilot, lambda: app.scope.journey == "buy-sim")
        await wait_for(pilot, lambda: isinstance(app.screen, FixListScreen))
