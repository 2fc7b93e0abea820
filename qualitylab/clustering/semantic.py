"""English word meaning as a second signal next to TF-IDF: static sentence-model word vectors.

Word overlap cannot tell that "terminate my plan" and "cancel the subscription" ask for one
thing. The shipped table (``word_vectors_en.npz``, built by ``scripts/build_word_vectors.py``
from the sentence model all-MiniLM-L6-v2, Apache-2.0) gives every English word piece a 256-number
vector; a word is the mean of its pieces (WordPiece, greedy longest match), a text the IDF-weighted
sum of its words, centred on the corpus and cut to unit length. Nothing is downloaded: the table
ships in the package and loads (about 0.1 s) only when a corpus is clustered.

The model knows English only, and the signal is used only where it was measured to help
(``benchmarks/README.md``, issue 12); elsewhere the TF-IDF grouping is exactly as before:

- English: a text counts as covered when words with a vector carry at least ``MIN_TEXT_COVER``
  of its IDF weight, and English stop words must be ``MIN_ENGLISH_STOP`` of the covered texts'
  words (French or German also spell words in Latin letters the model can split).
- Pairs only: two texts are compared on meaning only when both are covered; a Russian text meets
  anyone on TF-IDF alone (``engine.knn_graph``). So in a Russian and English lab the English
  reports gain the signal among themselves while a Russian report is as close to an English one
  as before. (Appending an empty meaning half to uncovered texts instead, the earlier design,
  shrank every Russian-English cosine and pulled the languages apart: demo lab, Russian and
  English of one problem in one cluster 77 % -> 26 %; it was kept off in any corpus under 95 %
  covered.) In a bilingual corpus (under ``ENGLISH_CORPUS`` covered) the English links keep
  TF-IDF's total weight, so the Russian half is split as finely as without the signal.
- Not tiny: at least ``MIN_TEXTS`` covered texts. The vectors are centred on the corpus (without
  that, every text of one journey looks alike); in a handful of texts of one problem the centre
  *is* the problem, and centring pushes them apart (2 texts of one problem in one cluster in
  22 of 30 tries without the signal, 0 of 30 with it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from scipy import sparse

    FloatArray = npt.NDArray[np.float32]
    IntArray = npt.NDArray[np.int64]

VECTORS_FILE = "word_vectors_en.npz"
#: Share of a text's IDF weight that must fall on words with a vector for the text to count.
MIN_TEXT_COVER = 0.5
#: Share of a corpus's words that must be English stop words (CLINC150 0.52, the demo lab's
#: English reports 0.39; French 0.05, German 0.09 on a sample of complaints).
MIN_ENGLISH_STOP = 0.15
#: Share of covered texts from which a corpus is English (its odd Russian note or name aside);
#: below it the meaning links keep TF-IDF's total weight (``engine.knn_graph``).
ENGLISH_CORPUS = 0.95
#: Fewest covered texts for the signal (see the module docstring).
MIN_TEXTS = 50
#: Weight of the (unit) meaning block next to the (unit) LSA vector in the neighbour graph.
WEIGHT = 1.0
#: A word the model splits into more pieces than this is a name or a typo, not a meaning.
MAX_PIECES = 2
_LATIN = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class Table:
    """Word-piece vectors: ``pieces`` maps a piece ("log", "##in") to its row of ``vectors``."""

    pieces: dict[str, int]
    vectors: FloatArray
    longest: int


@cache
def table() -> Table:
    """The shipped table, loaded once (int8 with one scale per direction, 5.9 MB on disk)."""
    from importlib import resources

    import numpy as np

    with resources.files(__package__).joinpath(VECTORS_FILE).open("rb") as fh:
        data = np.load(fh)
        names = str(data["pieces"]).split("\n")
        vectors = (data["vectors"].astype(np.float32) * data["scale"]).astype(np.float32)
    return Table({p: i for i, p in enumerate(names)}, vectors, max(map(len, names)))


def pieces(word: str, tab: Table) -> list[int] | None:
    """WordPiece split of one lower-case word (accents dropped, as the model's tokenizer does).

    None when the word is not plain Latin letters, or needs an unknown piece or more than
    ``MAX_PIECES``: such a word gets no vector rather than a made-up one.
    """
    if not word.isascii():
        word = "".join(
            c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)
        )
    if not _LATIN.match(word):
        return None
    out: list[int] = []
    start = 0
    while start < len(word):
        end = min(len(word), start + tab.longest)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            row = tab.pieces.get(piece)
            if row is not None:
                out.append(row)
                break
            end -= 1
        if end == start or len(out) > MAX_PIECES:
            return None
        start = end
    return out


def word_pieces(words: Sequence[str], tab: Table) -> sparse.csr_matrix:
    """Words x pieces: each word's row averages its pieces (an empty row: no vector)."""
    import numpy as np
    from scipy import sparse

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for w, word in enumerate(words):
        split = pieces(word, tab)
        if split:
            rows.extend([w] * len(split))
            cols.extend(split)
            vals.extend([1.0 / len(split)] * len(split))
    return sparse.csr_matrix(
        (np.asarray(vals, dtype=np.float32), (rows, cols)),
        shape=(len(words), len(tab.pieces)),
        dtype=np.float32,
    )


@dataclass
class Meaning:
    """What gives any text of a corpus its meaning vector, a chunk at a time (a million texts
    never exist as one dense matrix)."""

    counts: sparse.csr_matrix  # texts x words, raw counts (the features' own matrix)
    idf: FloatArray  # per word
    word_pieces: sparse.csr_matrix  # words x pieces
    vectors: FloatArray  # pieces x dims
    centre: FloatArray  # subtracted from covered texts' unit vectors before re-normalising
    covered: npt.NDArray[np.bool_]  # per text

    def rows(self, idx: IntArray) -> FloatArray:
        """Unit meaning vectors of texts ``idx`` (zeros for texts not covered)."""
        return _centred(self._raw(idx), self.centre, self.covered[idx])

    def _raw(self, idx: IntArray) -> FloatArray:
        import numpy as np
        from scipy import sparse

        weighted = self.counts[idx] @ sparse.diags(self.idf) @ self.word_pieces
        return np.asarray(weighted @ self.vectors, dtype=np.float32)


def _unit(e: FloatArray) -> FloatArray:
    from qualitylab.clustering.features import normalise_dense

    return normalise_dense(e)[0]


def _centred(raw: FloatArray, centre: FloatArray, covered: npt.NDArray[np.bool_]) -> FloatArray:
    import numpy as np

    e = _unit(np.asarray(raw, dtype=np.float32))
    e[covered] -= centre
    e[~covered] = 0.0
    return _unit(e)


def meaning(counts: sparse.csr_matrix, words: Sequence[str], sample: IntArray) -> Meaning | None:
    """The corpus's meaning signal, or None when it is not English enough to use one.

    ``counts`` is texts x ``words`` (raw counts); the centre is read on ``sample`` (the rows the
    graph is built on), so a large corpus costs a sample's worth up front.
    """
    import numpy as np

    n = counts.shape[0]
    if n == 0 or sample.size < MIN_TEXTS:
        return None
    tab = table()
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    w2p = word_pieces(words, tab)
    has_vector = (np.diff(w2p.indptr) > 0).astype(np.float32)
    total = np.asarray(counts @ idf).ravel()
    with_vector = np.asarray(counts @ (idf * has_vector)).ravel()
    covered = (total > 0) & (with_vector >= MIN_TEXT_COVER * total)
    in_sample = covered[sample]
    if int(in_sample.sum()) < MIN_TEXTS:
        return None
    if not _english(counts[sample[in_sample]], words):
        return None
    out = Meaning(
        counts, idf, w2p, tab.vectors, np.zeros(tab.vectors.shape[1], np.float32), covered
    )
    raw = _unit(out._raw(sample))
    out.centre = raw[covered[sample]].mean(axis=0).astype(np.float32)
    return out


def _english(counts: sparse.csr_matrix, words: Sequence[str]) -> bool:
    """Whether English stop words are at least ``MIN_ENGLISH_STOP`` of the words used."""
    import numpy as np

    from qualitylab.clustering.text import english_stop_words

    english = english_stop_words()
    used = np.asarray(counts.sum(axis=0)).ravel()
    stop = np.fromiter((w in english for w in words), dtype=bool, count=len(words))
    total = float(used.sum())
    return total > 0 and float(used[stop].sum()) >= MIN_ENGLISH_STOP * total


def joined(z: FloatArray, e: FloatArray, weight: float = WEIGHT) -> FloatArray:
    """LSA rows and meaning rows side by side, unit length: cosine = mix of both similarities."""
    import numpy as np

    return _unit(np.hstack([z, np.float32(weight) * e]).astype(np.float32))
