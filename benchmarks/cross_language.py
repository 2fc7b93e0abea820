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

For the generated demo lab it also prints purity (the share of clustered pain points that belong to
their cluster's main problem: low = problems merged), inverse purity (the share that sit in their
problem's biggest cluster: low = problems split), and the purity of the largest clusters, which
are the ones a product owner reads first; and how well problems met on several steps stay one
(``_spread_scores``), the check against any rule that keeps steps apart.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from qualitylab.clustering import cluster_texts, features
from qualitylab.domain import Clustering
from qualitylab.services.demo_bank import language_of, load_bank


@dataclass
class _Tally:
    """The measures of one setting, added journey by journey."""

    gold: list[str] = field(default_factory=list)
    pred: list[str] = field(default_factory=list)
    problems: set[str] = field(default_factory=set)
    clusters: int = 0
    impure: int = 0
    bilingual: int = 0
    merged: int = 0
    #: per cluster: (members, members of its main problem)
    sizes: list[tuple[int, int]] = field(default_factory=list)
    #: per problem: (clustered members, members in its biggest cluster)
    spread: list[tuple[int, int]] = field(default_factory=list)

    def add(
        self,
        texts: list[str],
        truth: list[str | None],
        result: Clustering,
        keys: list[str] | None = None,
    ) -> None:
        """``truth[i]``: the problem of text ``i`` (None for a one-off); ``keys[i]`` its id in
        ``result`` (default "0", "1", ...)."""
        keys = keys or [str(i) for i in range(len(texts))]
        labels = [
            result.labels.get(k) or result.labels.get(result.duplicates.get(k, "")) for k in keys
        ]
        gold = [t or f"one-off-{len(self.gold) + i}" for i, t in enumerate(truth)]
        self.gold += gold
        self.pred += [label or f"single-{len(self.pred) + i}" for i, label in enumerate(labels)]
        self.problems |= {t for t in truth if t}
        self.clusters += len(result.clusters)
        owners: dict[str, Counter[str]] = {}
        by_problem: dict[str, dict[str, Counter[str]]] = {}
        for text, problem, owner, label in zip(texts, truth, gold, labels, strict=True):
            if label is None:
                continue
            owners.setdefault(label, Counter())[owner] += 1
            if problem is not None:
                by_problem.setdefault(problem, {}).setdefault(language_of(text), Counter())[
                    label
                ] += 1
        self.impure += sum(c.most_common(1)[0][1] / c.total() < 0.5 for c in owners.values())
        self.sizes += [(c.total(), c.most_common(1)[0][1]) for c in owners.values()]
        pieces: dict[str, Counter[str]] = {}
        for problem, label in zip(truth, labels, strict=True):
            if problem is not None and label is not None:
                pieces.setdefault(problem, Counter())[label] += 1
        self.spread += [(c.total(), c.most_common(1)[0][1]) for c in pieces.values()]
        for langs in by_problem.values():
            if len(langs) == 2:
                self.bilingual += 1
                top = {lang: c.most_common(1)[0][0] for lang, c in langs.items()}
                self.merged += top["ru"] == top["en"]

    def scores(self) -> dict[str, float]:
        from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

        return {
            "nmi": normalized_mutual_info_score(self.gold, self.pred),
            "ari": adjusted_rand_score(self.gold, self.pred),
            "clusters": self.clusters,
            "problems": len(self.problems),
            "merged": self.merged / max(self.bilingual, 1),
            "bilingual": self.bilingual,
            "impure": self.impure,
            "purity": _share(self.sizes),
            "inverse_purity": _share(self.spread),
            "top_purity": _share(sorted(self.sizes, reverse=True)[:TOP]),
        }


#: The clusters a product owner reads first: the largest ones.
TOP = 30


def _share(pairs: list[tuple[int, int]]) -> float:
    """Sum of the second numbers over the sum of the first (0 when empty)."""
    total = sum(n for n, _ in pairs)
    return sum(k for _, k in pairs) / total if total else 0.0


def _scores(use_glossary: bool, use_context: bool = True) -> dict[str, float]:
    features.USE_GLOSSARY = use_glossary
    bank = load_bank()
    tally = _Tally()
    seconds = 0.0
    for journey in bank.journeys():
        problems = [p for p in bank.problems if p.journey_id == journey]
        texts = [t for p in problems for t in p.texts]
        steps = [p.step_id for p in problems for _ in p.texts]
        start = time.perf_counter()
        # the step each text was written on is context, as in `qualitylab fixes`
        result = cluster_texts(texts, context=steps if use_context else None)
        seconds += time.perf_counter() - start
        tally.add(texts, [p.id for p in problems for _ in p.texts], result)
    return {**tally.scores(), "seconds": seconds}


def _demo_lab() -> Any:
    from datetime import UTC, datetime

    from benchmarks._data import REPO
    from qualitylab.journeys import load_catalog
    from qualitylab.services.demo import build_demo

    return build_demo(
        load_catalog(REPO / "journeys.yaml"), seed=7, now=datetime(2026, 11, 1, tzinfo=UTC)
    )


#: Unrelated real feedback added to every journey of the bilingual corpus, per language.
DISTRACTORS = 200


def _bilingual_scores() -> dict[str, float]:
    """A bilingual corpus from the demo lab and the shared data: per journey, the demo's pain
    points (Russian and English, with step, walker and suggested fix) plus ``DISTRACTORS``
    CLINC150 and ``DISTRACTORS`` St Petersburg texts each, real feedback that belongs to no
    problem of the lab (no step, no walker). Reported: the share of bilingual problems whose
    Russian and English reports share their main cluster, and the share of the shared-data
    texts that ended in a cluster with lab reports (false joins)."""
    import random

    from benchmarks._data import dataset

    features.USE_GLOSSARY = True
    data = _demo_lab()
    en, _ = dataset("clinc-heldout")
    ru, _ = dataset("ru-heldout")
    rng = random.Random(0)
    by_journey: dict[str, list[Any]] = {}
    for point in data.pain_points:
        by_journey.setdefault(point.journey_id, []).append(point)
    tally = _Tally()
    joined = outside = 0
    for _journey, points in sorted(by_journey.items()):
        extra = rng.sample(en, DISTRACTORS) + rng.sample(ru, DISTRACTORS)
        texts = [p.text for p in points] + extra
        ids = [p.uuid for p in points] + [f"x{i}" for i in range(len(extra))]
        result = cluster_texts(
            texts,
            ids=ids,
            context=[p.step_id for p in points] + [""] * len(extra),
            authors=[p.walker_uuid or p.walk_uuid for p in points] + [""] * len(extra),
            suggestions=[p.suggested_fix for p in points] + [""] * len(extra),
        )
        truth = [data.problem_of[p.uuid] for p in points] + [None] * len(extra)
        tally.add(texts, truth, result, ids)
        lab_clusters = {result.labels.get(p.uuid) for p in points} - {None}
        for i in range(len(extra)):
            outside += 1
            joined += result.labels.get(f"x{i}") in lab_clusters
    return {**tally.scores(), "false_joins": joined / max(outside, 1)}


def _demo_scores() -> dict[str, float]:
    """The same measures on a generated demo lab (``qualitylab demo``'s data, seed 7).

    The generator perturbs the bank's texts (prefixes, suffixes, typos, second mentions) and
    records which problem every pain point came from, so this is the fix list's own input,
    clustered journey by journey with the step as context and the walker as author, exactly as
    ``qualitylab fixes`` does.
    """
    data = _demo_lab()
    tally, cluster_of = _cluster_lab(data, {})
    together = sum(
        _main_cluster(data.pain_points, cluster_of, a)
        == _main_cluster(data.pain_points, cluster_of, b)
        is not None
        for a, b in ISSUE_11_PAIRS
    )
    return {**tally.scores(), "points": len(data.pain_points), "pairs": together}


def _cluster_lab(data: Any, step_of: dict[str, str]) -> tuple[_Tally, dict[str, str | None]]:
    """The demo lab clustered journey by journey as ``qualitylab fixes`` does (step as context,
    walker as author, suggested fix); ``step_of`` overrides a pain point's step. Returns the
    tally and each pain point's cluster (a collapsed copy: its original's)."""
    features.USE_GLOSSARY = True  # as shipped, whatever the table above left set
    by_journey: dict[str, list[Any]] = {}
    for point in data.pain_points:
        by_journey.setdefault(point.journey_id, []).append(point)
    tally = _Tally()
    cluster_of: dict[str, str | None] = {}
    for _journey, points in sorted(by_journey.items()):
        texts = [p.text for p in points]
        ids = [p.uuid for p in points]
        result = cluster_texts(
            texts,
            ids=ids,
            context=[step_of.get(p.uuid, p.step_id) for p in points],
            authors=[p.walker_uuid or p.walk_uuid for p in points],
            suggestions=[p.suggested_fix for p in points],
        )
        tally.add(texts, [data.problem_of[p.uuid] for p in points], result, ids)
        for p in points:
            cluster_of[p.uuid] = result.labels.get(p.uuid) or result.labels.get(
                result.duplicates.get(p.uuid, "")
            )
    return tally, cluster_of


def _spread_scores() -> dict[str, float]:
    """Problems met on several steps (the app is slow everywhere, a banner on every screen): in
    the demo lab every problem belongs to one step, which flatters any rule that keeps steps
    apart. Here a third of each journey's problems (drawn with seed 0) have each of their pain
    points moved to a step of the journey drawn at random, and the lab is clustered with and
    without the move. Reported for those problems: the share of their clustered pain points in
    their main cluster (1 = each is still one problem), before and after the move."""
    import random

    data = _demo_lab()
    rng = random.Random(0)
    steps_of: dict[str, list[str]] = {}
    problems_of: dict[str, set[str]] = {}
    for point in data.pain_points:
        steps_of.setdefault(point.journey_id, []).append(point.step_id)
        if data.problem_of[point.uuid]:
            problems_of.setdefault(point.journey_id, set()).add(data.problem_of[point.uuid])
    moved: set[str] = set()
    for _journey, problems in sorted(problems_of.items()):
        moved |= set(rng.sample(sorted(problems), max(1, len(problems) // 3)))
    step_of: dict[str, str] = {}
    for point in data.pain_points:
        if data.problem_of[point.uuid] in moved:
            step_of[point.uuid] = rng.choice(sorted(set(steps_of[point.journey_id])))
    out: dict[str, float] = {"moved": len(moved)}
    for name, override in (("kept", {}), ("spread", step_of)):
        tally, cluster_of = _cluster_lab(data, override)
        pieces: dict[str, Counter[str]] = {}
        for point in data.pain_points:
            problem, label = data.problem_of[point.uuid], cluster_of[point.uuid]
            if problem in moved and label is not None:
                pieces.setdefault(problem, Counter())[label] += 1
        out[name] = _share([(c.total(), c.most_common(1)[0][1]) for c in pieces.values()])
        scores = tally.scores()
        out[f"{name}_ari"], out[f"{name}_purity"] = scores["ari"], scores["purity"]
    return out


#: The five problems issue 11 found listed twice in the demo's top 20, each as two wordings of
#: the bank (the Russian and English one, or two wordings of one failure).
ISSUE_11_PAIRS = (
    ("Не приходит код", "signing code never arrived"),
    ("app never stopped loading", "нажала два раза — две заявки"),
    ("Swap says failed", "got charged twice"),
    ("3-D Secure зациклился", "stuck on a white page"),
    ("Звонки проходят, а SMS нет", "no service for 6 hours on the porting day"),
)


def _main_cluster(points: list[Any], cluster_of: dict[str, str | None], phrase: str) -> str | None:
    """The cluster most pain points containing ``phrase`` ended in (None: mostly one-offs)."""
    votes = Counter(cluster_of[p.uuid] for p in points if phrase.lower() in p.text.lower())
    return votes.most_common(1)[0][0] if votes else None


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
        f"{int(d['bilingual'])}  mixed-up {int(d['impure'])}\n"
        f"  purity {d['purity']:.3f} (members in their cluster's main problem), inverse purity "
        f"{d['inverse_purity']:.3f} (members in their problem's biggest cluster), purity of the "
        f"{TOP} largest clusters {d['top_purity']:.3f}\n"
        f"  clusters per problem {d['clusters'] / max(d['problems'], 1):.2f}; issue 11's five "
        f"pairs in one cluster: {int(d['pairs'])} of {len(ISSUE_11_PAIRS)}"
    )
    m = _spread_scores()
    print(
        f"\nproblems met on several steps ({int(m['moved'])} of the demo's problems, each pain "
        f"point moved to a random step of its journey): their pain points in their main cluster "
        f"{m['kept']:.3f} on their own step, {m['spread']:.3f} spread; the whole lab's ARI "
        f"{m['kept_ari']:.3f} -> {m['spread_ari']:.3f}, purity {m['kept_purity']:.3f} -> "
        f"{m['spread_purity']:.3f}"
    )
    b = _bilingual_scores()
    print(
        f"\nbilingual corpus (demo lab + {DISTRACTORS} CLINC150 and {DISTRACTORS} Russian "
        f"appeals per journey): Russian and English of one problem in one cluster for "
        f"{b['merged']:.0%} of {int(b['bilingual'])} bilingual problems; shared-data texts "
        f"joined to a lab problem: {b['false_joins']:.1%}; purity {b['purity']:.3f}, "
        f"inverse purity {b['inverse_purity']:.3f}"
    )


if __name__ == "__main__":
    main()
