"""Issue 12's size clause with its noise: does a corpus group at least as well as a fifth of it?

Usage (from the repository root):
    OMP_NUM_THREADS=1 .venv/bin/python -m benchmarks.size_check [--sets clinc-all,ru] [--seeds 3]

For each large set it clusters the whole corpus and each of five *disjoint* stratified fifths
(every label split evenly, seed 7), each with ``--seeds`` Leiden seeds, and prints NMI, ARI and
AMI as mean and range. One fifth (``clustering_quality``'s ``clinc-fifth``/``ru-fifth``) is a
single draw; the five show how much a fifth's figures move by chance alone.

Why three measures: plug-in NMI of the *same* labelling falls as the scored corpus grows (its
mutual information is overestimated on few texts per group), so raw NMI favours the fifth by
construction; AMI subtracts the agreement expected by chance at that size and is the comparable
form; ARI counts pairs and weighs the large groups most. The whole corpus goes through the
large-corpus path (a clustered sample of ``engine.GRAPH_MAX`` texts, the rest joining its nearest
cluster), each fifth through the graph alone.
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections import defaultdict
from collections.abc import Sequence

from benchmarks._data import dataset
from benchmarks.clustering_quality import engine_run

FIFTHS = 5


def disjoint_fifths(gold: Sequence[str], seed: int = 7) -> list[list[int]]:
    """Five disjoint parts of the row positions, each holding a fifth of every label."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(gold):
        by_label[label].append(i)
    rng = random.Random(seed)
    parts: list[list[int]] = [[] for _ in range(FIFTHS)]
    offset = 0
    for key in sorted(by_label):
        idx = by_label[key][:]
        rng.shuffle(idx)
        for j, i in enumerate(idx):  # rotate the start so small labels do not pile up in part 0
            parts[(j + offset) % FIFTHS].append(i)
        offset += len(idx)
    return [sorted(p) for p in parts]


def measures(gold: Sequence[str], pred: Sequence[int]) -> tuple[float, float, float]:
    from sklearn.metrics import (
        adjusted_mutual_info_score,
        adjusted_rand_score,
        normalized_mutual_info_score,
    )

    return (
        normalized_mutual_info_score(gold, pred),
        adjusted_rand_score(gold, pred),
        adjusted_mutual_info_score(gold, pred),
    )


def _row(label: str, runs: list[tuple[float, float, float]], groups: list[int]) -> str:
    cells = []
    for j in range(3):
        vals = [r[j] for r in runs]
        cells.append(f"{statistics.mean(vals):.3f} [{min(vals):.3f}-{max(vals):.3f}]")
    return (
        f"{label:<24} {cells[0]:>21} {cells[1]:>21} {cells[2]:>21} {statistics.mean(groups):>7.0f}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="clinc-all,ru", help="comma-separated data sets")
    parser.add_argument("--seeds", type=int, default=3, help="Leiden seeds per corpus")
    args = parser.parse_args(argv)
    columns = "".join(f" {m + ' mean [range]':>21}" for m in ("NMI", "ARI", "AMI"))
    header = f"{'corpus':<24}{columns} {'groups':>7}"
    for name in args.sets.split(","):
        texts, gold = dataset(name)
        print(f"\n{name}: {len(texts):,} texts, {len(set(gold))} labels")
        print(header)
        parts = disjoint_fifths(gold)
        whole: list[tuple[float, float, float]] = []
        whole_groups: list[int] = []
        on_parts: list[tuple[float, float, float]] = []
        part_groups: list[int] = []
        for seed in range(args.seeds):
            pred, found, _alone, _secs = engine_run(texts, seed)
            whole.append(measures(gold, pred))
            whole_groups.append(found)
            for rows in parts:  # the same labelling, scored on a fifth's rows only
                on_parts.append(measures([gold[i] for i in rows], [pred[i] for i in rows]))
                part_groups.append(len({pred[i] for i in rows if pred[i] < found}))
        fifths: list[tuple[float, float, float]] = []
        fifth_groups: list[int] = []
        for rows in parts:
            part_texts, part_gold = [texts[i] for i in rows], [gold[i] for i in rows]
            for seed in range(args.seeds):
                pred, found, _alone, _secs = engine_run(part_texts, seed)
                fifths.append(measures(part_gold, pred))
                fifth_groups.append(found)
        print(_row(f"all {len(texts):,}", whole, whole_groups))
        print(_row("  the same, on each fifth", on_parts, part_groups))
        print(_row(f"5 fifths x {args.seeds} seeds", fifths, fifth_groups))
        for label, runs in (("all - fifths", whole), ("on the fifths - fifths", on_parts)):
            gaps = [_mean(runs, j) - _mean(fifths, j) for j in range(3)]
            print(f"{label:<24}" + "".join(f" {g:>+21.3f}" for g in gaps))


def _mean(runs: list[tuple[float, float, float]], j: int) -> float:
    return statistics.mean(r[j] for r in runs)


if __name__ == "__main__":
    main()
