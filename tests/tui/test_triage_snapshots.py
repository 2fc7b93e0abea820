"""What the product owner sees: fix list, a problem, journeys, one-offs and the decision dialog,
at 80x24 and 120x40, in English and Russian. Look at the diff report before ``--snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from triage_helpers import build_lab, fake_engine, list_ready, problem_ready, tables_settled
from tui_helpers import CATALOG, wait_for

from qualitylab.tui.triage.app import make_triage_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["en", "ru"]


@pytest.fixture(autouse=True)
def _fake_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qualitylab.services.fixes._default_cluster_fn", lambda: fake_engine)


def app_for(db_path: str, lang: str) -> Any:
    build_lab(db_path)
    return make_triage_app(db=db_path, journeys=CATALOG, lang=lang)


async def ready_table(pilot: Pilot[None], selector: str) -> None:
    from textual.widgets import DataTable

    await wait_for(pilot, lambda: pilot.app.screen.query_one(selector, DataTable).row_count > 0)
    await tables_settled(pilot)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_fix_list(snap_compare: Any, db_path: str, size: tuple[int, int], lang: str) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await list_ready(pilot)

    assert snap_compare(app_for(db_path, lang), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_problem(snap_compare: Any, db_path: str, size: tuple[int, int], lang: str) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await list_ready(pilot)
        await pilot.press("enter")
        await problem_ready(pilot, "c-pay")

    assert snap_compare(app_for(db_path, lang), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_journeys(snap_compare: Any, db_path: str, size: tuple[int, int], lang: str) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await list_ready(pilot)
        await pilot.press("1")
        await ready_table(pilot, "#step-table")

    assert snap_compare(app_for(db_path, lang), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_one_offs(snap_compare: Any, db_path: str, size: tuple[int, int], lang: str) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await list_ready(pilot)
        await pilot.press("3")
        await ready_table(pilot, "#oneoffs")

    assert snap_compare(app_for(db_path, lang), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang", LANGS)
def test_decision_dialog_fits_80x24(snap_compare: Any, db_path: str, lang: str) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await list_ready(pilot)
        await pilot.press("enter")
        await problem_ready(pilot, "c-pay")
        await pilot.press("d")
        await wait_for(pilot, lambda: pilot.app.screen.query("#d-owner").first() is not None)
        await pilot.pause()

    assert snap_compare(app_for(db_path, lang), terminal_size=(80, 24), run_before=run_before)
