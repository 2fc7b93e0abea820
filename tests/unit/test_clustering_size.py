"""Issue 12: grouping holds as the corpus grows, on a corpus the test builds.

Each of 12 made-up problems has its own small vocabulary, three words of it shared with the
next problem; every text draws four of its problem's words and two that all problems use.
With the graph limited to 300
texts (``engine.GRAPH_MAX``), 1,500 texts go through the large-corpus path (a clustered
sample, the rest joining the nearest cluster) and a fifth of them through the whole graph:
the bigger corpus must score at least as well (within noise) and find about as many problems.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from sklearn.metrics import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    normalized_mutual_info_score,
)
from threadpoolctl import threadpool_limits

from qualitylab.clustering import cluster_texts, engine
from qualitylab.domain import Clustering

PROBLEMS = 12
SYLLABLES = ["ka", "lo", "mi", "ru", "te", "vo", "zi", "pa", "ne", "so", "du", "gri"]
CYRILLIC = ["ка", "ло", "ми", "ру", "те", "во", "зи", "па", "не", "со", "ду", "гри"]


@pytest.fixture(autouse=True)
def _small_graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(engine, "GRAPH_MAX", 300)
    with threadpool_limits(1):
        yield


def _word(rng: random.Random, syllables: list[str]) -> str:
    return "".join(rng.choice(syllables) for _ in range(3))


def corpus(
    n: int,
    seed: int = 0,
    own: int = 4,
    common: int = 2,
    problems: int = PROBLEMS,
    syllables: list[str] = SYLLABLES,
) -> tuple[list[str], list[int]]:
    """``n`` texts, each ``own`` words of its problem's vocabulary and ``common`` shared ones."""
    rng = random.Random(1)  # the same problems for every size
    words_of = [[_word(rng, syllables) for _ in range(8)] for _ in range(problems)]
    # neighbouring problems share three words, as sister problems of one step do
    vocab = [words_of[p] + words_of[(p + 1) % problems][:3] for p in range(problems)]
    shared = [_word(rng, syllables) for _ in range(10)]
    rng = random.Random(seed)
    texts, gold = [], []
    for i in range(n):
        p = i % problems
        words = rng.sample(vocab[p], own) + rng.sample(shared, common)
        rng.shuffle(words)
        texts.append(" ".join(words))
        gold.append(p)
    return texts, gold


def _predicted(texts: list[str], result: Clustering) -> list[int]:
    """A label per text; each one-off its own label."""
    index = {c.id: j for j, c in enumerate(result.clusters)}
    return [index.get(result.labels[str(i)] or "", len(index) + i) for i in range(len(texts))]


def _scores(texts: list[str], gold: list[int], result: Clustering) -> tuple[float, float]:
    pred = _predicted(texts, result)
    return normalized_mutual_info_score(gold, pred), adjusted_rand_score(gold, pred)


def test_all_texts_group_at_least_as_well_as_a_fifth_of_them() -> None:
    texts, gold = corpus(1_500)
    fifth = cluster_texts(texts[::5])
    whole = cluster_texts(texts)
    nmi_fifth, ari_fifth = _scores(texts[::5], gold[::5], fifth)
    nmi_all, ari_all = _scores(texts, gold, whole)
    assert nmi_all >= nmi_fifth - 0.02 and ari_all >= ari_fifth - 0.02
    assert nmi_all >= 0.8
    # as many problems found in all texts as in the fifth, and never far from the truth
    assert 0.7 * len(fifth.clusters) <= len(whole.clusters) <= 1.3 * len(fifth.clusters)
    for result in (fifth, whole):
        assert 0.7 * PROBLEMS <= len(result.clusters) <= 1.5 * PROBLEMS


@pytest.mark.xfail(
    strict=True,
    reason="issue 12 size target not met on this corpus by ARI: with three words per text all "
    "texts score 0.037 ARI below the fifth this test takes (0.022 below the mean of five fifths "
    "over 3 corpora x 5 seeds), while their AMI is higher in every run (next test); "
    "benchmarks/README.md, issue 12 fourth look",
)
def test_a_harder_corpus_also_groups_as_well_with_all_texts() -> None:
    texts, gold = corpus(1_500, own=3, common=3)
    _, ari_fifth = _scores(texts[::5], gold[::5], cluster_texts(texts[::5]))
    _, ari_all = _scores(texts, gold, cluster_texts(texts))
    assert ari_all >= ari_fifth - 0.02


