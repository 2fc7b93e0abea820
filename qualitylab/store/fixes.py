"""Queries behind the fix list: step visits as facts, clustering runs, and the team's fix decisions.

Every function takes an open ``Unit`` (one transaction) and returns plain frozen dataclasses, so the
service layer never sees an ORM row. Run payloads are JSON text
``{"clusters": {cluster_id: [member uuids]}, "titles": {cluster_id: title}}`` plus ``"one_offs"``
(pain points left out of every cluster but listed on their own, e.g. a lone blocker).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from qualitylab.store.models import ClusterFixRow, ClusterRunRow, StepVisitRow, WalkerRow, WalkRow
from qualitylab.store.unit import Unit


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


@dataclass(frozen=True)
class StoredRun:
    id: int
    scope: str
    created_at: datetime | None
    clusters: dict[str, list[str]]
    titles: dict[str, str]
    one_offs: dict[str, list[str]]


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
    if journey_id:
        query = query.where(WalkRow.journey_id == journey_id)
    if product_id:
        query = query.where(WalkRow.product_id == product_id)
    if release:
        query = query.where(WalkRow.release == release)
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
) -> StoredFix:
    """Insert or replace the decision for one cluster."""
    row = unit.session.get(ClusterFixRow, cluster_id)
    if row is None:
        row = ClusterFixRow(cluster_id=cluster_id)
    row.scope, row.title, row.status = scope, title, status
    row.release, row.note = release, note
    row.updated_at = datetime.now(UTC)
    unit.session.add(row)
    unit.session.flush()
    return _fix_of(row)


# ---------------------------------------------------------------------------------- runs
def _run_of(row: ClusterRunRow) -> StoredRun:
    try:
        data: Any = json.loads(row.payload)
    except ValueError:
        data = {}
    clusters = data.get("clusters") if isinstance(data, dict) else None
    titles = data.get("titles") if isinstance(data, dict) else None
    one_offs = data.get("one_offs") if isinstance(data, dict) else None
    return StoredRun(
        id=row.id or 0,
        scope=row.scope,
        created_at=row.created_at,
        clusters={
            str(k): [str(m) for m in v] for k, v in (clusters or {}).items() if isinstance(v, list)
        },
        titles={str(k): str(v) for k, v in (titles or {}).items()},
        one_offs={
            str(k): [str(m) for m in v] for k, v in (one_offs or {}).items() if isinstance(v, list)
        },
    )


def latest_run(unit: Unit, scope: str) -> StoredRun | None:
    row = unit.session.exec(
        select(ClusterRunRow)
        .where(ClusterRunRow.scope == scope)
        .order_by(col(ClusterRunRow.id).desc())
        .limit(1)
    ).first()
    return _run_of(row) if row else None


def latest_runs(unit: Unit) -> list[StoredRun]:
    """The newest run of every scope (where a cluster id is looked up when its status is set)."""
    newest = select(func.max(ClusterRunRow.id)).group_by(col(ClusterRunRow.scope)).scalar_subquery()
    rows = unit.session.exec(
        select(ClusterRunRow)
        .where(col(ClusterRunRow.id).in_(newest))
        .order_by(col(ClusterRunRow.id).desc())
    )
    return [_run_of(row) for row in rows]


def save_run(
    unit: Unit,
    *,
    scope: str,
    clusters: Mapping[str, Sequence[str]],
    titles: Mapping[str, str],
    one_offs: Mapping[str, Sequence[str]] | None = None,
) -> bool:
    """Store a run unless it equals the scope's latest one; True when a row was added."""
    payload = {
        "clusters": {cid: list(members) for cid, members in sorted(clusters.items())},
        "titles": {cid: titles.get(cid, "") for cid in sorted({*clusters, *(one_offs or {})})},
        "one_offs": {cid: list(members) for cid, members in sorted((one_offs or {}).items())},
    }
    previous = latest_run(unit, scope)
    if previous is not None and (previous.clusters, previous.titles, previous.one_offs) == (
        payload["clusters"],
        payload["titles"],
        payload["one_offs"],
    ):
        return False
    unit.session.add(
        ClusterRunRow(scope=scope, payload=json.dumps(payload, ensure_ascii=False, sort_keys=True))
    )
    unit.session.flush()
    return True
