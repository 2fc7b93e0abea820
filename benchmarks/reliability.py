"""Is every confirmed save kept, and how long does a save take? (issue 9 §6, "Figures")

Each scenario runs real processes against a real database and counts, for every save the
service confirmed (returned without error), whether it is in the database afterwards:

* ``writers``  - N processes x M saves into one SQLite file or one PostgreSQL database, flat out;
                 attempted, confirmed, stored, and save latency p50/p99/max;
* ``load``     - the realistic load: 8 walkers, 20 saves/s in total (each walker paced), p50/p99;
* ``sync``     - SQLite ``synchronous=FULL`` (what the app uses) against ``NORMAL`` (the plain
                 baseline, same code, same run): the cost of surviving a power cut;
* ``kill``     - a writer saving in a loop is ``kill -9``-ed at a random moment, T times; the
                 confirmed saves it printed are looked up, and ``PRAGMA integrity_check`` run;
* ``restart``  - 8 PostgreSQL writers saving (and retrying, as the walk app does) while the
                 server restarts: confirmed vs stored, and how each failure read;
* ``freeze``   - the PostgreSQL server's processes are SIGSTOP-ped for F seconds while a walker
                 saves (the walk app's retry loop): when the walker is told, when the save lands.

PostgreSQL scenarios need ``--pg-url`` and ``--pg-dir`` (``scripts/pg start DIR`` prints the URL).
Run, e.g.: ``.venv/bin/python benchmarks/reliability.py all --pg-url URL --pg-dir DIR``.
Every saved text is unique, so "stored" is an exact count, not an estimate.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CATALOG = REPO / "tests" / "tui" / "catalog.yaml"
JOURNEY, STEP = "buy-sim", "find-offer"


# ------------------------------------------------------------------------------- writers
def _writer(
    db: str, name: str, saves: int, interval: float, out: Any, normal_sync: bool = False
) -> None:
    """One walker saving pain points; reports (confirmed texts, latencies, failures)."""
    from qualitylab import services
    from qualitylab.errors import StorageUnavailable
    from qualitylab.services import Lab

    lab = Lab.open(db=db, journeys=str(CATALOG))
    if normal_sync:
        from sqlalchemy import event

        @event.listens_for(lab.store.engine, "connect")
        def _normal(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA synchronous=NORMAL")

        lab.store.engine.dispose()
    walker = services.get_or_create_walker(lab, name=name)
    walk = services.start_or_resume_walk(lab, journey_id=JOURNEY, walker=walker)
    confirmed: list[str] = []
    latencies: list[float] = []
    failures: list[str] = []
    next_at = time.monotonic() + random.random() * interval
    for i in range(saves):
        if interval:
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
        text = f"{name} {i}"
        started = time.perf_counter()
        try:
            services.log_pain_point(
                lab, walk_uuid=walk.uuid, step_id=STEP, text=text, severity=2, category="bug"
            )
        except StorageUnavailable as err:
            failures.append(str(err))
            continue
        latencies.append(time.perf_counter() - started)
        confirmed.append(text)
    lab.close()
    out.put((confirmed, latencies, failures))


def _raw_writer(db: str, name: str, saves: int, interval: float, out: Any) -> None:
    """The plain baseline: one INSERT + COMMIT per save with the sqlite3 module alone (WAL,
    synchronous=FULL, BEGIN IMMEDIATE), paced like ``_writer``: the floor this machine allows."""
    conn = sqlite3.connect(db, timeout=30, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS raw (id INTEGER PRIMARY KEY, text TEXT)")
    latencies: list[float] = []
    next_at = time.monotonic() + random.random() * interval
    for i in range(saves):
        time.sleep(max(0.0, next_at - time.monotonic()))
        next_at += interval
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO raw (text) VALUES (?)", (f"{name} {i}",))
        conn.execute("COMMIT")
        latencies.append(time.perf_counter() - started)
    conn.close()
    out.put(([], latencies, []))


def run_raw_baseline(db: str, writers: int, saves: int, interval: float) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    sqlite3.connect(db).execute("PRAGMA journal_mode=WAL").close()
    procs = [
        ctx.Process(target=_raw_writer, args=(db, f"b{n}", saves, interval, out))
        for n in range(writers)
    ]
    started = time.monotonic()
    for proc in procs:
        proc.start()
    latencies = sorted(x for _ in procs for x in out.get(timeout=900)[1])
    for proc in procs:
        proc.join(60)
    total = writers * saves
    return {
        "attempted": total,
        "confirmed": total,
        "stored": total,
        "lost": 0,
        "failures": [],
        "wall": time.monotonic() - started,
        **_percentiles(latencies),
    }


def _stored(db: str) -> set[str]:
    from qualitylab import services
    from qualitylab.services import Lab

    with Lab.open(db=db, journeys=str(CATALOG)) as lab:
        return {p.text for p in services.list_pain_points(lab)}


def _prepare(db: str) -> None:
    from qualitylab.services import Lab

    with Lab.open(db=db, journeys=str(CATALOG)) as lab:
        assert lab.store.engine is not None  # creates and migrates once


def run_writers(
    db: str, writers: int, saves: int, *, interval: float = 0.0, normal_sync: bool = False
) -> dict[str, Any]:
    _prepare(db)
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    tag = uuid.uuid4().hex[:6]
    procs = [
        ctx.Process(target=_writer, args=(db, f"w{n}-{tag}", saves, interval, out, normal_sync))
        for n in range(writers)
    ]
    started = time.monotonic()
    for proc in procs:
        proc.start()
    results = [out.get(timeout=900) for _ in procs]
    for proc in procs:
        proc.join(60)
    wall = time.monotonic() - started
    confirmed = [t for r in results for t in r[0]]
    latencies = sorted(x for r in results for x in r[1])
    failures = [f for r in results for f in r[2]]
    stored = _stored(db)
    return {
        "attempted": writers * saves,
        "confirmed": len(confirmed),
        "stored": len(set(confirmed) & stored),
        "lost": len(set(confirmed) - stored),
        "failures": failures,
        "wall": wall,
        **_percentiles(latencies),
    }


def _percentiles(latencies: list[float]) -> dict[str, float]:
    if not latencies:
        return {"p50": float("nan"), "p99": float("nan"), "max": float("nan")}
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"p50": q[49] * 1000, "p99": q[98] * 1000, "max": latencies[-1] * 1000}


def _line(label: str, r: dict[str, Any]) -> str:
    fails = f", {len(r['failures'])} failed (one line each)" if r["failures"] else ""
    return (
        f"{label:<34} {r['attempted']:>6} attempted {r['confirmed']:>6} confirmed "
        f"{r['stored']:>6} stored {r['lost']:>3} lost{fails} | save p50 {r['p50']:6.1f} ms "
        f"p99 {r['p99']:7.1f} ms max {r['max']:7.1f} ms ({r['wall']:.1f} s)"
    )


# ---------------------------------------------------------------------------------- kill
KILL_CHILD = """
import sys
from qualitylab import services
from qualitylab.services import Lab
lab = Lab.open(db=sys.argv[1], journeys=sys.argv[2])
w = services.get_or_create_walker(lab, name=sys.argv[3])
walk = services.start_or_resume_walk(lab, journey_id="buy-sim", walker=w)
print("ready", flush=True)
i = 0
while True:
    text = f"{sys.argv[3]} {i}"
    services.log_pain_point(lab, walk_uuid=walk.uuid, step_id="find-offer", text=text,
                            severity=2, category="bug")
    print(text, flush=True)  # confirmed: the service returned
    i += 1
