"""Are the same problems merged across Russian and English? Measured on the demo's problem bank.

Usage (from the repository root):
    .venv/bin/python -m benchmarks.cross_language

There is no labelled bilingual feedback among the shared data sets, so this uses the hand-written
paraphrases of ``qualitylab/services/demo_bank.yaml`` (written by this team, so a weaker check than
the real sets in ``clustering_quality``). Texts are clustered per journey, as ``qualitylab fixes``
does, with the shared glossary and the step context (`cluster_texts(context=...)`, which
`qualitylab fixes` passes) each on and off in the same run. Reported per setting:

- NMI / ARI against the problem (language ignored) and clusters found vs problems;
- bilingual problems merged: of the problems written in both languages, the share whose Russian
  and English texts mostly land in the same cluster;
- mixed-up clusters: clusters whose members mostly belong to different problems (purity < 0.5).
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from qualitylab.clustering import cluster_texts, features
from qualitylab.services.demo_bank import language_of, load_bank


def _scores(use_glossary: bool, use_context: bool = True) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    features.USE_GLOSSARY = use_glossary
    bank = load_bank()
    gold: list[str] = []
    pred: list[str] = []
    merged = bilingual = clusters = impure = problems = 0
    seconds = 0.0
    for journey in bank.journeys():
        bank_rows = [p for p in bank.problems if p.journey_id == journey]
        rows = [(p.id, t) for p in bank_rows for t in p.texts]
        steps = [p.step_id for p in bank_rows for _ in p.texts]
        start = time.perf_counter()
        # the step each text was written on is context, as in `qualitylab fixes`
        result = cluster_texts([t for _, t in rows], context=steps if use_context else None)
        seconds += time.perf_counter() - start
        labels = [result.labels[str(i)] for i in range(len(rows))]
        gold += [pid for pid, _ in rows]
        pred += [label or f"one-off-{journey}-{i}" for i, label in enumerate(labels)]
        clusters += len(result.clusters)
        problems += len({pid for pid, _ in rows})
        for cluster in result.clusters:
            owners = Counter(rows[int(m)][0] for m in cluster.members)
            impure += owners.most_common(1)[0][1] / cluster.size < 0.5
        by_problem: dict[str, dict[str, Counter[str]]] = {}
        for (pid, text), label in zip(rows, labels, strict=True):
            if label is not None:
                lang = language_of(text)
                by_problem.setdefault(pid, {}).setdefault(lang, Counter())[label] += 1
        for langs in by_problem.values():
            if len(langs) == 2:
                bilingual += 1
                top = {lang: c.most_common(1)[0][0] for lang, c in langs.items()}
                merged += top["ru"] == top["en"]
    return {
        "nmi": normalized_mutual_info_score(gold, pred),
        "ari": adjusted_rand_score(gold, pred),
        "clusters": clusters,
        "problems": problems,
        "merged": merged / max(bilingual, 1),
        "bilingual": bilingual,
        "impure": impure,
        "seconds": seconds,
    }


def _demo_scores() -> dict[str, float]:
    """The same measures on a generated demo lab (``qualitylab demo``'s data, seed 7).

    The generator perturbs the bank's texts (prefixes, suffixes, typos, second mentions) and
    records which problem every pain point came from, so this is the fix list's own input,
    clustered journey by journey with the step as context, exactly as ``qualitylab fixes`` does.
    """
    from datetime import UTC, datetime

    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from benchmarks._data import REPO
    from qualitylab.journeys import load_catalog
    from qualitylab.services.demo import build_demo

    features.USE_GLOSSARY = True  # as shipped, whatever the table above left set
    data = build_demo(
        load_catalog(REPO / "journeys.yaml"), seed=7, now=datetime(2026, 11, 1, tzinfo=UTC)
    )
    by_journey: dict[str, list[Any]] = {}
    for point in data.pain_points:
        by_journey.setdefault(point.journey_id, []).append(point)
    gold: list[str] = []
    pred: list[str] = []
    clusters = impure = merged = bilingual = 0
    problems: set[str] = set()
    for _journey, points in sorted(by_journey.items()):
        result = cluster_texts(
            [p.text for p in points],
            ids=[p.uuid for p in points],
            context=[p.step_id for p in points],
        )
        truth = [data.problem_of[p.uuid] or f"one-off-{p.uuid}" for p in points]
        label_of = {
            p.uuid: result.labels.get(p.uuid)
            or result.labels.get(result.duplicates.get(p.uuid, ""))
            for p in points
        }
        gold += truth
        pred += [label_of[p.uuid] or f"single-{p.uuid}" for p in points]
        clusters += len(result.clusters)
        problems |= {t for t in truth if not t.startswith("one-off-")}
        owner_of = dict(zip((p.uuid for p in points), truth, strict=True))
        for cluster in result.clusters:
            owners = Counter(owner_of[m] for m in cluster.members)
            impure += owners.most_common(1)[0][1] / cluster.size < 0.5
        langs: dict[str, dict[str, Counter[str]]] = {}
        for p, t in zip(points, truth, strict=True):
            if label_of[p.uuid] is not None and not t.startswith("one-off-"):
                lang = language_of(p.text)
                langs.setdefault(t, {}).setdefault(lang, Counter())[label_of[p.uuid]] += 1
        for per_lang in langs.values():
            if len(per_lang) == 2:
                bilingual += 1
                tops = {lang: c.most_common(1)[0][0] for lang, c in per_lang.items()}
                merged += tops["ru"] == tops["en"]
    return {
        "nmi": normalized_mutual_info_score(gold, pred),
        "ari": adjusted_rand_score(gold, pred),
        "clusters": clusters,
        "problems": len(problems),
        "merged": merged / max(bilingual, 1),
        "bilingual": bilingual,
        "impure": impure,
        "points": len(data.pain_points),
    }


def main() -> None:
    print(
        f"{'glossary, step':<15} {'NMI':>6} {'ARI':>6} {'clusters/problems':>18} "
        f"{'bilingual merged':>17} {'mixed-up':>9} {'secs':>6}"
    )
    for use, context in ((False, False), (True, False), (False, True), (True, True)):
        s = _scores(use, context)
        name = f"{'on' if use else 'off'}, {'on' if context else 'off'}"
        print(
            f"{name:<15} {s['nmi']:6.3f} {s['ari']:6.3f} "
            f"{int(s['clusters']):>8}/{int(s['problems']):<9} "
            f"{s['merged']:>9.0%} of {int(s['bilingual']):<4} {int(s['impure']):>9} "
            f"{s['seconds']:6.1f}"
        )
    d = _demo_scores()
    print(
        f"\ndemo lab ({int(d['points'])} pain points, glossary and step context on): "
        f"NMI {d['nmi']:.3f}  ARI {d['ari']:.3f}  clusters {int(d['clusters'])} for "
        f"{int(d['problems'])} problems  bilingual merged {d['merged']:.0%} of "
        f"{int(d['bilingual'])}  mixed-up {int(d['impure'])}"
    )


if __name__ == "__main__":
    main()
