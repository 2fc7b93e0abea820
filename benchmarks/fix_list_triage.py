"""Triage on the demo lab: do merge suggestions find the twins, and what tops the list?

Usage (from the repository root):
    OMP_NUM_THREADS=1 .venv/bin/python -m benchmarks.fix_list_triage

Builds the demo lab (``qualitylab demo``) in a temporary folder, then measures, each against a
plain baseline in the same run:

1. Merge suggestions. Issue 11 names five pairs of one problem listed twice on the demo's first
   screen. For each pair, where does each problem appear among the other's suggestions
   (``similar_problems``, top 5)? Baselines: the same similarity from report texts only (no
   suggested fixes), and what a product owner gets without suggestions: the problems of the same
   step in fix-list order.
2. The blocker group: how many problems rank above all others under the older rule
   (``blocker_share`` only) and the current one (``blocker_reach`` 10%, at least 2 walkers), and
   how many of the older group were one walker's blocker.

Problems are found by title words, not ids, so a new engine that renames them still measures.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from qualitylab.domain import FixItem
from qualitylab.fixlist.build import Scored
from qualitylab.fixlist.score import Weights
from qualitylab.fixlist.similar import similar_problems
from qualitylab.services import Lab
from qualitylab.services.fixes import score_fix_list

#: The five pairs of issue 11, by words of each problem's title (case-insensitive).
PAIRS = [
    ("не приходит код", "signing code never arrived"),
    ("never stopped loading", "нажала два раза"),
    ("swap says failed", "charged twice"),
    ("3-d secure", "bank sms code nothing happened"),
    ("связи не было", "звонки проходят"),
]
TOP = 5


def _find(scored: Scored, words: str) -> FixItem | None:
    return next((i for i in scored.items if words in i.cluster.title.lower()), None)


def _rank(ids: list[str], wanted: str) -> str:
    return str(ids.index(wanted) + 1) if wanted in ids else "-"


def _same_step_by_rank(scored: Scored, item: FixItem) -> list[str]:
    steps = set(item.steps)
    return [
        i.cluster.id
        for i in scored.items
        if i.cluster.id != item.cluster.id and steps & set(i.steps)
    ][:TOP]


def suggestions(scored: Scored) -> None:
    texts_only = [
        replace(p, texts=[r.text for r in scored.reports(scored.item(p.cluster_id))])  # type: ignore[arg-type]
        for p in scored.profiles()
    ]
    started = time.perf_counter()
    ours = scored.similar(n=TOP)
    took = time.perf_counter() - started
    plain = similar_problems(texts_only, n=TOP)
    rows, found = [], Counter[str]()
    for a_words, b_words in PAIRS:
        a, b = _find(scored, a_words), _find(scored, b_words)
        if a is None or b is None:
            rows.append(f"  {a_words!r} / {b_words!r}: not both on the list")
            continue
        ranks = {}
        for name, table in (
            ("suggestions", {k: [s.cluster_id for s in v] for k, v in ours.items()}),
            ("texts only", {k: [s.cluster_id for s in v] for k, v in plain.items()}),
            ("same step, list order", {
                i.cluster.id: _same_step_by_rank(scored, i) for i in (a, b)
            }),
        ):  # fmt: skip
            ab = _rank(table.get(a.cluster.id, []), b.cluster.id)
            ba = _rank(table.get(b.cluster.id, []), a.cluster.id)
            ranks[name] = f"{ab}/{ba}"
            found[name] += ab != "-" or ba != "-"
        rows.append(
            f"  #{a.rank:<3} {a.cluster.title[:28]:<28} #{b.rank:<3} {b.cluster.title[:28]:<28} "
            + "  ".join(f"{v:>5}" for v in ranks.values())
        )
    print(f"Merge suggestions (top {TOP}; rank of each twin in the other's list, a->b/b->a):")
    print("  " + " " * 66 + "  ours  texts  step")
    print("\n".join(rows))
    for name, n in found.items():
        print(f"  {name}: {n} of {len(PAIRS)} pairs found")
    print(f"  suggestions for all {len(scored.items)} problems: {took:.2f} s")


def blockers(lab: Lab) -> None:
    print("Blocker group (problems ranked above all others):")
    base = Weights()
    for label, weights in (
        ("older rule: blocker_share 25% only", replace(base, blocker_reach=0.0)),
        ("current: + blocker_reach 10%, >= 2 walkers", base),
        ("stricter: blocker_reach 15%", replace(base, blocker_reach=0.15)),
    ):
        scored = score_fix_list(lab, weights=weights)
        group = [i for i in scored.items if i.blocker]
        lone = sum(1 for i in group if scored.explain(i).blocking_walkers == 1)
        print(f"  {label:<44} {len(group):>3} of {len(scored.items)} ({lone} one walker's)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "demo.db")
        subprocess.run(
            [sys.executable, "-m", "qualitylab", "demo", "--db", db],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        lab = Lab.open(db=db)
        try:
            scored = score_fix_list(lab)
            suggestions(scored)
            blockers(lab)
        finally:
            lab.close()


if __name__ == "__main__":
    main()