"""


def run_kills(db: str, trials: int) -> dict[str, Any]:
    _prepare(db)
    confirmed: set[str] = set()
    integrity: set[str] = set()
    for trial in range(trials):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_CHILD, db, str(CATALOG), f"k{trial}"],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(random.uniform(0.2, 1.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        confirmed.update(line.strip() for line in proc.stdout if line.strip())
        with sqlite3.connect(db) as conn:
            integrity.add(conn.execute("PRAGMA integrity_check").fetchone()[0])
    stored = _stored(db)
    return {
        "trials": trials,
        "confirmed": len(confirmed),
        "lost": len(confirmed - stored),
        "integrity": ", ".join(sorted(integrity)),
    }


# ----------------------------------------------------------------------- PostgreSQL faults
def _pg_pids(pg_dir: str) -> list[int]:
    """The postmaster and its children (the server's every process)."""
    master = int((Path(pg_dir) / "data" / "postmaster.pid").read_text().split()[0])
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def _retrying_writer(db: str, name: str, stop: Any, ready: Any, out: Any) -> None:
    """Saves in a loop, retrying each failed save as the walk app does (every 0.5 s here)."""
    from qualitylab import services
    from qualitylab.errors import StorageUnavailable
    from qualitylab.services import Lab

    lab = Lab.open(db=db, journeys=str(CATALOG))
    walker = services.get_or_create_walker(lab, name=name)
    walk = services.start_or_resume_walk(lab, journey_id=JOURNEY, walker=walker)
    ready.put(name)
    confirmed: list[str] = []
    failures: list[str] = []
    i = 0
    while not stop.is_set():
        text = f"{name} {i}"
        try:
            services.log_pain_point(
                lab, walk_uuid=walk.uuid, step_id=STEP, text=text, severity=2, category="bug"
            )
        except StorageUnavailable as err:
            failures.append(str(err))
            time.sleep(0.5)
            continue  # the same text again: kept once or, if it was committed, twice at most
        confirmed.append(text)
        i += 1
        time.sleep(0.05)
    lab.close()
    out.put((confirmed, failures))


def run_restart(db: str, pg_dir: str, writers: int = 8) -> dict[str, Any]:
    _prepare(db)
    ctx = multiprocessing.get_context("spawn")
    stop, ready, out = ctx.Event(), ctx.Queue(), ctx.Queue()
    tag = uuid.uuid4().hex[:6]
    procs = [
        ctx.Process(target=_retrying_writer, args=(db, f"r{n}-{tag}", stop, ready, out))
        for n in range(writers)
    ]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=300)  # every writer is saving
    time.sleep(3)
    started = time.monotonic()
    subprocess.run([str(REPO / "scripts" / "pg"), "restart", pg_dir], check=True, timeout=120)
    restart = time.monotonic() - started
    time.sleep(4)
    stop.set()
    results = [out.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(30)
    confirmed = {t for r in results for t in r[0]}
    failures = [f for r in results for f in r[1]]
    stored = _stored(db)
    kinds = sorted(
        {f.split("unavailable: ", 1)[-1].removesuffix("; nothing was saved")[:60] for f in failures}
    )
    return {
        "writers": writers,
        "confirmed": len(confirmed),
        "lost": len(confirmed - stored),
        "failures": len(failures),
        "multi_line": sum("\n" in f for f in failures),
        "kinds": kinds,
        "restart_s": restart,
    }


def run_freeze(db: str, pg_dir: str, freeze: float, notice_after: float = 5.0) -> dict[str, Any]:
    """One save while the server is frozen, waited for as the walk app does: the walker is told
    after ``notice_after`` s; a failed attempt is retried every 2 s until it commits."""
    from qualitylab import services
    from qualitylab.errors import StorageUnavailable
    from qualitylab.services import Lab

    lab = Lab.open(db=db, journeys=str(CATALOG))
    walker = services.get_or_create_walker(lab, name=f"frozen-{uuid.uuid4().hex[:6]}")
    walk = services.start_or_resume_walk(lab, journey_id=JOURNEY, walker=walker)
    pids = _pg_pids(pg_dir)
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    frozen_at = time.monotonic()
    thaw = threading.Timer(freeze, lambda: [os.kill(p, signal.SIGCONT) for p in pids])
    thaw.start()
    text = f"saved while frozen {uuid.uuid4().hex[:6]}"
    attempts, told_at = 0, None
    while True:
        attempts += 1
        done = threading.Event()
        error: list[BaseException] = []

        def attempt(done: threading.Event = done, error: list[BaseException] = error) -> None:
            try:
                services.log_pain_point(
                    lab, walk_uuid=walk.uuid, step_id=STEP, text=text, severity=2, category="bug"
                )
            except StorageUnavailable as err:
                error.append(err)
            finally:
                done.set()

        threading.Thread(target=attempt, daemon=True).start()
        if not done.wait(notice_after) and told_at is None:
            told_at = time.monotonic() - frozen_at
        done.wait()
        if not error:
            break
        told_at = told_at if told_at is not None else time.monotonic() - frozen_at
        time.sleep(2)
    landed = time.monotonic() - frozen_at
    thaw.join()
    stored = text in {p.text for p in services.list_pain_points(lab)}
    lab.close()
    return {
        "freeze": freeze,
        "told": told_at,
        "landed": landed,
        "after_thaw": landed - freeze,
        "attempts": attempts,
        "stored": stored,
    }


# ----------------------------------------------------------------------------------- main
def report(line: str) -> None:
    print(line, flush=True)


def _sqlite_db(tmp: str, name: str) -> str:
    return str(Path(tmp) / f"{name}.db")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "scenario",
        choices=["writers", "load", "sync", "kill", "restart", "freeze", "all"],
    )
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--saves", type=int, default=200, help="per writer (writers, sync)")
    parser.add_argument("--seconds", type=float, default=15, help="realistic load duration")
    parser.add_argument("--trials", type=int, default=10, help="kill -9 trials")
    parser.add_argument("--freeze", type=float, default=40, help="seconds the server is frozen")
    parser.add_argument("--pg-url", default=os.environ.get("QUALITYLAB_TEST_PG_URL"))
    parser.add_argument("--pg-dir", default=os.environ.get("QUALITYLAB_TEST_PG_DIR"))
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    want = (lambda s: True) if args.scenario == "all" else (lambda s: s == args.scenario)
    pg = args.pg_url
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        if want("writers"):
            w, n = args.writers, args.saves
            r = run_writers(_sqlite_db(tmp, "flat"), w, n)
            report(_line(f"SQLite {w} writers x {n}, flat out", r))
            if pg:
                r = run_writers(pg, w, n)
                report(_line(f"PostgreSQL {w} writers x {n}, flat out", r))
        if want("load"):
            w = args.writers
            per_writer = 20 / w  # saves/s: 20 in total
            n = max(1, int(args.seconds * per_writer))
            r = run_raw_baseline(_sqlite_db(tmp, "raw"), w, n, 1 / per_writer)
            report(_line(f"baseline: bare sqlite3 INSERT, {w} x paced", r))
            r = run_writers(_sqlite_db(tmp, "load"), w, n, interval=1 / per_writer)
            report(_line(f"SQLite {w} walkers, 20 saves/s", r))
            if pg:
                r = run_writers(pg, w, n, interval=1 / per_writer)
                report(_line(f"PostgreSQL {w} walkers, 20 saves/s", r))
        if want("sync"):
            n = args.saves
            for label, normal in (("NORMAL (baseline)", True), ("FULL (the app)", False)):
                r = run_writers(_sqlite_db(tmp, f"sync{normal}"), 1, n, normal_sync=normal)
                report(_line(f"SQLite 1 writer x {n}, {label}", r))
        if want("kill"):
            r = run_kills(_sqlite_db(tmp, "kill"), args.trials)
            report(
                f"kill -9 x {r['trials']} (SQLite): {r['confirmed']} confirmed saves, "
                f"{r['lost']} lost; integrity_check: {r['integrity']}"
            )
        if pg and args.pg_dir and want("restart"):
            r = run_restart(pg, args.pg_dir)
            report(
                f"PostgreSQL restart ({r['restart_s']:.1f} s) under {r['writers']} writers: "
                f"{r['confirmed']} confirmed, {r['lost']} lost; {r['failures']} failed attempts "
                f"({r['multi_line']} multi-line), retried: {'; '.join(r['kinds'])}"
            )
        if pg and args.pg_dir and want("freeze"):
            r = run_freeze(pg, args.pg_dir, args.freeze)
            told = "never" if r["told"] is None else f"after {r['told']:.1f} s"
            report(
                f"PostgreSQL frozen {r['freeze']:.0f} s: walker told {told}; the save landed "
                f"{r['after_thaw']:.1f} s after the server resumed ({r['attempts']} attempt(s)); "
                f"stored: {r['stored']}"
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
