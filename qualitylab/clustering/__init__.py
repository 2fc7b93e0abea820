"""Pure clustering of feedback texts: texts in, recurring problems (``domain.Clustering``) out.

Importing this package is cheap: numpy, scipy and the stemmer load inside ``cluster_texts``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from qualitylab.domain import Cluster, Clustering
from qualitylab.errors import InvalidInput

__all__ = ["cluster_texts"]


def cluster_texts(
    texts: Sequence[str],
    *,
    ids: Sequence[str] | None = None,
    suggestions: Sequence[str] | None = None,
    previous: Mapping[str, Collection[str]] | None = None,
    seed: int = 0,
    progress: Callable[[str, float], None] | None = None,
) -> Clustering:
    """Group texts into recurring problems; the engine chooses how many and leaves one-offs out.

    ``ids`` name the texts (default ``"0"``, ``"1"``, ...); ``suggestions[i]`` is the fix the
    author of ``texts[i]`` suggested (``""`` if none); ``previous`` maps last run's cluster ids to
    their member ids so problems keep their id. The result is deterministic for a given ``seed``
    and does not depend on input order.
    """
    from qualitylab.clustering import describe, engine, identity
    from qualitylab.clustering.text import Stemmer, dedup_key, normalise

    report = progress or engine._noop
    n = len(texts)
    ids = [str(i) for i in range(n)] if ids is None else [str(i) for i in ids]
    if len(ids) != n:
        raise InvalidInput(f"got {n} texts but {len(ids)} ids")
    if len(set(ids)) != n:
        raise InvalidInput("ids must be unique")
    if suggestions is not None and len(suggestions) != n:
        raise InvalidInput(f"got {n} texts but {len(suggestions)} suggestions")
    fixes = [""] * n if suggestions is None else [s or "" for s in suggestions]
    if n == 0:
        report("done", 1.0)
        return Clustering(clusters=(), unclustered=(), labels={})

    report("normalise", 0.0)
    norm = [normalise(t) for t in texts]
    # canonical order: nothing downstream may depend on the caller's order
    order = sorted(range(n), key=lambda i: (norm[i], texts[i], ids[i]))
    keys = [dedup_key(norm[i]) if norm[i] else "\x01" + texts[i].strip() for i in range(n)]
    representative: dict[str, int] = {}
    duplicates: dict[str, str] = {}
    copies: dict[int, list[int]] = {}
    for i in order:
        rep = representative.setdefault(keys[i], i)
        copies.setdefault(rep, []).append(i)
        if rep != i:
            duplicates[ids[i]] = ids[rep]
    unique = [i for i in order if representative[keys[i]] == i]
    report("normalise", 1.0)

    import numpy as np

    grouping = engine.group(
        [norm[i] for i in unique], seed=seed, stemmer=Stemmer(), progress=report
    )
    labels = grouping.labels
    k = int(labels.max()) + 1 if labels.size and labels.max() >= 0 else 0

    report("describe", 0.0)
    unique_texts = [texts[i] for i in unique]
    background = np.asarray(grouping.feats.stem_block.mean(axis=0)).ravel()
    drafts: list[tuple[list[str], str, list[str], list[str], float, list[tuple[str, int]]]] = []
    by_label = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[by_label], np.arange(k + 1))
    for c in range(k):
        rows = by_label[bounds[c] : bounds[c + 1]]
        # quotes and titles come from the texts the graph saw (all, or a large corpus' sample)
        seen = rows[grouping.vector_of[rows] >= 0]
        vec_rows = grouping.vector_of[seen]
        sims, cohesion = describe.centrality(grouping.vectors, vec_rows)
        by_centrality = [int(seen[j]) for j in np.argsort(-sims, kind="stable")]
        terms = describe.top_terms(grouping.feats, rows, background)
        title = describe.title_for(unique_texts, by_centrality, terms)
        picked = describe.pick_quotes(grouping.vectors, vec_rows, sims)
        quotes = [describe.clean(unique_texts[int(seen[j])]) for j in picked]
        members = [ids[m] for r in rows for m in copies[unique[int(r)]]]
        fix_texts = [fixes[m] for r in rows for m in copies[unique[int(r)]]]
        drafts.append(
            (members, title, terms, quotes, cohesion, describe.common_suggestions(fix_texts))
        )
        report("describe", (c + 1) / max(k, 1))
    drafts.sort(key=lambda d: (-len(d[0]), sorted(d[0])[0]))
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
        )
        for cid, (members, title, terms, quotes, cohesion, sugg) in zip(
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
