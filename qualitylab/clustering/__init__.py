"""Pure clustering of feedback texts: texts in, recurring problems (``domain.Clustering``) out.

Importing this package is cheap: numpy, scipy and the stemmer load inside ``cluster_texts``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping, Sequence

from qualitylab.clustering.threads import BLAS_THREADS, blas_threads
from qualitylab.domain import Cluster, Clustering
from qualitylab.errors import InvalidInput

__all__ = ["ENGINE_VERSION", "cluster_texts", "engine_fingerprint"]

#: Bumped whenever the same input would cluster or read differently (titles, terms, quotes), so
#: stored runs are recomputed.
ENGINE_VERSION = "13"


@functools.cache
def engine_fingerprint() -> str:
    """``ENGINE_VERSION`` plus a hash of the shipped glossary and word vectors: editing any of
    them reclusters."""
    import hashlib
    from importlib import resources

    from qualitylab.clustering.semantic import VECTORS_FILE
    from qualitylab.clustering.text import GLOSSARY_FILE

    digest = hashlib.sha256()
    for name in (GLOSSARY_FILE, VECTORS_FILE):
        digest.update(resources.files(__package__).joinpath(name).read_bytes())
    return f"{ENGINE_VERSION}:{digest.hexdigest()[:12]}"


#: Different authors who must write the same text for it to count as a problem on its own...
MIN_REPEATS = 2
#: ... or copies of it, when the caller cannot say who wrote what.
MIN_COPIES = 3
#: A cluster whose best two-way split is held by less than this (``engine.split_strength``)
#: looks like two problems; the fix list flags it.
MIXED_BELOW = 0.15
#: Let the authors' suggested fixes link texts (``engine.suggestion_links``).
USE_SUGGESTIONS = True


def _written_by_several(copies: Sequence[int], author_of: list[str], place_of: list[str]) -> bool:
    """Whether one place has the copies of ``MIN_REPEATS`` known authors, or ``MIN_COPIES``
    copies when some author is unknown (each unknown copy may be someone else)."""
    by_place: dict[str, list[str]] = {}
    for m in copies:
        by_place.setdefault(place_of[m], []).append(author_of[m])
    for writers in by_place.values():
        known = {a for a in writers if a}
        unknown = len(writers) - sum(1 for a in writers if a)
        if len(known) + unknown >= (MIN_COPIES if unknown else MIN_REPEATS):
            return True
    return False


def _has_words(normalised: str) -> bool:
    """Whether a text says anything: a repeated "+1" or emoji is agreement, not a problem."""
    from qualitylab.clustering.text import content_words

    return bool(content_words(normalised))


def cluster_texts(
    texts: Sequence[str],
    *,
    ids: Sequence[str] | None = None,
    suggestions: Sequence[str] | None = None,
    previous: Mapping[str, Collection[str]] | None = None,
    context: Sequence[str] | None = None,
    authors: Sequence[str] | None = None,
    seed: int = 0,
    progress: Callable[[str, float], None] | None = None,
) -> Clustering:
    """Group texts into recurring problems; the engine chooses how many and leaves one-offs out.

    ``ids`` name the texts (default ``"0"``, ``"1"``, ...); ``suggestions[i]`` is the fix the
    author of ``texts[i]`` suggested (``""`` if none); ``previous`` maps last run's cluster ids to
    their member ids so problems keep their id; ``context[i]`` says where ``texts[i]`` was
    written (the journey step, ``""`` if unknown): links the texts' words already make count
    more between texts from one place, so two problems that only share a common word
    ("screen", "button") on different steps stay apart. Context never links texts by itself.
    Of near-duplicate copies, the first in canonical order gives the context. The same words
    (same content words, any order or case) from ``MIN_REPEATS`` different ``authors`` in one
    context are a recurring problem even when nothing else resembles them, while one author
    pasting them twice is still a one-off; an unknown author (``""``, or no ``authors`` at all)
    counts per copy, and then it takes ``MIN_COPIES`` (two could be one person's double paste).
    Such repeated texts of one context whose stemmed words are alike (``engine.join_repeats``:
    "you are correct", "that's correct") are one problem, not one per wording.
    The result is deterministic for a given ``seed`` and does not depend on input order.
    """
    import gc

    # millions of small tuples and lists would trigger the cyclic collector over and over
    # (a third of the run on 1M texts); nothing here creates cycles
    enabled = gc.isenabled()
    gc.disable()
    try:
        with blas_threads(BLAS_THREADS):
            return _cluster(texts, ids, suggestions, previous, context, authors, seed, progress)
    finally:
        if enabled:
            gc.enable()


def _cluster(
    texts: Sequence[str],
    ids: Sequence[str] | None,
    suggestions: Sequence[str] | None,
    previous: Mapping[str, Collection[str]] | None,
    context: Sequence[str] | None,
    authors: Sequence[str] | None,
    seed: int,
    progress: Callable[[str, float], None] | None,
) -> Clustering:
    from qualitylab.clustering import describe, engine, identity
    from qualitylab.clustering.text import Normaliser, Stemmer, dedup_key

    report = progress or engine._noop
    n = len(texts)
    ids = [str(i) for i in range(n)] if ids is None else [str(i) for i in ids]
    if len(ids) != n:
        raise InvalidInput(f"got {n} texts but {len(ids)} ids")
    if len(set(ids)) != n:
        raise InvalidInput("ids must be unique")
    if suggestions is not None and len(suggestions) != n:
        raise InvalidInput(f"got {n} texts but {len(suggestions)} suggestions")
    if context is not None and len(context) != n:
        raise InvalidInput(f"got {n} texts but {len(context)} context values")
    if authors is not None and len(authors) != n:
        raise InvalidInput(f"got {n} texts but {len(authors)} authors")
    author_of = [""] * n if authors is None else [str(a) for a in authors]
    place_of = [""] * n if context is None else [str(c) for c in context]
    fixes = [""] * n if suggestions is None else [s or "" for s in suggestions]
    if n == 0:
        report("done", 1.0)
        return Clustering(clusters=(), unclustered=(), labels={})

    report("normalise", 0.0)
    normalise = Normaliser()
    norm = [normalise(t) for t in texts]
    groups: dict[str, list[int]] = {}
    for i, (clean, raw) in enumerate(zip(norm, texts, strict=True)):
        groups.setdefault(dedup_key(clean) if clean else "\x01" + raw.strip(), []).append(i)
    # canonical order (groups by key, copies by text and id): nothing downstream may depend on
    # the caller's order
    duplicates: dict[str, str] = {}
    copies: dict[int, list[int]] = {}
    unique: list[int] = []
    for key in sorted(groups):
        group = groups[key]
        if len(group) > 1:
            group.sort(key=lambda i: (norm[i], texts[i], ids[i]))
            duplicates.update((ids[i], ids[group[0]]) for i in group[1:])
        unique.append(group[0])
        copies[group[0]] = group
    report("normalise", 1.0)

    import numpy as np

    grouping = engine.group(
        [norm[i] for i in unique],
        seed=seed,
        stemmer=Stemmer(),
        progress=report,
        context=None if context is None else [place_of[i] for i in unique],
        suggestions=None
        if suggestions is None or not USE_SUGGESTIONS
        else [" ".join(normalise(fixes[m]) for m in copies[i] if fixes[m]) for i in unique],
    )
    labels = grouping.labels
    k = int(labels.max()) + 1 if labels.size and labels.max() >= 0 else 0
    repeated = [  # the same words from several people
        row
        for row in np.flatnonzero(labels < 0).tolist()
        if _written_by_several(copies[unique[row]], author_of, place_of)
        and _has_words(norm[unique[row]])
    ]
    if repeated:  # several wordings of one request, each repeated, are one problem
        rows = np.asarray(repeated, dtype=np.int64)
        places = (
            None if context is None else engine.place_codes([place_of[unique[r]] for r in repeated])
        )
        joined = engine.join_repeats(grouping.feats.stem_block[rows], places)
        labels[rows] = k + joined
        k += int(joined.max()) + 1

    report("describe", 0.0)
    unique_texts = [  # only groups of copies need a choice of wording (a million do not)
        texts[i] if len(copies[i]) == 1 else describe.wording([texts[m] for m in copies[i]])
        for i in unique
    ]
    copy_counts = [len(copies[i]) for i in unique]
    unique_norm = [norm[i] for i in unique]
    background = np.asarray(grouping.feats.stem_block.mean(axis=0)).ravel()
    drafts: list[
        tuple[list[str], str, list[str], list[str], float, list[tuple[str, int]], float]
    ] = []
    totals = describe.TermTotals(grouping.feats, labels, k)
    by_label = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[by_label], np.arange(k + 1))
    for c in range(k):
        rows = by_label[bounds[c] : bounds[c + 1]]
        # quotes and titles come from the texts the graph saw (all, or a large corpus' sample)
        seen = rows[grouping.vector_of[rows] >= 0]
        terms = describe.top_terms(totals, c, background)
        if seen.size:
            vec_rows = grouping.vector_of[seen]
            sims, cohesion = describe.centrality(grouping.vectors, vec_rows)
            strength = engine.split_strength(grouping.links, vec_rows)
            by_centrality = [int(seen[j]) for j in np.argsort(-sims, kind="stable")]
            picked = [int(seen[j]) for j in describe.pick_quotes(grouping.vectors, vec_rows, sims)]
        else:  # one repeated text whose words are all too rare for the graph: it is its own centre
            by_centrality, picked, cohesion = rows.tolist(), rows.tolist()[:1], 1.0
            strength = 1.0
        title = describe.title_for(
            unique_texts, unique_norm, by_centrality, terms, normalise, copy_counts
        )
        quotes = [describe.clean(unique_texts[j]) for j in picked]
        positions = [m for r in rows.tolist() for m in copies[unique[r]]]
        members = [ids[m] for m in positions]
        fix_texts = [fixes[m] for m in positions]
        drafts.append(
            (
                members,
                title,
                terms,
                quotes,
                cohesion,
                describe.common_suggestions(fix_texts),
                strength,
            )
        )
        report("describe", (c + 1) / max(k, 1))
    drafts.sort(key=lambda d: (-len(d[0]), min(d[0])))
    cluster_ids, changes = identity.match([d[0] for d in drafts], previous)
    clusters = tuple(
        Cluster(
            id=cid,
            title=title,
            terms=tuple(terms),
            members=tuple(sorted(members)),
            quotes=tuple(quotes),
            cohesion=round(cohesion, 4),
            suggestions=tuple(sugg),
            split_strength=round(strength, 4),
            looks_mixed=strength < MIXED_BELOW,
        )
        for cid, (members, title, terms, quotes, cohesion, sugg, strength) in zip(
            cluster_ids, drafts, strict=True
        )
    )
    label_of: dict[str, str | None] = dict.fromkeys(ids)
    for cluster in clusters:
        for m in cluster.members:
            label_of[m] = cluster.id
    unclustered = tuple(i for i in ids if label_of[i] is None)
    report("done", 1.0)
    return Clustering(
        clusters=clusters,
        unclustered=unclustered,
        labels=label_of,
        changes=tuple(changes),
        duplicates=duplicates,
    )
