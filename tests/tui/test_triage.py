"""The product owner's triage app, driven by keys; every correction is checked in the database."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList, Select, Static
from triage_helpers import (
    TriageFactory,
    build_lab,
    fake_engine,
    list_ready,
    open_problem,
    problem_ready,
)
from tui_helpers import CATALOG, wait_for

from qualitylab.domain import FixStatus
from qualitylab.services import Lab
from qualitylab.services.fixes import list_fix_records
from qualitylab.tui.screens.confirm import ConfirmDialog
from qualitylab.tui.triage.app import make_triage_app
from qualitylab.tui.triage.dialogs import ChooseProblem
from qualitylab.tui.triage.export import ExportDialog


@pytest.fixture(autouse=True)
def _fake_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qualitylab.services.fixes._default_cluster_fn", lambda: fake_engine)


@pytest.fixture
def new_triage(db_path: str) -> TriageFactory:
    build_lab(db_path)

    def build(lang: str = "en") -> object:
        return make_triage_app(db=db_path, journeys=CATALOG, lang=lang)

    return build  # type: ignore[return-value]


@pytest.fixture
def lab(db_path: str) -> Iterator[Lab]:
    opened = Lab.open(db=db_path, journeys=CATALOG)
    yield opened
    opened.close()


def rows(table: DataTable[object]) -> list[str]:
    return [str(key.value) for key in table.rows]


async def test_fix_list_ranks_blockers_first_and_opens_a_problem(new_triage: TriageFactory) -> None:
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_ready(pilot)
        table = screen.query_one("#fixes", DataTable)
        assert rows(table)[0] == "c-pay"  # three blockers from three walkers
        # the preview names what it counts (product-owner QA: "3 ×" said nothing)
        assert " · 3 reports · " in str(screen.query_one("#preview", Static).render())
        assert set(rows(table)) >= {"c-pay", "c-offer", "c-track"}
        await pilot.press("enter")
        problem = await problem_ready(pilot, "c-pay")
        reports = problem.query_one("#reports", DataTable)
        assert reports.row_count == 3
        walkers = {str(reports.get_row_at(n)[2]) for n in range(3)}
        assert walkers == {"Anna Petrova", "Boris Ivanov", "anonymous"}
        await pilot.press("escape")
        await list_ready(pilot)


async def test_set_status_release_note_from_the_problem(
    new_triage: TriageFactory, lab: Lab
) -> None:
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_problem(pilot, "c-pay")
        await pilot.press("d")  # status select has focus: open it, one down = planned
        await pilot.press("enter", "down", "enter")
        await pilot.press("tab", *"2.1", "tab", *"sprint 12", "ctrl+s")
        await wait_for(pilot, lambda: bool(list_fix_records(lab)))
        await problem_ready(pilot, "c-pay")
        decision = str(pilot.app.screen.query_one("#problem-decision", Static).render())
        assert "planned 2.1" in decision and "sprint 12" in decision
    record = list_fix_records(lab)[0]
    assert (record.cluster_id, record.status, record.release, record.note) == (
        "c-pay",
        FixStatus.PLANNED,
        "2.1",
        "sprint 12",
    )


async def test_fixed_without_release_is_refused_and_nothing_saved(
    new_triage: TriageFactory, lab: Lab
) -> None:
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_problem(pilot, "c-pay")
        await pilot.press("d", "enter", "down", "down", "enter", "ctrl+s")
        await wait_for(pilot, lambda: bool(pilot.app._notifications))
        assert "needs the release" in str(list(pilot.app._notifications)[0].message)
    assert list_fix_records(lab) == []


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "This release cannot be saved: a release is one line of up to 64 printable"),
        ("ru", "Такой релиз нельзя сохранить: релиз — одна строка до 64 печатных символов"),
    ],
)
async def test_a_release_that_is_no_release_name_is_refused_in_the_owners_language(
    new_triage: TriageFactory, lab: Lab, lang: str, said: str
) -> None:
    """The release rule of `fix set --release` holds in the decision dialog too (one service),
    worded from the string table; nothing is saved."""
    app = new_triage(lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_problem(pilot, "c-pay")
        await pilot.press("d", "enter", "down", "enter")  # planned
        pilot.app.screen.query_one("#d-release", Input).value = "2.1\x1b[2J" + "9" * 100
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(pilot.app._notifications))
        message = str(list(pilot.app._notifications)[0].message)
        assert said in message and "\x1b" not in message
    assert list_fix_records(lab) == []


async def test_search_and_filter(new_triage: TriageFactory) -> None:
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_ready(pilot)
        table = screen.query_one("#fixes", DataTable)
        await pilot.press("slash", *"404")
        await wait_for(pilot, lambda: rows(table) == ["c-track"])
        await pilot.press("escape")  # clears the search
        await wait_for(pilot, lambda: len(rows(table)) >= 3)
        # blockers only: f, tab to the checkbox past journey/release/status, space, ctrl+s
        await pilot.press("f", "tab", "tab", "tab", "space", "ctrl+s")
        await wait_for(pilot, lambda: rows(table) == ["c-pay"])
        line = str(screen.query_one("#filterline", Static).render())
        assert "blockers only" in line


async def test_search_typed_at_once_after_slash_lands_in_the_search(
    new_triage: TriageFactory,
) -> None:
    """ "/" then "404" typed at once (a paste, a fast typist) lost the words in a real terminal:
    focus moved to the search box only after the keys behind "/" were handled. A "/" typed in the
    search is text."""
    from textual import events

    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_ready(pilot)
        table = screen.query_one("#fixes", DataTable)
        for key in ["slash", *"404"]:  # queued before any is handled (Pilot.press would wait)
            pilot.app.post_message(events.Key(key, "/" if key == "slash" else key))
        await wait_for(pilot, lambda: rows(table) == ["c-track"])
        search = screen.query_one("#search", Input)
        assert search.value == "404"
        await pilot.press("slash")
        assert search.value == "404/"


async def test_export_writes_the_scope_report_into_the_chosen_folder(
    new_triage: TriageFactory, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        await list_ready(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportDialog))
        folder = pilot.app.screen.query_one("#x-folder", Input)
        folder.value = str(out)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(pilot.app._notifications))
        assert "Report written" in list(pilot.app._notifications)[0].message
    html = (out / "qualitylab-report.html").read_text(encoding="utf-8")
    assert "card form rejects spaces" in html


async def test_a_russian_triage_exports_a_russian_report(
    new_triage: TriageFactory, tmp_path: Path
) -> None:
    """The export calls the report service with the triage's language: a product owner working
    in Russian sends management a report in Russian (the walkers' words as written)."""
    app = new_triage("ru")
    async with app.run_test(size=(120, 40)) as pilot:
        await list_ready(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportDialog))
        pilot.app.screen.query_one("#x-folder", Input).value = str(tmp_path)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(pilot.app._notifications))
        assert "Отчёт сохранён" in list(pilot.app._notifications)[0].message
    html = (tmp_path / "qualitylab-report.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in html and "Список исправлений" in html
    assert "Fix list" not in html and "card form rejects spaces" in html


async def export_two_notes(
    new_triage: TriageFactory, fmt: str, folder: Path, lang: str = "en"
) -> tuple[str, str]:
    """Export ``fmt`` into ``folder`` from the fix list: the two notifications it ends with (a
    note on the file, then "Report written")."""
    app = new_triage(lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_ready(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportDialog))
        pilot.app.screen.query_one("#x-format", Select).value = fmt
        pilot.app.screen.query_one("#x-folder", Input).value = str(folder)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(pilot.app._notifications) == 2)
        note, written = (n.message for n in pilot.app._notifications)
    return note, written