def _ami(texts: list[str], gold: list[int], result: Clustering) -> float:
    return float(adjusted_mutual_info_score(gold, _predicted(texts, result)))


def test_a_harder_corpus_carries_more_information_with_all_texts() -> None:
    """AMI (mutual information less what chance gives at that size, so comparable across sizes;
    plug-in NMI is not) of all 1,500 texts is above the mean of the five fifths: the texts that
    join the sample's clusters are placed better than chance would explain away. Measured over
    3 corpora x 5 seeds: all - fifths = +0.007 to +0.044 (benchmarks/README.md)."""
    texts, gold = corpus(1_500, own=3, common=3)
    fifths = [_ami(texts[o::5], gold[o::5], cluster_texts(texts[o::5])) for o in range(5)]
    assert _ami(texts, gold, cluster_texts(texts)) >= sum(fifths) / len(fifths)


def test_two_unrelated_corpora_in_two_languages_group_as_each_would_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file of English and Russian feedback that share no problem (``mixed`` in the
    benchmarks): modularity weighs every join against the whole file, so each language alone
    was clustered as coarsely as one corpus of both sizes (72 groups for 120, where each
    language alone finds 51 and 50; each language's ARI 0.15 below its own). Each language still
    shares its LSA with the other, which costs up to 0.06 ARI on seeds 0 / 2 / 4."""
    monkeypatch.setattr(engine, "GRAPH_MAX", 5_000)  # the whole graph: the sample would hide it
    en, en_gold = corpus(900, problems=60)
    ru, ru_gold = corpus(900, seed=1, problems=60, syllables=CYRILLIC)
    alone = [cluster_texts(en), cluster_texts(ru)]
    both = cluster_texts(en + ru)
    assert len(both.clusters) >= 0.9 * sum(len(r.clusters) for r in alone)
    pred = _predicted(en + ru, both)
    for (texts, gold, result), half in zip(
        [(en, en_gold, alone[0]), (ru, ru_gold, alone[1])],
        [pred[: len(en)], pred[len(en) :]],
        strict=True,
    ):
        assert adjusted_rand_score(gold, half) >= _scores(texts, gold, result)[1] - 0.08


def test_a_large_corpus_clusters_the_same_every_time_in_any_order() -> None:
    texts, _ = corpus(900, seed=3)
    base = cluster_texts(texts)
    assert cluster_texts(texts) == base
    order = list(range(len(texts)))
    random.Random(4).shuffle(order)
    shuffled = cluster_texts([texts[i] for i in order], ids=[str(i) for i in order])
    assert {c.id: set(c.members) for c in shuffled.clusters} == {
        c.id: set(c.members) for c in base.clusters
    }


#: One request in three fixed wordings, each written three times (as CLINC150's crowd did), in
#: words no problem of ``corpus`` uses; and one unrelated repeated note.
WORDINGS = ["zorkel blipper quantel", "blipper zorkel", "quantel blipper wexo zorkel"]
UNRELATED = "frobnitz glorp"


def _with_repeats(steps: list[str] | None = None) -> tuple[list[str], list[str]]:
    texts, _ = corpus(900, seed=5)
    extra = [w for w in WORDINGS for _ in range(3)] + [UNRELATED] * 3
    context = ["step"] * len(texts) + (steps or ["step"] * len(extra))
    return texts + extra, context


def _cluster_of(result: Clustering, text_index: int) -> str | None:
    return result.labels[str(text_index)]


def test_wordings_of_one_request_each_repeated_are_one_problem() -> None:
    """CLINC150 all rows: 107 of 231 groups were single wordings repeated three times, several
    of them wordings of one request ("you are correct", "that's correct")."""
    texts, context = _with_repeats()
    result = cluster_texts(texts, context=context)
    first = len(texts) - 12
    owners = {_cluster_of(result, first + j) for j in range(9)}
    assert len(owners) == 1 and None not in owners
    unrelated = _cluster_of(result, first + 9)
    assert unrelated is not None and unrelated not in owners


def test_wordings_repeated_on_different_steps_stay_apart() -> None:
    steps = ["a"] * 3 + ["b"] * 3 + ["a"] * 3 + ["a"] * 3
    texts, context = _with_repeats(steps)
    result = cluster_texts(texts, context=context)
    first = len(texts) - 12
    assert _cluster_of(result, first) == _cluster_of(result, first + 6)
    assert _cluster_of(result, first) != _cluster_of(result, first + 3)
