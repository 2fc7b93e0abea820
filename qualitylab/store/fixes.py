"""Queries behind the fix list: step visits as facts, clustering runs, and the team's fix decisions.

Every function takes an open ``Unit`` (one transaction) and returns plain frozen dataclasses, so the
service layer never sees an ORM row. Run payloads are JSON text
``{"clusters": {cluster_id: [member uuids]}, "titles": {cluster_id: title}}``; the service adds
keys of its own (one-offs, cluster details, an input fingerprint) that this module passes through.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from qualitylab.store.models import ClusterFixRow, ClusterRunRow, StepVisitRow, WalkerRow, WalkRow
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


@dataclass(frozen=True)
class StoredRun:
    """One clustering run; ``payload`` is the stored JSON, service-specific keys included."""

    id: int
    scope: str
    created_at: datetime | None
    payload: dict[str, Any]

    def _members(self, key: str) -> dict[str, list[str]]:
        value = self.payload.get(key)
        if not isinstance(value, dict):
            return {}
        return {str(k): [str(m) for m in v] for k, v in value.items() if isinstance(v, list)}

    @property
    def clusters(self) -> dict[str, list[str]]:
        return self._members("clusters")

    @property
    def one_offs(self) -> dict[str, list[str]]:
        return self._members("one_offs")

    @property
    def titles(self) -> dict[str, str]:
        value = self.payload.get("titles")
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


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
def _run_of(row: ClusterRunRow) -> StoredRun:
    try:
        data: Any = json.loads(row.payload)
    except ValueError:
        data = {}
    return StoredRun(
        id=row.id or 0,
        scope=row.scope,
        created_at=row.created_at,
        payload=data if isinstance(data, dict) else {},
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


def save_run(unit: Unit, *, scope: str, payload: Mapping[str, Any]) -> bool:
    """Store a run unless it equals the scope's latest one; True when a row was added."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    previous = latest_run(unit, scope)
    if (
        previous is not None
        and json.dumps(previous.payload, ensure_ascii=False, sort_keys=True) == text
    ):
        return False
    unit.session.add(ClusterRunRow(scope=scope, payload=text))
    unit.session.flush()
    return True
