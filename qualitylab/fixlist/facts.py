"""Facts the score needs, from the lab's pain points and step visits (typed inputs, no store)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Protocol

from qualitylab.domain import Outcome, PainPoint
from qualitylab.fixlist.releases import sort_releases
from qualitylab.fixlist.score import PainFact, StepFacts


class Visit(Protocol):
    """One step visit with who made it and in which release (the store's ``VisitFact``)."""

    @property
    def walk_uuid(self) -> str: ...
    @property
    def walker_uuid(self) -> str: ...
    @property
    def journey_id(self) -> str: ...
    @property
    def product_id(self) -> str: ...
    @property
    def release(self) -> str: ...
    @property
    def step_id(self) -> str: ...
    @property
    def outcome(self) -> str | None: ...
    @property
    def ease(self) -> int | None: ...


def step_facts(visits: Iterable[Visit]) -> list[StepFacts]:
    """Who visited each step, and the step's ease over all its visits."""
    walkers: dict[tuple[str, str], set[str]] = defaultdict(set)
    ease_sum: Counter[tuple[str, str]] = Counter()
    ease_n: Counter[tuple[str, str]] = Counter()
    for v in visits:
        key = (v.journey_id, v.step_id)
        walkers[key].add(v.walker_uuid)
        if v.ease is not None:
            ease_sum[key] += v.ease
            ease_n[key] += 1
    return [
        StepFacts(j, s, frozenset(who), ease_sum=ease_sum[(j, s)], ease_count=ease_n[(j, s)])
        for (j, s), who in walkers.items()
    ]


def _outcome(raw: str | None) -> Outcome | None:
    try:
        return Outcome(raw) if raw else None
    except ValueError:
        return None


def pain_facts(pain_points: Iterable[PainPoint], visits: Iterable[Visit]) -> dict[str, PainFact]:
    """Each pain point with how the walker's visit to its step ended (outcome, ease)."""
    by_visit = {(v.walk_uuid, v.step_id): v for v in visits}
    facts: dict[str, PainFact] = {}
    for p in pain_points:
        visit = by_visit.get((p.walk_uuid, p.step_id))
        facts[p.uuid] = PainFact(
            uuid=p.uuid,
            walker_uuid=p.walker_uuid,
            walk_uuid=p.walk_uuid,
            journey_id=p.journey_id,
            step_id=p.step_id,
            severity=int(p.severity),
            release=p.release,
            outcome=_outcome(visit.outcome) if visit else None,
            ease=visit.ease if visit else None,
        )
    return facts


def author(point: PainPoint) -> str:
    """Who wrote a pain point, for the engine's "several people wrote this" rule; "" = unknown
    (anonymous feedback shares one walker record, so it cannot tell two people apart)."""
    return "" if point.walker_anonymous or not point.walker_uuid else point.walker_uuid


def known_releases(visits: Iterable[Visit], points: Iterable[PainPoint]) -> tuple[str, ...]:
    """Releases that walks used: their step visits, and logged feedback (which has none)."""
    return sort_releases([v.release for v in visits] + [p.release for p in points])
