"""Issue 12: English word meaning next to TF-IDF (qualitylab/clustering/semantic.py).

Wordings of one problem that share no word ("cancel my subscription" / "terminate the
membership") are joined by the shipped word vectors; a Russian or mixed corpus is left to
TF-IDF alone, and the engine stays deterministic and order-invariant with the signal on.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from qualitylab.clustering import cluster_texts, engine, features, semantic
from qualitylab.clustering.text import Stemmer, normalise

#: Four problems, each in six wordings that share (almost) no word with each other.
WORDINGS = {
    "cancel": [
        "cancel my subscription",
        "terminate the membership",
        "end my plan",
        "stop my contract",
        "quit this service",
        "unsubscribe me",
    ],
    "charged": [
        "charged twice for one order",
        "double payment taken",
        "billed two times",
        "money debited again",
        "duplicate transaction on my card",
        "extra charge appeared",
    ],
    "slow": [
        "the app is very slow",
        "screen keeps loading forever",
        "spinner never stops",
        "page takes ages to open",
        "everything lags badly",
        "sluggish and unresponsive",
    ],
    "password": [
        "forgot my password",
        "cannot remember the login code",
        "need a new passcode",
        "reset my credentials",
        "lost access pin",
        "sign in secret not working",
    ],
}


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    with threadpool_limits(1):
        yield


def paraphrases() -> tuple[list[str], list[str], list[tuple[str, int]]]:
    """Every wording written three times with a different ending (so TF-IDF has terms)."""
    texts, gold, wording = [], [], []
    for problem, lines in WORDINGS.items():
        for w, line in enumerate(lines):
            for end in ("today", "again", "right now"):
                texts.append(f"{line} {end}")
                gold.append(problem)
                wording.append((problem, w))
    return texts, gold, wording


def _run(texts: list[str], meaning: bool, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    monkeypatch.setattr(engine, "USE_MEANING", meaning)
    result = cluster_texts(texts)
    return [result.labels[str(i)] for i in range(len(texts))]


def test_wordings_that_share_no_word_are_one_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    texts, gold, wording = paraphrases()
    scores = {}
    for meaning in (False, True):
        labels = _run(texts, meaning, monkeypatch)
        members: dict[str, list[int]] = {}
        for i, label in enumerate(labels):
            if label is not None:
                members.setdefault(label, []).append(i)
        problems_in = [{gold[i] for i in rows} for rows in members.values()]
        joined = sum(
            len({wording[i] for i in rows}) > 1 and len({gold[i] for i in rows}) == 1
            for rows in members.values()
        )
        pred = [label or f"one-off {i}" for i, label in enumerate(labels)]
        scores[meaning] = (adjusted_rand_score(gold, pred), joined, problems_in)
    ari_off, joined_off, _ = scores[False]
    ari_on, joined_on, problems_on = scores[True]
    # TF-IDF alone joins a wording only to its own copies (and "stop my contract" to "spinner
    # never stops"); with meaning, several wordings of one problem share a cluster ...
    assert joined_on >= 5 > joined_off
    assert ari_on >= ari_off + 0.1
    # ... and no cluster mixes two problems
    assert all(len(p) == 1 for p in problems_on)


def _meaning(texts: list[str]) -> semantic.Meaning | None:
    norm = [normalise(t) for t in texts]
    feats = features.build(norm, Stemmer())
    return semantic.meaning(feats.counts, feats.vocabulary.words, np.arange(len(texts)))


def test_the_signal_is_used_only_on_an_english_corpus() -> None:
    english, _, _ = paraphrases()
    russian = [
        "не приходит код из смс",
        "приложение долго грузится",
        "дважды списали деньги",
        "не могу отменить подписку",
    ] * 5
    assert _meaning(english) is not None
    assert _meaning(russian) is None
    assert _meaning(english[:20] + russian) is None  # a bilingual lab keeps TF-IDF alone
    # the odd Russian note in an English corpus has no meaning vector: zeros, not noise
    m = _meaning(english + ["не приходит код"])
    assert m is not None
    rows = m.rows(np.arange(len(english) + 1))
    assert not m.covered[-1] and not rows[-1].any()
    assert m.covered.mean() > 0.95
    np.testing.assert_allclose(np.linalg.norm(rows[m.covered], axis=1), 1.0, rtol=1e-5)
    assert not rows[~m.covered].any()


def test_a_bilingual_corpus_groups_exactly_as_without_the_signal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    english, _, _ = paraphrases()
    russian = [
        f"{t} {end}"
        for t in ("не приходит код", "списали дважды", "долго грузится")
        for end in ("сегодня", "опять", "снова")
    ]
    texts = english[:30] + russian
    assert _run(texts, True, monkeypatch) == _run(texts, False, monkeypatch)


def test_meaning_keeps_the_engine_deterministic_and_order_invariant() -> None:
    texts, _, _ = paraphrases()
    first = cluster_texts(texts)
    order = list(range(len(texts)))
    random.Random(7).shuffle(order)
    shuffled = cluster_texts([texts[i] for i in order], ids=[str(i) for i in order])
    assert cluster_texts(texts) == first
    assert {c.id: sorted(c.members) for c in shuffled.clusters} == {
        c.id: sorted(c.members) for c in first.clusters
    }


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzéèüöçñ"), min_size=1))
def test_word_pieces_spell_the_word(word: str) -> None:
    tab = semantic.table()
    names = {row: piece for piece, row in tab.pieces.items()}
    split = semantic.pieces(word, tab)
    if split is None:
        return
    assert 1 <= len(split) <= semantic.MAX_PIECES
    spelled = [names[row] for row in split]
    assert not spelled[0].startswith("##")
    assert all(p.startswith("##") for p in spelled[1:])
    assert "".join(p.removeprefix("##") for p in spelled) == _plain(word)


@given(st.text(min_size=1).filter(lambda w: any("а" <= c <= "я" or c.isdigit() for c in w)))
def test_words_that_are_not_latin_letters_get_no_vector(word: str) -> None:
    assert semantic.pieces(word, semantic.table()) is None


def test_common_words_are_one_piece_and_accents_do_not_matter() -> None:
    tab = semantic.table()
    for word in ("cancel", "subscription", "password", "payment"):
        assert semantic.pieces(word, tab) == [tab.pieces[word]]
    assert semantic.pieces("café", tab) == semantic.pieces("cafe", tab)
    # related words are closer than unrelated ones in the shipped table
    v = {w: tab.vectors[tab.pieces[w]] for w in ("cancel", "terminate", "password", "slow")}

    def cos(a: str, b: str) -> float:
        return float(v[a] @ v[b] / np.linalg.norm(v[a]) / np.linalg.norm(v[b]))

    assert cos("cancel", "terminate") > cos("cancel", "password")
    assert cos("cancel", "terminate") > cos("cancel", "slow")
