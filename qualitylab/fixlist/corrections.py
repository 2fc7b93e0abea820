"""A person's word over the engine's: merges and moves applied on top of a clustering.

The engine regroups every time feedback changes, so a correction is stored as what a person said
("problem B is problem A", "report R belongs to problem C", "report R is no part of any problem"),
keyed by the stable problem ids and report uuids, and applied again to each new clustering, in the
order it was made. A correction whose problem is gone (new feedback dissolved it) is dormant: it
changes nothing and takes effect again if the problem comes back.
"""

from __future__ import annotations

import hashlib
import uuid as uuidlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from qualitylab.domain import Cluster, Clustering
from qualitylab.errors import InvalidInput

MERGE, MOVE = "merge", "move"
KINDS = (MERGE, MOVE)
#: Problems a person split off (reports moved together into a new problem) have ids like this.
SPLIT_PREFIX = "s-"


def check_change_id(change_id: str | None) -> str | None:
    """A change's id as a face gives it (made when the person confirmed; ``--change-id``): a
    UUID, written the canonical way so a retry spelled in capitals is the same change."""
    if change_id is None:
        return None
    try:
        return str(uuidlib.UUID(change_id.strip()))
    except ValueError:
        raise InvalidInput(
            f"change id {change_id[:40]!r} is not a UUID, like "
            "3f2a91c4-0d6e-4b8e-9a51-1c2d3e4f5a6b (`uuidgen` makes one)"
        ) from None


def change_ids(change_id: str | None, count: int) -> list[str | None]:
    """Ids for the ``count`` corrections one change stores: the change's own id for the first,
    ids made from it for the others (the same on every retry); None: ids are made as stored."""
    if change_id is None:
        return [None] * count
    made = (str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"{change_id}/{n}")) for n in range(1, count))
    return [change_id, *made]


def one_change(chosen: Correction, corrections: Sequence[Correction]) -> list[Correction]:
    """The corrections of ``corrections`` that one change stored together with ``chosen`` (a
    split, a move of several reports, a merge of several problems), in their order; just
    ``chosen`` when it was stored alone. Their ids tell: ``change_ids`` of the change's first."""
    kin = [c for c in corrections if c.kind == chosen.kind and c.target == chosen.target]
    by_id = {c.uuid: c for c in kin}
    for first in kin:
        ids = change_ids(first.uuid, len(kin))
        if chosen.uuid in ids:
            return [by_id[i] for i in ids if i in by_id]
    return [chosen]


def is_split_id(cluster_id: str) -> bool:
    return cluster_id.startswith(SPLIT_PREFIX)


def split_id(reports: Iterable[str]) -> str:
    """The id of a problem split off from these reports: stable, like the engine's ids."""
    digest = hashlib.sha1("\x1f".join(sorted(reports)).encode("utf-8")).hexdigest()
    return SPLIT_PREFIX + digest[:10]


def split_title(text: str) -> str:
    """A split-off problem is titled after its first report, as the engine titles one-offs."""
    from qualitylab.clustering.describe import shorten

    return shorten(text) or text.strip()


@dataclass(frozen=True)
class Correction:
    """``merge``: problem ``subject`` merged into problem ``target``. ``move``: report ``subject``
    moved into problem ``target``, or out of every problem when ``target`` is "". A move into a
    split id (``s-...``) that no clustering holds creates that problem: a split."""

    uuid: str
    kind: str
    subject: str
    target: str
    by: str = ""
    created_at: datetime | None = None
    undone_at: datetime | None = None
    undone_by: str = ""

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def sentence(self, titles: Mapping[str, str] | None = None) -> str:
        """The correction as a line a product owner reads ("merged c-2 into c-1", with
        " (undone)" once it is); who made it is ``by``, shown next to it."""
        return self.what(titles) + (" (undone)" if not self.active else "")

    def what(self, titles: Mapping[str, str] | None = None) -> str:
        """What the person said, without its state: for a line that already says "undid"."""
        titles = titles or {}

        def name(cid: str) -> str:
            title = titles.get(cid, "")
            return f"{cid} ({title})" if title else cid

        if self.kind == MERGE:
            what = f"merged {name(self.subject)} into {name(self.target)}"
        elif self.target:
            what = f"moved report {self.subject[:8]} into {name(self.target)}"
        else:
            what = f"moved report {self.subject[:8]} out of its problem"
        return what


@dataclass(frozen=True)
class Corrected:
    """A clustering with the corrections applied, and what they changed (for every face)."""

    clustering: Clustering
    merged: Mapping[str, tuple[tuple[str, str], ...]]  # problem -> ((merged id, its title), ...)
    moved_in: Mapping[str, tuple[str, ...]]  # problem -> reports moved into it by hand
    moved_out: Mapping[str, tuple[str, ...]]  # problem -> reports moved out of it by hand
    alias: Mapping[str, str]  # merged-away problem id -> the problem that holds it now
    moved_from: Mapping[str, str]  # report moved out of every problem -> the problem it left
    applied: frozenset[str]  # uuids of the corrections that took effect


