"""How long the command line takes, as whole processes: ``--help`` of the root and of every
command, and ``fixes`` on the demo lab. Medians of several runs, against ``python -c pass`` and
``python -c "import typer"`` measured in the same run (the floor any typer CLI pays).

Run: ``.venv/bin/python benchmarks/cli_startup.py [--runs 15] [--demo-db /tmp/demo.db]
[--baseline /path/to/older/checkout]``. The demo lab is created first if missing (``qualitylab
demo``); ``fixes`` is timed after one warm-up run, which fills the clustering cache. With
``--baseline`` every case also runs that checkout's code (``PYTHONPATH``), alternating run by run,
so both see the same load on a shared machine; the minimum shows what the code costs, the median
what a user waits.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
NEUTRAL = tempfile.gettempdir()  # `python -m` puts the working folder first on sys.path
QUALITYLAB = [PY, "-m", "qualitylab"]
COMMANDS = [
    "walk", "serve", "log", "export", "import", "demo", "fixes", "compare", "cluster-texts",
    "walks list", "fix set", "fix explain", "fix list", "journeys validate", "journeys list",
]  # fmt: skip


def timed(argv: list[str], runs: int, envs: list[dict[str, str]]) -> list[tuple[float, float]]:
    """(median, min) wall seconds of ``argv`` as a fresh process, per environment; the
    environments take turns run by run."""
    seconds: list[list[float]] = [[] for _ in envs]
    for _ in range(runs):
        for n, env in enumerate(envs):
            start = time.perf_counter()
            subprocess.run(
                argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=NEUTRAL
            )
            seconds[n].append(time.perf_counter() - start)
    return [(statistics.median(s), min(s)) for s in seconds]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--demo-db", default="/tmp/qualitylab-bench-demo.db")
    parser.add_argument("--baseline", help="an older checkout to time alongside (PYTHONPATH)")
    args = parser.parse_args()
    repo = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "COLUMNS": "100", "OMP_NUM_THREADS": "1", "PYTHONPATH": repo}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # users have bytecode caches; so do we
    envs = [env] + ([{**env, "PYTHONPATH": args.baseline}] if args.baseline else [])
    if not Path(args.demo_db).exists():
        subprocess.run([*QUALITYLAB, "demo", "--db", args.demo_db], env=env, check=True)
    fixes = [*QUALITYLAB, "fixes", "--db", args.demo_db]
    for each in envs:  # warm the clustering cache
        subprocess.run(fixes, stdout=subprocess.DEVNULL, env=each, check=True, cwd=NEUTRAL)

    cases: list[tuple[str, list[str], int]] = [
        ("python -c pass", [PY, "-c", "pass"], args.runs),
        ('python -c "import typer"', [PY, "-c", "import typer"], args.runs),
        ("qualitylab --help", [*QUALITYLAB, "--help"], args.runs),
        *((f"qualitylab {c} --help", [*QUALITYLAB, *c.split(), "--help"], 5) for c in COMMANDS),
        ("qualitylab fixes (demo lab, warm cache)", fixes, max(3, args.runs // 3)),
    ]
    header = f"{'case':<48} {'median s':>9} {'min s':>7}"
    print(header + (f" {'base med':>9} {'min':>7}" if args.baseline else ""))
    for name, argv, runs in cases:
        figures = timed(argv, runs, envs)
        print(
            f"{name:<48}" + "".join(f" {m:>9.3f} {least:>7.3f}" for m, least in figures),
            flush=True,
        )


if __name__ == "__main__":
    main()
