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
from typing import TYPE_CHECKING

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


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _terms(texts: Iterable[str], normalise: Normaliser, stemmer: Stemmer) -> Counter[str]:
    """Per problem: in how many of its reports each stem or glossary concept occurs."""
    from qualitylab.clustering.text import content_words

    counts: Counter[str] = Counter()
    for text in texts:
        found = content_words(normalise(text))
        stems = stemmer.stems(found)
        counts.update({stemmer.concept(w, s) or s for w, s in zip(found, stems, strict=True)})
    return counts


def similar_problems(
    profiles: Sequence[Profile], *, n: int = 5, only: Iterable[str] | None = None
) -> dict[str, list[Similar]]:
    """For each problem (or each of ``only``), its ``n`` best candidates for a merge."""
    from qualitylab.clustering.text import Normaliser, Stemmer

    normalise, stemmer = Normaliser(), Stemmer()
    by_journey: dict[str, list[Profile]] = {}
    for p in profiles:
        by_journey.setdefault(p.journey, []).append(p)
    wanted = set(only) if only is not None else None
    out: dict[str, list[Similar]] = {}
    for group in by_journey.values():
        if wanted is not None and not wanted & {p.cluster_id for p in group}:
            continue
        terms = {p.cluster_id: _terms(p.texts, normalise, stemmer) for p in group}
        df: Counter[str] = Counter()
        for counts in terms.values():
            df.update(counts.keys())
        total = len(group)
        vectors = {
            cid: {t: math.log1p(c) * math.log(1 + total / df[t]) for t, c in counts.items()}
            for cid, counts in terms.items()
        }
        places = {p.cluster_id: {k: float(v) for k, v in p.steps.items()} for p in group}
        for p in group:
            if wanted is not None and p.cluster_id not in wanted:
                continue
            candidates = []
            for q in group:
                if q.cluster_id == p.cluster_id:
                    continue
                place = _cosine(places[p.cluster_id], places[q.cluster_id])
                words = _cosine(vectors[p.cluster_id], vectors[q.cluster_id])
                candidates.append(
                    Similar(
                        cluster_id=q.cluster_id,
                        title=q.title,
                        similarity=round((place + words) / 2, 4),
                        place=round(place, 4),
                        words=round(words, 4),
                        same_step=bool(set(p.steps) & set(q.steps)),
                    )
                )
            candidates.sort(key=lambda s: (not s.same_step, -s.similarity, s.cluster_id))
            out[p.cluster_id] = candidates[:n]
    return out
