"""A scope's loaded data -> the ranked, decided fix list; one item's explanation; release changes.

Everything here is pure: ``ScopeData`` holds what the service loaded and clustered (pain points,
step visits, the team's decisions, the clustering and its one-off blocker lines), and each function
returns plain values the service hands to a face.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from qualitylab.domain import RELEASE_RULE, Cluster, Clustering, FixItem, PainPoint, release_problem
from qualitylab.errors import InvalidInput, NotFound
from qualitylab.fixlist.corrections import Corrected
from qualitylab.fixlist.facts import Visit, known_releases, pain_facts, step_facts
from qualitylab.fixlist.one_offs import OneOffs, age, find_one_offs, is_one_off_line
from qualitylab.fixlist.releases import (
    Evidence,
    FixRecord,
    ReleaseChange,
    apply_status,
    compare,
    is_later,
    is_regressed,
    sort_releases,
)
from qualitylab.fixlist.score import (
    Explanation,
    PainFact,
    StepFacts,
    Weights,
    copies_of,
    explain,
    rank,
    score_clusters,
    with_copies,
)
from qualitylab.fixlist.similar import Profile, Similar, similar_problems


@dataclass(frozen=True)
class ScopeData:
    """What a fix list of one scope is built from (loaded and clustered by the service)."""

    scope: str
    pain_points: Sequence[PainPoint]
    visits: Sequence[Visit]
    records: Mapping[str, FixRecord]
    clustering: Clustering  # corrections applied
    one_offs: tuple[Cluster, ...]
    corrected: Corrected | None = None  # what the corrections changed

    def clusters(self) -> tuple[Cluster, ...]:
        return self.clustering.clusters + self.one_offs

    @cached_property
    def _copies(self) -> dict[str, list[str]]:
        return copies_of(self.clustering.duplicates)

    def members(self, cluster: Cluster) -> list[str]:
        """Members plus the near-duplicates the engine collapsed into them."""
        return with_copies(cluster.members, self._copies)

    @cached_property
    def by_uuid(self) -> dict[str, PainPoint]:
        """Pain points by id, built once (once per problem cost ~12 s at 100,000 points)."""
        return {p.uuid: p for p in self.pain_points}

    def history(self) -> dict[str, tuple[str, ...]]:
        """Every release each problem was seen in (the whole history, whatever the slice)."""
        release_of = {p.uuid: p.release for p in self.pain_points}
        return {
            c.id: sort_releases(release_of.get(m, "") for m in self.members(c))
            for c in self.clusters()
        }

    def check_release(self, release: str, flag: str) -> None:
        known = known_releases(self.visits, self.pain_points)
        problem = release_problem(release.strip())
        if release not in known and problem is not None:  # 5,000 characters are not echoed
            raise NotFound(f"the release ({flag}) {problem}; {RELEASE_RULE}")
        if release not in known:
            listed = ", ".join(known) if known else "none yet"
            raise NotFound(
                f"no walks in release {release!r} ({flag}); releases with walks: {listed}"
            )


@dataclass(frozen=True)
class Scored:
    """A ranked list with what it was computed from (for explanations and counts)."""

    items: list[FixItem]  # ranked
    facts: dict[str, PainFact]  # the pain points in the slice (one release, or all)
    steps: list[StepFacts]
    history: dict[str, tuple[str, ...]]
    weights: Weights
    data: ScopeData

    def item(self, cluster_id: str) -> FixItem | None:
        return next((i for i in self.items if i.cluster.id == cluster_id), None)

    def reports(self, item: FixItem) -> list[PainPoint]:
        """The item's reports in the slice (copies included), oldest member order kept."""
        by_uuid = self.data.by_uuid
        return [by_uuid[m] for m in self.data.members(item.cluster) if m in self.facts]

    def profiles(self) -> list[Profile]:
        """Every listed problem as ``similar`` sees it (its journey, steps, and each report's text
        with its suggested fix)."""
        out = []
        for item in self.items:
            reports = self.reports(item)
            out.append(
                Profile(
                    cluster_id=item.cluster.id,
                    title=item.cluster.title,
                    journey=item.steps[0][0] if item.steps else "",
                    steps=Counter(r.step_id for r in reports),
                    texts=[f"{r.text} {r.suggested_fix}" for r in reports],
                )
            )
        return out

    def similar(self, *, n: int = 5, only: Iterable[str] | None = None) -> dict[str, list[Similar]]:
        """The best merge candidates of each listed problem (see ``fixlist.similar``)."""
        return similar_problems(self.profiles(), n=n, only=only)

    def explain(self, item: FixItem) -> Explanation:
        members = [self.facts[m] for m in self.data.members(item.cluster) if m in self.facts]
        return explain(members, {s.key: s for s in self.steps}, self.weights, item.releases)


