"""Nothing confirmed is lost: concurrent SQLite writers, a killed process, a PostgreSQL restart."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from qualitylab import services
from qualitylab.services import Lab

REPO = Path(__file__).resolve().parents[2]


def _writer(db: str, catalog: str, name: str, count: int) -> None:
    lab = Lab.open(db=db, journeys=catalog)
    walker = services.get_or_create_walker(lab, name=name)
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    for i in range(count):
        services.log_pain_point(
            lab,
            walk_uuid=walk.uuid,
            step_id="find",
            text=f"{name} {i}",
            severity=2,
            category="bug",
        )
        services.record_step(lab, walk.uuid, "find", seconds_spent=float(i))
    lab.close()


def test_four_people_on_one_sqlite_file_lose_nothing(tmp_path: Path, small_catalog: Path) -> None:
    db = str(tmp_path / "shared.db")
    assert Lab.open(db=db, journeys=small_catalog).store.engine  # create the schema once
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_writer, args=(db, str(small_catalog), f"w{n}", 60)) for n in range(4)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0
    lab = Lab.open(db=db, journeys=small_catalog)
    texts = {p.text for p in services.list_pain_points(lab)}
    assert texts == {f"w{n} {i}" for n in range(4) for i in range(60)}


def test_four_processes_open_a_new_file_at_once(tmp_path: Path, small_catalog: Path) -> None:
    """The first open migrates; racing opens must wait for it, not fail."""
    db = str(tmp_path / "fresh.db")
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_writer, args=(db, str(small_catalog), f"r{n}", 3)) for n in range(4)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0
    lab = Lab.open(db=db, journeys=small_catalog)
    assert len(services.list_pain_points(lab)) == 12


KILLED_CHILD = """
import os, signal, sys
from qualitylab import services
from qualitylab.services import Lab
lab = Lab.open(db=sys.argv[1], journeys=sys.argv[2])
w = services.get_or_create_walker(lab, name="Killed")
walk = services.start_or_resume_walk(lab, journey_id="buy", walker=w)
services.log_pain_point(lab, walk_uuid=walk.uuid, step_id="pay", text="confirmed", severity=4,
                        category="bug")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_process_keeps_what_was_confirmed(tmp_path: Path, small_catalog: Path) -> None:
    db = str(tmp_path / "k.db")
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_CHILD, db, str(small_catalog)], cwd=REPO, timeout=120
    )
    assert proc.returncode == -signal.SIGKILL
    lab = Lab.open(db=db, journeys=small_catalog)
    assert [p.text for p in services.list_pain_points(lab)] == ["confirmed"]


@pytest.mark.postgres
def test_postgres_restart_loses_nothing_and_the_lab_reconnects(
    pg_url: str, small_catalog: Path
) -> None:
    db_url = pg_url
    pg_dir = os.environ.get("QUALITYLAB_TEST_PG_DIR")
    if not pg_dir:
        pytest.skip("needs the throwaway PostgreSQL server that scripts/test starts")
    lab = Lab.open(db=db_url, journeys=small_catalog)
    walker = services.get_or_create_walker(lab, name="Restart")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    services.log_pain_point(
        lab, walk_uuid=walk.uuid, step_id="find", text="before", severity=2, category="bug"
    )
    subprocess.run([str(REPO / "scripts" / "pg"), "restart", pg_dir], check=True, timeout=60)
    services.log_pain_point(
        lab, walk_uuid=walk.uuid, step_id="find", text="after", severity=2, category="bug"
    )
    lab.close()
    fresh = Lab.open(db=db_url, journeys=small_catalog)
    assert [p.text for p in services.list_pain_points(fresh)] == ["before", "after"]
    fresh.close()