async def test_a_jira_export_leaves_out_a_problem_with_a_ticket_and_says_so(
    new_triage: TriageFactory, lab: Lab, tmp_path: Path
) -> None:
    """Product-owner QA: the Jira CSV made an issue of a problem whose ticket was recorded (a
    duplicate on import). It is left out, and the owner reads why, in their language."""
    from qualitylab.services.decisions import set_fix_status
    from qualitylab.services.fixes import build_fix_report

    build_fix_report(lab)  # the ids a decision names come from a fix list
    set_fix_status(lab, "c-pay", ticket="PAY-7")
    lab.close()
    left_out, written = await export_two_notes(new_triage, "jira-csv", tmp_path, "ru")
    assert left_out.startswith("Без задачи в Jira остались проблемы")
    assert ": 1 уже с задачей;" in left_out and "Отчёт сохранён" in written
    jira = (tmp_path / "qualitylab-report-jira.csv").read_text(encoding="utf-8")
    assert "qualitylab-c-pay" not in jira and "qualitylab-c-" in jira


async def test_a_csv_export_says_how_to_open_it_in_excel(
    new_triage: TriageFactory, tmp_path: Path
) -> None:
    """Product-owner QA: a release like "2026.10" opened in Excel as 2026.1 (here "1.0" as 1).
    The CSV stays plain data; the app says to open the xlsx or import the CSV as text."""
    excel, written = await export_two_notes(new_triage, "csv", tmp_path)
    assert excel.startswith("Excel opening this CSV shows release 1.0 as 1: open the xlsx")
    assert "Report written" in written
    rows = list(
        csv.DictReader(io.StringIO((tmp_path / "qualitylab-report.csv").read_text("utf-8-sig")))
    )
    assert {r["release"] for r in rows} == {"1.0", "1.1"}  # plain data for every other reader


