"""TF-IDF features (stemmed words + character n-grams) and LSA, with numpy/scipy only.

Why not ``sklearn.feature_extraction``: importing scikit-learn alone takes ~2 s on the lab's
machines, the whole budget for clustering 10,000 texts. The maths is the same as
``TfidfVectorizer(sublinear_tf=True, min_df=2)`` (smooth idf, L2 rows), built from unique words:
a text's ``char_wb`` n-gram counts are the sum of its words' n-gram counts, so n-grams are
generated once per distinct word, not once per token, and the text x n-gram matrix is a sparse
product. That keeps a million texts affordable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from qualitylab.clustering import threads
from qualitylab.clustering.text import Stemmer, is_russian, stop_words, words

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from scipy import sparse

    FloatArray = npt.NDArray[np.float32]
    IntArray = npt.NDArray[np.int64]
    BoolArray = npt.NDArray[np.bool_]

#: Character n-gram sizes taken inside word boundaries (like sklearn's ``char_wb``). 3-grams
#: alone scored the same as 3-4 and 2-5 on both benchmark languages (benchmarks/README.md) at
#: half the n-grams of 3-4, and the n-grams are most of the LSA's input.
NGRAM_RANGE = (3, 3)
#: Relative weight of the stemmed-word block against the character block (both L2-normalised).
WORD_WEIGHT = 1.0
CHAR_WEIGHT = 1.0
#: Character n-grams of stop words ("the", "не") add cost and blur topics.
CHAR_STOP_WORDS = False
#: Terms in more than this share of texts are dropped (1.0 = none: on a small corpus one problem
#: can be most of the texts, and its words are exactly what must be kept).
MAX_DF = 1.0
#: Map the words of ``glossary_en_ru.txt`` to shared cross-language features. Measured by
#: ``benchmarks/cross_language.py``: Russian and English texts of one problem share a cluster in
#: 10% of the demo bank's problems instead of 4%; the four real benchmark sets score the same.
USE_GLOSSARY = True
#: How much a shared concept column counts against an ordinary stem in a bilingual corpus.
CONCEPT_WEIGHT = 1.5
#: Share of texts in the minority language from which a corpus counts as fully bilingual.
BILINGUAL_SHARE = 0.2
#: Terms seen in fewer texts than this carry no grouping signal.
MIN_DF = 2


@dataclass
class Vocabulary:
    """Distinct words of a corpus and how they map to stems and character n-grams."""

    words: list[str]
    word_index: dict[str, int]
    stems: list[str]  # stem feature names (column order of the stem block)
    stem_of_word: list[int]  # per word: stem column, -1 for stop words
    _words_of_stem: dict[int, list[int]] | None = None

    def words_of_stem(self) -> dict[int, list[int]]:
        """Stem column -> the word indexes that reduce to it (built once)."""
        if self._words_of_stem is None:
            table: dict[int, list[int]] = {}
            for w, s in enumerate(self.stem_of_word):
                if s >= 0:
                    table.setdefault(s, []).append(w)
            self._words_of_stem = table
        return self._words_of_stem


@dataclass
class Features:
    """TF-IDF blocks for one corpus.

    ``counts`` and ``stem_block`` cover every text; ``tfidf`` (stems + character n-grams, the
    expensive block) covers only ``tfidf_rows`` -- all texts, or the sample a large corpus is
    clustered on.
    """

    tfidf: sparse.csr_matrix  # [stem block | char block] for tfidf_rows
    tfidf_rows: IntArray
    counts: sparse.csr_matrix  # texts x words (raw counts), for surface forms in titles
    stem_block: sparse.csr_matrix  # texts x stems, TF-IDF, unit rows before rare stems dropped
    vocabulary: Vocabulary
    stem_names: list[str]  # column names of stem_block
    russian: BoolArray  # per text: mostly Russian words (``in_russian``)


def _word_counts(
    normalised_texts: Sequence[str],
) -> tuple[sparse.csr_matrix, list[str], dict[str, int]]:
    """Texts x distinct words counts, streamed so a million texts never exist as token lists."""
    from array import array

    import numpy as np
    from scipy import sparse

    index: dict[str, int] = {}
    indptr = array("q", [0])
    cols = array("i")
    for text in normalised_texts:
        cols.extend([index.setdefault(w, len(index)) for w in words(text)])
        indptr.append(len(cols))
    m = sparse.csr_matrix(
        (
            np.ones(len(cols), dtype=np.float32),
            np.frombuffer(cols, dtype=np.int32),
            np.frombuffer(indptr, dtype=np.int64),
        ),
        shape=(len(normalised_texts), len(index)),
    )
    m.sum_duplicates()
    vocab = list(index)
    return m, vocab, index


def _word_to_stems(vocab: list[str], stemmer: Stemmer) -> tuple[sparse.csr_matrix, list[str]]:
    import numpy as np
    from scipy import sparse

    stops = stop_words()
    stem_index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    content = [i for i, w in enumerate(vocab) if w not in stops]
    # glossary words share one column across languages ("code" = "код"), see text.glossary
    for i, s in zip(content, stemmer.stems(vocab[i] for i in content), strict=True):
        rows.append(i)
        concept = stemmer.concept(vocab[i], s) if USE_GLOSSARY else None
        cols.append(stem_index.setdefault(concept or s, len(stem_index)))
    names = [""] * len(stem_index)
    for s, j in stem_index.items():
        names[j] = s
    m = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)),
        shape=(len(vocab), len(stem_index)),
    )
    return m, names


def _word_to_ngrams(
    vocab: list[str], ngram_range: tuple[int, int], skip: frozenset[str]
) -> sparse.csr_matrix:
    import numpy as np
    from scipy import sparse

    lo, hi = ngram_range
    index: dict[str, int] = {}
    indptr = [0]
    cols: list[int] = []
    for w in vocab:
        if w in skip:
            indptr.append(len(cols))
            continue
        padded = f" {w} "
        size = len(padded)
        cols.extend(
            [
                index.setdefault(padded[start : start + n], len(index))
                for n in range(lo, hi + 1)
                for start in range(size - n + 1)
            ]
        )
        indptr.append(len(cols))
    m = sparse.csr_matrix(
        (
            np.ones(len(cols), dtype=np.float32),
            np.asarray(cols, dtype=np.int32),
            np.asarray(indptr, dtype=np.int64),
        ),
        shape=(len(vocab), len(index)),
    )
    m.sum_duplicates()
    return m


def in_russian(counts: sparse.csr_matrix, vocab: list[str]) -> BoolArray:
    """Per text: are most of its words Russian? (A text without words is not.)"""
    import numpy as np

    russian = np.fromiter((is_russian(w) for w in vocab), dtype=np.float32, count=len(vocab))
    total = np.asarray(counts.sum(axis=1)).ravel()
    ru_words = np.asarray(counts @ russian).ravel()
    out: BoolArray = ru_words * 2 > total
    return out


def concept_boost(
    counts: sparse.csr_matrix, vocab: list[str], russian: BoolArray | None = None
) -> float:
    """Weight of the glossary's shared concept columns for this corpus.

    The boost exists to bridge languages, so it scales with how bilingual the corpus is: full
    ``CONCEPT_WEIGHT`` once at least ``BILINGUAL_SHARE`` of the texts are in the minority
    language, none for a corpus in one language (where it would only over-weight common
    product words; measured in benchmarks/README.md).
    """
    import numpy as np

    if not USE_GLOSSARY or counts.shape[0] == 0:
        return 1.0
    has_words = np.asarray(counts.sum(axis=1)).ravel() > 0
    russian = in_russian(counts, vocab) if russian is None else russian
    ru_share = float(np.mean(russian[has_words])) if has_words.any() else 0
    minority = min(ru_share, 1.0 - ru_share)
    return 1.0 + (CONCEPT_WEIGHT - 1.0) * min(1.0, minority / BILINGUAL_SHARE)


def tfidf(
    counts: sparse.csr_matrix,
    min_df: int = MIN_DF,
    max_df: float = 1.0,
    column_weight: FloatArray | None = None,
) -> tuple[sparse.csr_matrix, FloatArray]:
    """Sublinear TF-IDF with smooth idf and L2 rows; columns below ``min_df`` are zeroed.

    Returns the matrix (same columns as ``counts``) and the kept-column mask as 0/1 floats.
    """
    import numpy as np

    x = counts.tocsr(copy=True).astype(np.float32)
    n = x.shape[0]
    df = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float32)
    keep = ((df >= min_df) & (df <= max(max_df * n, min_df))).astype(np.float32)
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    np.log(x.data, out=x.data)  # sublinear tf: 1 + log(tf)
    x.data += np.float32(1.0)
    x.data *= idf[x.indices]
    if column_weight is not None:
        x.data *= column_weight[x.indices]
    # normalise *before* dropping rare terms: a text made mostly of words nobody else used keeps
    # a short vector, so it does not look like a close copy of whatever little it shares
    x = normalise_rows(x)
    x.data *= keep[x.indices]
    x.eliminate_zeros()
    return x, keep


def normalise_rows(x: sparse.csr_matrix) -> sparse.csr_matrix:
    import numpy as np
    from scipy import sparse

    sq = np.asarray(x.multiply(x).sum(axis=1)).ravel()
    norms = np.sqrt(sq, dtype=np.float32)
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms).astype(np.float32) @ x)


def build(
    normalised_texts: Sequence[str],
    stemmer: Stemmer,
    *,
    tfidf_rows: IntArray | None = None,
    ngram_range: tuple[int, int] = NGRAM_RANGE,
    char_stop_words: bool = CHAR_STOP_WORDS,
    char_weight: float | None = None,
    max_df: float = MAX_DF,
) -> Features:
    """TF-IDF blocks for normalised texts (see ``text.normalise``)."""
    import numpy as np
    from scipy import sparse

    char_weight = CHAR_WEIGHT if char_weight is None else char_weight

    counts, vocab, index = _word_counts(normalised_texts)
    w2s, stem_names = _word_to_stems(vocab, stemmer)
    russian = in_russian(counts, vocab)
    boost = concept_boost(counts, vocab, russian)
    concept_weight = np.asarray(
        [boost if name.startswith("=") else 1.0 for name in stem_names], dtype=np.float32
    )
    stem_counts = sparse.csr_matrix(counts @ w2s)
    stem_x, _ = tfidf(stem_counts, max_df=max_df, column_weight=concept_weight)
    rows = np.arange(counts.shape[0], dtype=np.int64) if tfidf_rows is None else tfidf_rows
    sub = counts if tfidf_rows is None else counts[rows]
    skip = set() if char_stop_words else set(stop_words())
    if tfidf_rows is not None:  # n-grams only for words the sample uses
        used = np.zeros(len(vocab), dtype=bool)
        used[sub.indices] = True
        skip.update(vocab[i] for i in np.flatnonzero(~used).tolist())
    w2g = _word_to_ngrams(vocab, ngram_range, frozenset(skip))
    char_x, _ = tfidf(sparse.csr_matrix(sub @ w2g), max_df=max_df)
    stem_sub = stem_x if tfidf_rows is None else stem_x[rows]
    blocks = [stem_sub * np.float32(WORD_WEIGHT), char_x * np.float32(char_weight)]
    scale = np.float32(1.0 / max(np.hypot(WORD_WEIGHT, char_weight), 1e-9))
    combined = sparse.csr_matrix(sparse.hstack(blocks, format="csr", dtype=np.float32) * scale)
    stem_of_word = [-1] * len(vocab)
    coo = w2s.tocoo()
    for r, c in zip(coo.row.tolist(), coo.col.tolist(), strict=True):
        stem_of_word[r] = c
    return Features(
        tfidf=combined,
        tfidf_rows=rows,
        counts=counts,
        stem_block=stem_x,
        vocabulary=Vocabulary(vocab, index, stem_names, stem_of_word),
        stem_names=stem_names,
        russian=russian,
    )


def lsa(
    x: sparse.csr_matrix,
    dim: int,
    *,
    seed: int,
    fit_rows: int = 30_000,
    n_iter: int = 4,
    chunk: int = 100_000,
) -> tuple[FloatArray, FloatArray]:
    """Randomised truncated SVD (LSA): unit rows, and each row's length before normalising.

    The length says how much of a text the shared topics explain; one-offs have short ones.

    Fitted on at most ``fit_rows`` rows (an evenly spaced subset, so the result does not depend
    on the random generator), then every row is projected in chunks: the SVD fit is the
    expensive stage on large inputs and a sample pins the topic directions just as well.
    """
    import numpy as np

    n, d = x.shape
    if n == 0 or d <= 1 or n <= min(dim, d):
        # no fewer dimensions than texts: truncating would only drop the direction a text has
        # to itself, and normalising would blow its remainder up into a false likeness (four
        # unrelated texts once became one cluster); the TF-IDF rows themselves are exact
        dense = np.asarray(x.todense(), dtype=np.float32) if n else np.zeros((0, 1), np.float32)
        return normalise_dense(dense)
    dim = max(1, min(dim, d - 1, n - 1))
    fit = x if n <= fit_rows else x[np.linspace(0, n - 1, fit_rows).astype(np.int64)]
    fit_t = fit.T.tocsr()
    rng = np.random.default_rng(seed)
    width = min(dim + 10, min(fit.shape))
    # the sketch starts on the short side: X X^T R (R random, rows x width) spans the top
    # singular directions as well as one power iteration of X Omega (Omega features x width),
    # for a fifth of the random numbers and one orthonormalisation less
    r = rng.random((fit.shape[0], width), dtype=np.float32)
    r -= np.float32(0.5)
    y = _product(fit, _product(fit_t, r))
    for _ in range(n_iter):
        q = _orthonormal(y)
        y = _product(fit, _product(fit_t, q))
    q = _orthonormal(y)
    bt = _product(fit_t, q)  # d x width
    # eigen-decompose the small Gram matrix instead of an SVD of the wide ``b``
    evals, evecs = np.linalg.eigh((bt.T @ bt).astype(np.float64))
    top = np.argsort(evals)[::-1][:dim]
    sv = np.sqrt(np.clip(evals[top], 1e-12, None))
    if fit is x:
        # X V = Q B V = Q U_b S: the fitted rows never need the d-wide components
        return normalise_dense((q @ (evecs[:, top] * sv).astype(np.float32)).astype(np.float32))
    components = np.ascontiguousarray(
        (bt @ evecs[:, top].astype(np.float32)) / sv.astype(np.float32)
    )
    out = np.empty((n, components.shape[1]), dtype=np.float32)
    for start in range(0, n, chunk):
        out[start : start + chunk] = _product(x[start : start + chunk], components)
    return normalise_dense(out)


def _product(x: sparse.csr_matrix, dense: FloatArray) -> FloatArray:
    """``x @ dense`` as float32, its row blocks on ``threads.WORKERS`` threads.

    scipy's sparse x dense product runs in C without the GIL but on one core; the blocks are
    independent, so the result is the same however many threads share them.
    """
    import numpy as np

    n = x.shape[0]
    workers = threads.workers()
    if workers == 1 or n < 2_000:
        return np.asarray(x @ dense, dtype=np.float32)
    bounds = np.linspace(0, n, workers + 1).astype(int).tolist()
    blocks = threads.map_in_order(lambda ab: x[ab[0] : ab[1]] @ dense, pairwise(bounds))
    return np.asarray(np.vstack(blocks), dtype=np.float32)


def _orthonormal(y: FloatArray) -> FloatArray:
    """Orthonormal basis of the columns of a tall ``y`` via its small Gram matrix, twice.

    Faster than a QR of the tall matrix here; columns that add nothing (rank deficiency on tiny
    corpora) are dropped instead of amplifying rounding noise. One pass leaves the columns
    orthogonal only to about float32's precision times the Gram matrix's condition number (the
    sketch ``X X^T R`` squares it), enough for a Ritz value to exceed the true singular value by
    1e-4 (hypothesis found a 6 x 18 case); the second pass starts from nearly orthonormal
    columns, so it is exact to rounding (CholeskyQR2, Fukaya et al. 2014).
    """
    q = _gram_basis(y)
    return _gram_basis(q)


def _gram_basis(y: FloatArray) -> FloatArray:
    import numpy as np

    y64 = y.astype(np.float64)
    evals, evecs = np.linalg.eigh(y64.T @ y64)
    keep = evals > max(float(evals[-1]), 1e-30) * 1e-10
    basis = (evecs[:, keep] / np.sqrt(evals[keep])).astype(np.float32)
    q: FloatArray = y @ basis  # the Gram matrix needs float64; the projection does not
    return q


def normalise_dense(z: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Rows cut to unit length (zero rows stay zero), and each row's length before."""
    import numpy as np

    lengths = np.linalg.norm(z, axis=1).astype(np.float32)
    safe = np.where(lengths == 0, 1.0, lengths)[:, None]
    return (z / safe).astype(np.float32), lengths
