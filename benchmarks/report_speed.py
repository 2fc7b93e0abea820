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

    def best(fn: Callable[[], object]) -> float:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    base = best(lambda: build_fix_report(lab))
    print(f"fixes (baseline):          {base:6.2f} s")
    model_time = best(lambda: build_report(lab))
    print(f"report model:              {model_time:6.2f} s  ({model_time / base:.2f} x fixes)")
    report = build_report(lab)
    for fmt in FORMATS:
        t0 = time.perf_counter()
        out = render(report, fmt)
        spent = time.perf_counter() - t0
        size = len(out if isinstance(out, bytes) else out.encode("utf-8"))
        total = model_time + spent
        print(
            f"report --format {fmt:<9} {total:6.2f} s  ({total / base:.2f} x fixes; render "
            f"{spent:.2f} s, {size / 1e6:.1f} MB)"
        )
    lab.close()


if __name__ == "__main__":
    main()