def corrections(lab: Lab) -> list[tuple[str, str, str, bool]]:
    from qualitylab.services.corrections import list_corrections

    return [(c.kind, c.subject, c.target, c.active) for c in list_corrections(lab)]


async def test_merge_a_problem_into_this_one_then_undo(new_triage: TriageFactory, lab: Lab) -> None:
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_ready(pilot)
        table = screen.query_one("#fixes", DataTable)
        await pilot.press("enter")
        problem = await problem_ready(pilot, "c-pay")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChooseProblem))
        await pilot.press(*"tracking")  # words of its title narrow the list to it
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(corrections(lab)))
        assert corrections(lab) == [("merge", "c-track", "c-pay", True)]
        await wait_for(
            pilot, lambda: problem.detail is not None and len(problem.detail.reports) == 5
        )
        history = str(problem.query_one("#problem-facts", Static).render())
        assert "merged c-track" in history
        await pilot.press("escape")
        await wait_for(pilot, lambda: "c-track" not in rows(table))  # the list re-ranked
        await pilot.press("enter")
        await problem_ready(pilot, "c-pay")
        await pilot.press("u")  # it says which correction it takes back, and asks
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: not corrections(lab)[0][3])
        await wait_for(pilot, lambda: problem_count(pilot) == 3)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "c-track" in rows(table))


def problem_count(pilot: Any) -> int:
    detail = getattr(pilot.app.screen, "detail", None)
    return len(detail.reports) if detail is not None else -1


async def test_move_a_report_out_and_attach_it_back_from_the_one_offs(
    new_triage: TriageFactory, lab: Lab
) -> None:
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        problem = await open_problem(pilot, "c-pay")
        moved = problem.current_report().uuid  # the worst, oldest report: Anna's
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(corrections(lab)))
        assert corrections(lab) == [("move", moved, "", True)]
        await wait_for(pilot, lambda: problem_count(pilot) == 2)

        await pilot.press("3")  # it is a one-off now
        await wait_for(pilot, lambda: pilot.app.screen.query("#oneoffs").first() is not None)
        oneoffs = pilot.app.screen.query_one("#oneoffs", DataTable)
        await wait_for(pilot, lambda: moved in rows(oneoffs))
        oneoffs.move_cursor(row=rows(oneoffs).index(moved))
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChooseProblem))
        options = pilot.app.screen.query_one("#candidates", OptionList)
        assert options.get_option_at_index(0).id == "c-pay"  # same step first
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(corrections(lab)) == 2)
        assert corrections(lab)[1] == ("move", moved, "c-pay", True)
        await wait_for(pilot, lambda: moved not in rows(oneoffs))
        await pilot.press("u")  # undo works on every screen: the attach is taken back
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: not corrections(lab)[1][3])
        await wait_for(pilot, lambda: moved in rows(oneoffs))


