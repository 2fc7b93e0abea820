"""The engine's TF-IDF is scikit-learn's ``TfidfVectorizer`` maths, computed without importing it.

``features.tfidf`` exists only because importing scikit-learn takes longer than clustering
10,000 texts (benchmarks/README.md). These tests pin it to the real thing on any token lists:
same idf, same sublinear tf, same kept terms; the one deliberate difference is that rows are
L2-normalised before rare terms are dropped, so after normalising again the rows are equal.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from qualitylab.clustering import features

TOKENS = st.lists(
    st.lists(st.sampled_from(["qr", "code", "код", "sms", "смс", "slow", "цена", "x"]), max_size=8),
    min_size=1,
    max_size=30,
)


def _ours(docs: list[list[str]]) -> tuple[np.ndarray, list[str]]:
    vocab = sorted({t for doc in docs for t in doc})
    col = {t: j for j, t in enumerate(vocab)}
    rows = [i for i, doc in enumerate(docs) for _ in doc]
    cols = [col[t] for doc in docs for t in doc]
    counts = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(len(docs), len(vocab))
    )
    x, keep = features.tfidf(counts, min_df=2)
    dense = x.toarray()
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    dense = np.divide(dense, norms, out=np.zeros_like(dense), where=norms > 0)
    kept = [t for t, k in zip(vocab, keep, strict=True) if k]
    return dense[:, keep.astype(bool)], kept


@settings(max_examples=200, deadline=None)
@given(TOKENS)
def test_tfidf_equals_sklearn_tfidf_vectorizer(docs: list[list[str]]) -> None:
    ours, kept = _ours(docs)
    vectorizer = TfidfVectorizer(
        analyzer=lambda doc: doc, sublinear_tf=True, min_df=2, smooth_idf=True, norm="l2"
    )
    try:
        theirs = vectorizer.fit_transform(docs).toarray()
    except ValueError:  # sklearn refuses a corpus where no term reaches min_df
        assert ours.size == 0 or not ours.any()
        return
    assert kept == list(vectorizer.get_feature_names_out())
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_a_worked_example() -> None:
    docs = [["qr", "qr", "code"], ["qr", "slow"], ["code", "slow", "x"]]
    ours, kept = _ours(docs)
    assert kept == ["code", "qr", "slow"]  # "x" is in one text only: below min_df
    # idf = ln((1 + 3) / (1 + 2)) + 1 for every kept term (each is in two texts), so a row is
    # just its sublinear tf, normalised: text 0 has qr x2 -> 1 + ln 2, code x1 -> 1
    tf = np.array([1.0, 1.0 + np.log(2.0), 0.0])
    np.testing.assert_allclose(ours[0], tf / np.linalg.norm(tf), rtol=1e-6)
