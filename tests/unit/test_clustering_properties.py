"""Any list of strings clusters without error and every input is accounted for exactly once."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from typing import Any

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


PLACE_WORDS = ["qr", "code", "price", "цена", "payment", "sms", "courier", "курьер", "screen"]
PLACE_WORDS += ["white", "stuck", "page", "bank", "browser", "slow", "button", "never", "came"]
FIXES = ["show the full price early", "send the sms code again", "make the white page load faster"]


def assert_order_invariant(
    texts: list[str], context: list[str], fixes: list[str], seed: int
) -> None:
    """Shuffled with their steps and suggested fixes, the texts group the same: the paths engine
    v12 added (same fix on two steps: ``Kin``; the cut along a step: ``split_at_places``) run
    only with several steps and suggestions, which the other shuffle tests do not give."""
    ids = [str(i) for i in range(len(texts))]
    base = cluster_texts(texts, ids=ids, context=context, suggestions=fixes)
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    shuffled = cluster_texts(
        [texts[i] for i in order],
        ids=[ids[i] for i in order],
        context=[context[i] for i in order],
        suggestions=[fixes[i] for i in order],
    )
    assert {frozenset(c.members) for c in shuffled.clusters} == {
        frozenset(c.members) for c in base.clusters
    }
    assert [c.id for c in shuffled.clusters] == [c.id for c in base.clusters]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.lists(st.sampled_from(PLACE_WORDS), min_size=2, max_size=6).map(" ".join),
            st.sampled_from(["pay", "offer", "sms", ""]),
            st.sampled_from([*FIXES, ""]),
        ),
        min_size=2,
        max_size=40,
    ),
    seed=st.integers(0, 9),
)
def test_steps_and_suggested_fixes_keep_the_result_order_invariant(
    rows: list[tuple[str, str, str]], seed: int
) -> None:
    texts, context, fixes = (list(column) for column in zip(*rows, strict=True))
    assert_order_invariant(texts, context, fixes, seed)


def test_a_cut_along_a_step_is_order_invariant() -> None:
    """A corpus where ``split_at_places`` cuts a community (found by a random search)."""
    from qualitylab.clustering import engine

    rng = random.Random(108)
    n = rng.randint(8, 40)
    texts = [" ".join(rng.choice(PLACE_WORDS) for _ in range(rng.randint(2, 6))) for _ in range(n)]
    context = [rng.choice(["a", "b", "c", ""]) for _ in range(n)]
    fixes = [rng.choice([*FIXES, ""]) for _ in range(n)]
    cuts: list[bool] = []
    split = engine.split_at_places

    def watched(*args: Any, **kwargs: Any) -> Any:
        out = split(*args, **kwargs)
        cuts.append(bool(out.max(initial=-1) > args[1].max(initial=-1)))
        return out

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "split_at_places", watched)
        assert_order_invariant(texts, context, fixes, seed=rng.randrange(100))
    assert any(cuts), "the corpus no longer makes a cut: pick another"
