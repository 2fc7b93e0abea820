"""How long ``qualitylab report`` takes next to ``qualitylab fixes`` on the same lab.

The baseline is the fix list itself (``build_fix_report``), timed in the same process on the same
lab, after one warm-up run that clusters and stores the runs (both commands reuse them). The issue's
target: a report of a lab with 100,000 pain points takes at most twice as long as ``fixes``.

    OMP_NUM_THREADS=1 .venv/bin/python -m benchmarks.report_speed --pain-points 100000

The lab is built from repeated demo seeds (2,314 pain points each) and kept at --db for reruns.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable


def build_lab(db: str, target: int) -> None:
    """The demo lab grown to ``target`` pain points (~9.6 per walk, 20 walks per walker)."""
    from qualitylab.services.demo import run_demo
    from qualitylab.services.lab import Lab

    lab = Lab.open(db=db)
    with lab.store.unit(read_only=True) as unit:
        have = unit.counts()["pain_points"]
    if have < target:
        walks = int(target / 9.6) + 1
        run_demo(lab, seed=11, walks=walks, walkers=max(48, walks // 20), force=True)
    lab.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pain-points", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/qualitylab-report-bench.db")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    from qualitylab.reports.render import FORMATS, render
    from qualitylab.services.fixes import build_fix_report
    from qualitylab.services.lab import Lab
    from qualitylab.services.reports import build_report

    t = time.perf_counter()
    build_lab(args.db, args.pain_points)
    print(f"lab ready in {time.perf_counter() - t:.1f} s ({args.db})")
    lab = Lab.open(db=args.db)
    t = time.perf_counter()
    fixes = build_fix_report(lab)
    print(
        f"first fixes (clusters, then stores the runs): {time.perf_counter() - t:.1f} s; "
        f"{fixes.reports:,} pain points, {len(fixes.items):,} problems"
    )

    def best(fn: Callable[[], object]) -> tuple[float, float]:
        """Best wall-clock and best CPU time of ``--repeat`` runs (CPU time is what to compare
        on a shared machine: other processes' load does not count in it)."""
        wall, cpu = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        return min(wall), min(cpu)

    base, base_cpu = best(lambda: build_fix_report(lab))
    print(f"{'':26}{'wall':>8}{'cpu':>8}  cpu vs fixes")
    print(f"{'fixes (baseline)':26}{base:8.2f}{base_cpu:8.2f}")
    model, model_cpu = best(lambda: build_report(lab))
    print(f"{'report model':26}{model:8.2f}{model_cpu:8.2f}  {model_cpu / base_cpu:.2f} x")
    report = build_report(lab)
    for fmt in FORMATS:
        out: str | bytes = b""

        def once(fmt: str = fmt) -> None:
            nonlocal out
            out = render(report, fmt)

        spent, spent_cpu = best(once)
        size = len(out if isinstance(out, bytes) else out.encode("utf-8"))
        wall, cpu = model + spent, model_cpu + spent_cpu
        print(
            f"{'report --format ' + fmt:26}{wall:8.2f}{cpu:8.2f}  {cpu / base_cpu:.2f} x "
            f"(render {spent_cpu:.2f} s, {size / 1e6:.1f} MB)"
        )
    lab.close()


if __name__ == "__main__":
    main()
