"""Problems like this one: the few a product owner should look at before merging.

The engine splits one problem in two when people describe it in different words or languages
(the demo's "Не приходит код" and "signing code never arrived"). Such twins are reported on the
same step and share concepts once the glossary maps Russian and English words onto one feature.
So a candidate is scored on two things, each 0..1:

- ``place``: cosine of the two problems' report counts per step (same step, same proportions -> 1);
- ``words``: cosine of their TF-IDF vectors over stems and glossary concepts of every report's
  text and suggested fix (IDF over the problems of the journey, so words every problem uses
  count little). The suggested fix matters: twins are often told apart by their wording but
  asked to be fixed the same way (on the demo, words from texts alone put 4 of the 5 twin pairs
  of issue 11 in each other's top 5; with the suggested fixes, all 5 in the top 3).

``similarity = (place + words) / 2``. Candidates reported on one of the problem's steps come
first ("same step first"), then by similarity. Only problems of the same journey are candidates:
only those can be merged.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qualitylab.clustering.text import Normaliser, Stemmer


@dataclass(frozen=True)
class Profile:
    """What similarity needs of one problem: where its reports were made and what they say."""

    cluster_id: str
    title: str
    journey: str
    steps: Mapping[str, int]  # step id -> reports
    texts: Sequence[str]


@dataclass(frozen=True)
class Similar:
    """A candidate for merging with a problem, with the figure behind the suggestion."""

    cluster_id: str
    title: str
    similarity: float  # (place + words) / 2, 0..1
    place: float
    words: float
    same_step: bool


def _terms(texts: Iterable[str], normalise: Normaliser, stemmer: Stemmer) -> Counter[str]:
    """Per problem: in how many of its reports each stem or glossary concept occurs."""
    from qualitylab.clustering.text import content_words

    counts: Counter[str] = Counter()
    for text in texts:
        found = content_words(normalise(text))
        stems = stemmer.stems(found)
        counts.update({stemmer.concept(w, s) or s for w, s in zip(found, stems, strict=True)})
    return counts


#: Problems compared at once (rows of the similarity block): bounds memory on huge journeys.
CHUNK = 512


def _unit_rows(rows: list[Mapping[str, float]], idf: bool) -> Any:
    """Sparse matrix of one row per problem (TF-IDF when ``idf``), each row of length 1."""
    import numpy as np
    from scipy import sparse

    index: dict[str, int] = {}
    r: list[int] = []
    c: list[int] = []
    v: list[float] = []
    for i, row in enumerate(rows):
        for key, value in row.items():
            r.append(i)
            c.append(index.setdefault(key, len(index)))
            v.append(value)
    x = sparse.csr_matrix((v, (r, c)), shape=(len(rows), max(len(index), 1)), dtype=np.float64)
    if idf:
        df = np.asarray((x > 0).sum(axis=0)).ravel()
        x = sparse.csr_matrix(x.multiply(np.log1p(len(rows) / np.maximum(df, 1))))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    return sparse.diags(1 / np.where(norms > 0, norms, 1.0)) @ x


def similar_problems(
    profiles: Sequence[Profile], *, n: int = 5, only: Iterable[str] | None = None
) -> dict[str, list[Similar]]:
    """For each problem (or each of ``only``), its ``n`` best candidates for a merge."""
    import numpy as np

    from qualitylab.clustering.text import Normaliser, Stemmer

    normalise, stemmer = Normaliser(), Stemmer()
    by_journey: dict[str, list[Profile]] = {}
    for p in profiles:
        by_journey.setdefault(p.journey, []).append(p)
    wanted = set(only) if only is not None else None
    out: dict[str, list[Similar]] = {}
    for group in by_journey.values():
        rows = [i for i, p in enumerate(group) if wanted is None or p.cluster_id in wanted]
        if not rows or n < 1:
            continue
        words = _unit_rows(
            [
                {t: math.log1p(c) for t, c in _terms(p.texts, normalise, stemmer).items()}
                for p in group
            ],
            idf=True,
        )
        places = _unit_rows([{k: float(v) for k, v in p.steps.items()} for p in group], idf=False)
        by_id = np.argsort(np.argsort([p.cluster_id for p in group]))  # ties: by id
        for start in range(0, len(rows), CHUNK):
            block = rows[start : start + CHUNK]
            w = (words[block] @ words.T).toarray()
            pl = (places[block] @ places.T).toarray()
            for row, i in enumerate(block):
                same = pl[row] > 0
                sim = (w[row] + pl[row]) / 2
                ranked = np.lexsort((by_id, -np.round(sim, 4), ~same))  # last key first
                order = [int(j) for j in ranked[: n + 1] if j != i][:n]
                out[group[i].cluster_id] = [
                    Similar(
                        cluster_id=group[j].cluster_id,
                        title=group[j].title,
                        similarity=round(float(sim[j]), 4),
                        place=round(float(pl[row, j]), 4),
                        words=round(float(w[row, j]), 4),
                        same_step=bool(same[j]),
                    )
                    for j in order
                ]
    return out