def score(data: ScopeData, *, release: str | None, weights: Weights) -> Scored:
    """Score, decide and rank every problem of ``data``; ``release`` slices the reports."""
    pain_points: Sequence[PainPoint] = data.pain_points
    visits: Sequence[Visit] = data.visits
    if release:
        data.check_release(release, "--release")
        pain_points = [p for p in pain_points if p.release == release]
        visits = [v for v in visits if v.release == release]
    history = data.history()
    facts = pain_facts(pain_points, visits)
    steps = step_facts(visits)
    items = score_clusters(
        data.clusters(),
        facts,
        steps,
        weights=weights,
        duplicates=data.clustering.duplicates,
        history=history,
    )
    items = [
        replace(
            item,
            regressed=is_regressed(data.records.get(item.cluster.id), history[item.cluster.id]),
        )
        for item in apply_status(items, data.records)
    ]
    if release:  # the suggestions of this release's reports, not of the problem's whole history
        fix_of = {p.uuid: p.suggested_fix for p in pain_points}
        items = [_with_suggestions(item, data.members(item.cluster), fix_of) for item in items]
    if data.corrected is not None:
        items = [_with_corrections(item, data.corrected) for item in items]
    return Scored(rank(items), facts, steps, history, weights, data)


def _with_corrections(item: FixItem, corrected: Corrected) -> FixItem:
    cid = item.cluster.id
    moved_in = corrected.moved_in.get(cid, ())
    if is_one_off_line(cid) and not moved_in:  # a report moved out onto a line of its own
        moved_in = tuple(m for m in item.cluster.members if m in corrected.moved_from)
    return replace(
        item,
        merged=corrected.merged.get(cid, ()),
        moved_in=moved_in,
        moved_out=corrected.moved_out.get(cid, ()),
    )


def _with_suggestions(item: FixItem, members: Iterable[str], fix_of: Mapping[str, str]) -> FixItem:
    """``item`` with the most common suggestions among the members that ``fix_of`` knows."""
    from qualitylab.clustering.describe import common_suggestions

    common = common_suggestions([fix_of[m] for m in members if m in fix_of])
    return replace(item, cluster=replace(item.cluster, suggestions=tuple(common)))


@dataclass(frozen=True)
class FixReport:
    """A ranked fix list and its one-offs: reports in no recurring problem (``fixlist.one_offs``;
    the blockers among them are listed too), counted so nobody thinks they were lost. ``texts``
    holds each listed item's reports, so a face can show what people wrote, not just ids."""

    items: list[FixItem]
    reports: int  # pain points in scope
    one_offs: OneOffs = OneOffs(())  # of the whole list (not just the top N)
    texts: Mapping[str, tuple[PainPoint, ...]] = field(default_factory=dict)
    similar: Mapping[str, Sequence[Similar]] = field(default_factory=dict)
    #: Every pain point of the slice, listed or not (what a report's rows and one-offs need).
    pain_points: tuple[PainPoint, ...] = ()

    @property
    def unlisted(self) -> int:
        """Reports in no item of the whole list (one-offs that are not blockers)."""
        return self.one_offs.unlisted

    def reports_of(self, item: FixItem) -> tuple[PainPoint, ...]:
        return self.texts.get(item.cluster.id, ())

    def similar_to(self, item: FixItem) -> Sequence[Similar]:
        return self.similar.get(item.cluster.id, ())

    def one_off_reports(self) -> list[PainPoint]:
        """The one-offs themselves, worst first, then oldest (the order every face lists them)."""
        alone = set(self.one_offs.reports)
        return sorted(
            (p for p in self.pain_points if p.uuid in alone),
            key=lambda p: (-int(p.severity), age(p)),
        )


