"""Issue 12: English word meaning next to TF-IDF (qualitylab/clustering/semantic.py).

Wordings of one problem that share no word ("cancel my subscription" / "terminate the
membership") are joined by the shipped word vectors; a Russian corpus is left to TF-IDF alone,
in a bilingual one only pairs of English texts use the signal, and the engine stays
deterministic and order-invariant with the signal on.
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


def paraphrases(
    ends: tuple[str, ...] = ("today", "again", "right now"),
) -> tuple[list[str], list[str], list[tuple[str, int]]]:
    """Every wording written once per ending (so TF-IDF has terms)."""
    texts, gold, wording = [], [], []
    for problem, lines in WORDINGS.items():
        for w, line in enumerate(lines):
            for end in ends:
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
    assert _meaning(english[:20] + russian) is None  # fewer than MIN_TEXTS English texts
    # a bilingual lab: the English texts carry meaning, the Russian ones none
    both = _meaning(english + russian)
    assert both is not None
    assert both.covered[: len(english)].mean() > 0.9 and not both.covered[len(english) :].any()
    # the odd Russian note in an English corpus has no meaning vector: zeros, not noise
    m = _meaning(english + ["не приходит код"])
    assert m is not None
    rows = m.rows(np.arange(len(english) + 1))
    assert not m.covered[-1] and not rows[-1].any()
    assert m.covered.mean() > 0.95
    np.testing.assert_allclose(np.linalg.norm(rows[m.covered], axis=1), 1.0, rtol=1e-5)
    assert not rows[~m.covered].any()


RUSSIAN = [
    f"{t} {end}"
    for t in ("не приходит код", "списали дважды", "долго грузится")
    for end in ("сегодня", "опять", "снова")
]


def _partition(labels: list[str | None], rows: range) -> set[frozenset[int]]:
    """Which of ``rows`` share a cluster (one-offs alone), whatever the clusters are called."""
    groups: dict[str, set[int]] = {}
    for i in rows:
        groups.setdefault(labels[i] or f"one-off {i}", set()).add(i)
    return {frozenset(g) for g in groups.values()}


def test_a_bilingual_corpus_joins_english_wordings_and_leaves_russian_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In a Russian and English lab the English reports gain the signal among themselves; the
    Russian ones meet everyone on TF-IDF alone, so they group exactly as without it."""
    english, gold, wording = paraphrases()
    texts = english + RUSSIAN
    on, off = _run(texts, True, monkeypatch), _run(texts, False, monkeypatch)

    def english_clusters(labels: list[str | None]) -> list[list[int]]:
        clusters: dict[str, list[int]] = {}
        for i, label in enumerate(labels[: len(english)]):
            if label is not None:
                clusters.setdefault(label, []).append(i)
        return list(clusters.values())

    def mixed(labels: list[str | None]) -> int:
        return sum(len({gold[i] for i in rows}) > 1 for rows in english_clusters(labels))

    joined = sum(
        len({wording[i] for i in rows}) > 1 and len({gold[i] for i in rows}) == 1
        for rows in english_clusters(on)
    )
    assert joined >= 5  # off: a wording joins only its own copies (previous test)
    assert mixed(on) <= mixed(off)  # TF-IDF's own "stop my contract" / "spinner never stops"
    # the Russian texts (three problems) are split exactly as finely as without the signal
    russian_rows = range(len(english), len(texts))
    assert _partition(on, russian_rows) == _partition(off, russian_rows)


@pytest.mark.parametrize("uncovered_every", [4, 40])
def test_a_text_without_meaning_meets_every_other_on_tf_idf_alone(uncovered_every: int) -> None:
    """The kNN graph compares two texts on [TF-IDF | meaning] only when both have meaning; a
    Russian note keeps its plain cosine to everyone (an empty meaning half would shrink it by
    1/sqrt(2) and push Russian and English reports of one problem apart). In a bilingual corpus
    (a quarter uncovered) the English links are scaled to TF-IDF's own total; in an English one
    (one text in 40 uncovered) they are the plain mix."""
    rng = np.random.default_rng(3)
    z = features.normalise_dense(rng.normal(size=(40, 8)).astype(np.float32))[0]
    e = features.normalise_dense(rng.normal(size=(40, 6)).astype(np.float32))[0]
    covered = np.arange(40) % uncovered_every != 0
    e[~covered] = 0.0
    g = engine.knn_graph(z, 39, meaning=e, covered=covered).toarray()
    lsa, mix = z @ z.T, (z @ z.T + e @ e.T) / 2
    both = covered[:, None] & covered[None, :]
    np.fill_diagonal(both, False)
    kept = g > 0
    assert np.allclose(g[~both & kept], lsa[~both & kept], atol=1e-5)
    ratio = g[both & kept] / mix[both & kept]
    assert np.allclose(ratio, ratio[0], atol=1e-4)  # one factor for all English links
    if covered.mean() >= semantic.ENGLISH_CORPUS:
        assert ratio[0] == pytest.approx(1.0, abs=1e-4)
    else:
        assert g[both & kept].sum() == pytest.approx(lsa[both & kept].sum(), rel=1e-4)


