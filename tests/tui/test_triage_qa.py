"""What a product owner's QA pass of the triage app found (80 columns, words, undo), driven by
keys like a person and checked in the database."""

from __future__ import annotations

import pytest
from test_triage import _fake_engine, corrections, lab, new_triage  # noqa: F401 (fixtures)
from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from triage_helpers import TriageFactory, build_lab, list_ready, problem_ready
from tui_helpers import CATALOG, wait_for

from qualitylab.domain import FixStatus
from qualitylab.services import Lab
from qualitylab.services.fixes import list_fix_records
from qualitylab.tui.triage.app import make_triage_app


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_a_planned_blocker_leaves_the_title_readable_at_80_columns(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,  # noqa: F811
    lang: str,
) -> None:
    """QA: after "planned 1.3" on a blocker the status column took the title's room at 80
    columns (5 letters of it showed, the rest behind a sideways scroll)."""
    app = new_triage(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await list_ready(pilot)
        await pilot.press("enter")
        await problem_ready(pilot, "c-pay")
        await pilot.press("d", "enter", "down", "enter", "tab", *"2.10", "ctrl+s")
        await wait_for(pilot, lambda: bool(list_fix_records(lab)))
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.loaded_for == (app.generation, ("", "")))
        await list_ready(pilot)
        table = screen.query_one("#fixes", DataTable)
        status = str(table.get_row_at(0)[list(table.columns).index("status")])
        assert "2.10" in status
        assert table.columns["problem"].width >= 24
        assert table.virtual_size.width <= table.size.width  # nothing behind a sideways scroll
    record = list_fix_records(lab)[0]
    assert (record.cluster_id, record.status, record.release) == (
        "c-pay",
        FixStatus.PLANNED,
        "2.10",
    )


def shown_lines(widget: Static) -> list[str]:
    """The widget's lines as drawn on screen (after wrapping and cropping)."""
    return [
        "".join(segment.text for segment in widget.render_line(y)).rstrip()
        for y in range(widget.size.height)
    ]


async def test_the_preview_keeps_its_quote_and_note_in_view_at_80_columns(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,  # noqa: F811
) -> None:
    """QA: at 80 columns the preview's lines wrapped, so its 4 rows held the title and the facts
    only; the quote and the decision's note were never seen."""
    app = new_triage()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await list_ready(pilot)
        await pilot.press("enter")
        await problem_ready(pilot, "c-pay")
        await pilot.press("o", *"Olga Petrovna-Smirnova, payments team", "tab", *"PAY-4242")
        await pilot.press("shift+tab", "shift+tab", *"[bold]after the card form[/bold]")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(list_fix_records(lab)))
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.loaded_for == (app.generation, ("", "")))
        await list_ready(pilot)
        lines = shown_lines(screen.query_one("#preview", Static))
        assert lines[0].startswith("c-pay · pay: ")
        assert lines[2].startswith("“pay: ")  # the first quote
        assert lines[3] == "note: [bold]after the card form[/bold]"  # shown literally
        assert all(len(line) <= 80 for line in lines)
    record = list_fix_records(lab)[0]
    assert (record.owner, record.ticket, record.note) == (
        "Olga Petrovna-Smirnova, payments team",
        "PAY-4242",
        "[bold]after the card form[/bold]",
    )


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_the_rank_rule_under_the_list_fits_80_columns(
    new_triage: TriageFactory,  # noqa: F811
    lang: str,
) -> None:
    """QA: "... blockers first, by n" lost its last words at 80 columns."""
    from qualitylab.tui.triage.strings import TRIAGE_STRINGS

    app = new_triage(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await list_ready(pilot)
        line = shown_lines(screen.query_one("#filterline", Static))[0]
        rule = TRIAGE_STRINGS["fl.rank_rule"][0 if lang == "en" else 1]
        assert line.endswith(rule), line


@pytest.mark.parametrize(
    ("lang", "heading", "problem", "one_offs"),
    [
        (
            "en",
            "Fix list · whole lab · 4 of 4 problems · 10 reports",
            " · 1 walker · 1 report",
            "One-offs · 3 reports in no recurring problem",
        ),
        (
            "ru",
            "Исправления · вся лаборатория · 4 из 4 проблем · 10 отчётов",
            " · 1 участник · 1 отчёт",
            "Единичные · 3 отчёта вне повторяющихся проблем",
        ),
    ],
)
async def test_counts_take_the_form_their_number_needs(
    db_path: str, lang: str, heading: str, problem: str, one_offs: str
) -> None:
    """QA: a lone blocker's screen read "1 walkers · 1 reports"; Russian put every count behind a
    colon ("отчётов: 1") as if no plural rule existed."""
    build_lab(db_path, extra=[("pay", "crash: the app closed on pay", 4)])
    app = make_triage_app(db=db_path, journeys=CATALOG, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await list_ready(pilot)
        assert str(screen.query_one("#topbar", Static).render()) == heading
        table = screen.query_one("#fixes", DataTable)
        lone = next(str(k.value) for k in table.rows if str(k.value).startswith("one-off-"))
        table.move_cursor(row=[str(k.value) for k in table.rows].index(lone))
        await pilot.press("enter")
        opened = await problem_ready(pilot, lone)
        assert problem in str(opened.query_one("#topbar", Static).render())
        await pilot.press("3")
        await wait_for(pilot, lambda: pilot.app.screen.query("#oneoffs").first() is not None)
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#oneoffs", DataTable).row_count)
        topbar = str(pilot.app.screen.query_one("#topbar", Static).render())
        assert topbar.startswith(one_offs), topbar


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("en", ["0 reports", "1 report", "2 reports", "21 reports", "1,000 reports"]),
        ("ru", ["0 отчётов", "1 отчёт", "2 отчёта", "21 отчёт", "1\u00a0000 отчётов"]),
    ],
)
def test_translator_counts_with_the_languages_plural_rule(lang: str, counts: list[str]) -> None:
    from qualitylab.tui.i18n import Translator
    from qualitylab.tui.triage.strings import TRIAGE_STRINGS

    tr = Translator(lang, TRIAGE_STRINGS)
    assert [tr.count(n, "report") for n in (0, 1, 2, 21, 1000)] == counts
    of = [tr.count(n, "of_problems") for n in (1, 2, 5, 21)]
    assert of == (
        ["1 problem", "2 problems", "5 problems", "21 problems"]
        if lang == "en"
        else ["1 проблемы", "2 проблем", "5 проблем", "21 проблемы"]
    )


