"""What the product owner's triage app reads: journey friction, the fix list with its one-offs,
and one problem with every report behind it.

Each function is one read-only use-case that assembles public pieces (``build_fix_report``,
``explain_fix``, the store's pain points and walks) into plain frozen dataclasses, so the Textual
screens only draw. Decisions are written by the fix-list services (``set_fix_status`` and the
corrections of issue 11), never here.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from qualitylab.domain import FixItem, Outcome, PainPoint, Severity, Walk, WalkStatus
from qualitylab.errors import CatalogError, InvalidInput, NotFound
from qualitylab.fixlist.build import ReleaseNote as ReleaseNote  # decide's warnings, for the app
from qualitylab.fixlist.releases import FixRecord, sort_releases
from qualitylab.fixlist.score import Explanation, factors_of
from qualitylab.services.lab import Lab

if TYPE_CHECKING:
    from qualitylab.domain import Journey
    from qualitylab.fixlist.corrections import Correction
    from qualitylab.services.corrections import HistoryLine
    from qualitylab.services.reports import ExcelChange

#: How many of a journey's steps are marked as the worst (when they show any friction at all).
WORST_STEPS = 2
#: NPS from fewer answers than this is shown with a warning: one answer moves it by 10+ points.
NPS_SMALL_N = 30
#: Merge suggestions shown for one problem.
SIMILAR = 5
#: Below this a "similar" problem only shares the journey: not worth suggesting.
MIN_SIMILARITY = 0.05


def check_lab(lab: Lab) -> int:
    """Open the lab's database once (raises ``MissingDatabase`` / ``StorageUnavailable`` with one
    clear line) and return how many pain points it holds."""
    with lab.store.unit(read_only=True) as unit:
        return unit.counts().get("pain_points", 0)


# ---------------------------------------------------------------------------------- journeys
@dataclass(frozen=True)
class StepFriction:
    """One step of a journey as walkers lived it (walks made in the app; logged feedback has no
    step visits)."""

    step_id: str
    title: str
    reached: int  # walks that visited the step
    outcomes: Mapping[Outcome, int]
    ease_mean: float | None  # Single Ease Question, 1..7
    median_seconds: float | None
    pain_points: int
    blockers: int  # pain points of severity 4
    dropped: int  # abandoned walks that stopped on this step
    worst: bool = False

    @property
    def friction(self) -> float:
        """0..1: blocked or skipped visits count fully, "done with friction" half."""
        answered = sum(self.outcomes.values())
        if not answered:
            return 0.0
        bad = self.outcomes.get(Outcome.BLOCKED, 0) + self.outcomes.get(Outcome.SKIPPED, 0)
        return (bad + 0.5 * self.outcomes.get(Outcome.FRICTION, 0)) / answered


@dataclass(frozen=True)
class Nps:
    """Net Promoter Score of "would you recommend" (0-10) answers."""

    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> int | None:
        return round(100 * (self.promoters - self.detractors) / self.n) if self.n else None

    @property
    def small(self) -> bool:
        return 0 < self.n < NPS_SMALL_N

    @classmethod
    def of(cls, answers: Iterable[int]) -> Nps:
        counts = Counter("p" if a >= 9 else "n" if a >= 7 else "d" for a in answers)
        return cls(counts["p"], counts["n"], counts["d"])


@dataclass(frozen=True)
class JourneyFriction:
    journey_id: str
    title: str
    product: str
    walkers: int
    walks: int
    completed: int
    abandoned: int
    nps: Nps
    steps: tuple[StepFriction, ...] = field(default=())

    @property
    def completion(self) -> float | None:
        """Completed share of the walks that ended (in-progress walks are not counted yet)."""
        ended = self.completed + self.abandoned
        return self.completed / ended if ended else None


def _step_friction(
    step_ids: Sequence[str],
    titles: Mapping[str, str],
    walks: Sequence[Walk],
    points: Sequence[PainPoint],
) -> tuple[StepFriction, ...]:
    outcomes: dict[str, Counter[Outcome]] = defaultdict(Counter)
    ease: dict[str, list[int]] = defaultdict(list)
    seconds: dict[str, list[float]] = defaultdict(list)
    reached: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    for walk in walks:
        for visit in walk.visits:
            reached[visit.step_id] += 1
            if visit.outcome is not None:
                outcomes[visit.step_id][visit.outcome] += 1
            if visit.ease is not None:
                ease[visit.step_id].append(visit.ease)
            if visit.seconds_spent > 0:
                seconds[visit.step_id].append(visit.seconds_spent)
        if walk.status == WalkStatus.ABANDONED and walk.visits:
            last = max(walk.visits, key=lambda v: v.position)
            dropped[last.step_id] += 1
    pains = Counter(p.step_id for p in points)
    blockers = Counter(p.step_id for p in points if p.severity == Severity.BLOCKER)
    steps = [
        StepFriction(
            step_id=sid,
            title=titles.get(sid, sid),
            reached=reached[sid],
            outcomes=dict(outcomes[sid]),
            ease_mean=statistics.fmean(ease[sid]) if ease[sid] else None,
            median_seconds=statistics.median(seconds[sid]) if seconds[sid] else None,
            pain_points=pains[sid],
            blockers=blockers[sid],
            dropped=dropped[sid],
        )
        for sid in step_ids
    ]
    ranked = sorted(
        (s for s in steps if s.friction > 0),
        key=lambda s: (-s.friction, s.ease_mean if s.ease_mean is not None else 8.0),
    )
    worst = {s.step_id for s in ranked[:WORST_STEPS]}
    return tuple(
        StepFriction(**{**s.__dict__, "worst": s.step_id in worst})  # frozen: rebuild
        for s in steps
    )


def journey_friction(lab: Lab, *, release: str | None = None) -> list[JourneyFriction]:
    """Every journey with walks or feedback: walkers, completion, NPS and per-step friction.

    Steps come from the catalog in catalog order; a journey no longer in the catalog (its walks
    are kept) lists the steps its walks visited, in walk order.
    """
    with lab.store.unit(read_only=True) as unit:
        walks = unit.list_walks(release=release or None)
        points = unit.pain_points(release=release or None)
    try:
        catalog_journeys: dict[str, Journey] = {j.id: j for j in lab.catalog.journeys}
        products = {p.id: p.name for p in lab.catalog.products}
    except CatalogError:
        catalog_journeys, products = {}, {}
    walks_of: dict[str, list[Walk]] = defaultdict(list)
    for walk in walks:
        walks_of[walk.journey_id].append(walk)
    points_of: dict[str, list[PainPoint]] = defaultdict(list)
    for point in points:
        points_of[point.journey_id].append(point)
    order = [j for j in catalog_journeys if j in walks_of or j in points_of]
    order += sorted((set(walks_of) | set(points_of)) - set(order))
    out: list[JourneyFriction] = []
    for journey_id in order:
        journey = catalog_journeys.get(journey_id)
        walked = [w for w in walks_of[journey_id] if w.source == "walk"]
        if journey is not None:
            step_ids = [s.id for s in journey.steps]
            titles = {s.id: s.title for s in journey.steps}
        else:
            seen = sorted(
                {(v.position, v.step_id) for w in walked for v in w.visits}, key=lambda pv: pv[0]
            )
            step_ids = list(dict.fromkeys(sid for _, sid in seen))
            titles = {}
        for point in points_of[journey_id]:  # feedback about a step the catalog no longer has
            if point.step_id not in step_ids:
                step_ids.append(point.step_id)
        out.append(
            JourneyFriction(
                journey_id=journey_id,
                title=journey.title if journey is not None else journey_id,
                product=products.get(walked[0].product_id, walked[0].product_id) if walked else "",
                walkers=len({w.walker.uuid for w in walked}),
                walks=len(walked),
                completed=sum(1 for w in walked if w.status == WalkStatus.COMPLETED),
                abandoned=sum(1 for w in walked if w.status == WalkStatus.ABANDONED),
                nps=Nps.of(w.nps for w in walked if w.nps is not None),
                steps=_step_friction(step_ids, titles, walked, points_of[journey_id]),
            )
        )
    return out


# ---------------------------------------------------------------------------------- reports
@dataclass(frozen=True)
class ReportLine:
    """One pain point as the product owner reads it."""

    uuid: str
    text: str
    journey_id: str
    step_id: str
    step_title: str
    severity: Severity
    category: str
    walker: str | None  # None: anonymous
    release: str
    created_at: datetime | None
    suggested_fix: str = ""


def _report_lines(lab: Lab, points: Sequence[PainPoint]) -> list[ReportLine]:
    """``points`` with the walker's name (None when anonymous) and the step's title."""
    walk_ids = {p.walk_uuid for p in points}
    with lab.store.unit(read_only=True) as unit:
        names = {
            w.uuid: (None if w.walker.anonymous else w.walker.name)
            for w in unit.list_walks()
            if w.uuid in walk_ids
        }
    titles: dict[tuple[str, str], str] = {}
    try:
        for journey in lab.catalog.journeys:
            titles.update({(journey.id, s.id): s.title for s in journey.steps})
    except CatalogError:
        pass
    return [
        ReportLine(
            uuid=p.uuid,
            text=p.text,
            journey_id=p.journey_id,
            step_id=p.step_id,
            step_title=titles.get((p.journey_id, p.step_id), p.step_id),
            severity=p.severity,
            category=p.category,
            walker=None if p.walker_anonymous else names.get(p.walk_uuid),
            release=p.release,
            created_at=p.created_at,
            suggested_fix=p.suggested_fix,
        )
        for p in points
    ]


# ---------------------------------------------------------------------------------- fix list
@dataclass(frozen=True)
class TriageList:
    """The ranked fix list of a scope, the reports no problem holds, and what can filter it."""

    items: tuple[FixItem, ...]
    #: Reports in no recurring problem, worst first: the same one-offs ``qualitylab fixes`` counts
    #: (``fixlist.one_offs``); the blockers among them are also fix-list lines.
    one_offs: tuple[ReportLine, ...]
    reports: int
    journeys: tuple[str, ...]  # journey ids with reports, for the filter
    releases: tuple[str, ...]  # oldest first
    owners: Mapping[str, str] = field(default_factory=dict)  # cluster id -> owner (when known)
    tickets: Mapping[str, str] = field(default_factory=dict)  # cluster id -> ticket key
    one_offs_listed: int = 0  # of ``one_offs``: blockers the fix list lists too (one-off lines)

    def factors(self, item: FixItem) -> Mapping[str, float]:
        """What the item's score multiplies (reach, severity, impact, persistence; each 0..1), the
        numbers ``qualitylab fixes`` and every report show, not the raw parts they come from."""
        return factors_of(item.priority)


def triage_list(lab: Lab, *, journey: str | None = None, release: str | None = None) -> TriageList:
    """The fix list (``build_fix_report``) plus its one-offs, counted as ``fixes`` counts them."""
    from qualitylab.services.fixes import build_fix_report

    report = build_fix_report(lab, journey=journey or None, release=release or None)
    with lab.store.unit(read_only=True) as unit:  # what the filters offer
        everything = unit.pain_points(journey_id=None if release else journey or None)
    return TriageList(
        items=tuple(report.items),
        one_offs=tuple(_report_lines(lab, report.one_off_reports())),
        reports=report.reports,
        journeys=tuple(sorted({p.journey_id for p in everything})),
        releases=sort_releases(p.release for p in everything),
        one_offs_listed=len(report.one_offs.listed),
    )


# ---------------------------------------------------------------------------------- a problem
@dataclass(frozen=True)
class Similar:
    """Another problem that may be the same one (a merge candidate)."""

    cluster_id: str
    title: str
    similarity: float  # 0..1
    same_step: bool = False


@dataclass(frozen=True)
class ProblemDetail:
    item: FixItem
    why: Explanation
    reports: tuple[ReportLine, ...]  # worst first, then oldest
    record: FixRecord | None  # the team's decision, if any
    owner: str = ""
    ticket: str = ""
    similar: tuple[Similar, ...] = ()
    history: tuple[HistoryLine, ...] = ()  # decisions and corrections, newest first


def problem_detail(
    lab: Lab, cluster_id: str, *, journey: str | None = None, release: str | None = None
) -> ProblemDetail:
    """One problem of the fix list with every report behind it (collapsed copies and reports
    moved in by hand included, reports moved out left out), its history and its owner/ticket."""
    from qualitylab.services.corrections import problem_history
    from qualitylab.services.fixes import fix_detail, list_fix_records

    detail = fix_detail(
        lab, cluster_id, similar=SIMILAR, journey=journey or None, release=release or None
    )
    item, why = detail.item, detail.explanation
    lines = sorted(
        _report_lines(lab, detail.reports),
        key=lambda r: (-int(r.severity), r.created_at.isoformat() if r.created_at else "~"),
    )
    record = next((r for r in list_fix_records(lab) if r.cluster_id == item.cluster.id), None)
    history = tuple(reversed(problem_history(lab, item.cluster.id)))
    similar = tuple(
        Similar(s.cluster_id, s.title, s.similarity, s.same_step)
        for s in detail.similar
        if s.similarity >= MIN_SIMILARITY
    )
    return ProblemDetail(
        item,
        why,
        tuple(lines),
        record,
        owner=item.owner,
        ticket=item.ticket,
        similar=similar,
        history=history,
    )


# ---------------------------------------------------------------------------------- decisions
def decide(
    lab: Lab,
    cluster_id: str,
    *,
    status: str,
    release: str | None = None,
    note: str | None = None,
    owner: str | None = None,
    ticket: str | None = None,
    uuid: str | None = None,
) -> tuple[ReleaseNote, ...]:
    """Record the team's decision about a problem; returns the warnings to show (as data: the
    app words them in its language).

    ``uuid`` here and below: the change's id, made when the person confirms and reused by every
    retry of the save, so a save whose answer was lost is stored once (``services.corrections``).
    """
    from qualitylab.services.fixes import set_fix_status

    decision = set_fix_status(
        lab, cluster_id, status, release=release, note=note, owner=owner, ticket=ticket, uuid=uuid
    )
    return decision.notes


def merge_into(lab: Lab, into: str, others: Sequence[str], *, uuid: str | None = None) -> None:
    """Make ``others`` part of problem ``into`` (a person's correction: survives re-clustering)."""
    from qualitylab.services.corrections import merge_problems

    merge_problems(lab, into, others, uuid=uuid)


def move_report(lab: Lab, report: str, *, to: str | None, uuid: str | None = None) -> None:
    """Move a report into problem ``to``, or out of every problem (``to=None``: a one-off)."""
    from qualitylab.services.corrections import move_report as move

    move(lab, report, to, uuid=uuid)


def split_off(lab: Lab, reports: Sequence[str], *, uuid: str | None = None) -> str:
    """Make ``reports`` a problem of their own (all saved or none); the new problem's id."""
    from qualitylab.services.corrections import split_reports

    return split_reports(lab, reports, uuid=uuid)[0].target


def latest_change(lab: Lab) -> list[Correction]:
    """The corrections ``undo_last`` would take back: the latest change (a merge, a move, a
    split: all it stored; decisions are changed, not undone), so the app can say which before
    it does; empty when there is none."""
    from qualitylab.fixlist.corrections import one_change
    from qualitylab.services.corrections import list_corrections

    active = list_corrections(lab, include_undone=False)
    return one_change(active[-1], active) if active else []


def undo_last(lab: Lab, *, correction: str | None = None, uuid: str | None = None) -> str | None:
    """Undo the latest correction (or ``correction``, by id: the one the person was shown);
    what was undone, or None when there is nothing (left) to undo."""
    from qualitylab.services.corrections import undo_correction

    try:  # an undo saved again finds what it undid, even when nothing is left to undo
        undone = undo_correction(lab, correction, uuid=uuid)
    except NotFound:
        return None
    return "; ".join(c.what() for c in undone)  # shown as "Undone: ..."


# ---------------------------------------------------------------------------------- export
@dataclass(frozen=True)
class ExportFile:
    """A rendered report: a file name to offer and its bytes (text formats in UTF-8), and where
    it was written (None: not written, e.g. handed to a browser as a download)."""

    name: str
    content: bytes
    path: Path | None = None
    #: A release Excel would change on opening this CSV, and what it shows (see ``excel_changes``).
    excel_changes: ExcelChange | None = None
    #: Problems a Jira CSV gives no issue, by reason (``services.reports.jira_left_out``).
    jira_left_out: dict[str, int] = field(default_factory=dict)


def export_formats() -> tuple[str, ...]:
    from qualitylab.reports.render import FORMATS

    return FORMATS


def export_report(
    lab: Lab,
    fmt: str,
    *,
    journey: str | None = None,
    release: str | None = None,
    folder: Path | None = None,
    lang: str = "en",
) -> ExportFile:
    """The report of the triage app's scope (``qualitylab report``'s model and renderers),
    written into ``folder`` when one is given (an existing file of that name is replaced);
    ``lang`` is the triage's language (the words of HTML, Markdown and XLSX)."""
    import re

    from qualitylab.reports.render import SUFFIX
    from qualitylab.services.reports import (
        build_report,
        check_format,
        excel_changes,
        jira_left_out,
        render_report,
    )

    check_format(fmt)
    report = build_report(lab, journey=journey or None, release=release or None)
    content = render_report(report, fmt, lang=lang)
    parts = ["qualitylab-report", journey or "", release or "", "jira" if fmt == "jira-csv" else ""]
    stem = "-".join(re.sub(r"[^\w.-]+", "_", p) for p in parts if p)
    data = content.encode("utf-8") if isinstance(content, str) else content
    made = ExportFile(
        stem + SUFFIX[fmt],
        data,
        excel_changes=excel_changes(report, fmt),
        jira_left_out=jira_left_out(report, fmt),
    )
    if folder is None:
        return made
    target = folder.expanduser() / made.name
    if not target.parent.is_dir():
        raise InvalidInput(f"no folder {str(target.parent)!r} to write the report into")
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise InvalidInput(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
    return replace(made, path=target)
