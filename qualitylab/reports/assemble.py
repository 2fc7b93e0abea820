"""Build the report model from plain domain facts: walks, praise, pain points and the fix list.

Pure (no database, no screens), so every number in a report can be tested from a few hand-made
walks. ``services.reports`` loads the facts and calls ``assemble``.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from qualitylab.domain import FixItem, Journey, Outcome, PainPoint, Praise, Walk, WalkStatus
from qualitylab.fixlist.one_offs import in_no_problem, is_one_off_line
from qualitylab.reports.model import (
    EASE_REFERENCE,
    OUTCOMES,
    Comparison,
    FixRow,
    Header,
    JourneyMap,
    Note,
    Nps,
    PainRow,
    Report,
    Scope,
    StepRow,
)

_OUTCOME_KEY = {
    Outcome.DONE: "done",
    Outcome.FRICTION: "friction",
    Outcome.BLOCKED: "blocked",
    Outcome.SKIPPED: "skipped",
}
#: A step stands out when at least this share of walks were blocked or skipped on it.
WORST_BAD_SHARE = 0.25


@dataclass(frozen=True)
class Facts:
    """Everything ``assemble`` reads, already narrowed to the report's scope (and release)."""

    scope: Scope
    walks: Sequence[Walk]
    praise: Sequence[Praise]
    journeys: Mapping[str, Journey | None]  # as last walked; None = only ids known
    pain_points: Sequence[PainPoint]
    items: Sequence[FixItem]  # ranked fix list
    members: Mapping[str, Sequence[str]]  # problem id -> pain-point ids (copies included)
    factors: Mapping[str, Mapping[str, float]]  # problem id -> what its score multiplies
    releases: Sequence[str]  # ordered
    comparison: Comparison | None
    generated_at: datetime


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _median(values: Iterable[float]) -> float | None:
    data = list(values)
    return float(statistics.median(data)) if data else None


def _nps_groups(walks: Iterable[Walk], key: Callable[[Walk], str]) -> tuple[Nps, ...]:
    groups: dict[str, list[int]] = defaultdict(list)
    for w in walks:
        if w.nps is not None:
            groups[key(w)].append(w.nps)
    return tuple(Nps.of(label, answers) for label, answers in groups.items())


def _steps(
    journey_id: str,
    shape: Journey | None,
    walks: Sequence[Walk],
    severities: Mapping[tuple[str, str], Counter[int]],
) -> tuple[StepRow, ...]:
    order: dict[str, tuple[int, str]] = {}
    if shape is not None:
        order = {s.id: (n, s.title) for n, s in enumerate(shape.steps)}
    visits = [v for w in walks for v in w.visits]
    # steps the journey as last walked no longer has (renamed or removed) go after its own
    for v in sorted(visits, key=lambda v: v.position):
        order.setdefault(v.step_id, (len(order) + 1000, v.step_id))
    for journey, step in sorted(severities):  # feedback logged on a step nobody walked
        if journey == journey_id:
            order.setdefault(step, (len(order) + 1000, step))
    dropped: Counter[str] = Counter()
    for w in walks:
        if w.status is WalkStatus.ABANDONED and w.visits:
            dropped[max(w.visits, key=lambda v: v.position).step_id] += 1
    by_step: Counter[str] = Counter()
    rows: list[StepRow] = []
    seconds: dict[str, list[float]] = defaultdict(list)
    eases: dict[str, list[int]] = defaultdict(list)
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    for v in visits:
        by_step[v.step_id] += 1
        outcomes[v.step_id][_OUTCOME_KEY[v.outcome] if v.outcome else "unanswered"] += 1
        if v.seconds_spent > 0:
            seconds[v.step_id].append(v.seconds_spent)
        if v.ease is not None:
            eases[v.step_id].append(v.ease)
    for step_id, (_, title) in sorted(order.items(), key=lambda kv: kv[1][0]):
        ease = eases.get(step_id, [])
        counts = outcomes.get(step_id, Counter())
        rows.append(
            StepRow(
                step_id=step_id,
                title=title,
                reached=by_step.get(step_id, 0),
                outcomes={k: counts.get(k, 0) for k in OUTCOMES},
                dropped=dropped.get(step_id, 0),
                median_seconds=_median(seconds.get(step_id, [])),
                mean_ease=sum(ease) / len(ease) if ease else None,
                ease_n=len(ease),
                severities={
                    s: severities.get((journey_id, step_id), Counter()).get(s, 0)
                    for s in (4, 3, 2, 1)
                },
            )
        )
    rated = [r.mean_ease for r in rows if r.mean_ease is not None]
    lowest = min(rated) if rated else None
    return tuple(replace(r, worst=_stands_out(r, lowest)) for r in rows)