def test_the_meaning_signal_does_not_depend_on_row_order() -> None:
    """The engine sorts texts before grouping, so order invariance must hold here, in the
    signal itself: the centre and every row's vector are the same for any order of the rows."""
    texts, _, _ = paraphrases()
    first = _meaning(texts)
    order = list(range(len(texts)))
    random.Random(7).shuffle(order)
    shuffled = _meaning([texts[i] for i in order])
    assert first is not None and shuffled is not None
    np.testing.assert_allclose(shuffled.centre, first.centre, atol=1e-6)
    rows = first.rows(np.arange(len(texts)))
    np.testing.assert_allclose(shuffled.rows(np.arange(len(texts))), rows[order], atol=1e-5)


def test_a_few_reports_of_one_problem_stay_together(monkeypatch: pytest.MonkeyPatch) -> None:
    """Centred on a corpus of one problem, meaning vectors point away from each other; below
    ``MIN_TEXTS`` the signal is not used, so a young journey groups exactly as before."""
    texts = [
        "the app crashes when I log in",
        "app crashes every time I log in",
        "logging in crashes the app",
        "the app closes itself at login",
    ]
    assert _meaning(texts) is None
    with_signal = _run(texts, True, monkeypatch)
    assert with_signal == _run(texts, False, monkeypatch)
    assert with_signal[0] is not None and len(set(with_signal[:2])) == 1


FRENCH = [
    "ma carte a été refusée au magasin",
    "la livraison est encore en retard",
    "impossible de me connecter à l'application",
    "le colis est arrivé abîmé",
    "on m'a facturé deux fois",
    "le code sms n'arrive jamais",
    "je ne peux pas annuler mon abonnement",
    "l'application est très lente",
    "le suivi du colis ne marche pas",
    "mot de passe oublié et pas de lien",
]


def test_latin_letters_are_not_english(monkeypatch: pytest.MonkeyPatch) -> None:
    """French splits into word pieces the English model knows ("carte" = cart + e); the English
    stop-word share keeps such a corpus on TF-IDF alone."""
    french = [f"{t} {end}" for t in FRENCH for end in ("aujourd'hui", "encore", "hier", "ce matin")]
    french += [f"{t} {end}" for t in FRENCH for end in ("vraiment", "toujours")]
    assert len(french) >= semantic.MIN_TEXTS
    assert _meaning(french) is None
    monkeypatch.setattr(semantic, "MIN_ENGLISH_STOP", 0.0)
    assert _meaning(french) is not None  # the stop-word share is what keeps it off


def test_large_corpus_assignment_uses_meaning_and_spares_texts_without_it() -> None:
    """The rest of a large corpus joins the nearest centroid of [stems | meaning] (as if the two
    were one unit vector); a text without a meaning vector is judged on stems alone, as before."""
    texts, gold, _ = paraphrases(("today", "again", "right now", "this morning", "once more"))
    # mostly words the model has no vector for: judged on their stems ("cancel", "password")
    odd = [
        ("cancel subscription plorbix xqzvor", "cancel"),
        ("cancel membership xqzvor plorbix", "cancel"),
        ("password reset zumbatix qwertzix", "password"),
        ("forgot password qwertzix zumbatix", "password"),
    ]
    problem_of = dict(zip((normalise(t) for t in texts), gold, strict=True))
    problem_of |= {normalise(t): p for t, p in odd}
    norm = sorted(problem_of)
    n = len(norm)
    problems = sorted(set(problem_of.values()))
    feats = features.build(norm, Stemmer())
    odd_rows = [norm.index(normalise(t)) for t, _ in odd]
    sample = np.setdiff1d(np.arange(0, n, 2), odd_rows)
    m = semantic.meaning(feats.counts, feats.vocabulary.words, sample)
    assert m is not None and not m.covered[odd_rows].any()
    sample_labels = np.asarray([problems.index(problem_of[norm[i]]) for i in sample])
    labels = engine._assign_by_stems(feats.stem_block, sample, sample_labels, meaning=m)
    plain = engine._assign_by_stems(feats.stem_block, sample, sample_labels)

    stems = feats.stem_block.toarray().astype(np.float64)
    joint = np.hstack([stems, semantic.WEIGHT * m.rows(np.arange(n)).astype(np.float64)])
    expected = np.full(n, -1)
    expected[sample] = sample_labels
    rest = np.setdiff1d(np.arange(n), sample)
    for x, rows in ((joint, rest[m.covered[rest]]), (stems, rest[~m.covered[rest]])):
        cents = np.zeros((len(problems), x.shape[1]))
        np.add.at(cents, sample_labels, x[sample])
        cents /= np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-30)
        sims = x @ cents.T
        floor = engine.ONE_OFF_RATIO * np.median(sims[sample, sample_labels])
        best = sims[rows].argmax(axis=1)
        ok = sims[rows, best] >= max(floor, 1e-6)
        expected[rows[ok]] = best[ok]
    np.testing.assert_array_equal(labels, expected)
    # the texts without a vector land where stems alone put them: with their problem
    np.testing.assert_array_equal(labels[odd_rows], plain[odd_rows])
    assert [problems[i] for i in labels[odd_rows]] == [p for _, p in odd]


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
