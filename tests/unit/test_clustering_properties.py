"""Any list of strings clusters without error and every input is accounted for exactly once."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from qualitylab.clustering import cluster_texts
from qualitylab.domain import Clustering


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    with threadpool_limits(1):
        yield


def assert_accounted_for(ids: list[str], result: Clustering) -> None:
    assert set(result.labels) == set(ids)
    members = [m for c in result.clusters for m in c.members]
    assert len(members) == len(set(members)), "a text is in two clusters"
    assert set(members).isdisjoint(result.unclustered)
    assert sorted(members + list(result.unclustered)) == sorted(ids)
    for cluster in result.clusters:
        assert cluster.size >= 2
        assert all(result.labels[m] == cluster.id for m in cluster.members)
        assert 1 <= len(cluster.quotes) <= 3
    assert all(result.labels[i] is None for i in result.unclustered)
    assert len({c.id for c in result.clusters}) == len(result.clusters)
    for dup, original in result.duplicates.items():
        assert dup in result.labels and original in result.labels
        assert result.labels[dup] == result.labels[original]


words = st.sampled_from(
    ["QR", "код", "price", "цена", "the", "и", "не", "never", "😀", "!!!", "sms", "курьер", "ёж"]
)
texts_strategy = st.one_of(
    st.lists(st.text(max_size=40), max_size=25),
    st.lists(st.lists(words, max_size=6).map(" ".join), max_size=40),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=texts_strategy, seed=st.integers(0, 3))
def test_any_strings_are_accounted_for(texts: list[str], seed: int) -> None:
    ids = [f"id{i}" for i in range(len(texts))]
    assert_accounted_for(ids, cluster_texts(texts, ids=ids, seed=seed))


@pytest.mark.parametrize(
    "texts",
    [
        [],
        ["one text"],
        ["same complaint"] * 20,
        ["the and of", "и в на", "the", "не и"],
        ["😀", "🙂🙂", "!!!", "...", "👍 👍", ""],
        ["", "", "   "],
        ["https://example.com/x", "call 555-1234", "42"],
    ],
    ids=["empty", "one", "identical", "stop-words", "emoji", "blank", "urls-numbers"],
)
def test_degenerate_inputs(texts: list[str]) -> None:
    ids = [str(i) for i in range(len(texts))]
    result = cluster_texts(texts)
    assert_accounted_for(ids, result)


def test_ten_thousand_distinct_random_strings() -> None:
    rng = random.Random(0)
    alphabet = string.ascii_lowercase + "абвгдеёжзийклмнопрстуфхцчшщыэюя  "
    texts = list(
        {"".join(rng.choice(alphabet) for _ in range(rng.randint(5, 40))) for _ in range(10_000)}
    )
    ids = [str(i) for i in range(len(texts))]
    result = cluster_texts(texts)
    assert_accounted_for(ids, result)


def test_a_group_whose_members_all_turn_out_one_offs() -> None:
    """Found by hypothesis: dropping a one-off can leave no cluster at all."""
    result = cluster_texts(["QR", "QR код код код"])
    assert_accounted_for(["0", "1"], result)
