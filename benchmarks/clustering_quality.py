"""Clustering quality on real labelled texts: qualitylab's engine vs plain scikit-learn recipes.

Usage (from the repository root):
    OMP_NUM_THREADS=1 .venv/bin/python -m benchmarks.clustering_quality [--sets clinc-test,ru]

Per data set it prints NMI, ARI, clusters found vs true, the unclustered share and wall time for
qualitylab's engine (which chooses k itself) and, in the same run, for the recipes
TF-IDF (words, or char_wb 2-5) -> TruncatedSVD(100) -> Normalizer -> KMeans *given the true k*.

Scoring of one-offs: every text the engine leaves unclustered is scored as its own singleton
cluster (the honest choice: a one-off never matches its gold class-mates). The figures with
unclustered texts left out entirely are printed too, marked "clustered only". For a large set
with a fifth (``clinc-all``, ``ru``), the same run is also scored on the fifth's own rows: NMI
falls as the scored corpus grows even for the same clustering (issue 12, benchmarks/README.md),
so that line compares the two sizes like for like.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from benchmarks._data import DATASETS, FIFTH_OF, dataset, fifth_rows

#: (stem-block weight, character-block weight) for --variant; "both" is what the product ships.
VARIANTS = {"both": (1.0, 1.0), "stems": (1.0, 0.0), "chars": (0.0, 1.0)}


def score(gold: Sequence[str], pred: Sequence[int]) -> tuple[float, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return normalized_mutual_info_score(gold, pred), adjusted_rand_score(gold, pred)


def engine_run(texts: list[str], seed: int) -> tuple[list[int], int, int, float]:
    """Predicted label per text (one-offs get their own label), clusters, one-offs, seconds."""
    from qualitylab.clustering import cluster_texts

    start = time.perf_counter()
    result = cluster_texts(texts, seed=seed)
    seconds = time.perf_counter() - start
    index = {c.id: i for i, c in enumerate(result.clusters)}
    pred: list[int] = []
    singleton = len(index)
    for i in range(len(texts)):
        label = result.labels[str(i)]
        if label is None:
            pred.append(singleton)
            singleton += 1
        else:
            pred.append(index[label])
    return pred, len(result.clusters), len(result.unclustered), seconds


def recipe_run(texts: list[str], k: int, analyzer: str, seed: int) -> tuple[list[int], float]:
    """The plain scikit-learn LSA + KMeans recipe, given the true k."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    start = time.perf_counter()
    if analyzer == "word":
        vec = TfidfVectorizer(sublinear_tf=True, min_df=2)
    else:
        vec = TfidfVectorizer(sublinear_tf=True, min_df=2, analyzer="char_wb", ngram_range=(2, 5))
    lsa = make_pipeline(TruncatedSVD(100, random_state=seed), Normalizer(copy=False))
    z = lsa.fit_transform(vec.fit_transform(texts))
    labels = KMeans(n_clusters=k, random_state=seed, n_init=1).fit_predict(z)
    return [int(x) for x in labels], time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(DATASETS), help="comma-separated data sets")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-baselines", action="store_true", help="engine only")
    parser.add_argument(
        "--variant",
        choices=sorted(VARIANTS),
        default="both",
        help="features the engine uses (ablation: stems only, character n-grams only, both)",
    )
    args = parser.parse_args(argv)
    from qualitylab.clustering import features

    features.WORD_WEIGHT, features.CHAR_WEIGHT = VARIANTS[args.variant]
    header = (
        f"{'data set':<14} {'method':<38} {'NMI':>6} {'ARI':>6} {'found/true':>11} "
        f"{'unclust':>8} {'secs':>6}"
    )
    print(header)
    print("-" * len(header))
    for name in args.sets.split(","):
        texts, gold = dataset(name)
        k = len(set(gold))
        pred, found, alone, secs = engine_run(texts, args.seed)
        nmi, ari = score(gold, pred)
        share = alone / len(texts)
        print(
            f"{name:<14} {'qualitylab (' + args.variant + ', k chosen)':<38} {nmi:6.3f} {ari:6.3f} "
            f"{f'{found}/{k}':>11} {share:8.1%} {secs:6.1f}"
        )
        kept = [i for i, p in enumerate(pred) if p < found]
        if kept and alone:
            nmi_c, ari_c = score([gold[i] for i in kept], [pred[i] for i in kept])
            print(f"{'':<14} {'  clustered only':<38} {nmi_c:6.3f} {ari_c:6.3f}")
        if name in FIFTH_OF:  # like for like: this run's labels on the rows its fifth holds
            rows = fifth_rows(name)
            nmi_f, ari_f = score([gold[i] for i in rows], [pred[i] for i in rows])
            label = f"  on {FIFTH_OF[name]}'s {len(rows):,} rows"
            print(f"{'':<14} {label:<38} {nmi_f:6.3f} {ari_f:6.3f}")
        if args.no_baselines:
            continue
        for analyzer in ("word", "char_wb"):
            labels, secs = recipe_run(texts, k, analyzer, args.seed)
            nmi, ari = score(gold, labels)
            method = f"{analyzer} TF-IDF+SVD100+KMeans (true k)"
            true_k = f"{k}/{k}"
            row = f"{nmi:6.3f} {ari:6.3f} {true_k:>11} {0:8.1%} {secs:6.1f}"
            print(f"{name:<14} {method:<38} {row}")


if __name__ == "__main__":
    main()
