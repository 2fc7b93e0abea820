"""``run_demo`` writes the demo through the export/import path into a real database."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from qualitylab import services
from qualitylab.domain import WalkStatus
from qualitylab.errors import InvalidInput
from qualitylab.services import Lab
from qualitylab.services.demo import DemoStats, run_demo
from qualitylab.services.demo_bank import HOSTILE_COMMENT, HOSTILE_TEXTS
from qualitylab.services.transfer import export_jsonl, import_jsonl

BUNDLED = Path(__file__).resolve().parents[2] / "journeys.yaml"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def lab(db_url: str) -> Iterator[Lab]:
    opened = Lab.open(db_url, BUNDLED)
    yield opened
    opened.close()


def _small(lab: Lab, seed: int, *, force: bool = False) -> DemoStats:
    return run_demo(lab, seed=seed, walkers=12, walks=30, now=NOW, force=force)


def _counts(lab: Lab) -> dict[str, int]:
    with lab.store.unit() as u:
        return u.counts()


def test_demo_fills_an_empty_database_with_what_it_reports(lab: Lab) -> None:
    stats = _small(lab, 3)
    counts = _counts(lab)
    assert counts["walks"] == sum(stats.walks.values()) == 30
    assert counts["pain_points"] == stats.pain_points > 100
    assert counts["praise"] == stats.praise
    assert counts["step_visits"] == stats.visits
    assert counts["walkers"] == stats.walkers
    assert stats.added["pain_point"] == stats.pain_points
    assert "30 walks" in str(stats) and "4.9 -> 5.0" in str(stats)
    # product-owner QA: the demo said "195 one-offs" and `fixes` then "161 ... one-offs": the
    # first is what the demo wrote, the second what the engine found; the line says which
    assert f"({stats.one_offs} written as one-offs; `qualitylab fixes` counts" in str(stats)


def test_demo_walks_can_be_read_back_and_open_ones_resumed(lab: Lab) -> None:
    _small(lab, 4)
    walks = services.list_walks(lab)
    open_walks = [w for w in walks if w.status is WalkStatus.IN_PROGRESS]
    assert open_walks, "the demo should leave some walks in progress"
    walk = open_walks[0]
    journey = services.walk_journey(lab, walk.uuid)
    assert walk.current_step == len(walk.visits) < len(journey.steps)
    resumed = services.start_or_resume_walk(lab, journey_id=walk.journey_id, walker=walk.walker)
    assert resumed.uuid == walk.uuid
    step = journey.steps[walk.current_step].id
    services.enter_step(lab, walk.uuid, step)
    point = services.log_pain_point(
        lab, walk_uuid=walk.uuid, step_id=step, text="carry on", severity=2, category="other"
    )
    assert point.release == walk.release


def test_hostile_texts_survive_the_database_verbatim(lab: Lab) -> None:
    _small(lab, 5)
    texts = {p.text for p in services.list_pain_points(lab)}
    assert set(HOSTILE_TEXTS) <= texts
    assert HOSTILE_COMMENT in {w.closing_comment for w in services.list_walks(lab)}


def test_refuses_a_database_with_walks_unless_forced(lab: Lab) -> None:
    _small(lab, 1)
    before = _counts(lab)
    with pytest.raises(InvalidInput, match="--force"):
        _small(lab, 2)
    assert _counts(lab) == before
    again = _small(lab, 1, force=True)  # same seed: same uuids, nothing new
    assert not any(again.added.values())
    assert "Nothing new" in str(again)
    assert _counts(lab) == before
    _small(lab, 2, force=True)
    assert _counts(lab)["walks"] == 60


def test_a_demo_cut_off_part_way_says_how_to_complete_it(
    tmp_path: Path, server_gone_at: Callable[[int, int, str], Callable[[], None]]
) -> None:
    """Admin QA: PostgreSQL stopped during ``demo`` printed only "... is unavailable: ...;
    nothing was saved", though 240 walks and 827 pain points were in; the next ``demo`` then
    refused the database as not empty. The same seed with --force completes it (its records
    keep their ids), and the error now says so."""
    from qualitylab.errors import QualityLabError

    server_back = server_gone_at(3, 20, "database is unavailable: server closed; nothing was saved")
    lab = Lab.open(str(tmp_path / "demo.db"), BUNDLED)
    with pytest.raises(QualityLabError) as raised:
        _small(lab, 5)
    assert str(raised.value).splitlines()[1] == (
        "the demo stopped part-way; run the same demo again with --force (and the same --seed) "
        "to complete it"
    )
    server_back()
    _small(lab, 5, force=True)
    complete = Lab.open(str(tmp_path / "complete.db"), BUNDLED)
    _small(complete, 5)
    assert _counts(lab) == _counts(complete)
    lab.close()
    complete.close()


def test_demo_data_round_trips_through_export_and_import(lab: Lab, tmp_path: Path) -> None:
    _small(lab, 6)
    first = io.StringIO()
    export_jsonl(lab, first)
    path = tmp_path / "demo.jsonl"
    path.write_text(first.getvalue(), encoding="utf-8")
    with Lab.open(str(tmp_path / "copy.db"), BUNDLED) as copy:
        import_jsonl(copy, path)
        second = io.StringIO()
        export_jsonl(copy, second)
    assert second.getvalue() == first.getvalue()


def test_full_size_demo_meets_the_minimums(tmp_path: Path) -> None:
    with Lab.open(str(tmp_path / "full.db"), BUNDLED) as lab:
        stats = run_demo(lab, now=NOW)
        counts = _counts(lab)
    assert counts["walkers"] >= 40 and counts["walks"] >= 200 and counts["pain_points"] >= 2000
    assert stats.seconds < 60