def report(scored: Scored, *, top: int | None, similar: int = 0) -> FixReport:
    """The list (its top N) with its one-offs, and each item's ``similar`` best merge
    candidates when asked."""
    one_offs = find_one_offs(scored.items, lambda i: scored.data.members(i.cluster), scored.facts)
    items = scored.items[:top] if top else scored.items
    texts = {item.cluster.id: tuple(scored.reports(item)) for item in items}
    alike = scored.similar(n=similar, only=[i.cluster.id for i in items]) if similar else {}
    points = tuple(p for p in scored.data.pain_points if p.uuid in scored.facts)
    return FixReport(items, len(scored.facts), one_offs, texts, alike, points)


def release_changes(data: ScopeData, *, from_release: str, to_release: str) -> list[ReleaseChange]:
    """Problems as new / persisting / resolved / not seen again / regressed between two releases,
    with counts and, for a problem gone from ``to_release``, the evidence that it is fixed."""
    if not from_release or not to_release:
        raise InvalidInput("compare needs both --from and --to releases")
    data.check_release(from_release, "--from")
    data.check_release(to_release, "--to")
    products: dict[str, set[str]] = defaultdict(set)
    for visit in data.visits:
        products[visit.release].add(visit.product_id)
    both = products[from_release] and products[to_release]  # logged feedback has no visits
    if both and not products[from_release] & products[to_release]:
        raise InvalidInput(
            f"releases {from_release} ({', '.join(sorted(products[from_release]))}) and "
            f"{to_release} ({', '.join(sorted(products[to_release]))}) belong to different "
            "products; compare two releases of one product (--product narrows the list)"
        )
    by_uuid = data.by_uuid
    counts: dict[str, Mapping[str, int]] = {}
    evidence: dict[str, Evidence] = {}
    visitors: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for visit in data.visits:
        visitors[(visit.release, visit.journey_id, visit.step_id)].add(visit.walker_uuid)

    def walked(release: str, steps: set[tuple[str, str]]) -> int:
        return len(set().union(*(visitors.get((release, j, s), set()) for j, s in steps)))

    for c in data.clusters():
        points = [by_uuid[m] for m in data.members(c) if m in by_uuid]
        counts[c.id] = Counter(p.release for p in points)
        steps = {(p.journey_id, p.step_id) for p in points}
        evidence[c.id] = Evidence(
            walkers_before=len({p.walker_uuid for p in points if p.release == from_release}),
            visitors_before=walked(from_release, steps),
            visitors_after=walked(to_release, steps),
        )
    return compare(
        counts,
        from_release=from_release,
        to_release=to_release,
        titles={c.id: c.title for c in data.clusters()},
        records=data.records,
        evidence=evidence,
    )


@dataclass(frozen=True)
class ReleaseNote:
    """One thing to tell the team about "fixed in ``release``", as data, so each face words it in
    its own language (``english`` is the CLI's line)."""

    kind: str  # "unknown_release", "later_reports" or "same_release"
    release: str
    releases: tuple[str, ...] = ()  # the known releases, or the later ones with reports
    count: int = 0  # same_release: how many of its reports come from ``release`` itself

    def english(self) -> str:
        listed = ", ".join(self.releases)
        if self.kind == "unknown_release":
            return (
                f"no walk of this journey used release {self.release!r} yet (known: {listed}); "
                "check it is not a typo, or a regression can never be flagged"
            )
        if self.kind == "later_reports":
            return (
                f"it has reports from later releases ({listed}), so it shows as REGRESSED at once"
            )
        return (
            f"{self.count} of its reports come from {self.release} itself; they do not count as "
            "a regression, only reports from a later release do"
        )


def release_notes(
    points: Sequence[PainPoint], visits: Sequence[Visit], members: Iterable[str], release: str
) -> tuple[ReleaseNote, ...]:
    """What to tell the team about "fixed in ``release``": a release no walk used yet (a typo, or
    one still to come), and reports of the problem from that release or a later one."""
    known = known_releases(visits, points)
    out: list[ReleaseNote] = []
    if known and release not in known:
        out.append(ReleaseNote("unknown_release", release, tuple(known)))
    mine = set(members)
    later = [r for r in {p.release for p in points if p.uuid in mine} if is_later(r, release)]
    if later:
        out.append(ReleaseNote("later_reports", release, tuple(sort_releases(later))))
    same = sum(1 for p in points if p.uuid in mine and p.release == release)
    if same:
        out.append(ReleaseNote("same_release", release, count=same))
    return tuple(out)
