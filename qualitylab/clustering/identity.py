"""Cluster ids that survive re-clustering: fresh ids from content, inherited ids by member overlap.

A new cluster keeps a previous cluster's id when each is the other's best match and they share at
least half of the members both runs know about. Everything else is recorded as new / split /
merged / gone so the fix list can say what happened to each problem.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence

from qualitylab.domain import ClusterChange

#: Share of the known members two clusters must have in common to be the same problem.
SAME_PROBLEM = 0.5
#: Share of a new cluster's known members that must come from one previous cluster to be a split.
PART_OF = 0.3


def fresh_id(members: Collection[str]) -> str:
    """Id from the sorted member ids: identical input gives identical ids, in any order."""
    digest = hashlib.sha1("\x1f".join(sorted(members)).encode("utf-8")).hexdigest()
    return "c-" + digest[:10]


def match(
    new_members: Sequence[Collection[str]],
    previous: Mapping[str, Collection[str]] | None,
) -> tuple[list[str], list[ClusterChange]]:
    """Ids for the new clusters (same order) and how they relate to the previous run."""
    fresh = [fresh_id(m) for m in new_members]
    if previous is None:
        return fresh, []
    prev = {pid: set(members) for pid, members in sorted(previous.items())}
    known = set().union(*prev.values()) if prev else set()
    member_of = {m: pid for pid, ms in prev.items() for m in ms}
    overlaps: list[dict[str, int]] = []
    for members in new_members:
        counts: dict[str, int] = {}
        for m in members:
            pid = member_of.get(m)
            if pid is not None:
                counts[pid] = counts.get(pid, 0) + 1
        overlaps.append(counts)
    present = set().union(*(set(m) for m in new_members)) if new_members else set()
    best_new: dict[str, tuple[int, int]] = {}  # pid -> (overlap, new index)
    for i, counts in enumerate(overlaps):
        for pid, o in counts.items():
            cur = best_new.get(pid)
            if cur is None or o > cur[0]:
                best_new[pid] = (o, i)
    ids = list(fresh)
    changes: list[ClusterChange] = []
    inherited: dict[int, str] = {}
    for i, counts in enumerate(overlaps):
        if not counts:
            continue
        pid, o = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        n_known = sum(1 for m in new_members[i] if m in known)
        p_present = len(prev[pid] & present) or 1
        if best_new[pid][1] == i and o >= SAME_PROBLEM * min(n_known, p_present):
            inherited[i] = pid
            ids[i] = pid
    used = set(inherited.values())
    for i, counts in enumerate(overlaps):
        if i in inherited:
            pid = inherited[i]
            others = sorted(p for p, (o, j) in best_new.items() if j == i and p not in used)
            kind = "merged" if others else "kept"
            changes.append(ClusterChange(kind, ids[i], (pid, *others)))
        elif counts:
            n_known = sum(1 for m in new_members[i] if m in known) or 1
            parts = sorted(p for p, o in counts.items() if o >= PART_OF * n_known)
            if parts and all(best_new[p][1] == i for p in parts):
                changes.append(ClusterChange("merged", ids[i], tuple(parts)))
            elif parts:
                changes.append(ClusterChange("split", ids[i], tuple(parts)))
            else:
                changes.append(ClusterChange("new", ids[i]))
        else:
            changes.append(ClusterChange("new", ids[i]))
    continuing = {p for c in changes for p in c.previous_ids}
    for pid in prev:
        if pid not in continuing:
            changes.append(ClusterChange("gone", pid, (pid,)))
    return ids, changes
