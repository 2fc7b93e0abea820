"""Nothing confirmed is lost: concurrent SQLite writers, a killed process, a PostgreSQL restart."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
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


# ------------------------------------------------------- a save never hangs (issue 9 §6)
def test_sqlite_commits_are_synchronous_full(tmp_path: Path, small_catalog: Path) -> None:
    """NORMAL could lose the last confirmed saves on a power cut; the README promises none."""
    from sqlalchemy import text

    lab = Lab.open(db=str(tmp_path / "lab.db"), journeys=small_catalog)
    with lab.store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    lab.close()


@pytest.mark.postgres
def test_postgres_sessions_carry_a_statement_timeout_and_keepalives(
    pg_url: str, small_catalog: Path
) -> None:
    from sqlalchemy import text

    from qualitylab.store import engine as store_engine

    lab = Lab.open(db=pg_url, journeys=small_catalog)
    with lab.store.engine.connect() as conn:
        timeout = conn.execute(text("SHOW statement_timeout")).scalar()
        assert timeout == f"{store_engine.PG_STATEMENT_TIMEOUT_MS // 1000}s"
        info = conn.connection.dbapi_connection.info  # type: ignore[union-attr]
        params = info.get_parameters()
        assert params["keepalives"] == "1" and params["tcp_user_timeout"] == "10000"
    lab.close()
    own = Lab.open(db=pg_url + "?options=-c%20statement_timeout%3D7s", journeys=small_catalog)
    with own.store.engine.connect() as conn:  # a URL's own options win
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "7s"
    own.close()


@pytest.mark.postgres
def test_a_save_stuck_behind_a_lock_fails_after_the_statement_timeout_with_nothing_saved(
    pg_url: str, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long import holding the walk's row must not make a walker's save hang: the server
    cancels it, the app reports it (and retries), and nothing half-done is kept."""
    import time

    import psycopg
    from sqlalchemy.engine import make_url

    from qualitylab.errors import StorageUnavailable
    from qualitylab.store import engine as store_engine

    monkeypatch.setattr(store_engine, "PG_STATEMENT_TIMEOUT_MS", 1000)
    lab = Lab.open(db=pg_url, journeys=small_catalog)
    walker = services.get_or_create_walker(lab, name="Locked out")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    dsn = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as blocker:
        blocker.execute("SELECT id FROM walk WHERE uuid = %s FOR UPDATE", (walk.uuid,))
        started = time.monotonic()
        with pytest.raises(StorageUnavailable, match="nothing was saved"):
            services.record_step(lab, walk.uuid, "find", seconds_spent=5.0)
        assert time.monotonic() - started < 10
        blocker.rollback()
    services.record_step(lab, walk.uuid, "find", seconds_spent=6.0)  # the retry goes through
    visit = services.get_walk(lab, walk.uuid).visit("find")
    assert visit is not None and visit.seconds_spent == 6.0
    lab.close()


def _hold_write_lock(db: str, seconds: float) -> threading.Thread:
    """Another writer (a bare sqlite3 connection) holding the file's write lock for a while."""
    holding = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        holding.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(5)
    return thread


def test_a_save_waits_for_the_write_lock_and_lands_soon_after(
    tmp_path: Path, small_catalog: Path
) -> None:
    """The save polls for the lock in small steps, so it lands within a few ms of its release
    (SQLite's own busy handler sleeps up to 100 ms between tries)."""
    db = str(tmp_path / "lab.db")
    lab = Lab.open(db=db, journeys=small_catalog)
    walker = services.get_or_create_walker(lab, name="Anna")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    started = time.monotonic()
    holder = _hold_write_lock(db, 0.3)
    services.log_pain_point(
        lab, walk_uuid=walk.uuid, step_id="find", text="waited", severity=2, category="bug"
    )
    waited = time.monotonic() - started
    holder.join()
    assert 0.3 <= waited < 0.3 + 5  # it waited for the lock, and did not give up
    assert [p.text for p in services.list_pain_points(lab)] == ["waited"]
    lab.close()


def test_a_lock_held_past_the_timeout_is_one_clear_error(
    tmp_path: Path, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualitylab.errors import StorageUnavailable
    from qualitylab.store import engine

    db = str(tmp_path / "lab.db")
    lab = Lab.open(db=db, journeys=small_catalog)
    walker = services.get_or_create_walker(lab, name="Anna")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    holder = _hold_write_lock(db, 1.0)
    with pytest.raises(StorageUnavailable, match="database is locked; nothing was saved"):
        services.log_pain_point(
            lab, walk_uuid=walk.uuid, step_id="find", text="late", severity=2, category="bug"
        )
    holder.join()
    services.log_pain_point(  # the lab still works once the lock is free
        lab, walk_uuid=walk.uuid, step_id="find", text="later", severity=2, category="bug"
    )
    assert [p.text for p in services.list_pain_points(lab)] == ["later"]
    lab.close()
