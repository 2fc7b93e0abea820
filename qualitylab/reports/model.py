"""The report model: everything a report says, as plain frozen dataclasses.

One model for every format: the service assembles it (``services.reports.build_report``) and each
renderer only lays it out, so the HTML, the workbook and the JSON can never disagree on a number.
Pure: no database, no screens, no template engine. ``to_json`` is the documented JSON shape
(README, "Report JSON"); bump ``SCHEMA_VERSION`` when a field changes meaning or goes away.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

SCHEMA_VERSION = 1

#: Below this many answers an NPS is shown with a warning and its interval.
SMALL_N = 30
#: The usual average of a single ease question (SEQ, 1-7): the reference line of ease charts.
EASE_REFERENCE = 5.5
SEVERITY_NAMES = {1: "cosmetic", 2: "minor", 3: "major", 4: "blocker"}
OUTCOMES = ("done", "friction", "blocked", "skipped", "unanswered")


@dataclass(frozen=True)
class Scope:
    journey: str | None = None
    product: str | None = None
    release: str | None = None
    compare_to: str | None = None


@dataclass(frozen=True)
class Nps:
    """Would-recommend (0-10) answers: promoters 9-10, passives 7-8, detractors 0-6.

    ``low``/``high``: a 95 % interval (adjusted Wald: one pseudo-answer of each kind added, so
    three promoters out of three do not read as "100, certain").
    """

    label: str
    n: int
    promoters: int
    passives: int
    detractors: int

    @property
    def score(self) -> float | None:
        return None if not self.n else 100.0 * (self.promoters - self.detractors) / self.n

    @property
    def interval(self) -> tuple[float, float] | None:
        if not self.n:
            return None
        n = self.n + 3
        p, d = (self.promoters + 1) / n, (self.detractors + 1) / n
        mean = p - d
        spread = 1.96 * math.sqrt(max(p + d - mean * mean, 0.0) / n)
        return (max(-100.0, 100 * (mean - spread)), min(100.0, 100 * (mean + spread)))

    @property
    def small(self) -> bool:
        return self.n < SMALL_N

    @classmethod
    def of(cls, label: str, answers: list[int]) -> Nps:
        return cls(
            label=label,
            n=len(answers),
            promoters=sum(1 for a in answers if a >= 9),
            passives=sum(1 for a in answers if 7 <= a <= 8),
            detractors=sum(1 for a in answers if a <= 6),
        )


@dataclass(frozen=True)
class StepRow:
    """One step of a journey's friction map."""

    step_id: str
    title: str
    reached: int  # walks that reached the step
    outcomes: dict[str, int]  # keys of OUTCOMES
    dropped: int  # abandoned walks whose last step this was
    median_seconds: float | None
    mean_ease: float | None
    ease_n: int
    severities: dict[int, int]  # 1..4 -> pain points logged on the step
    worst: bool = False  # marked: a quarter blocked/skipped, or its journey's lowest ease (< 5.5)

    @property
    def bad_share(self) -> float:
        answered = sum(v for k, v in self.outcomes.items() if k != "unanswered")
        bad = self.outcomes.get("blocked", 0) + self.outcomes.get("skipped", 0)
        return bad / answered if answered else 0.0

    @property
    def pain_points(self) -> int:
        return sum(self.severities.values())


@dataclass(frozen=True)
class JourneyMap:
    journey_id: str
    title: str
    product_id: str
    walks: int
    walkers: int
    completed: int
    abandoned: int
    nps: Nps
    steps: tuple[StepRow, ...]


@dataclass(frozen=True)
class Header:
    title: str
    scope: Scope
    generated_at: str  # ISO 8601, UTC
    journeys: tuple[str, ...]
    releases: tuple[str, ...]
    first_walk: str | None
    last_walk: str | None
    walkers: int
    walks: int
    completed: int
    abandoned: int
    in_progress: int
    logged_feedback: int  # pain points logged by scripts/CSV, outside any walk
    median_walk_seconds: float | None  # time on steps, completed walks
    pain_points: int
    problems: int


