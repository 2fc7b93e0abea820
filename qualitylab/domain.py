"""Plain types every layer shares: the journey catalog, walks, pain points, clusters and fixes.

The catalog types are pydantic models because they *are* the journeys.yaml schema (unknown
keys are errors, ids are checked); everything else is a frozen dataclass so the pure layers stay
cheap to import and easy to build in tests.
Nothing here knows about screens, databases or the command line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# --------------------------------------------------------------------------------------------------
# Enumerations
# --------------------------------------------------------------------------------------------------


class Severity(IntEnum):
    """Nielsen-style severity of a pain point; 4 (blocker) always surfaces first."""

    COSMETIC = 1
    MINOR = 2
    MAJOR = 3
    BLOCKER = 4


class Outcome(StrEnum):
    """How a step ended for the walker."""

    DONE = "done"
    FRICTION = "done_with_friction"
    BLOCKED = "blocked"
    SKIPPED = "skipped"


class WalkStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class FixStatus(StrEnum):
    OPEN = "open"
    PLANNED = "planned"
    FIXED = "fixed"
    WONT_FIX = "wont_fix"


class Channel(StrEnum):
    APP = "app"
    WEB = "web"
    SHOP = "shop"
    CALL_CENTRE = "call-centre"
    SMS = "sms"
    OTHER = "other"


#: Categories every catalog has; a catalog may add its own (``Catalog.categories``).
DEFAULT_CATEGORIES: tuple[str, ...] = (
    "usability",
    "wording",
    "bug",
    "speed",
    "price/offer",
    "trust/security",
    "accessibility",
    "other",
)

SEVERITY_MIN, SEVERITY_MAX = 1, 4
EASE_MIN, EASE_MAX = 1, 7  # Single Ease Question
NPS_MIN, NPS_MAX = 0, 10  # "would you recommend this to a friend"

# --------------------------------------------------------------------------------------------------
# Journey catalog (the journeys.yaml schema)
# --------------------------------------------------------------------------------------------------

_SLUG = r"^[a-z0-9][a-z0-9_-]*$"
Slug = Annotated[
    str,
    StringConstraints(pattern=_SLUG, min_length=1, max_length=64),
    Field(description="Lower-case id: letters, digits, '-' and '_' (e.g. esim-activation)."),
]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Product(_Strict):
    """A product or service under test."""

    id: Slug
    name: NonEmpty
    release: NonEmpty = Field(description="The release being tested, e.g. '2.0' or '2026.11'.")
    description: str = ""


class Step(_Strict):
    """One thing the walker does, with what good looks like and what to watch for."""

    id: Slug = Field(description="Unique within its journey; never reuse an id for a new meaning.")
    title: NonEmpty
    instructions: NonEmpty = Field(description="What to do, in Markdown.")
    expected: str = Field("", description="What good looks like.")
    watch_for: list[NonEmpty] = Field(default_factory=list, description="Prompts for the walker.")
    tags: list[NonEmpty] = Field(default_factory=list)
    skippable: bool = False


class Journey(_Strict):
    """A customer journey: a persona with a goal, walked step by step."""

    id: Slug
    title: NonEmpty
    product: Slug = Field(description="The id of a product in this catalog.")
    persona: NonEmpty
    channel: Channel
    goal: NonEmpty
    description: str = ""
    language: str = Field("en", description="Language the journey is written in (en, ru, ...).")
    estimated_minutes: int = Field(ge=1, le=600)
    have_at_hand: list[NonEmpty] = Field(
        default_factory=list, description="What the walker needs before starting."
    )
    steps: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_step_ids(self) -> Journey:
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(f"step id '{step.id}' is used twice in journey '{self.id}'")
            seen.add(step.id)
        return self

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def step_index(self, step_id: str) -> int:
        return [s.id for s in self.steps].index(step_id)

    def content_hash(self) -> str:
        """Hash of the journey as walked, so a later edit never relabels old walks."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]


class Catalog(_Strict):
    """Everything journeys.yaml holds."""

    version: int = Field(1, description="Schema version of this file.")
    categories: list[NonEmpty] = Field(
        default_factory=list, description="Extra pain-point categories beyond the defaults."
    )
    products: list[Product] = Field(min_length=1)
    journeys: list[Journey] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Catalog:
        product_ids = [p.id for p in self.products]
        if len(set(product_ids)) != len(product_ids):
            dup = next(p for p in product_ids if product_ids.count(p) > 1)
            raise ValueError(f"product id '{dup}' is used twice")
        journey_ids = [j.id for j in self.journeys]
        if len(set(journey_ids)) != len(journey_ids):
            dup = next(j for j in journey_ids if journey_ids.count(j) > 1)
            raise ValueError(f"journey id '{dup}' is used twice")
        return self

    def journey(self, journey_id: str) -> Journey:
        for journey in self.journeys:
            if journey.id == journey_id:
                return journey
        raise KeyError(journey_id)

    def product(self, product_id: str) -> Product:
        for product in self.products:
            if product.id == product_id:
                return product
        raise KeyError(product_id)

    def all_categories(self) -> list[str]:
        extra = [c for c in self.categories if c not in DEFAULT_CATEGORIES]
        # "other" stays last so pickers end with the catch-all
        return [c for c in DEFAULT_CATEGORIES if c != "other"] + extra + ["other"]