async def merge_track_into_pay(pilot: Pilot[None], in_lab: Lab) -> None:
    from qualitylab.tui.triage.dialogs import ChooseProblem

    await pilot.press("m")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChooseProblem))
    await pilot.press(*"tracking", "enter")
    await wait_for(pilot, lambda: bool(corrections(in_lab)))


async def test_undo_after_a_decision_says_what_it_takes_back_and_asks_first(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,  # noqa: F811
) -> None:
    """QA: a product owner merged two problems, then set a wrong decision and pressed u (the
    footer's "Undo"): the merge was taken back at once, with no question, and the wrong
    decision stayed."""
    from qualitylab.tui.screens.confirm import ConfirmDialog

    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        await list_ready(pilot)
        await pilot.press("enter")
        problem = await problem_ready(pilot, "c-pay")
        await merge_track_into_pay(pilot, lab)
        await wait_for(pilot, lambda: problem.loaded_for == app.generation)
        await pilot.press("d", "enter", "down", "down", "down", "enter", "ctrl+s")  # won't fix
        await wait_for(pilot, lambda: bool(list_fix_records(lab)))
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        message = app.screen.message  # type: ignore[attr-defined]
        assert "merged c-track into c-pay" in message
        assert "Decisions are not undone" in message
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog))
        await pilot.pause()
        assert corrections(lab) == [("merge", "c-track", "c-pay", True)]  # nothing undone
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: not corrections(lab)[0][3])
    assert [(r.cluster_id, r.status) for r in list_fix_records(lab)] == [
        ("c-pay", FixStatus.WONT_FIX)
    ]


