"""A large import while a walker keeps saving: peak memory, wall time, and the walker's saves.

Builds one export file of ``--records`` records (about 375 bytes each, like the issue's 300k-record
/ ~113 MB file), then for each implementation imports it into a fresh SQLite lab with
``/usr/bin/time -v`` while a second process saves a pain point every 50 ms into the same lab.
Prints, per implementation: import wall time, peak RSS, and the walker's saves (attempted,
failed, p50 / p99 / worst latency).

Implementations compared in the same run:

* ``current``  - this checkout (check the whole file, then short batches);
* ``one-transaction`` - this checkout with the batch limits lifted (the whole file in one
  transaction): the plain baseline, what a non-batching import does to walkers;
* ``--baseline-src DIR`` - another checkout's ``qualitylab`` (e.g. the commit before issue 9:
  ``git worktree add /tmp/before 8e6de81``), imported the same way.

Run: ``.venv/bin/python -m benchmarks.import_large --records 300000 --baseline-src /tmp/before``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORDS = (
    "payment page freezes after card entry the code never arrives tariff price hidden button "
    "menu slow error again support chat closed confusing label blank screen timeout retry"
).split()

WRITER = r"""
import json, sys, time
from pathlib import Path
from typing import Any
from qualitylab import services
from qualitylab.services import Lab

db, walk_uuid, stop, out = sys.argv[1:5]
lab = Lab.open(db=db)
latencies, failures = [], []
while not Path(stop).exists():
    started = time.perf_counter()
    try:
        services.log_pain_point(lab, walk_uuid=walk_uuid, step_id=STEP, text="still slow",
                                severity=2, category="speed")
        latencies.append(time.perf_counter() - started)
    except Exception as exc:
        failures.append(f"{type(exc).__name__}: {str(exc)[:80]}")
    time.sleep(0.05)
