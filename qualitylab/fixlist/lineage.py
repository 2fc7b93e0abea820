"""What carries over from a scope's last run: the problems' ids and the team's decisions.

The engine keeps a problem's id when most of its members stay together (``clustering.identity``);
this module feeds it the last run's members and, when new feedback divides or joins problems,
hands a decided parent's decision on to the part that came from it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from qualitylab.domain import Clustering, PainPoint
from qualitylab.fixlist.releases import MAX_NOTE_CHARS, FixRecord


class RunMembers(Protocol):
    """The members of one stored run (the store's ``ClusterRun``)."""

    @property
    def scope(self) -> str: ...
    @property
    def clusters(self) -> Mapping[str, Sequence[str]]: ...
    @property
    def one_offs(self) -> Mapping[str, Sequence[str]]: ...


def previous_runs(
    runs: Iterable[RunMembers], scope: str, present: Collection[str]
) -> dict[str, list[str]] | None:
    """The scope's last clusters (members still present) for the engine to inherit ids from.

    Only the same scope: inheriting from a wider run once gave two journeys' different problems
    the id of one lab-wide cluster that had spanned both.
    """
    keep = set(present)
    out: dict[str, list[str]] = {}
    for run in runs:
        if run.scope != scope:
            continue
        for cid, members in sorted(run.clusters.items()):
            mine = [m for m in members if m in keep]
            if mine:
                out[cid] = mine
    return out or None


def previous_one_offs(
    runs: Iterable[RunMembers], scope: str, points: Sequence[PainPoint]
) -> dict[str, list[str]]:
    """The scope's last one-off blocker lines (members still present), as possible parents."""
    present = {p.uuid for p in points}
    return {
        oid: [m for m in members if m in present]
        for run in runs
        if run.scope == scope
        for oid, members in sorted(run.one_offs.items())
        if any(m in present for m in members)
    }


def unique_ids(clustering: Clustering, journey_id: str, taken: set[str]) -> Clustering:
    """Rename clusters whose id another journey already uses (old data), deterministically."""
    renamed: dict[str, str] = {}
    for c in clustering.clusters:
        if c.id in taken:
            suffix = hashlib.sha1(journey_id.encode("utf-8")).hexdigest()[:4]
            renamed[c.id] = f"{c.id}-{suffix}"
    taken.update(renamed.get(c.id, c.id) for c in clustering.clusters)
    if not renamed:
        return clustering
    return replace(
        clustering,
        clusters=tuple(replace(c, id=renamed.get(c.id, c.id)) for c in clustering.clusters),
        labels={k: renamed.get(v, v) if v else v for k, v in clustering.labels.items()},
        changes=tuple(
            replace(ch, cluster_id=renamed.get(ch.cluster_id, ch.cluster_id))
            for ch in clustering.changes
        ),
    )


def inherited_decisions(
    clustering: Clustering,
    records: Mapping[str, FixRecord],
    scope: str,
    parents: Mapping[str, Collection[str]],
) -> dict[str, FixRecord]:
    """Decisions for new clusters that mostly came from a decided problem of the last run (a
    cluster or a one-off blocker line): the part that kept the id keeps the decision, and a part
    that split off, or a one-off that grew into a cluster, inherits it (noted). So a problem marked
    fixed or won't fix does not come back as open because new feedback divided or joined it. Only
    the parent holding most of the new cluster's known members passes its decision on."""
    owner = {m: pid for pid, members in parents.items() for m in members}
    out: dict[str, FixRecord] = {}
    for cluster in clustering.clusters:
        if cluster.id in records or cluster.id in parents:
            continue
        counts = Counter(owner[m] for m in cluster.members if m in owner)
        if not counts:
            continue
        parent, overlap = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if parent not in records or overlap * 2 <= sum(counts.values()):
            continue
        decided = records[parent]
        how = "grew from" if parent.startswith("one-off-") else "split from"
        note = f"{how} {parent}" + (f": {decided.note}" if decided.note else "")
        out[cluster.id] = replace(
            decided,
            cluster_id=cluster.id,
            title=cluster.title,
            scope=scope,
            note=note[:MAX_NOTE_CHARS],
        )
    return out
