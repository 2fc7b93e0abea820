"""How long the command line takes, as whole processes: ``--help`` of the root and of every
command, and ``fixes`` on the demo lab. Medians of several runs, against ``python -c pass`` and
``python -c "import typer"`` measured in the same run (the floor any typer CLI pays).

Run: ``.venv/bin/python benchmarks/cli_startup.py [--runs 15] [--demo-db /tmp/demo.db]``. The demo
lab is created first if missing (``qualitylab demo``); ``fixes`` is timed after one warm-up run,
which fills the clustering cache. Machines shared with other work: run it in a quiet moment and
repeat; the minimum shows what the code costs, the median what a user waits.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PY = sys.executable
QUALITYLAB = [PY, "-m", "qualitylab"]
COMMANDS = [
    "walk", "serve", "log", "export", "import", "demo", "fixes", "compare", "cluster-texts",
    "walks list", "fix set", "fix explain", "fix list", "journeys validate", "journeys list",
]  # fmt: skip


def timed(argv: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """(median, min) wall seconds of ``argv`` as a fresh process."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), min(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--demo-db", default="/tmp/qualitylab-bench-demo.db")
    args = parser.parse_args()
    env = {**os.environ, "COLUMNS": "100", "OMP_NUM_THREADS": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users have bytecode caches; so do we
    if not Path(args.demo_db).exists():
        subprocess.run([*QUALITYLAB, "demo", "--db", args.demo_db], env=env, check=True)
    fixes = [*QUALITYLAB, "fixes", "--db", args.demo_db]
    subprocess.run(fixes, stdout=subprocess.DEVNULL, env=env, check=True)  # warm the cache

    cases: list[tuple[str, list[str], int]] = [
        ("python -c pass", [PY, "-c", "pass"], args.runs),
        ('python -c "import typer"', [PY, "-c", "import typer"], args.runs),
        ("qualitylab --help", [*QUALITYLAB, "--help"], args.runs),
        *((f"qualitylab {c} --help", [*QUALITYLAB, *c.split(), "--help"], 5) for c in COMMANDS),
        ("qualitylab fixes (demo lab, warm cache)", fixes, max(3, args.runs // 3)),
    ]
    print(f"{'case':<48} {'median s':>9} {'min s':>7}")
    for name, argv, runs in cases:
        median, least = timed(argv, runs, env)
        print(f"{name:<48} {median:>9.3f} {least:>7.3f}", flush=True)


if __name__ == "__main__":
    main()