# --------------------------------------------------------------------------------------------------
# Walks and what walkers record (read models returned by the service layer)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Walker:
    uuid: str
    name: str
    department: str = ""
    anonymous: bool = False

    @property
    def label(self) -> str:
        return "anonymous" if self.anonymous else self.name


@dataclass(frozen=True)
class PainPoint:
    uuid: str
    walk_uuid: str
    journey_id: str
    step_id: str
    text: str
    severity: Severity
    category: str
    suggested_fix: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    walker_uuid: str = ""
    release: str = ""
    attachment_name: str | None = None


@dataclass(frozen=True)
class Praise:
    uuid: str
    walk_uuid: str
    step_id: str
    text: str
    created_at: datetime | None = None


@dataclass(frozen=True)
class StepVisit:
    step_id: str
    position: int
    outcome: Outcome | None = None
    ease: int | None = None
    seconds_spent: float = 0.0
    entered_at: datetime | None = None
    left_at: datetime | None = None


@dataclass(frozen=True)
class Walk:
    """A walk as the TUI and CLI see it: where the walker is and what they confirmed so far."""

    uuid: str
    journey_id: str
    journey_hash: str
    product_id: str
    release: str
    walker: Walker
    status: WalkStatus
    started_at: datetime
    finished_at: datetime | None = None
    current_step: int = 0
    nps: int | None = None
    closing_comment: str = ""
    visits: tuple[StepVisit, ...] = ()
    pain_point_count: int = 0
    source: str = "walk"  # "walk" (walked in the app) or "feedback" (logged by a script/CSV)

    def visit(self, step_id: str) -> StepVisit | None:
        for visit in self.visits:
            if visit.step_id == step_id:
                return visit
        return None


@dataclass(frozen=True)
class WalkSummary:
    """What the finish screen shows the walker about their own walk."""

    walk_uuid: str
    steps_total: int
    steps_visited: int
    seconds_total: float
    pain_points_by_severity: dict[Severity, int]
    praise_count: int
    outcomes: dict[Outcome, int]


# --------------------------------------------------------------------------------------------------
# Clustering and prioritisation
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    """One recurring problem found by the clustering engine.

    ``members`` are the caller's ids (pain-point uuids, or row indexes as strings for a CSV).
    """

    id: str
    title: str
    terms: tuple[str, ...]
    members: tuple[str, ...]
    quotes: tuple[str, ...]
    cohesion: float
    suggestions: tuple[tuple[str, int], ...] = ()  # (suggested fix, how many said it)

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class ClusterChange:
    """How a cluster relates to the previous run: kept, new, split from or merged into others."""

    kind: str  # "kept" | "new" | "split" | "merged" | "gone"
    cluster_id: str
    previous_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clustering:
    clusters: tuple[Cluster, ...]
    unclustered: tuple[str, ...]
    labels: dict[str, str | None]  # member id -> cluster id (None = one-off)
    changes: tuple[ClusterChange, ...] = ()
    duplicates: dict[str, str] = field(default_factory=dict)  # collapsed id -> id it copies


@dataclass(frozen=True)
class PriorityParts:
    """The explainable parts of a priority score (each shown to the product owner)."""

    reach: float  # distinct walkers who hit it / walkers who visited its steps (0..1)
    severity_mean: float
    severity_max: int
    impact: float  # blocked/skipped share and ease drop on its steps (0..1)
    persistence: float  # 1.0 when seen in more than one release
    score: float
    blockers: float = 0.0  # share of its walkers who rated it a blocker (severity 4)


@dataclass(frozen=True)
class FixItem:
    """One line of a ranked fix list."""

    rank: int
    cluster: Cluster
    priority: PriorityParts
    walkers: int
    pain_points: int
    steps: tuple[tuple[str, str], ...]  # (journey_id, step_id), most frequent first
    releases: tuple[str, ...]
    status: FixStatus = FixStatus.OPEN
    status_release: str | None = None
    status_note: str = ""
    regressed: bool = False
    blocker: bool = False  # ranks in the top group (enough walkers rated it a blocker)


def utcnow() -> datetime:
    """Aware UTC now: every stored time is UTC and aware, on SQLite and PostgreSQL alike."""
    return datetime.now(UTC)
