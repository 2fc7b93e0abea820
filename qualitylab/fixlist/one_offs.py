"""Lone blockers: left out of every cluster, yet a blocker must never drop off the fix list."""

from __future__ import annotations

from collections.abc import Sequence

from qualitylab.domain import Cluster, Clustering, PainPoint, Severity
from qualitylab.fixlist.score import one_off_cluster


def age(point: PainPoint) -> tuple[str, str]:
    """Sort key, oldest first (uuid breaks ties; a missing time sorts last)."""
    return (point.created_at.isoformat() if point.created_at else "~", point.uuid)


def one_offs(clustering: Clustering, points: Sequence[PainPoint]) -> tuple[Cluster, ...]:
    """One line per unclustered blocker text.

    A copy the engine collapsed into another (the same walker pasting a note twice) is scored with
    its original, and makes it a blocker line if either copy is one.
    """
    by_uuid = {p.uuid: p for p in points}
    worst = {u: by_uuid[u].severity for u in clustering.unclustered if u in by_uuid}
    first = {u: u for u in worst}  # a line is named after its oldest report: stable as copies come
    for copy, original in clustering.duplicates.items():
        if copy in worst and original in worst:
            worst[original] = max(worst[original], worst[copy])
            first[original] = min(first[original], copy, key=lambda u: age(by_uuid[u]))
    return tuple(
        one_off_cluster(uuid, by_uuid[uuid].text, by_uuid[uuid].suggested_fix, id_from=first[uuid])
        for uuid in clustering.unclustered
        if uuid in worst and uuid not in clustering.duplicates and worst[uuid] >= Severity.BLOCKER
    )