def _stands_out(row: StepRow, lowest_ease: float | None) -> bool:
    """A quarter or more of walks blocked or skipped, or the journey's hardest step (lowest
    mean ease, below the usual 5.5): a few steps per journey, not all of them."""
    if row.bad_share >= WORST_BAD_SHARE:
        return True
    return (
        row.mean_ease is not None
        and row.mean_ease == lowest_ease
        and row.mean_ease < EASE_REFERENCE
    )


def _walker_label(walks: Iterable[Walk]) -> dict[str, str]:
    return {w.walker.uuid: w.walker.label for w in walks}


def _fix_row(
    item: FixItem,
    members: Sequence[str],
    severity_of: Mapping[str, int],
    factors: Mapping[str, float],
) -> FixRow:
    p = item.priority
    mix = Counter(severity_of[m] for m in members if m in severity_of)
    return FixRow(
        rank=item.rank,
        id=item.cluster.id,
        title=item.cluster.title,
        score=round(p.score, 2),
        parts={
            "reach": round(p.reach, 4),
            "severity_mean": round(p.severity_mean, 4),
            "severity_max": float(p.severity_max),
            "impact": round(p.impact, 4),
            "persistence": round(p.persistence, 4),
            "blockers": round(p.blockers, 4),
        },
        factors={k: round(v, 4) for k, v in factors.items()},
        blocker=item.blocker,
        regressed=item.regressed,
        walkers=item.walkers,
        reports=item.pain_points,
        severities={s: mix.get(s, 0) for s in (4, 3, 2, 1)},
        steps=tuple(f"{j}/{s}" for j, s in item.steps),
        quotes=tuple(item.cluster.quotes),
        suggestions=tuple(item.cluster.suggestions),
        status=item.status.value,
        status_release=item.status_release,
        status_note=item.status_note,
        releases=tuple(item.releases),
        one_off=is_one_off_line(item.cluster.id),
        owner=item.owner,
        ticket=item.ticket,
        merged=tuple(item.merged),
        cohesion=round(item.cluster.cohesion, 4),
        looks_mixed=item.looks_mixed,
        few_walkers=item.few_walkers,
        moved_in=len(item.moved_in),
        moved_out=len(item.moved_out),
    )


