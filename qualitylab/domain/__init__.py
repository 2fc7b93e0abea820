"""Plain types every layer shares: the journey catalog, walks, pain points, clusters and fixes.

The catalog types (``Catalog``, ``Journey``, ``Step``, ``Product``) are pydantic models because
they *are* the journeys.yaml schema (unknown keys are errors, ids are checked). They live in
``domain.catalog`` and load on first use: importing pydantic costs ~0.3 s, which the clustering
engine (10,000 texts in under 2 s, whole process) must not pay. Everything else is a frozen
dataclass so the pure layers stay cheap to import and easy to build in tests.
Nothing here knows about screens, databases or the command line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qualitylab.domain.catalog import Catalog as Catalog
    from qualitylab.domain.catalog import Journey as Journey
    from qualitylab.domain.catalog import Product as Product
    from qualitylab.domain.catalog import Step as Step


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
#: Longest release name ("2026.11", "5.0-rc1"): the database column's size, which PostgreSQL
#: enforces and SQLite does not, so every way in checks it.
MAX_RELEASE_CHARS = 64
NPS_MIN, NPS_MAX = 0, 10  # "would you recommend this to a friend"

# Limits every way in checks (walk services, CSV feedback, import, the demo): the record model in
# ``domain.records`` and ``services.walks`` both read them here, so no two paths disagree.
#: A pain point, praise, suggested fix, closing comment or decision note.
MAX_TEXT_CHARS = 20_000
#: A walker's name or department, a fix's scope (the database columns' size).
MAX_NAME_CHARS = 200
#: Ids of journeys, steps, products, clusters, categories; content hashes.
MAX_ID_CHARS = 64
#: A tracker's key on a fix decision ("PROJ-123"): the database column's size.
MAX_TICKET_CHARS = 64
MAX_UUID_CHARS = 36
MAX_FILENAME_CHARS = 255
MAX_MEDIA_TYPE_CHARS = 100
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
#: A journey snapshot as JSON (a journey of a hundred long steps is ~100 kB).
MAX_JOURNEY_CHARS = 1_000_000
#: Steps in one journey, so a step position or visit count beyond it is nonsense.
MAX_STEPS = 1_000
#: Time on one step: a screen left open for a year is the most a real walk records.
MAX_SECONDS_SPENT = 366 * 24 * 3600.0
#: Times outside this range are typos or attacks (year 9999 overflows once moved to UTC).
TIME_MIN = datetime(2000, 1, 1, tzinfo=UTC)
TIME_MAX = datetime(2100, 1, 1, tzinfo=UTC)

#: NUL and lone surrogates: PostgreSQL refuses NUL in text and no database can store a lone
#: surrogate as UTF-8; SQLite would keep both and a later move of the lab to PostgreSQL would fail.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


#: Control characters (newlines and tabs too), line separators, bidi overrides, lone surrogates:
#: a release is a name shown in one table cell and matched exactly, never text with layout.
_NOT_IN_RELEASE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
#: What every refusal of a release name says is allowed.
RELEASE_RULE = (
    f"a release is one line of up to {MAX_RELEASE_CHARS} printable characters, "
    "such as 2.1, 2026.11 or 5.0-rc1"
)


def release_problem(release: str) -> str | None:
    """What is wrong with a release name (``release`` already stripped), or None.

    One rule for every way a release comes in: journeys.yaml's product release, a walk's or a
    logged pain point's ``--release``, a decision's release (``fixlist.releases.check_release``).
    """
    if not release:
        return "is empty"
    if len(release) > MAX_RELEASE_CHARS:
        return f"is longer than {MAX_RELEASE_CHARS} characters ({len(release):,})"
    found = _NOT_IN_RELEASE.search(release)
    if found is not None:
        char = found[0]
        if char in "\r\n\u2028\u2029":
            name = "a line break"
        else:
            name = "a tab" if char == "\t" else f"the control character U+{ord(char):04X}"
        return f"holds {name} (at {found.start() + 1})"
    return None


def text_problem(value: str) -> str | None:
    """What makes ``value`` unstorable (NUL, a lone surrogate), or None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    at = found.start() + 1
    if found[0] == "\x00":
        return f"holds a NUL character (at {at})"
    return f"holds a lone surrogate \\u{ord(found[0]):04x} (at {at}); it is not text"


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
    #: Written by an anonymous walker (all anonymous CLI/CSV feedback shares one walker record).
    walker_anonymous: bool = False


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
    cohesion: float  # mean cosine of its texts to their centre (0..1; low = loose wording)
    suggestions: tuple[tuple[str, int], ...] = ()  # (suggested fix, how many said it)
    #: How strongly its best two-way split is held together (0..1, 1 = no weak seam): the
    #: links crossing the cut over the smaller side's links. Low = two problems sharing words.
    split_strength: float = 1.0
    looks_mixed: bool = False  # split_strength below the engine's threshold: check it by hand

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
    blocked: float = 0.0  # share of its steps' visitors who rated it a blocker (reach x blockers)


#: A problem reported by fewer distinct walkers than this rests on too few people to read much
#: into its size or its score: the fix list and reports flag it ("check").
MIN_WALKERS_TO_TRUST = 3


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
    # A person's corrections (``qualitylab fix merge`` / ``fix move``), shown next to the item:
    merged: tuple[tuple[str, str], ...] = ()  # (problem id, title) merged into this one by hand
    moved_in: tuple[str, ...] = ()  # report uuids moved into it by hand
    moved_out: tuple[str, ...] = ()  # report uuids moved out of it by hand
    owner: str = ""  # who takes care of it (from the decision)
    ticket: str = ""  # the tracker key (from the decision)

    @property
    def looks_mixed(self) -> bool:
        """The engine's self-check: its reports may be two problems sharing words (split it)."""
        return self.cluster.looks_mixed

    @property
    def few_walkers(self) -> bool:
        """Fewer than MIN_WALKERS_TO_TRUST people reported it (a lone blocker line included)."""
        return self.walkers < MIN_WALKERS_TO_TRUST


def utcnow() -> datetime:
    """Aware UTC now: every stored time is UTC and aware, on SQLite and PostgreSQL alike."""
    return datetime.now(UTC)


_CATALOG_NAMES = frozenset({"Catalog", "Journey", "Product", "Step"})


def __dir__() -> list[str]:
    return sorted({*globals(), *_CATALOG_NAMES})


def __getattr__(name: str) -> Any:
    """Load the pydantic catalog models on first use (see the module docstring)."""
    if name in _CATALOG_NAMES:
        from qualitylab.domain import catalog

        return getattr(catalog, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