@dataclass(frozen=True)
class FixRow:
    """One problem of the fix list, with its texts (not just ids)."""

    rank: int
    id: str
    title: str
    score: float
    parts: dict[str, float]  # reach, severity_mean, severity_max, impact, persistence, blockers
    factors: dict[str, float]  # what the score multiplies
    blocker: bool
    regressed: bool
    walkers: int
    reports: int
    severities: dict[int, int]
    steps: tuple[str, ...]  # "journey/step", most frequent first
    quotes: tuple[str, ...]
    suggestions: tuple[tuple[str, int], ...]
    status: str
    status_release: str | None
    status_note: str
    releases: tuple[str, ...]
    one_off: bool = False  # a lone blocker report, listed so it cannot be missed
    owner: str = ""
    ticket: str = ""
    # a person's corrections (``fix merge`` / ``fix move``): problems merged in, reports moved
    merged: tuple[tuple[str, str], ...] = ()  # (problem id, title)
    moved_in: int = 0
    moved_out: int = 0
    # the engine's self-check: how alike its texts are (0..1); flags a person should look at
    cohesion: float = 1.0
    looks_mixed: bool = False  # may be two problems sharing words: check, and split it
    few_walkers: bool = False  # fewer than 3 walkers: too few people to read much into it


@dataclass(frozen=True)
class PainRow:
    """One pain point, with the problem it was grouped into ("" or a one-off line = a one-off)."""

    id: str
    text: str
    journey: str
    step: str
    severity: int
    category: str
    release: str
    walker: str  # name, or "anonymous"
    suggested_fix: str
    created_at: str | None
    problem_id: str
    problem_title: str


@dataclass(frozen=True)
class Change:
    id: str
    title: str
    kind: str  # regressed | new | persisting | resolved | not_seen_again
    from_count: int
    to_count: int
    status: str
    expected: float | None = None  # gone from the later release: walkers who would have hit it


@dataclass(frozen=True)
class Comparison:
    from_release: str
    to_release: str
    totals: dict[str, int]
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Note:
    """Praise ("don't break this") or a closing comment."""

    text: str
    journey: str
    step: str  # "" for a closing comment
    release: str
    walker: str
    nps: int | None = None


@dataclass(frozen=True)
class Report:
    header: Header
    nps: Nps
    nps_by_journey: tuple[Nps, ...]
    nps_by_release: tuple[Nps, ...]
    journeys: tuple[JourneyMap, ...]
    fixes: tuple[FixRow, ...]
    one_offs: tuple[PainRow, ...]  # severity 3-4 reports in no recurring problem (fixlist.one_offs)
    comparison: Comparison | None
    praise: tuple[Note, ...]
    comments: tuple[Note, ...]
    pain_points: tuple[PainRow, ...] = field(default=(), repr=False)
    schema_version: int = SCHEMA_VERSION


def _nps_json(nps: Nps) -> dict[str, Any]:
    interval = nps.interval
    return {
        **asdict(nps),
        "nps": None if nps.score is None else round(nps.score, 1),
        "interval": None if interval is None else [round(interval[0], 1), round(interval[1], 1)],
        "small_n": nps.small,
    }


def to_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data (see README, "Report JSON")."""
    data = asdict(replace(report, pain_points=()))
    # flat rows: a shallow copy each is ~10x faster than asdict's deep copy (100,000 of them)
    data["pain_points"] = [dict(p.__dict__) for p in report.pain_points]
    data["schema_version"] = report.schema_version
    data["nps"] = _nps_json(report.nps)
    data["nps_by_journey"] = [_nps_json(n) for n in report.nps_by_journey]
    data["nps_by_release"] = [_nps_json(n) for n in report.nps_by_release]
    for out, journey in zip(data["journeys"], report.journeys, strict=True):
        out["nps"] = _nps_json(journey.nps)
        for step_out, step in zip(out["steps"], journey.steps, strict=True):
            step_out["severities"] = {str(k): v for k, v in step.severities.items()}
            step_out["bad_share"] = round(step.bad_share, 4)
    for out, fix in zip(data["fixes"], report.fixes, strict=True):
        out["severities"] = {str(k): v for k, v in fix.severities.items()}
        out["suggestions"] = [{"text": t, "count": n} for t, n in fix.suggestions]
        out["merged"] = [{"id": i, "title": t} for i, t in fix.merged]
    return {"schema_version": report.schema_version, **data}
