"""What a product owner reads about a cluster: title, surface-word terms, quotes, suggestions.

Titles are real words from the members (the most central short quote, trimmed), never stems;
terms are stems mapped back to the surface form members used most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from qualitylab.clustering.text import dedup_key, normalise, words

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from qualitylab.clustering.features import Features

    FloatArray = npt.NDArray[np.float32]
    IntArray = npt.NDArray[np.int64]

TITLE_MAX = 72
#: Members whose words count as "the words the others use" when choosing a title.
TITLE_POOL = 100
QUOTES = 3
TERMS = 6
SUGGESTIONS = 5
#: Trade-off between centrality and novelty when picking quotes (maximal marginal relevance).
MMR_LAMBDA = 0.6
_SPACE = re.compile(r"\s+")
_CLAUSE = re.compile(r"(?<=[.!?;])\s+|\n")


def clean(text: str) -> str:
    """One line (runs of whitespace become one space); everything else kept literally, control
    characters included: the text is data, and each renderer shows it safely (the CLI as
    ``\x1b``), while JSON consumers get what the author wrote."""
    return _SPACE.sub(" ", text).strip()


def first_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence (the whole text if it has one sentence).

    A full stop after a one- or two-letter word or a dotted one, followed by a lower-case letter
    or a digit, is an abbreviation ("1 д. 23 ч.", "e.g. the", "т.е. пакет"); "I can't log in.
    The button ..." still ends at "in.". A sentence never ends inside «» or brackets, nor inside
    straight quotes when the text pairs them (a lone " is an inch mark).
    """
    paired = text.count('"') % 2 == 0
    for match in _CLAUSE.finditer(text):
        head, after = text[: match.start()], text[match.end() : match.end() + 1]
        last = (head[:-1].rsplit(maxsplit=1) or [""])[-1].strip("«»\"'()")
        short = len(last) <= 2 or "." in last
        if head.endswith(".") and short and (after.islower() or after.isdigit()):
            continue
        if head.count("«") != head.count("»") or head.count("(") != head.count(")"):
            continue
        if paired and head.count('"') % 2:
            continue
        return head.strip()
    return text


def shorten(text: str, limit: int = TITLE_MAX) -> str:
    """First sentence, cut at a word boundary with an ellipsis if still too long."""
    text = clean(text)
    first = first_sentence(text) or text
    if len(first) >= 12 or len(text) <= limit:
        text = first if len(first) < len(text) and len(first) >= 12 else text
    if len(text) <= limit:
        return text.rstrip(" .,;:")
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" .,;:-") + "…"


def centrality(vectors: FloatArray, rows: IntArray) -> tuple[FloatArray, float]:
    """Cosine of each row to the (unit) centroid of ``rows``, and their mean (cohesion)."""
    import numpy as np

    sub = vectors[rows]
    centre = sub.mean(axis=0)
    norm = float(np.linalg.norm(centre))
    if norm == 0.0:
        return np.zeros(len(rows), dtype=np.float32), 0.0
    sims = (sub @ (centre / norm)).astype(np.float32)
    return sims, float(np.clip(sims.mean(), 0.0, 1.0))


def pick_quotes(
    vectors: FloatArray, rows: IntArray, sims: FloatArray, k: int = QUOTES
) -> list[int]:
    """Positions in ``rows`` of central yet diverse texts (maximal marginal relevance)."""
    import numpy as np

    top = np.argsort(-sims, kind="stable")[:50]
    cand = vectors[rows[top]]
    pair = (cand @ cand.T).tolist()  # similarities among the candidates, computed at once
    central = sims[top].tolist()
    chosen: list[int] = []
    candidates = list(range(len(top)))
    while candidates and len(chosen) < k:
        best_i, best_score = candidates[0], -np.inf
        for i in candidates:
            redundancy = max(pair[i][j] for j in chosen) if chosen else 0.0
            score = MMR_LAMBDA * central[i] - (1 - MMR_LAMBDA) * redundancy
            if score > best_score + 1e-9:
                best_i, best_score = i, score
        chosen.append(best_i)
        candidates.remove(best_i)
    return [int(top[i]) for i in chosen]


def wording(copies: Sequence[str]) -> str:
    """How a group of copies is shown: its most common form, and of equally common forms one that
    is not shouted. Copies share their content words; they may differ in case, punctuation, stop
    words or word order."""
    counts = Counter(clean(c) for c in copies)
    return min(counts, key=lambda t: (-counts[t], _shouted(t), t))


_TRIPLED = re.compile(r"([^\W\d_])\1\1", re.IGNORECASE)


def _shouted(text: str) -> bool:
    """All capitals, or a letter held down ("logiiin"): fine in a note, noisy in a title."""
    return (text.isupper() and sum(c.isalpha() for c in text) > 3) or bool(_TRIPLED.search(text))


