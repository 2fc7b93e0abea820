"""Queries behind the fix list: step visits as facts, clustering runs, and the team's fix decisions.

Every function takes an open ``Unit`` (one transaction) and returns plain frozen values, so the
service layer never sees an ORM row. A run's payload is one typed model, ``ClusterRun``, stored as
JSON text (its field names are the JSON keys, so rows written before the model read the same).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func
from sqlmodel import col, select

from qualitylab.domain import Cluster, Clustering
from qualitylab.store.models import (
    ClusterFixRow,
    ClusterRunRow,
    FixCorrectionRow,
    FixDecisionEventRow,
    PainPointRow,
    StepVisitRow,
    WalkerRow,
    WalkRow,
)
from qualitylab.store.unit import Unit, where_walks


@dataclass(frozen=True)
class VisitFact:
    """One step visit with who made it and in which release (what reach and SEQ baselines need)."""

    walk_uuid: str
    walker_uuid: str
    journey_id: str
    product_id: str
    release: str
    step_id: str
    outcome: str | None
    ease: int | None


@dataclass(frozen=True)
class StoredFix:
    cluster_id: str
    scope: str
    title: str
    status: str
    release: str | None
    note: str
    updated_at: datetime | None
    owner: str = ""
    ticket: str = ""


@dataclass(frozen=True)
class StoredDecisionEvent:
    """One saved decision in a problem's history."""

    cluster_id: str
    status: str
    release: str | None
    note: str
    owner: str
    ticket: str
    by: str
    at: datetime | None


@dataclass(frozen=True)
class StoredCorrection:
    """A merge or a move (see ``FixCorrectionRow``)."""

    uuid: str
    kind: str
    subject: str
    target: str
    by: str
    created_at: datetime | None
    undone_at: datetime | None
    undone_by: str


class ClusterDetail(BaseModel):
    """What the fix list shows of one stored cluster besides its members."""

    model_config = ConfigDict(frozen=True)

    terms: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    cohesion: float = 0.0
    suggestions: tuple[tuple[str, int], ...] = ()
    split_strength: float = 1.0
    looks_mixed: bool = False


class ClusterRun(BaseModel):
    """One journey's clustering as stored (the ``payload`` JSON of ``cluster_run``).

    ``input`` is the fingerprint of what was clustered: the same fingerprint means the stored
    clustering can be shown again without running the engine. Unknown or broken payloads read as
    an empty run (old rows must never stop a fix list).
    """

    model_config = ConfigDict(frozen=True)

    id: int = Field(default=0, exclude=True)
    scope: str = Field(default="", exclude=True)
    created_at: datetime | None = Field(default=None, exclude=True)
    clusters: dict[str, tuple[str, ...]] = {}
    titles: dict[str, str] = {}
    one_offs: dict[str, tuple[str, ...]] = {}
    input: str = ""
    detail: dict[str, ClusterDetail] = {}
    unclustered: tuple[str, ...] = ()
    duplicates: dict[str, str] = {}

    @classmethod
    def of(
        cls, fingerprint: str, clustering: Clustering, one_offs: Sequence[Cluster]
    ) -> ClusterRun:
        """The run to store for ``clustering`` (plus its one-off blocker lines)."""
        return cls(
            clusters={c.id: c.members for c in clustering.clusters},
            titles={c.id: c.title for c in (*clustering.clusters, *one_offs)},
            one_offs={c.id: c.members for c in one_offs},
            input=fingerprint,
            detail={
                c.id: ClusterDetail(
                    terms=c.terms,
                    quotes=c.quotes,
                    cohesion=c.cohesion,
                    suggestions=c.suggestions,
                    split_strength=c.split_strength,
                    looks_mixed=c.looks_mixed,
                )
                for c in clustering.clusters
            },
            unclustered=clustering.unclustered,
            duplicates=dict(clustering.duplicates),
        )

    def clustering(self, fingerprint: str) -> Clustering | None:
        """The stored clustering when it was computed from exactly this input, else None."""
        if not self.input or self.input != fingerprint:
            return None
        if any(cid not in self.detail for cid in self.clusters):
            return None
        clusters = tuple(
            Cluster(
                id=cid,
                title=self.titles.get(cid, ""),
                terms=self.detail[cid].terms,
                members=members,
                quotes=self.detail[cid].quotes,
                cohesion=self.detail[cid].cohesion,
                suggestions=self.detail[cid].suggestions,
                split_strength=self.detail[cid].split_strength,
                looks_mixed=self.detail[cid].looks_mixed,
            )
            for cid, members in self.clusters.items()
        )
        labels: dict[str, str | None] = dict.fromkeys(self.unclustered)
        labels.update({m: c.id for c in clusters for m in c.members})
        return Clustering(clusters, self.unclustered, labels, (), dict(self.duplicates))

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


