"""Queries behind reports: the walks of a scope with their step visits, praise and journey shapes.

Three joined queries (walks, visits, praise) narrowed with ``where_walks``, never one query per
walk or an ``IN`` list of ids: a lab with 100,000 pain points has tens of thousands of walks.
Returns domain types only, like the rest of the store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from qualitylab.domain import Journey, Outcome, Praise, StepVisit, Walk, Walker, WalkStatus
from qualitylab.store.models import JourneySnapshotRow, PraiseRow, StepVisitRow, WalkerRow, WalkRow
from qualitylab.store.unit import Unit, where_walks


def _columns(*columns: Any) -> Any:
    """A select of plain columns (rows, not ORM instances)."""
    return select(*(col(c) for c in columns))


@dataclass(frozen=True)
class ScopeWalks:
    """Every walk of a scope (visits attached, oldest first), its praise, and each journey as it
    was last walked (step order and titles; None when its snapshot cannot be read)."""

    walks: list[Walk]
    praise: list[Praise]
    journeys: dict[str, Journey | None]


def scope_walks(
    unit: Unit,
    *,
    journey_id: str | None = None,
    product_id: str | None = None,
    release: str | None = None,
) -> ScopeWalks:
    scope = {"journey_id": journey_id, "product_id": product_id, "release": release}
    # Plain column rows, not ORM instances: building 100,000 mapped objects took most of the time.
    visits: dict[int, list[StepVisit]] = defaultdict(list)
    visit_query: Any = _columns(
        StepVisitRow.walk_id,
        StepVisitRow.step_id,
        StepVisitRow.position,
        StepVisitRow.outcome,
        StepVisitRow.ease,
        StepVisitRow.seconds_spent,
    ).join(WalkRow, col(WalkRow.id) == col(StepVisitRow.walk_id))
    visit_query = where_walks(visit_query, **scope).order_by(col(StepVisitRow.position))
    outcome = {o.value: o for o in Outcome}
    for walk_id, step_id, position, result, ease, seconds in unit.session.execute(visit_query):
        visits[walk_id].append(
            StepVisit(
                step_id=step_id,
                position=position,
                outcome=outcome.get(result or ""),
                ease=ease,
                seconds_spent=seconds,
            )
        )
    walk_query: Any = _columns(
        WalkRow.id,
        WalkRow.uuid,
        WalkRow.journey_id,
        WalkRow.journey_hash,
        WalkRow.product_id,
        WalkRow.release,
        WalkRow.status,
        WalkRow.started_at,
        WalkRow.finished_at,
        WalkRow.current_step,
        WalkRow.nps,
        WalkRow.closing_comment,
        WalkRow.source,
        WalkerRow.uuid,
        WalkerRow.name,
        WalkerRow.department,
        WalkerRow.anonymous,
    ).join(WalkerRow, col(WalkerRow.id) == col(WalkRow.walker_id))
    walk_query = where_walks(walk_query, **scope).order_by(
        col(WalkRow.started_at), col(WalkRow.uuid)
    )
    walks: list[Walk] = []
    newest_hash: dict[str, str] = {}
    uuid_of: dict[int, str] = {}
    walkers: dict[str, Walker] = {}
    for row in unit.session.execute(walk_query):
        (walk_id, uuid, journey, digest, product, rel, status, started, finished) = row[:9]
        current, nps, comment, source, w_uuid, w_name, w_department, w_anonymous = row[9:]
        uuid_of[walk_id or 0] = uuid
        newest_hash[journey] = digest
        walker = walkers.get(w_uuid)
        if walker is None:
            walker = walkers[w_uuid] = Walker(
                uuid=w_uuid, name=w_name, department=w_department, anonymous=bool(w_anonymous)
            )
        walks.append(
            Walk(
                uuid=uuid,
                journey_id=journey,
                journey_hash=digest,
                product_id=product,
                release=rel,
                walker=walker,
                status=WalkStatus(status),
                started_at=started,
                finished_at=finished,
                current_step=current,
                nps=nps,
                closing_comment=comment,
                source=source,
                visits=tuple(visits.get(walk_id or 0, ())),
            )
        )
    praise_query: Any = _columns(
        PraiseRow.uuid, PraiseRow.walk_id, PraiseRow.step_id, PraiseRow.text, PraiseRow.created_at
    ).join(WalkRow, col(WalkRow.id) == col(PraiseRow.walk_id))
    praise_query = where_walks(praise_query, **scope).order_by(
        col(PraiseRow.created_at), col(PraiseRow.id)
    )
    praise = [
        Praise(
            uuid=p_uuid,
            walk_uuid=uuid_of.get(walk_id, ""),
            step_id=step,
            text=text,
            created_at=created,
        )
        for p_uuid, walk_id, step, text, created in unit.session.execute(praise_query)
    ]
    journeys: dict[str, Journey | None] = {}
    for journey, digest in sorted(newest_hash.items()):
        snapshot = unit.session.get(JourneySnapshotRow, digest)
        try:
            journeys[journey] = Journey.model_validate_json(snapshot.content) if snapshot else None
        except ValueError:  # a snapshot written by another version: fall back to the ids
            journeys[journey] = None
    return ScopeWalks(walks, praise, journeys)
