"""Priority score: which clusters (problems) to fix first, with every part of the score shown.

Pure: clusters plus a few facts per pain point in, a ranked ``list[FixItem]`` out. The formula and
its weights live in ``Weights`` (one place); the CLI (``--weight reach=2``) and the environment
(``QUALITYLAB_WEIGHTS="reach=2,severity=1.5"``) override them.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace

from qualitylab.domain import (
    EASE_MAX,
    EASE_MIN,
    Cluster,
    FixItem,
    FixStatus,
    Outcome,
    PriorityParts,
    Severity,
)
from qualitylab.errors import InvalidInput
from qualitylab.fixlist.releases import sort_releases

ENV_WEIGHTS = "QUALITYLAB_WEIGHTS"
_BAD_OUTCOMES = frozenset({Outcome.BLOCKED, Outcome.SKIPPED})
_EASE_SPAN = EASE_MAX - EASE_MIN  # 6 points on the Single Ease Question
#: Fewest walkers whose blocker puts a problem in the top group (with ``blocker_reach`` > 0).
MIN_BLOCKING_WALKERS = 2


@dataclass(frozen=True)
class Weights:
    """How much each part of the priority score counts. The formula (Nielsen: severity x frequency x
    persistence, plus the step's measured impact) is a weighted product of four factors in 0..1::

        score = 100 * reach_f ** reach
                    * severity_f ** severity
                    * impact_f ** impact
                    * persistence_f ** persistence

        reach_f       = walkers who hit the cluster / walkers who visited its steps       (0..1]
        severity_f    = (severity_mean + severity_max) / 8   (Nielsen 1..4, blocker = 4)  [0.25..1]
        impact_f      = (1 + impact) / 2                                                   [0.5..1]
        impact        = (share of hit visits blocked or skipped
                         + SEQ drop of hit visits vs the step's other visits / 6) / 2      [0..1]
        persistence_f = (1 + persistence) / 2, persistence = 1 if seen in > 1 release      {0.5, 1}

    In log space the score is a weighted sum, so a weight of 2 makes that factor count twice and 0
    removes it. 100 means every visitor hit it, all as blockers, every visit failed, in more than
    one release.

    Blockers surface first, most people stopped first. A cluster is a *blocker* when the walkers
    who rated it a blocker (4) are

    - at least ``blocker_share`` of the walkers who hit it (one person's severity slip in a
      40-report cluster must not push it over real blockers), and
    - at least ``blocker_reach`` of the walkers who reached its steps, and never fewer than two:
      the bar scales with the lab (3 of 30 visitors, 10 of 100), and one person's blocker waits
      for a second person before it jumps the queue.

    Blockers rank above every non-blocker, ordered by ``blocked`` = stopped walkers / visitors
    (reach x blocker share: how many customers it stops), then by score. On the demo lab the
    older rule (``blocker_share`` alone) put 69 of 302 problems above all others, 29 of them one
    person's blocker, so the first screen was all "BLOCKER" and the flag ordered nothing; with
    ``blocker_reach=0.1`` 28 are. ``blocker_share=0, blocker_reach=0`` gives the literal rule: any
    blocker report.
    """

    reach: float = 1.0
    severity: float = 1.0
    impact: float = 1.0
    persistence: float = 1.0
    blocker_share: float = 0.25
    blocker_reach: float = 0.1

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise InvalidInput(f"weight {f.name} must be a number >= 0, got {value!r}")
        for name in ("blocker_share", "blocker_reach"):
            if getattr(self, name) > 1:
                raise InvalidInput(
                    f"{name} is a share of walkers, 0..1 (0 = any blocker report), "
                    f"got {getattr(self, name)!r}"
                )

    def blockers_needed(self, visitors: int) -> int:
        """Walkers who must rate a cluster a blocker, of ``visitors``, for the blocker group."""
        if self.blocker_reach <= 0:
            return 1
        return max(MIN_BLOCKING_WALKERS, math.ceil(self.blocker_reach * visitors - 1e-9))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def with_overrides(self, pairs: Iterable[str]) -> Weights:
        """Apply ``name=value`` overrides (command-line style); bad input -> InvalidInput."""
        changes: dict[str, float] = {}
        for pair in pairs:
            for part in str(pair).split(","):
                if not part.strip():
                    continue
                name, sep, raw = part.partition("=")
                name = name.strip().lower()
                if not sep or name not in self.names():
                    raise InvalidInput(
                        f"bad weight {part.strip()!r}: use NAME=NUMBER with NAME one of "
                        + ", ".join(self.names())
                    )
                try:
                    changes[name] = float(raw.strip())
                except ValueError:
                    raise InvalidInput(
                        f"bad weight {part.strip()!r}: {raw!r} is not a number"
                    ) from None
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Weights:
        """Defaults overridden by ``$QUALITYLAB_WEIGHTS`` (comma-separated ``name=value``)."""
        raw = environ.get(ENV_WEIGHTS, "")
        return cls().with_overrides([raw]) if raw.strip() else cls()


@dataclass(frozen=True)
class PainFact:
    """What the score needs to know about one pain point and the step visit it came from."""

    uuid: str
    walker_uuid: str
    walk_uuid: str
    journey_id: str
    step_id: str
    severity: int
    release: str = ""
    outcome: Outcome | None = None  # how that walker's visit to the step ended
    ease: int | None = None  # that visit's Single Ease Question answer (1..7)


@dataclass(frozen=True)
class StepFacts:
    """Who visited one step, and the step's ease over all its visits (hit or not)."""

    journey_id: str
    step_id: str
    visitors: frozenset[str]  # distinct walker uuids
    ease_sum: int = 0  # sum of SEQ answers over every visit to the step that has one
    ease_count: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.journey_id, self.step_id)


def _visit_key(fact: PainFact) -> tuple[str, str, str]:
    return (fact.walk_uuid, fact.journey_id, fact.step_id)


def _walker(fact: PainFact) -> str:
    return fact.walker_uuid or f"walk:{fact.walk_uuid}"


@dataclass(frozen=True)
class _Impact:
    visits: int  # distinct step visits the reports came from
    bad_visits: int  # of those, blocked or skipped
    rated_visits: int  # hit visits with an SEQ answer and a baseline to compare with
    hit_ease: float | None  # mean SEQ of those visits
    other_ease: float | None  # mean SEQ of the same steps' other visits (same weighting)
    ease_drop: float  # 0..1, per-step drop / 6, weighted by rated visits
    answered_visits: int = 0  # hit visits with an SEQ answer, a baseline or not

    @property
    def value(self) -> float:
        blocked_share = self.bad_visits / self.visits if self.visits else 0.0
        return (blocked_share + self.ease_drop) / 2


def _impact(members: Sequence[PainFact], steps: Mapping[tuple[str, str], StepFacts]) -> _Impact:
    """(blocked-or-skipped share of hit visits + their SEQ drop vs the step's other visits) / 2."""
    visits: dict[tuple[str, str, str], PainFact] = {}
    for fact in members:
        visits.setdefault(_visit_key(fact), fact)
    bad = sum(1 for f in visits.values() if f.outcome in _BAD_OUTCOMES)
    hit_ease: dict[tuple[str, str], list[int]] = defaultdict(list)
    for f in visits.values():
        if f.ease is not None:
            hit_ease[(f.journey_id, f.step_id)].append(f.ease)
    drop_weighted, hit_total, other_total, weight = 0.0, 0.0, 0.0, 0
    for step_key, eases in sorted(hit_ease.items()):
        step = steps.get(step_key)
        if step is None:
            continue
        other_n = step.ease_count - len(eases)
        if other_n <= 0:
            continue  # nobody else rated this step: no baseline to compare against
        other_mean = (step.ease_sum - sum(eases)) / other_n
        hit_mean = sum(eases) / len(eases)
        drop = min(max(other_mean - hit_mean, 0.0) / _EASE_SPAN, 1.0)
        drop_weighted += drop * len(eases)
        hit_total += hit_mean * len(eases)
        other_total += other_mean * len(eases)
        weight += len(eases)
    return _Impact(
        visits=len(visits),
        bad_visits=bad,
        rated_visits=weight,
        hit_ease=hit_total / weight if weight else None,
        other_ease=other_total / weight if weight else None,
        ease_drop=drop_weighted / weight if weight else 0.0,
        answered_visits=sum(len(eases) for eases in hit_ease.values()),
    )


@dataclass(frozen=True)
class Explanation:
    """Every number behind one cluster's score, for ``qualitylab fix explain``."""

    parts: PriorityParts
    weights: Weights
    walkers: int  # who hit it
    visitors: int  # who visited its steps
    blocking_walkers: int  # who rated it a blocker
    severities: dict[int, int]  # Nielsen rating -> reports
    visits: int
    bad_visits: int
    rated_visits: int
    hit_ease: float | None
    other_ease: float | None
    ease_drop: float
    releases: tuple[str, ...]
    factors: tuple[tuple[str, float, float], ...]  # (name, factor 0..1, weight)
    answered_visits: int = 0  # of ``visits``, those with an SEQ answer (baseline or not)

    @property
    def is_blocker(self) -> bool:
        """In the blocker group (see ``Weights``): enough walkers, of those who hit it and of
        those who reached its steps, rated it a blocker."""
        return (
            self.parts.severity_max >= Severity.BLOCKER
            and self.parts.blockers >= self.weights.blocker_share
            and self.blocking_walkers >= self.weights.blockers_needed(self.visitors)
        )

    def lines(self) -> list[str]:
        """The score as sentences with the numbers, in the order of the formula."""
        p, sev = self.parts, self.severities
        if self.hit_ease is not None and self.other_ease is not None:
            ease = (
                # "ease" (1-7) as every report says, not the method's name (SEQ) a reader may
                # not know
                f"ease {self.hit_ease:.1f}/7 on {self.rated_visits} of their visits vs "
                f"{self.other_ease:.1f} on the steps' other visits -> drop {self.ease_drop:.2f}"
            )
        elif not self.answered_visits:  # logged outside a walk, or the ease question skipped
            ease = "no ease answer on their visits (skipped, or logged outside a walk) -> drop 0"
        else:
            ease = "no ease baseline (nobody else rated these steps) -> drop 0"
        counts = ", ".join(f"{sev.get(n, 0)}x{n}" for n in (4, 3, 2, 1) if sev.get(n))
        out = [
            f"reach {p.reach:.2f} = {_n(self.walkers, 'walker')} hit it / "
            f"{_n(self.visitors, 'walker')} visited its steps",
            f"severity: {counts} -> mean {p.severity_mean:.2f}, worst {p.severity_max}; "
            f"factor ({p.severity_mean:.2f} + {p.severity_max}) / 8",
            f"impact {p.impact:.2f} = ({self.bad_visits}/{self.visits} visits blocked or skipped"
            f" + {ease}) / 2; factor (1 + impact) / 2",
            f"persistence {p.persistence:.0f}: seen in "
            + (", ".join(self.releases) if self.releases else "no named release")
            + "; factor (1 + persistence) / 2",
            f"blockers: {self.blocking_walkers} of {_n(self.walkers, 'walker')} rated it 4 "
            f"({p.blockers:.0%}), {p.blocked:.0%} of the {_n(self.visitors, 'walker')} who reached "
            f"its steps",
            self._blocker_rule(),
        ]
        product = " x ".join(
            f"{factor:.3f}" + (f"^{weight:g}" if weight != 1 else "")
            for _, factor, weight in self.factors
        )
        out.append(f"score = 100 x {product} = {p.score:.2f}")
        return out

    def _blocker_rule(self) -> str:
        w = self.weights
        needed = w.blockers_needed(self.visitors)
        rule = (
            f"blocker group: at least {w.blocker_share:.0%} of its walkers and at least "
            f"{needed} of the {self.visitors} visitors (max(2, {w.blocker_reach:.0%})) rated it 4"
        )
        if self.is_blocker:
            stopped = f"{self.parts.blocked:.0%}"
            return f"{rule} -> BLOCKER, ranked among blockers by share stopped ({stopped})"
        return f"{rule} -> not a blocker, ranked by score"


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def score_factors(
    reach: float, severity_mean: float, severity_max: int, impact: float, persistence: float
) -> dict[str, float]:
    """The four factors (each 0..1) the score multiplies, from the parts a fix list shows."""
    return {
        "reach": reach,
        "severity": (severity_mean + severity_max) / 8,
        "impact": (1 + impact) / 2,
        "persistence": (1 + persistence) / 2,
    }


def factors_of(parts: PriorityParts) -> dict[str, float]:
    """``score_factors`` of a scored cluster: 100 x their product (each to its weight) = score."""
    return score_factors(
        parts.reach, parts.severity_mean, parts.severity_max, parts.impact, parts.persistence
    )


def explain(
    members: Sequence[PainFact],
    steps: Mapping[tuple[str, str], StepFacts],
    weights: Weights | None = None,
    releases: Iterable[str] | None = None,
) -> Explanation:
    """Score one cluster from its members' facts, keeping every intermediate number."""
    if not members:
        raise ValueError("a cluster needs at least one pain point to be scored")
    w = weights or Weights()
    hitters = {_walker(f) for f in members}
    visitors: set[str] = set(hitters)
    for key in {(f.journey_id, f.step_id) for f in members}:
        step = steps.get(key)
        if step is not None:
            visitors |= step.visitors
    reach = len(hitters) / len(visitors)
    severities = [min(max(int(f.severity), 1), 4) for f in members]
    blocking = {_walker(f) for f in members if f.severity >= Severity.BLOCKER}
    severity_mean = sum(severities) / len(severities)
    severity_max = max(severities)
    impact = _impact(members, steps)
    seen = sort_releases(releases if releases is not None else (f.release for f in members))
    persistence = 1.0 if len(seen) > 1 else 0.0
    factors = tuple(
        (name, value, getattr(w, name))
        for name, value in score_factors(
            reach, severity_mean, severity_max, impact.value, persistence
        ).items()
    )
    score = 100.0
    for _, factor, weight in factors:
        score *= factor**weight
    parts = PriorityParts(
        reach=round(reach, 4),
        severity_mean=round(severity_mean, 4),
        severity_max=severity_max,
        impact=round(impact.value, 4),
        persistence=persistence,
        score=round(score, 2),
        blockers=round(len(blocking) / len(hitters), 4),
        blocked=round(len(blocking) / len(visitors), 4),
    )
    return Explanation(
        parts=parts,
        weights=w,
        walkers=len(hitters),
        visitors=len(visitors),
        blocking_walkers=len(blocking),
        severities=dict(Counter(severities)),
        visits=impact.visits,
        bad_visits=impact.bad_visits,
        rated_visits=impact.rated_visits,
        hit_ease=impact.hit_ease,
        other_ease=impact.other_ease,
        ease_drop=impact.ease_drop,
        releases=seen,
        factors=factors,
        answered_visits=impact.answered_visits,
    )


def priority_parts(
    members: Sequence[PainFact],
    steps: Mapping[tuple[str, str], StepFacts],
    weights: Weights | None = None,
    releases: Iterable[str] | None = None,
) -> PriorityParts:
    """Score one cluster from its members' facts (see ``Weights`` for the formula).

    ``releases``: every release the cluster was seen in, when ``members`` is only a slice of its
    history (a fix list for one release); persistence is about the whole history.
    """
    return explain(members, steps, weights, releases).parts


def copies_of(duplicates: Mapping[str, str]) -> dict[str, list[str]]:
    copies: dict[str, list[str]] = defaultdict(list)
    for copy, original in sorted(duplicates.items()):
        copies[original].append(copy)
    return copies


def with_copies(members: Iterable[str], copies: Mapping[str, list[str]]) -> list[str]:
    """Members plus the near-duplicates the engine collapsed into them (each a real report)."""
    seen: dict[str, None] = {}
    for member in members:
        seen.setdefault(member)
        for copy in copies.get(member, ()):
            seen.setdefault(copy)
    return list(seen)


def score_clusters(
    clusters: Iterable[Cluster],
    facts: Mapping[str, PainFact],
    steps: Iterable[StepFacts],
    *,
    weights: Weights | None = None,
    duplicates: Mapping[str, str] | None = None,
    history: Mapping[str, Iterable[str]] | None = None,
) -> list[FixItem]:
    """Score every cluster that has facts and return them ranked (``rank``), status open.

    ``facts`` may be a slice (one release); ``history`` then gives, per cluster id, every release
    it was seen in, for persistence and the item's ``releases``.
    """
    by_step = {s.key: s for s in steps}
    copies = copies_of(duplicates or {})
    items: list[FixItem] = []
    for cluster in clusters:
        members = [facts[m] for m in with_copies(cluster.members, copies) if m in facts]
        if not members:
            continue
        step_counts = Counter((f.journey_id, f.step_id) for f in members)
        seen = sort_releases(
            history[cluster.id]
            if history and cluster.id in history
            else (f.release for f in members)
        )
        why = explain(members, by_step, weights, seen)
        parts = why.parts
        items.append(
            FixItem(
                rank=0,
                cluster=cluster,
                priority=parts,
                walkers=len({_walker(f) for f in members}),
                pain_points=len({f.uuid for f in members}),
                steps=tuple(sorted(step_counts, key=lambda k: (-step_counts[k], k))),
                releases=seen,
                blocker=why.is_blocker,
            )
        )
    return rank(items)


def is_blocker(item: FixItem) -> bool:
    return item.blocker


def is_settled(item: FixItem) -> bool:
    """Fixed (and not come back) or won't fix: kept in the list, but below everything actionable."""
    if item.regressed:
        return False
    return item.status in (FixStatus.FIXED, FixStatus.WONT_FIX)


def rank(items: Iterable[FixItem]) -> list[FixItem]:
    """Actionable before settled; within each, blockers first, then regressions (the team thought
    them fixed); blockers by the share of walkers they stop; then score, walkers, size, id."""
    ordered = sorted(
        items,
        key=lambda i: (
            is_settled(i),
            not is_blocker(i),
            not i.regressed,
            -i.priority.blocked if is_blocker(i) else 0.0,
            -i.priority.score,
            -i.walkers,
            -i.pain_points,
            i.cluster.id,
        ),
    )
    return [replace(item, rank=n) for n, item in enumerate(ordered, start=1)]


#: The id prefix of a one-off line: a lone blocker the fix list lists (``fixlist.one_offs``).
ONE_OFF_PREFIX = "one-off-"


def one_off_cluster(
    uuid: str, text: str, suggested_fix: str = "", *, id_from: str | None = None
) -> Cluster:
    """A pain point left out of every cluster, as a cluster of one.

    Used for one-off blockers, which must still surface at the top of the fix list.
    """
    from qualitylab.clustering.describe import shorten

    return Cluster(
        id=f"{ONE_OFF_PREFIX}{(id_from or uuid)[:8]}",
        title=shorten(text) or text.strip(),
        terms=(),
        members=(uuid,),
        quotes=(text,),
        cohesion=1.0,
        suggestions=((suggested_fix, 1),) if suggested_fix.strip() else (),
    )