def assemble(facts: Facts) -> Report:
    walks = [w for w in facts.walks if w.source == "walk"]
    feedback_walks = {w.uuid for w in facts.walks if w.source != "walk"}
    label_of = _walker_label(facts.walks)
    walk_of = {w.uuid: w for w in facts.walks}
    problem_of = {m: pid for pid, ms in facts.members.items() for m in ms}
    title_of = {i.cluster.id: i.cluster.title for i in facts.items}
    severity_of = {p.uuid: int(p.severity) for p in facts.pain_points}

    pains = tuple(
        PainRow(
            id=p.uuid,
            text=p.text,
            journey=p.journey_id,
            step=p.step_id,
            severity=int(p.severity),
            category=p.category,
            release=p.release,
            walker="anonymous" if p.walker_anonymous else label_of.get(p.walker_uuid, ""),
            suggested_fix=p.suggested_fix,
            created_at=_iso(p.created_at),
            problem_id=problem_of.get(p.uuid, ""),
            problem_title=title_of.get(problem_of.get(p.uuid, ""), ""),
        )
        for p in facts.pain_points
    )
    one_offs = tuple(
        sorted(
            (r for r in pains if in_no_problem(r.problem_id) and r.severity >= 3),
            key=lambda r: (-r.severity, r.created_at or "~", r.id),
        )
    )
    severities: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for p in facts.pain_points:
        severities[(p.journey_id, p.step_id)][int(p.severity)] += 1

    journey_ids = sorted(
        {w.journey_id for w in facts.walks} | {p.journey_id for p in facts.pain_points}
    )
    maps = []
    for jid in journey_ids:
        mine = [w for w in walks if w.journey_id == jid]
        shape = facts.journeys.get(jid)
        product = (
            shape.product
            if shape
            else next((w.product_id for w in facts.walks if w.journey_id == jid), "")
        )
        maps.append(
            JourneyMap(
                journey_id=jid,
                title=shape.title if shape else jid,
                product_id=product,
                walks=len(mine),
                walkers=len({w.walker.uuid for w in mine}),
                completed=sum(1 for w in mine if w.status is WalkStatus.COMPLETED),
                abandoned=sum(1 for w in mine if w.status is WalkStatus.ABANDONED),
                nps=Nps.of(
                    shape.title if shape else jid, [w.nps for w in mine if w.nps is not None]
                ),
                steps=_steps(jid, shape, mine, severities),
            )
        )
    completed = [w for w in walks if w.status is WalkStatus.COMPLETED]
    starts = [w.started_at for w in walks]
    ends = [w.finished_at or w.started_at for w in walks]
    header = Header(
        title="Quality lab report",
        scope=facts.scope,
        generated_at=_iso(facts.generated_at) or "",
        journeys=tuple(journey_ids),
        releases=tuple(facts.releases),
        first_walk=_iso(min(starts)) if starts else None,
        last_walk=_iso(max(ends)) if ends else None,
        walkers=len({w.walker.uuid for w in walks}),
        walks=len(walks),
        completed=len(completed),
        abandoned=sum(1 for w in walks if w.status is WalkStatus.ABANDONED),
        in_progress=sum(1 for w in walks if w.status is WalkStatus.IN_PROGRESS),
        logged_feedback=sum(1 for p in facts.pain_points if p.walk_uuid in feedback_walks),
        median_walk_seconds=_median(sum(v.seconds_spent for v in w.visits) for w in completed),
        pain_points=len(facts.pain_points),
        problems=sum(1 for i in facts.items if not is_one_off_line(i.cluster.id)),
    )
    release_rank = {r: n for n, r in enumerate(facts.releases)}
    title_by_journey = {m.journey_id: m.title for m in maps}

    def note_walker(walk_uuid: str) -> tuple[str, str, str]:
        w = walk_of.get(walk_uuid)
        return (w.journey_id, w.release, w.walker.label) if w else ("", "", "")

    praise = tuple(
        Note(p.text, *_journey_step(note_walker(p.walk_uuid), p.step_id))
        for p in facts.praise
        if p.text.strip()
    )
    comments = tuple(
        Note(w.closing_comment, w.journey_id, "", w.release, w.walker.label, w.nps)
        for w in walks
        if w.closing_comment.strip()
    )
    return Report(
        header=header,
        nps=Nps.of("all walks", [w.nps for w in walks if w.nps is not None]),
        nps_by_journey=tuple(
            Nps(title_by_journey.get(n.label, n.label), n.n, n.promoters, n.passives, n.detractors)
            for n in sorted(_nps_groups(walks, lambda w: w.journey_id), key=lambda n: n.label)
        ),
        nps_by_release=tuple(
            replace(n, label=_release_label(n.label, walks))
            for n in sorted(
                _nps_groups(walks, lambda w: w.release),
                key=lambda n: (release_rank.get(n.label, len(release_rank)), n.label),
            )
        ),
        journeys=tuple(maps),
        fixes=tuple(
            _fix_row(
                item,
                facts.members.get(item.cluster.id, item.cluster.members),
                severity_of,
                facts.factors.get(item.cluster.id, {}),
            )
            for item in facts.items
        ),
        one_offs=one_offs,
        comparison=facts.comparison,
        praise=praise,
        comments=comments,
        pain_points=pains,
    )


def _release_label(release: str, walks: Sequence[Walk]) -> str:
    """'1.2 (esim)': a release name alone does not say whose release it is."""
    products = sorted({w.product_id for w in walks if w.release == release and w.product_id})
    return f"{release} ({', '.join(products)})" if products else release


def _journey_step(where: tuple[str, str, str], step: str) -> tuple[str, str, str, str]:
    journey, release, walker = where
    return journey, step, release, walker
