"""How long until a walker can use the home screen, as a whole process in a real terminal (pty).

Each run starts ``python -m qualitylab walk`` (the command a walker types, on the bundled
catalog) in an 80x24 pseudo-terminal and reads what it draws until a marker appears; the clock
stops there. Compared in the same run against:

* ``python -c pass``            - interpreter start-up alone;
* a bare Textual ``App``        - the floor any Textual app pays (import + first frame);
* the walk app, three milestones - "first frame", "journeys listed" (usable: filter, open a
  journey) and "progress shown" (the walker's own walks read from the database), on an existing
  database and, for the last, on a brand-new one (first launch creates and migrates it).

With ``--baseline /path/to/older/checkout`` every walk case also runs that checkout's code
(``PYTHONPATH``), alternating run by run, so both see the same load on a shared machine.

Run: ``.venv/bin/python benchmarks/tui_startup.py [--runs 7] [--baseline DIR] [--journeys FILE]``.
Prints medians and minima.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "qualitylab" / "journeys.yaml"
#: The bundled catalog's first journey and the home screen's words for "no walk yet".
LISTED, PROGRESS = b"Get an eSIM with a new number", b"not started"
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[@-_]")

BARE_APP = """
from textual.app import App
from textual.widgets import Label
class Bare(App[None]):
    def compose(self):
        yield Label("bare-ready")
Bare().run()
"""


def time_until(
    argv: list[str], marker: bytes | tuple[bytes, ...], env: dict[str, str], timeout: float = 30.0
) -> float:
    """Seconds from spawn until (any) ``marker`` is on screen; the process is then told to quit."""
    markers = marker if isinstance(marker, tuple) else (marker,)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(  # not from the checkout: `-m` puts the working folder on sys.path
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True, cwd=env["HOME"]
    )
    os.close(slave)
    seen = b""
    elapsed = float("nan")
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            text = ANSI.sub(b"", seen)
            if any(m in text for m in markers):
                elapsed = time.perf_counter() - start
                break
        os.write(master, b"\x11")  # ctrl+q
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    finally:
        os.close(master)
    if elapsed != elapsed:  # NaN: never appeared
        tail = ANSI.sub(b"", seen)[-400:].decode(errors="replace")
        raise RuntimeError(f"marker {marker!r} never appeared; last output: {tail}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", help="an older checkout to time alongside (PYTHONPATH)")
    parser.add_argument("--journeys", default=str(CATALOG), help="catalog (default: bundled)")
    parser.add_argument("--listed", default=LISTED.decode(), help="text of its first journey")
    args = parser.parse_args()
    listed = args.listed.encode()

    work = Path(tempfile.mkdtemp(prefix="ql-bench-"))
    env = {
        **os.environ,
        "HOME": str(work),
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
        "QUALITYLAB_CONFIG_DIR": str(work / "config"),
        "QUALITYLAB_DATA_DIR": str(work / "data"),
        "PYTHONPATH": str(REPO),
    }
    for name in ("TEXTUAL", "QUALITYLAB_DB", "QUALITYLAB_JOURNEYS", "QUALITYLAB_LANG"):
        env.pop(name, None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a walker's laptop has bytecode caches; so do we
    versions = {"": env}
    if args.baseline:
        versions["before: "] = {**env, "PYTHONPATH": str(Path(args.baseline).resolve())}
    py = sys.executable
    # one "existing" database per version: an older checkout cannot open a newer schema
    existing = {label: str(work / f"existing-{n}.db") for n, label in enumerate(versions)}

    def walk_argv(db: str) -> list[str]:
        return [py, "-m", "qualitylab", "walk", "--db", db, "--journeys", args.journeys,
                "--lang", "en", "--as", "Bench Walker"]  # fmt: skip

    # warm caches (bytecode, page cache) and create the "existing" database once
    for label, each in versions.items():
        time_until(walk_argv(existing[label]), PROGRESS, each)
    time_until([py, "-c", BARE_APP], b"bare-ready", env)

    cases: dict[str, list[float]] = {}

    def record(name: str, seconds: float) -> None:
        cases.setdefault(name, []).append(seconds)

    for run in range(args.runs):
        record("python -c pass", _time_pass(py, env))
        record(
            "bare Textual App, first frame", time_until([py, "-c", BARE_APP], b"bare-ready", env)
        )
        for label, each in versions.items():
            existing_db = existing[label]
            first = (b"Loading journeys", listed)
            record(f"{label}walk: first frame", time_until(walk_argv(existing_db), first, each))
            record(
                f"{label}walk: journeys listed", time_until(walk_argv(existing_db), listed, each)
            )
            record(
                f"{label}walk: progress shown",
                time_until(walk_argv(existing_db), PROGRESS, each),
            )
            fresh = str(work / f"fresh-{len(label)}-{run}.db")
            record(
                f"{label}walk: progress shown (new db)",
                time_until(walk_argv(fresh), PROGRESS, each),
            )

    print(f"start-up, whole process in an 80x24 pty, {args.runs} runs (seconds)")
    print(f"{'case':<44} {'median':>8} {'min':>8}")
    for name, values in cases.items():
        print(f"{name:<44} {statistics.median(values):8.3f} {min(values):8.3f}")
    bare = statistics.median(cases["bare Textual App, first frame"])
    usable = statistics.median(cases["walk: journeys listed"])
    print(f"walk app over bare Textual App (journeys listed): +{usable - bare:.3f} s")
    print(f"load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    shutil.rmtree(work, ignore_errors=True)


def _time_pass(py: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([py, "-c", "pass"], env=env, check=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