async def test_a_russian_problem_history_is_in_russian(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,  # noqa: F811
) -> None:
    """QA: the Russian app's "История решений" read "set status planned in 2.1, owner ..." and
    "merged c-track into c-pay", and its undo said "Отменено: merged ...": the services' English."""
    from qualitylab.tui.screens.confirm import ConfirmDialog

    app = new_triage("ru")
    async with app.run_test(size=(120, 40)) as pilot:
        await list_ready(pilot)
        await pilot.press("enter")
        problem = await problem_ready(pilot, "c-pay")
        await pilot.press("d", "enter", "down", "enter", "tab", *"2.1", "tab", *"[b]спринт[/b]")
        await pilot.press("tab", *"Ольга", "ctrl+s")
        await wait_for(pilot, lambda: bool(list_fix_records(lab)))
        await merge_track_into_pay(pilot, lab)
        await wait_for(pilot, lambda: problem.loaded_for == app.generation)
        await problem_ready(pilot, "c-pay")
        facts = str(problem.query_one("#problem-facts", Static).render())
        assert "c-track объединена с c-pay" in facts
        assert "решение: в плане, релиз 2.1, ответственный Ольга, заметка: [b]спринт[/b]" in facts
        assert "set status" not in facts and "merged" not in facts
        assert "  балл = 100 × " in facts and "score" not in facts
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "c-track объединена с c-pay" in app.screen.message  # type: ignore[attr-defined]
        await pilot.press("y")
        await wait_for(pilot, lambda: not corrections(lab)[0][3])
        told = [n.message for n in app._notifications]  # noqa: SLF001
        assert "Отменено: c-track объединена с c-pay" in told
        await wait_for(pilot, lambda: problem.loaded_for == app.generation)
        await problem_ready(pilot, "c-pay")
        facts = str(problem.query_one("#problem-facts", Static).render())
        assert "отменено: c-track объединена с c-pay" in facts
    record = list_fix_records(lab)[0]
    assert (record.status, record.release, record.owner, record.note) == (
        FixStatus.PLANNED,
        "2.1",
        "Ольга",
        "[b]спринт[/b]",
    )


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_report_texts_stay_readable_at_80_columns(db_path: str, lang: str) -> None:
    """QA: at 80 columns the one-offs' text column (the report itself, the reason to open the
    screen) showed 3 letters, the rest behind a sideways scroll; a problem's reports 14."""
    build_lab(db_path, extra=[("pay", "crash: the app closed on pay", 4)])
    app = make_triage_app(db=db_path, journeys=CATALOG, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await list_ready(pilot)
        await pilot.press("enter")
        problem = await problem_ready(pilot, "c-pay")
        reports = problem.query_one("#reports", DataTable)
        assert reports.columns["text"].width >= 28
        assert reports.virtual_size.width <= reports.size.width
        await pilot.press("3")
        await wait_for(pilot, lambda: pilot.app.screen.query("#oneoffs").first() is not None)
        table = pilot.app.screen.query_one("#oneoffs", DataTable)
        await wait_for(pilot, lambda: table.row_count == 3)
        assert table.columns["text"].width >= 28
        assert table.virtual_size.width <= table.size.width
        assert {"severity", "step", "walker", "text"} <= {str(k.value) for k in table.columns}


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_every_key_in_the_problems_footer_fits_80_columns(
    new_triage: TriageFactory,  # noqa: F811
    lang: str,
) -> None:
    """QA: the Russian problem screen's footer ended in "? Спр": the help key, the one a newcomer
    needs, was cut off."""
    from textual.widgets._footer import FooterKey

    app = new_triage(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await list_ready(pilot)
        await pilot.press("enter")
        problem = await problem_ready(pilot, "c-pay")
        await pilot.pause()
        keys = list(problem.query(FooterKey))
        assert "?" in {k.key_display for k in keys}
        assert all(k.region.right <= 80 for k in keys), [(k.key, k.region) for k in keys]


@pytest.mark.parametrize(
    ("lang", "later", "same"),
    [
        (
            "en",
            "Note: it has reports from later releases (1.1), so it shows as REGRESSED at once",
            "Note: 2 reports from 1.0 itself: not counted as a regression",
        ),
        (
            "ru",
            "Обратите внимание: о ней сообщали и в более поздних релизах (1.1), поэтому она сразу "
            "помечается как ВЕРНУЛАСЬ",
            "Обратите внимание: 2 отчёта из самого релиза 1.0: это не возврат",
        ),
    ],
)
async def test_what_a_fixed_release_warns_is_in_the_apps_language(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,  # noqa: F811
    lang: str,
    later: str,
    same: str,
) -> None:
    """QA: "fixed in 1.0" in the Russian app warned "Обратите внимание: it has reports from later
    releases (1.1), so it shows as REGRESSED at once" (the fix-list code's English)."""
    app = new_triage(lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_ready(pilot)
        await pilot.press("enter")
        await problem_ready(pilot, "c-pay")
        await pilot.press("d", "enter", "down", "down", "enter", "tab", *"1.0", "ctrl+s")
        await wait_for(pilot, lambda: bool(list_fix_records(lab)))
        told: list[str] = []

        def warned() -> bool:
            told[:] = [n.message for n in app._notifications]  # noqa: SLF001
            return len([m for m in told if m.startswith(later.split(":")[0])]) == 2

        await wait_for(pilot, warned)
        assert later in told
        assert any(m.startswith(same) for m in told), told
    record = list_fix_records(lab)[0]
    assert (record.status, record.release) == (FixStatus.FIXED, "1.0")


@pytest.mark.parametrize(("lang", "end"), [("en", "· whole lab"), ("ru", "· вся лаборатория")])
async def test_the_one_offs_heading_is_read_whole_at_80_columns(
    db_path: str, lang: str, end: str
) -> None:
    """QA: at 80 columns the one-offs' heading stopped at "(blockers among them, also on the fix":
    the number of listed blockers and the scope were cut off."""
    build_lab(db_path, extra=[("pay", "crash: the app closed on pay", 4)])
    app = make_triage_app(db=db_path, journeys=CATALOG, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await list_ready(pilot)
        await pilot.press("3")
        await wait_for(pilot, lambda: pilot.app.screen.query("#oneoffs").first() is not None)
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#oneoffs", DataTable).row_count)
        await pilot.pause()
        lines = shown_lines(pilot.app.screen.query_one("#topbar", Static))
        assert " ".join(line.strip() for line in lines).endswith(end), lines


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_key_of_the_triage_screens_is_in_the_help(lang: str) -> None:
    """QA: ctrl+r (reload: see what others changed meanwhile; the list is built once and kept)
    worked on three screens but was in neither the footer nor the help, and the journeys
    screen's enter was not in the help either: keys a newcomer could not discover."""
    import re

    from textual.binding import Binding

    from qualitylab.tui.triage.app import TriageApp
    from qualitylab.tui.triage.fixlist import FixListScreen
    from qualitylab.tui.triage.journeys import JourneysScreen
    from qualitylab.tui.triage.oneoffs import OneOffsScreen
    from qualitylab.tui.triage.problem import ProblemScreen
    from qualitylab.tui.triage.strings import TRIAGE_STRINGS

    body = TRIAGE_STRINGS["tri.help.body"][0 if lang == "en" else 1]
    #: cursor keys, the newline twin of enter, f1 (the same as ?), ? itself
    silent = {"up", "down", "pageup", "pagedown", "ctrl+j", "f1", "question_mark"}
    shown = {"slash": "/"}
    missing = []
    for screen in (TriageApp, FixListScreen, ProblemScreen, OneOffsScreen, JourneysScreen):
        for binding in screen.BINDINGS:
            assert isinstance(binding, Binding)
            for key in binding.key.split(","):
                if key in silent or not key.isascii():  # non-ASCII: the Russian layout's twins
                    continue
                token = shown.get(key, key)
                if not re.search(rf"(?<!\S){re.escape(token)}(?!\S)", body):
                    missing.append(f"{screen.__name__}: {token}")
    assert missing == []
    assert ("Journeys" if lang == "en" else "Пути") in body


async def test_ctrl_r_on_a_problem_shows_what_someone_else_decided_meanwhile(
    new_triage: TriageFactory,  # noqa: F811
    lab: Lab,  # noqa: F811
) -> None:
    """QA: with a problem open, a decision made elsewhere (another tab, `fix set`) showed only
    after going back and pressing ctrl+r on the list; the problem screen had no reload."""
    from qualitylab.services.fixes import set_fix_status

    app = new_triage()
    async with app.run_test(size=(120, 40)) as pilot:
        await list_ready(pilot)
        await pilot.press("enter")
        problem = await problem_ready(pilot, "c-pay")
        set_fix_status(lab, "c-pay", "planned", release="2.0", ticket="PAY-7")
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: "PAY-7" in str(problem.query_one("#problem-decision", Static).render())
        )