def _quotes(
    cluster: Cluster,
    members: Sequence[str],
    duplicates: Mapping[str, str],
    texts: Mapping[str, str],
) -> tuple[str, ...]:
    """The cluster's quotes that its reports still say, then its reports' own texts (max 3)."""
    mine = set(members) | {c for c, o in duplicates.items() if o in set(members)}
    said = {texts[m] for m in mine if m in texts}
    kept = [q for q in cluster.quotes if q in said]
    for m in members:
        if len(kept) >= max(len(cluster.quotes), 1):
            break
        text = texts.get(m, "")
        if text and text not in kept:
            kept.append(text)
    return tuple(kept)


def _ordered(corrections: Iterable[Correction]) -> list[Correction]:
    active = [c for c in corrections if c.active and c.kind in KINDS]
    return sorted(active, key=lambda c: (c.created_at is None, c.created_at or 0, c.uuid))


def apply_corrections(
    clustering: Clustering,
    lines: Sequence[Cluster],
    corrections: Iterable[Correction],
    texts: Mapping[str, str] | None = None,
) -> Corrected:
    """Apply the active ``corrections`` (oldest first) to ``clustering`` and its one-off ``lines``.

    One-off lines take part like clusters (a lone blocker can be merged into a problem, or receive
    reports); a line nothing changed goes back to the unclustered reports, where the caller lists
    it again. A report moved out of every problem becomes unclustered (listed as a one-off line
    when it is a blocker).
    """
    problems: dict[str, Cluster] = {c.id: c for c in (*clustering.clusters, *lines)}
    is_line = {c.id for c in lines} - {c.id for c in clustering.clusters}
    members: dict[str, list[str]] = {cid: list(c.members) for cid, c in problems.items()}
    owner = {m: cid for cid, ms in members.items() for m in ms}
    unclustered = [u for u in clustering.unclustered if u not in owner]
    duplicates = dict(clustering.duplicates)
    known = set(owner) | set(unclustered) | set(duplicates)
    alias: dict[str, str] = {}
    merged: dict[str, list[tuple[str, str]]] = defaultdict(list)
    moved_in: dict[str, list[str]] = defaultdict(list)
    moved_out: dict[str, list[str]] = defaultdict(list)
    moved_from: dict[str, str] = {}
    changed: set[str] = set()
    applied: set[str] = set()

    def root(cid: str) -> str:
        seen = set()
        while cid in alias and cid not in seen:
            seen.add(cid)
            cid = alias[cid]
        return cid

    for corr in _ordered(corrections):
        if corr.kind == MERGE:
            into, gone = root(corr.target), root(corr.subject)
            if into == gone or into not in members or gone not in members:
                continue
            for m in members.pop(gone):
                owner[m] = into
                members[into].append(m)
            merged[into].append((gone, problems[gone].title))
            merged[into].extend(merged.pop(gone, []))
            moved_in[into].extend(moved_in.pop(gone, []))
            moved_out[into].extend(moved_out.pop(gone, []))
            alias[gone] = into
            changed.add(into)
        else:
            report = corr.subject
            to = root(corr.target) if corr.target else ""
            if to and to not in members and is_split_id(to) and report in known:
                title = split_title((texts or {}).get(report, "")) or to
                problems[to] = Cluster(to, title, (), (), (), 1.0)
                members[to] = []
            if report not in known or (to and to not in members):
                continue
            if report in duplicates:  # a collapsed copy leaves its original and stands alone
                del duplicates[report]
            here = owner.pop(report, None)
            if here is not None and here == to:
                owner[report] = here
                continue
            if here is not None:
                members[here].remove(report)
                moved_out[here].append(report)
                changed.add(here)
            if report in unclustered:
                unclustered.remove(report)
            if to:
                members[to].append(report)
                owner[report] = to
                moved_in[to].append(report)
                changed.add(to)
            else:
                unclustered.append(report)
                if here is not None:
                    moved_from[report] = here
            if to:
                moved_from.pop(report, None)
        applied.add(corr.uuid)
    clusters: list[Cluster] = []
    for cid, ms in members.items():
        if cid in is_line and cid not in changed:
            unclustered.extend(m for m in ms if m not in unclustered)
            continue
        if not ms:
            continue  # every report moved out: the problem is gone
        cluster = replace(problems[cid], members=tuple(ms))
        if texts is not None and cid in changed:
            cluster = replace(cluster, quotes=_quotes(cluster, ms, duplicates, texts))
        clusters.append(cluster)
    labels: dict[str, str | None] = dict.fromkeys(unclustered)
    labels.update({m: c.id for c in clusters for m in c.members})
    corrected = replace(
        clustering,
        clusters=tuple(clusters),
        unclustered=tuple(unclustered),
        labels=labels,
        duplicates=duplicates,
    )
    return Corrected(
        clustering=corrected,
        merged={k: tuple(v) for k, v in merged.items() if v},
        moved_in={k: tuple(v) for k, v in moved_in.items() if v},
        moved_out={k: tuple(v) for k, v in moved_out.items() if v},
        alias={k: root(k) for k in alias},
        moved_from=moved_from,
        applied=frozenset(applied),
    )
