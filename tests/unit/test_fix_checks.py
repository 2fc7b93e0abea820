"""The engine's self-check reaches the people who read the list (issue 12): a problem that may mix
two, or that rests on fewer than 3 walkers, is flagged in the fix-list table, its JSON and every
report format, and a sound one is not."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from rich.console import Console

from qualitylab.domain import Cluster, FixItem, PriorityParts
from qualitylab.reports.fixes_json import fix_json
from qualitylab.reports.fixes_table import render_fixes
from qualitylab.reports.model import FixRow
from qualitylab.reports.tabular import FIX_COLUMNS, fix_rows
from qualitylab.reports.text import flags


def _item(*, walkers: int, looks_mixed: bool) -> FixItem:
    cluster = Cluster(
        id="c-1",
        title="Link expired",
        terms=("link",),
        members=("a", "b", "c"),
        quotes=("Link expired", "Looks like a scam"),
        cohesion=0.31,
        split_strength=0.2 if looks_mixed else 0.9,
        looks_mixed=looks_mixed,
    )
    return FixItem(
        rank=1,
        cluster=cluster,
        priority=PriorityParts(0.5, 3.0, 4, 0.5, 1.0, 40.0),
        walkers=walkers,
        pain_points=3,
        steps=(("esim", "open-link"),),
        releases=("5.0",),
    )


def _table(item: FixItem) -> str:
    out = io.StringIO()
    render_fixes(Console(file=out, width=160, color_system=None), [item], scope="lab")
    return out.getvalue()


@pytest.mark.parametrize(("walkers", "mixed"), [(2, True), (2, False), (5, True), (5, False)])
def test_table_and_json_flag_exactly_what_needs_a_look(walkers: int, mixed: bool) -> None:
    item = _item(walkers=walkers, looks_mixed=mixed)
    table = _table(item)
    assert ("may mix two problems" in table) is mixed
    assert ("rests on 2 walkers" in table) is (walkers < 3)
    data = fix_json(item)
    assert data["looks_mixed"] is mixed
    assert data["few_walkers"] is (walkers < 3)
    assert data["cohesion"] == pytest.approx(0.31)


PARTS = ("reach", "severity_mean", "severity_max", "impact", "persistence", "blockers")


def _row(**changes: object) -> FixRow:
    base = FixRow(
        rank=1, id="c-1", title="Link expired", score=40.0,
        parts=dict.fromkeys(PARTS, 0.0), factors={}, blocker=False,
        regressed=False, walkers=5, reports=3, severities={}, steps=(), quotes=(), suggestions=(),
        status="open", status_release=None, status_note="", releases=(),
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def test_report_flags_and_spreadsheet_column() -> None:
    assert flags(_row()) == []
    assert flags(_row(looks_mixed=True, few_walkers=True, walkers=2)) == [
        "check: may mix two problems",
        "check: fewer than 3 walkers",
    ]
    # a lone blocker report is already labelled "one report": no second flag for the same fact
    assert flags(_row(one_off=True, few_walkers=True, walkers=1)) == ["one report"]

    class Stub:
        fixes = (_row(looks_mixed=True),)

    (row,) = list(fix_rows(Stub()))  # type: ignore[arg-type]
    assert row[FIX_COLUMNS.index("check")] == "may mix two problems"