def title_for(
    texts: Sequence[str],
    normalised: Sequence[str],
    rows_by_centrality: Sequence[int],
    terms: Sequence[str],
    normaliser: Callable[[str], str] = normalise,
    copies: Sequence[int] | None = None,
) -> str:
    """A central member that reads as a short phrase in words the others use too.

    Among the ten most central members of a readable length, the one whose words most often
    recur in other members wins (so a typo or a street name rarely makes the title); then the
    one with more copies (``copies[row]``: reports with the same words; a typo rarely has any),
    then one not in capitals, then the more central. The top terms stand in when no member is
    short enough.
    """
    pool = rows_by_centrality[:TITLE_POOL]
    seen: Counter[str] = Counter()
    for row in pool:
        seen.update(set(words(normalised[row])))
    best: tuple[float, int, bool, int, str] | None = None
    for rank, row in enumerate(rows_by_centrality[:10]):
        candidate = shorten(texts[row])
        if not 8 <= len(candidate) <= TITLE_MAX or candidate.endswith("…"):
            continue
        own = set(words(normaliser(candidate)))
        shared = sum(1 for w in own if seen[w] >= 2) / len(own) if own else 0.0
        written = copies[row] if copies is not None else 1
        key = (-shared, -written, _shouted(candidate), rank, candidate)
        if best is None or key < best:
            best = key
    if best is not None:
        return best[-1]
    for row in rows_by_centrality[:1]:
        candidate = shorten(texts[row])
        if len(candidate) >= 8:
            return candidate
    return " ".join(terms[:3]) if terms else shorten(texts[rows_by_centrality[0]])


class TermTotals:
    """Per cluster: summed stem TF-IDF and word counts, computed for all clusters at once.

    One sparse product per block instead of slicing the corpus matrices once per cluster
    (which took ~1 ms a cluster on 10,000 texts).
    """

    def __init__(self, feats: Features, labels: IntArray, k: int) -> None:
        import numpy as np
        from scipy import sparse

        member = np.flatnonzero(labels >= 0)
        onehot = sparse.csr_matrix(
            (np.ones(member.size, dtype=np.float32), (labels[member], member)),
            shape=(k, labels.size),
        )
        self.feats = feats
        self.sizes = np.bincount(labels[member], minlength=k)
        self.stems = sparse.csr_matrix(onehot @ feats.stem_block)
        self.words = sparse.csr_matrix(onehot @ feats.counts)


def top_terms(totals: TermTotals, c: int, background: FloatArray, k: int = TERMS) -> list[str]:
    """Stems that set cluster ``c`` apart, each shown as the word members used most for it."""
    import numpy as np

    lo, hi = totals.stems.indptr[c], totals.stems.indptr[c + 1]
    cols = totals.stems.indices[lo:hi]
    # stems no member used score below zero and can never be shown, so only the used ones count
    score = totals.stems.data[lo:hi] / max(int(totals.sizes[c]), 1) - background[cols]
    order = [int(cols[j]) for j in np.lexsort((cols, -score))[: k * 2] if score[j] > 0]
    if not order:
        return []
    wlo, whi = totals.words.indptr[c], totals.words.indptr[c + 1]
    word_totals = dict(
        zip(
            totals.words.indices[wlo:whi].tolist(),
            totals.words.data[wlo:whi].tolist(),
            strict=True,
        )
    )
    vocabulary = totals.feats.vocabulary
    words_of = vocabulary.words_of_stem()
    out: list[str] = []
    for j in order:
        candidates = [w for w in words_of.get(j, ()) if word_totals.get(w, 0) > 0]
        if not candidates:
            continue
        # the surface form members wrote most often; ties go to the shorter, then alphabetical
        best = min(
            candidates,
            key=lambda w: (-word_totals[w], len(vocabulary.words[w]), vocabulary.words[w]),
        )
        word = vocabulary.words[best]
        if word not in out:
            out.append(word)
        if len(out) == k:
            break
    return out


def common_suggestions(
    suggestions: Sequence[str], limit: int = SUGGESTIONS
) -> list[tuple[str, int]]:
    """Most common suggested fixes, near-duplicates merged, each in its most common wording."""
    groups: dict[str, Counter[str]] = {}
    for raw in suggestions:
        text = clean(raw)
        if not text:
            continue
        key = dedup_key(normalise(text))
        if key.startswith("\x00") and key == "\x00":
            key = "\x01" + text
        groups.setdefault(key, Counter())[text] += 1
    ranked = []
    for wordings in groups.values():
        total = sum(wordings.values())
        best = min(wordings.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        ranked.append((best, total))
    ranked.sort(key=lambda item: (-item[1], item[0]))
    return ranked[:limit]
