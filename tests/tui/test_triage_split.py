"""Split a problem from the triage app: mark reports (space), split them off (s), confirm, and
the database holds one problem more; u undoes it. Driven by keys, checked in the database."""

from __future__ import annotations

from test_triage import _fake_engine, corrections, lab, new_triage  # noqa: F401 (fixtures)
from textual.widgets import DataTable
from triage_helpers import TriageFactory, open_problem, problem_ready
from tui_helpers import wait_for

from qualitylab.services import Lab
from qualitylab.services.fixes import build_fix_list
from qualitylab.tui.screens.confirm import ConfirmDialog


def reports_of(in_lab: Lab, cluster_id: str) -> set[str]:
    from qualitylab.services.triage import problem_detail

    return {r.uuid for r in problem_detail(in_lab, cluster_id).reports}


async def test_two_marked_reports_become_a_problem_of_their_own_and_u_undoes_it(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,  # noqa: F811
) -> None:
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        problem = await open_problem(pilot, "c-pay")
        table = problem.query_one("#reports", DataTable)
        first, second, kept = (str(k.value) for k in table.rows)
        await pilot.press("space", "down", "space")
        assert list(problem.marked) == [first, second]
        assert str(table.get_row_at(0)[-1]).startswith("✓ ")  # marked rows show it
        assert not str(table.get_row_at(2)[-1]).startswith("✓ ")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        message = app.screen.message  # type: ignore[attr-defined]
        assert "Split 2 reports off c-pay" in message and "u undoes it" in message
        await pilot.press("y")
        await wait_for(pilot, lambda: len(corrections(lab)) == 2)
        moves = corrections(lab)
        new = moves[0][2]
        assert new.startswith("s-")
        assert {(kind, subject, target) for kind, subject, target, _ in moves} == {
            ("move", first, new),
            ("move", second, new),
        }
        await problem_ready(pilot, "c-pay")
        await wait_for(pilot, lambda: table.row_count == 1)
        assert [str(k.value) for k in table.rows] == [kept] and problem.marked == {}
        assert reports_of(lab, new) == {first, second}
        assert new in {item.cluster.id for item in build_fix_list(lab)}
        assert reports_of(lab, "c-pay") == {kept}
        await pilot.press("u")  # one press takes the whole split back, as it was made
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        asked = app.screen.message  # type: ignore[attr-defined]
        assert f"moved 2 reports into {new}" in asked
        await pilot.press("y")
        await wait_for(pilot, lambda: not any(c[3] for c in corrections(lab)))
        await wait_for(pilot, lambda: table.row_count == 3)
    assert reports_of(lab, "c-pay") == {first, second, kept}


async def test_split_refuses_without_marks_and_with_every_report_marked(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,  # noqa: F811
) -> None:
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        problem = await open_problem(pilot, "c-pay")
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        await pilot.press("space", "down", "space", "down", "space", "up", "space", "space")
        assert len(problem.marked) == 3  # space twice on a row: unmarked, marked again
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        told = [n.message for n in app._notifications]  # noqa: SLF001
        assert any("Mark the reports to split off first" in m for m in told)
        assert any("All reports of c-pay are marked" in m for m in told)
    assert corrections(lab) == []


async def test_a_russian_split_asks_in_russian_and_its_help_says_how(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,  # noqa: F811
) -> None:
    from textual.widgets import Static

    from qualitylab.tui.screens.help import HelpScreen

    app = new_triage("ru")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_problem(pilot, "c-pay")
        await pilot.press("space", "down", "space", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        message = app.screen.message  # type: ignore[attr-defined]
        assert "Выделить 2 отчёта из c-pay в отдельную проблему?" in message
        assert "клавишей u" in message and "Split" not in message
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "space  s   отметить отчёты · выделить отмеченные в новую проблему" in help_text
    assert corrections(lab) == []
