"""The engine on the shared labelled data sets: the issue's quality targets, k chosen itself.

Slow (a few seconds each) and skipped when ``../shared/data`` is not there. One-offs are scored as
singleton clusters, as in ``benchmarks/clustering_quality.py``.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits

from qualitylab.clustering import cluster_texts

SHARED = Path(
    os.environ.get(
        "QUALITYLAB_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"
    )
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared data sets not found at {SHARED}"),
]


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    with threadpool_limits(1):
        yield


def _rows(name: str) -> list[dict[str, str]]:
    with (SHARED / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _scores(texts: list[str], gold: list[str]) -> tuple[float, float, int]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    result = cluster_texts(texts)
    pred: list[str] = []
    for i in range(len(texts)):
        label = result.labels[str(i)]
        pred.append(label if label is not None else f"one-off-{i}")
    return (
        normalized_mutual_info_score(gold, pred),
        adjusted_rand_score(gold, pred),
        len(result.clusters),
    )


def test_clinc150_test_split_beats_the_char_recipe_given_true_k() -> None:
    rows = [r for r in _rows("clinc150_inscope.csv") if r["split"] == "test"]
    nmi, ari, found = _scores([r["text"] for r in rows], [r["label"] for r in rows])
    assert nmi > 0.752
    assert ari > 0.410
    assert 105 <= found <= 195


def test_russian_appeals_beat_the_char_recipe_given_true_k() -> None:
    rows = _rows("ru_spb_appeals.csv")
    nmi, ari, found = _scores([r["text"] for r in rows], [r["label"] for r in rows])
    assert nmi > 0.412
    assert ari > 0.074
    assert 74 <= found <= 138
