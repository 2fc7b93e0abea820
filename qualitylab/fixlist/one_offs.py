"""One-offs: what they are, and the lone blockers among them that the fix list lists anyway.

The one rule every face uses (``fixes``, reports, the triage app): a **one-off** is a report that
no recurring problem holds. The engine left it out of every cluster (or a person moved it out).
A one-off of severity 4 (a blocker) must never drop off the fix list, so it is *also* listed
there, as a line of its own (``one-off-…``), without ceasing to be a one-off. So "N one-offs"
means the same N everywhere, and each face says how many of them the fix list lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from qualitylab.domain import Cluster, Clustering, FixItem, PainPoint, Severity
from qualitylab.fixlist.score import ONE_OFF_PREFIX, one_off_cluster


def is_one_off_line(problem_id: str) -> bool:
    """True for a fix-list line that is a lone report, not a recurring problem."""
    return problem_id.startswith(ONE_OFF_PREFIX)


def in_no_problem(problem_id: str) -> bool:
    """True when a report grouped under ``problem_id`` ("" = in no list item) is a one-off."""
    return not problem_id or is_one_off_line(problem_id)


@dataclass(frozen=True)
class OneOffs:
    """A scope's one-offs (report ids, in the scope's order) and those the fix list lists."""

    reports: tuple[str, ...]
    listed: frozenset[str] = frozenset()  # of ``reports``: on a one-off line of the fix list

    @property
    def unlisted(self) -> int:
        """One-offs in no line of the fix list at all (notes too unlike the others to group)."""
        return len(self.reports) - len(self.listed)


def find_one_offs(
    items: Iterable[FixItem],
    members: Callable[[FixItem], Iterable[str]],
    reports: Iterable[str],
) -> OneOffs:
    """Which of ``reports`` (the slice's ids) are one-offs, given the list's ``items`` and the
    ``members`` (collapsed copies included) of each."""
    owner = {m: item.cluster.id for item in items for m in members(item)}
    alone = tuple(uuid for uuid in reports if in_no_problem(owner.get(uuid, "")))
    return OneOffs(alone, frozenset(uuid for uuid in alone if uuid in owner))


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