async def test_owner_and_ticket_are_saved_and_shown_in_the_list(
    new_triage: TriageFactory, lab: Lab
) -> None:
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_ready(pilot)
        await pilot.press("enter")
        await problem_ready(pilot, "c-pay")
        await pilot.press("o", *"Olga", "tab", *"PAY-42", "ctrl+s")
        await wait_for(pilot, lambda: bool(list_fix_records(lab)))
        record = list_fix_records(lab)[0]
        assert (record.owner, record.ticket, record.status) == ("Olga", "PAY-42", FixStatus.OPEN)
        await pilot.press("escape")
        await wait_for(
            pilot, lambda: "PAY-42" in str(screen.query_one("#preview", Static).render())
        )


def test_every_triage_string_has_both_languages_with_the_same_placeholders() -> None:
    import string

    from qualitylab.tui.triage.strings import TRIAGE_STRINGS

    def names(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key, (en, ru) in TRIAGE_STRINGS.items():
        assert en.strip() and ru.strip(), key
        assert names(en) == names(ru), key


async def test_fix_list_columns_are_the_factors_that_multiply_to_the_score(
    new_triage: TriageFactory,
) -> None:
    """The list showed 'impact' and 'persist' as the score's raw parts (impact 0.00, persist 0.00
    for a problem scored 3.3) next to 'sev' as a factor, so its columns did not multiply to its
    score and read apart from `qualitylab fixes` (impact 0.50, persist 0.50) for the same problem.
    Every number column is now the factor: 100 x reach x sev x impact x persist = score."""
    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_ready(pilot)
        table = screen.query_one("#fixes", DataTable)
        for key in table.rows:
            row = [str(c) for c in table.get_row(key)]
            score, reach, sev, impact, persist = (float(c) for c in row[1:6])
            assert 0.5 <= impact <= 1 and 0.5 <= persist <= 1, row
            assert 100 * reach * sev * impact * persist == pytest.approx(score, rel=0.03), row


async def test_the_one_offs_screen_counts_what_fixes_counts(db_path: str) -> None:
    """Product-owner QA: triage said 155 one-offs where `qualitylab fixes` said 150, the lone
    blockers (which the fix list lists as lines of their own) counted by one and not the other.
    Both count them now, and both say how many the fix list lists too."""
    from qualitylab.services.fixes import build_fix_report

    build_lab(db_path, extra=[("pay", "crash: the app closed on pay", 4)])
    with Lab.open(db=db_path, journeys=CATALOG) as lab:
        one_offs = build_fix_report(lab).one_offs
    assert (len(one_offs.reports), len(one_offs.listed)) == (3, 1)
    app = make_triage_app(db=db_path, journeys=CATALOG, lang="en")
    async with app.run_test(size=(160, 40)) as pilot:
        await list_ready(pilot)
        await pilot.press("3")
        await wait_for(pilot, lambda: pilot.app.screen.query("#oneoffs").first() is not None)
        table = pilot.app.screen.query_one("#oneoffs", DataTable)
        await wait_for(pilot, lambda: table.row_count == 3)
        heading = str(pilot.app.screen.query_one("#topbar", Static).render())
        assert heading.startswith(
            "One-offs · 3 reports in no recurring problem (blockers among them, also on the fix "
            "list: 1)"
        )
        assert set(rows(table)) == set(one_offs.reports)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Check: only 2 walkers reported it, too few"),
        ("ru", "Проверьте: об этом сообщили только 2 участника, по размеру"),
    ],
)
async def test_a_problem_of_few_walkers_says_how_many_in_words(
    new_triage: TriageFactory, lang: str, said: str
) -> None:
    """Product-owner QA: the check read "only 2 walker(s)" / "2 участника(ов)"."""
    app = new_triage(lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_ready(pilot)
        table = screen.query_one("#fixes", DataTable)
        table.move_cursor(row=rows(table).index("c-offer"))
        await pilot.press("enter")
        problem = await problem_ready(pilot, "c-offer")
        assert problem.detail.item.walkers == 2 and problem.detail.item.few_walkers
        assert said in str(problem.query_one("#problem-facts", Static).render())
