"""One walk in full (``qualitylab walks show``): its steps as walked, pain points, praise, score
and closing comment, read in one transaction so the parts agree."""

from __future__ import annotations

from dataclasses import dataclass

from qualitylab.domain import Journey, PainPoint, Praise, Walk
from qualitylab.errors import NotFound
from qualitylab.services.lab import Lab

#: A walk id may be shortened to this many characters or more, if it stays unique.
MIN_PREFIX = 6


@dataclass(frozen=True)
class WalkDetail:
    walk: Walk
    journey: Journey | None  # as walked (None when its snapshot cannot be read)
    pain_points: list[PainPoint]
    praise: list[Praise]

    def step_title(self, step_id: str) -> str:
        if self.journey is not None:
            for step in self.journey.steps:
                if step.id == step_id:
                    return step.title
        return step_id


def walk_detail(lab: Lab, walk_id: str) -> WalkDetail:
    """The walk ``walk_id`` (its uuid, or a unique start of it of 6+ characters)."""
    walk_id = walk_id.strip()
    with lab.store.unit(read_only=True) as u:
        try:
            walk = u.walk(walk_id)
        except NotFound:
            found = (
                [w for w in u.list_walks() if w.uuid.startswith(walk_id)]
                if len(walk_id) >= MIN_PREFIX
                else []
            )
            if len(found) != 1:
                how = "matches several walks" if found else "is not a walk id"
                raise NotFound(
                    f"{walk_id!r} {how}; see the ids with `qualitylab walks list` "
                    "(whole ids: --json)"
                ) from None
            walk = found[0]
        try:
            journey: Journey | None = u.snapshot(walk.journey_hash)
        except (NotFound, ValueError):
            journey = None
        return WalkDetail(
            walk=walk,
            journey=journey,
            pain_points=u.pain_points(walk_uuid=walk.uuid),
            praise=u.list_praise(walk_uuid=walk.uuid),
        )