Path(out).write_text(json.dumps({"latencies": latencies, "failures": failures}))
"""

SETUP = r"""
import sys
from qualitylab import services
from qualitylab.services import Lab
lab = Lab.open(db=sys.argv[1])
journey = lab.catalog.journeys[0]
walker = services.get_or_create_walker(lab, name="Busy walker")
walk = services.start_or_resume_walk(lab, journey_id=journey.id, walker=walker)
print(walk.uuid, journey.steps[0].id)
"""

ONE_TRANSACTION = r"""
import sys
from qualitylab.services import transfer
transfer.BATCH_RECORDS = 10**12
transfer.BATCH_SECONDS = 10**12
from qualitylab.cli.app import main
sys.argv = ["qualitylab", *sys.argv[1:]]
main()
"""


def build_file(path: Path, records: int, seed: int = 7) -> None:
    """A valid export: walkers, one journey, walks with visits, pain points, praise."""
    sys.path.insert(0, str(REPO))
    from qualitylab.domain import jsonout
    from qualitylab.journeys import load_catalog

    rng = random.Random(seed)
    journey = load_catalog(REPO / "journeys.yaml").journeys[0]
    step = journey.steps[0].id
    walkers = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(1000)]
    n_walks = records // 10
    n_points = records - len(walkers) - 1 - n_walks - records // 50
    n_praise = records // 50
    at = "2026-11-20T10:00:00+00:00"

    def words(count: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(count))

    with path.open("w", encoding="utf-8") as out:

        def write(record: dict[str, object]) -> None:
            out.write(jsonout.dumps(record, compact=True) + "\n")

        write({"type": "header", "format": "qualitylab-export", "version": 1})
        for n, w in enumerate(walkers):
            write(
                {
                    "type": "walker",
                    "uuid": w,
                    "name": f"Walker {n}",
                    "department": "Sales",
                    "anonymous": False,
                    "created_at": at,
                }
            )
        write(
            {
                "type": "journey",
                "hash": journey.content_hash(),
                "journey_id": journey.id,
                "product_id": journey.product,
                "title": journey.title,
                "content": journey.model_dump_json(),
                "created_at": at,
            }
        )
        walks = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n_walks)]
        for w in walks:
            write(
                {
                    "type": "walk",
                    "uuid": w,
                    "journey_id": journey.id,
                    "journey_hash": journey.content_hash(),
                    "product_id": journey.product,
                    "release": "5.0",
                    "walker": rng.choice(walkers),
                    "status": "completed",
                    "current_step": 1,
                    "started_at": at,
                    "finished_at": at,
                    "updated_at": at,
                    "nps": rng.randint(0, 10),
                    "closing_comment": words(8),
                    "source": "walk",
                    "visits": [
                        {
                            "step_id": step,
                            "position": 0,
                            "outcome": "done",
                            "ease": 5,
                            "seconds_spent": 12.5,
                            "entered_at": at,
                            "left_at": at,
                        }
                    ],
                }
            )
        for _ in range(n_points):
            write(
                {
                    "type": "pain_point",
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "walk": rng.choice(walks),
                    "step_id": step,
                    "text": words(rng.randint(4, 24)),
                    "severity": rng.randint(1, 4),
                    "category": "bug",
                    "suggested_fix": words(3),
                    "created_at": at,
                    "updated_at": at,
                    "attachment": None,
                }
            )
        for _ in range(n_praise):
            write(
                {
                    "type": "praise",
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "walk": rng.choice(walks),
                    "step_id": step,
                    "text": words(5),
                    "created_at": at,
                }
            )


def run_one(label: str, src: Path, command: list[str], file: Path, work: Path) -> dict[str, Any]:
    db = work / f"{label}.db"
    env = {**os.environ, "PYTHONPATH": str(src), "OMP_NUM_THREADS": "1"}
    # cwd comes first on sys.path: with `-m` or `-c` it decides which checkout is imported
    run: dict[str, Any] = {"env": env, "cwd": src}
    setup = subprocess.run(
        [sys.executable, "-c", SETUP, str(db)], **run, check=True, capture_output=True, text=True
    )
    walk_uuid, step = setup.stdout.split()
    stop, out = work / f"{label}.stop", work / f"{label}.saves.json"
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            WRITER.replace("STEP", repr(step)),
            str(db),
            walk_uuid,
            str(stop),
            str(out),
        ],
        **run,
    )
    time.sleep(1.0)  # the walker is saving before the import starts
    if not command:  # the walker alone: what saves cost on this machine right now
        time.sleep(10.0)
        stop.touch()
        writer.wait(timeout=120)
        saves = json.loads(out.read_text())
        return _figures(label, 0, "-", 0.0, saves, "no import")
    timed = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, *command, "import", str(file), "--db", str(db)],
        **run,
        capture_output=True,
        text=True,
    )
    time.sleep(1.0)
    stop.touch()
    writer.wait(timeout=120)
    saves = json.loads(out.read_text())
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", timed.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", timed.stderr)
    last = [line for line in (timed.stdout + timed.stderr).splitlines() if line.strip()]
    result = (timed.stdout.strip().splitlines() or last or [""])[-1][:120]
    rss_mb = int(rss[1]) / 1024 if rss else 0.0
    return _figures(label, timed.returncode, wall[1] if wall else "?", rss_mb, saves, result)


def _figures(
    label: str, code: int, wall: str, rss_mb: float, saves: dict[str, Any], result: str
) -> dict[str, Any]:
    lat = sorted(saves["latencies"])

    def pick(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else 0.0

    return {
        "label": label,
        "exit": code,
        "wall": wall,
        "rss_mb": rss_mb,
        "saves": len(lat) + len(saves["failures"]),
        "failed": len(saves["failures"]),
        "p50": pick(0.5),
        "p99": pick(0.99),
        "worst": lat[-1] * 1000 if lat else 0.0,
        "result": result,
        "first_failure": saves["failures"][0] if saves["failures"] else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300_000)
    parser.add_argument("--baseline-src", type=Path, help="another checkout to compare with")
    parser.add_argument("--skip-one-transaction", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ql-import-") as tmp:
        work = Path(tmp)
        file = work / "lab.jsonl"
        started = time.perf_counter()
        build_file(file, args.records)
        lines = sum(1 for _ in file.open("rb"))
        print(
            f"file: {lines - 1:,} records, {file.stat().st_size / 1e6:.0f} MB "
            f"(built in {time.perf_counter() - started:.0f} s)"
        )
        runs = [("walker alone", REPO, []), ("current", REPO, ["-m", "qualitylab"])]
        if not args.skip_one_transaction:
            runs.append(("one-transaction", REPO, ["-c", ONE_TRANSACTION]))
        if args.baseline_src:
            runs.append(("baseline-src", args.baseline_src.resolve(), ["-m", "qualitylab"]))
        print(
            "| import | exit | wall | peak RSS | walker saves (failed) | save p50 | p99 | worst |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for label, src, command in runs:
            r = run_one(label, src, command, file, work)
            print(
                f"| {r['label']} | {r['exit']} | {r['wall']} | {r['rss_mb']:,.0f} MB | "
                f"{r['saves']} ({r['failed']}) | {r['p50']:.0f} ms | {r['p99']:.0f} ms | "
                f"{r['worst']:,.0f} ms |",
                flush=True,
            )
            print(
                f"    {r['result']}"
                + (f"; first failed save: {r['first_failure']}" if r["first_failure"] else ""),
                flush=True,
            )


if __name__ == "__main__":
    main()