#: What ``latest_run`` used to return; kept as a name for callers of the old API.
StoredRun = ClusterRun


def visit_facts(
    unit: Unit,
    *,
    journey_id: str | None = None,
    product_id: str | None = None,
    release: str | None = None,
) -> list[VisitFact]:
    query = (
        select(StepVisitRow, WalkRow, WalkerRow.uuid)
        .join(WalkRow, col(WalkRow.id) == col(StepVisitRow.walk_id))
        .join(WalkerRow, col(WalkerRow.id) == col(WalkRow.walker_id))
    )
    query = where_walks(query, journey_id=journey_id, product_id=product_id, release=release)
    query = query.order_by(col(StepVisitRow.id))
    return [
        VisitFact(
            walk_uuid=walk.uuid,
            walker_uuid=walker_uuid,
            journey_id=walk.journey_id,
            product_id=walk.product_id,
            release=walk.release,
            step_id=visit.step_id,
            outcome=visit.outcome,
            ease=visit.ease,
        )
        for visit, walk, walker_uuid in unit.session.exec(query)
    ]


# ---------------------------------------------------------------------------------- fix decisions
def _fix_of(row: ClusterFixRow) -> StoredFix:
    return StoredFix(
        cluster_id=row.cluster_id,
        scope=row.scope,
        title=row.title,
        status=row.status,
        release=row.release,
        note=row.note,
        updated_at=row.updated_at,
        owner=row.owner,
        ticket=row.ticket,
    )


def fixes(unit: Unit) -> dict[str, StoredFix]:
    rows = unit.session.exec(select(ClusterFixRow).order_by(col(ClusterFixRow.cluster_id)))
    return {row.cluster_id: _fix_of(row) for row in rows}


def get_fix(unit: Unit, cluster_id: str) -> StoredFix | None:
    row = unit.session.get(ClusterFixRow, cluster_id)
    return _fix_of(row) if row else None


def save_fix(
    unit: Unit,
    *,
    cluster_id: str,
    scope: str,
    title: str,
    status: str,
    release: str | None,
    note: str,
    owner: str = "",
    ticket: str = "",
    by: str = "",
    uuid: str | None = None,
) -> StoredFix:
    """Insert or replace the decision for one cluster, and add it to the cluster's history.

    ``uuid``: the id of this save, made when the person confirmed it; saved again under it
    (the COMMIT's answer was lost), it changes nothing and returns the decision as it is now."""
    row = unit.session.get(ClusterFixRow, cluster_id)
    if row is not None and unit.saved(FixDecisionEventRow, [] if uuid is None else [uuid]):
        return _fix_of(row)
    if row is None:
        row = ClusterFixRow(cluster_id=cluster_id)
    row.scope, row.title, row.status = scope, title, status
    row.release, row.note = release, note
    row.owner, row.ticket = owner, ticket
    row.updated_at = datetime.now(UTC)
    unit.session.add(row)
    event = FixDecisionEventRow(
        cluster_id=cluster_id, status=status, release=release, note=note, owner=owner,
        ticket=ticket, by=by, at=row.updated_at,
    )  # fmt: skip
    if uuid is not None:
        event.uuid = uuid
    unit.session.add(event)
    unit.session.flush()
    return _fix_of(row)


def decision_events(unit: Unit, cluster_id: str) -> list[StoredDecisionEvent]:
    """Every decision saved for ``cluster_id``, oldest first."""
    rows = unit.session.exec(
        select(FixDecisionEventRow)
        .where(FixDecisionEventRow.cluster_id == cluster_id)
        .order_by(col(FixDecisionEventRow.at), col(FixDecisionEventRow.id))
    )
    return [
        StoredDecisionEvent(
            cluster_id=r.cluster_id,
            status=r.status,
            release=r.release,
            note=r.note,
            owner=r.owner,
            ticket=r.ticket,
            by=r.by,
            at=r.at,
        )  # fmt: skip
        for r in rows
    ]


# ---------------------------------------------------------------------------------- corrections
def _correction_of(row: FixCorrectionRow) -> StoredCorrection:
    return StoredCorrection(
        uuid=row.uuid, kind=row.kind, subject=row.subject, target=row.target, by=row.by,
        created_at=row.created_at, undone_at=row.undone_at, undone_by=row.undone_by,
    )  # fmt: skip


def corrections(unit: Unit) -> list[StoredCorrection]:
    """Every correction, undone ones included, in the order they were made."""
    rows = unit.session.exec(select(FixCorrectionRow).order_by(col(FixCorrectionRow.id)))
    return [_correction_of(r) for r in rows]


def saved_corrections(unit: Unit, uuids: Sequence[str]) -> list[StoredCorrection]:
    """The corrections stored under these ids (a change saved again: ``Unit.saved``)."""
    return [_correction_of(r) for r in unit.saved(FixCorrectionRow, uuids)]


