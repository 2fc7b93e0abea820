"""Queries behind reports: the walks of a scope with their step visits, praise and journey shapes.

Three joined queries (walks, visits, praise) narrowed with ``where_walks``, never one query per
walk or an ``IN`` list of ids: a lab with 100,000 pain points has tens of thousands of walks.
Returns domain types only, like the rest of the store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import col, select

from qualitylab.domain import Journey, Praise, StepVisit, Walk, WalkStatus
from qualitylab.store.models import JourneySnapshotRow, PraiseRow, StepVisitRow, WalkerRow, WalkRow
from qualitylab.store.unit import Unit, visit_of, walker_of, where_walks


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
    visits: dict[int, list[StepVisit]] = defaultdict(list)
    visit_query = select(StepVisitRow).join(WalkRow, col(WalkRow.id) == col(StepVisitRow.walk_id))
    visit_query = where_walks(visit_query, **scope).order_by(col(StepVisitRow.position))
    for visit in unit.session.exec(visit_query):
        visits[visit.walk_id].append(visit_of(visit))
    walk_query = select(WalkRow, WalkerRow).join(
        WalkerRow, col(WalkerRow.id) == col(WalkRow.walker_id)
    )
    walk_query = where_walks(walk_query, **scope).order_by(
        col(WalkRow.started_at), col(WalkRow.uuid)
    )
    walks: list[Walk] = []
    newest_hash: dict[str, str] = {}
    uuid_of: dict[int, str] = {}
    for w, walker in unit.session.exec(walk_query):
        uuid_of[w.id or 0] = w.uuid
        newest_hash[w.journey_id] = w.journey_hash
        walks.append(
            Walk(
                uuid=w.uuid,
                journey_id=w.journey_id,
                journey_hash=w.journey_hash,
                product_id=w.product_id,
                release=w.release,
                walker=walker_of(walker),
                status=WalkStatus(w.status),
                started_at=w.started_at,
                finished_at=w.finished_at,
                current_step=w.current_step,
                nps=w.nps,
                closing_comment=w.closing_comment,
                source=w.source,
                visits=tuple(visits.get(w.id or 0, ())),
            )
        )
    praise_query = select(PraiseRow).join(WalkRow, col(WalkRow.id) == col(PraiseRow.walk_id))
    praise_query = where_walks(praise_query, **scope).order_by(
        col(PraiseRow.created_at), col(PraiseRow.id)
    )
    praise = [
        Praise(
            uuid=p.uuid,
            walk_uuid=uuid_of.get(p.walk_id, ""),
            step_id=p.step_id,
            text=p.text,
            created_at=p.created_at,
        )
        for p in unit.session.exec(praise_query)
    ]
    journeys: dict[str, Journey | None] = {}
    for journey, digest in sorted(newest_hash.items()):
        snapshot = unit.session.get(JourneySnapshotRow, digest)
        try:
            journeys[journey] = Journey.model_validate_json(snapshot.content) if snapshot else None
        except ValueError:  # a snapshot written by another version: fall back to the ids
            journeys[journey] = None
    return ScopeWalks(walks, praise, journeys)