def undone_by_undo(unit: Unit, undo_uuid: str) -> list[StoredCorrection]:
    """The corrections the undo ``undo_uuid`` took back (an undo saved again finds them)."""
    rows = unit.session.exec(
        select(FixCorrectionRow)
        .where(FixCorrectionRow.undo_uuid == undo_uuid)
        .order_by(col(FixCorrectionRow.id))
    )
    return [_correction_of(r) for r in rows]


def add_correction(
    unit: Unit,
    *,
    kind: str,
    subject: str,
    target: str,
    by: str = "",
    uuid: str | None = None,
    created_at: datetime | None = None,
    undone_at: datetime | None = None,
    undone_by: str = "",
) -> StoredCorrection:
    """Record a merge or a move (``uuid``: the id made when the person confirmed it)."""
    row = FixCorrectionRow(
        kind=kind, subject=subject, target=target, by=by,
        created_at=created_at or datetime.now(UTC), undone_at=undone_at, undone_by=undone_by,
    )  # fmt: skip
    if uuid:
        row.uuid = uuid
    unit.session.add(row)
    unit.session.flush()
    return _correction_of(row)


def undo_correction(
    unit: Unit, uuid: str, *, by: str = "", undo_uuid: str = ""
) -> StoredCorrection | None:
    """Mark a correction undone (kept in the history); None when there is no such active one.
    ``undo_uuid``: the id of the undo, made when the person confirmed it (``undone_by_undo``)."""
    row = unit.session.exec(select(FixCorrectionRow).where(FixCorrectionRow.uuid == uuid)).first()
    if row is None or row.undone_at is not None:
        return None
    row.undone_at, row.undone_by, row.undo_uuid = datetime.now(UTC), by, undo_uuid
    unit.session.add(row)
    unit.session.flush()
    return _correction_of(row)


def add_fix_if_absent(
    unit: Unit,
    *,
    cluster_id: str,
    scope: str,
    title: str,
    status: str,
    release: str | None,
    note: str,
) -> StoredFix | None:
    """Insert a decision unless the cluster already has one, even one another process saved a
    moment ago (the insert runs in a savepoint, so losing that race undoes only itself)."""
    from sqlalchemy.exc import IntegrityError

    if unit.session.get(ClusterFixRow, cluster_id) is not None:
        return None
    row = ClusterFixRow(
        cluster_id=cluster_id,
        scope=scope,
        title=title,
        status=status,
        release=release,
        note=note,
        updated_at=datetime.now(UTC),
    )
    try:
        with unit.session.begin_nested():
            unit.session.add(row)
    except IntegrityError:
        return None
    return _fix_of(row)


# ---------------------------------------------------------------------------------- runs
def _run_of(row: ClusterRunRow) -> ClusterRun:
    try:
        run = ClusterRun.model_validate_json(row.payload)
    except ValueError:
        run = ClusterRun()
    return run.model_copy(
        update={"id": row.id or 0, "scope": row.scope, "created_at": row.created_at}
    )


def latest_run(unit: Unit, scope: str) -> ClusterRun | None:
    row = unit.session.exec(
        select(ClusterRunRow)
        .where(ClusterRunRow.scope == scope)
        .order_by(col(ClusterRunRow.id).desc())
        .limit(1)
    ).first()
    return _run_of(row) if row else None


def latest_runs(unit: Unit) -> list[ClusterRun]:
    """The newest run of every scope (where a cluster id is looked up when its status is set)."""
    newest = select(func.max(ClusterRunRow.id)).group_by(col(ClusterRunRow.scope)).scalar_subquery()
    rows = unit.session.exec(
        select(ClusterRunRow)
        .where(col(ClusterRunRow.id).in_(newest))
        .order_by(col(ClusterRunRow.id).desc())
    )
    return [_run_of(row) for row in rows]


def save_run(unit: Unit, *, scope: str, run: ClusterRun) -> bool:
    """Store a run unless it equals the scope's latest one; True when a row was added."""
    text = run.to_json()
    previous = latest_run(unit, scope)
    if previous is not None and previous.to_json() == text:
        return False
    unit.session.add(ClusterRunRow(scope=scope, payload=text))
    unit.session.flush()
    return True


def report_uuids(unit: Unit, prefix: str, *, limit: int = 3) -> list[str]:
    """Pain-point uuids starting with ``prefix`` (a report id copied short, as the table shows)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = unit.session.exec(
        select(PainPointRow.uuid)
        .where(col(PainPointRow.uuid).like(f"{escaped}%", escape="\\"))
        .order_by(col(PainPointRow.uuid))
        .limit(limit)
    )
    return list(rows)
