"""Fix lists: cluster the lab's pain points, score them, apply decisions, compare releases.

Pain points are clustered journey by journey (see ``_load_and_cluster``); a lab or product fix list
is the union of its journeys' clusters. Releases are *not* part of the clustering: a fix list for
one release slices a clustering of every release, so a cluster keeps its id across releases —
which is what lets a fixed problem be seen coming back (regressed).
The clustering engine and the store's queries (sqlalchemy) are imported only when a list is built.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, Unpack

from qualitylab.clustering.priority import (
    ENV_WEIGHTS,
    Explanation,
    PainFact,
    StepFacts,
    Weights,
    copies_of,
    explain,
    one_off_cluster,
    rank,
    score_clusters,
    with_copies,
)
from qualitylab.clustering.releases import (
    MAX_NOTE_CHARS,
    FixRecord,
    ReleaseChange,
    apply_status,
    check_status,
    compare,
    is_later,
    is_regressed,
    sort_releases,
)
from qualitylab.config import config_dir
from qualitylab.domain import (
    Cluster,
    Clustering,
    FixItem,
    FixStatus,
    Outcome,
    PainPoint,
    Severity,
)
from qualitylab.errors import CatalogError, InvalidInput, NotFound
from qualitylab.services.lab import Lab

if TYPE_CHECKING:
    from qualitylab.store import fixes as store_fixes
    from qualitylab.store.unit import Unit

SEED = 0


class ClusterFn(Protocol):
    """The engine's signature (``qualitylab.clustering.cluster_texts``); tests inject a fake."""

    def __call__(
        self,
        texts: Sequence[str],
        *,
        ids: Sequence[str],
        suggestions: Sequence[str],
        previous: Mapping[str, Collection[str]] | None,
        context: Sequence[str] | None,
        authors: Sequence[str] | None = None,
        seed: int,
        progress: Callable[[str, float], None] | None,
    ) -> Clustering: ...


def _default_cluster_fn() -> ClusterFn:
    from qualitylab.clustering import cluster_texts

    fn: ClusterFn = cluster_texts
    return fn


def scope_key(*, journey: str | None = None, product: str | None = None) -> str:
    parts = [f"journey={journey}" if journey else "", f"product={product}" if product else ""]
    return ",".join(p for p in parts if p) or "all"


def weights_config_path() -> Path:
    return config_dir() / "config.toml"


def default_weights() -> Weights:
    """Built-in weights < ``[weights]`` in ``config.toml`` < ``$QUALITYLAB_WEIGHTS``.

    ``config.toml`` lives in the config dir (``$QUALITYLAB_CONFIG_DIR``), e.g.::

        [weights]
        reach = 2
        blocker_share = 0.5

    The command line (``--weight``) is applied on top by the caller.
    """
    import tomllib

    weights = Weights()
    path = weights_config_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InvalidInput(f"{path}: cannot read the [weights] settings: {exc}") from None
        table = data.get("weights", {})
        if not isinstance(table, dict):
            raise InvalidInput(f"{path}: 'weights' must be a table: [weights] then name = number")
        try:
            weights = weights.with_overrides(f"{k}={v}" for k, v in table.items())
        except InvalidInput as exc:
            raise InvalidInput(f"{path}: {exc}") from None
    raw = os.environ.get(ENV_WEIGHTS, "")
    try:
        return weights.with_overrides([raw]) if raw.strip() else weights
    except InvalidInput as exc:
        raise InvalidInput(f"${ENV_WEIGHTS}: {exc}") from None


# ---------------------------------------------------------------------------------- loading
@dataclass(frozen=True)
class _ScopeData:
    scope: str
    pain_points: list[PainPoint]
    visits: list[store_fixes.VisitFact]
    records: dict[str, FixRecord]
    clustering: Clustering
    one_offs: tuple[Cluster, ...]

    def clusters(self) -> tuple[Cluster, ...]:
        return self.clustering.clusters + self.one_offs

    @cached_property
    def _copies(self) -> dict[str, list[str]]:
        return copies_of(self.clustering.duplicates)

    def members(self, cluster: Cluster) -> list[str]:
        """Members plus the near-duplicates the engine collapsed into them."""
        return with_copies(cluster.members, self._copies)

    def history(self) -> dict[str, tuple[str, ...]]:
        release_of = {p.uuid: p.release for p in self.pain_points}
        return {
            c.id: sort_releases(release_of.get(m, "") for m in self.members(c))
            for c in self.clusters()
        }


def _record_of(fix: store_fixes.StoredFix) -> FixRecord:
    try:
        status = FixStatus(fix.status)
    except ValueError:
        status = FixStatus.OPEN
    return FixRecord(
        cluster_id=fix.cluster_id,
        status=status,
        release=fix.release,
        note=fix.note,
        title=fix.title,
        scope=fix.scope,
        updated_at=fix.updated_at,
    )


def _previous(
    runs: Sequence[store_fixes.StoredRun], scope: str, present: Collection[str]
) -> dict[str, list[str]] | None:
    """The scope's last clusters (members still present) for the engine to inherit ids from.

    Only the same scope: inheriting from a wider run once gave two journeys' different problems
    the id of one lab-wide cluster that had spanned both.
    """
    keep = set(present)
    previous: dict[str, list[str]] = {}
    for run in runs:
        if run.scope != scope:
            continue
        for cid, members in sorted(run.clusters.items()):
            mine = [m for m in members if m in keep]
            if mine:
                previous[cid] = mine
    return previous or None


def _previous_one_offs(
    runs: Sequence[store_fixes.StoredRun], scope: str, points: Sequence[PainPoint]
) -> dict[str, list[str]]:
    """The scope's last one-off blocker lines (members still present), as possible parents."""
    present = {p.uuid for p in points}
    return {
        oid: [m for m in members if m in present]
        for run in runs
        if run.scope == scope
        for oid, members in sorted(run.one_offs.items())
        if any(m in present for m in members)
    }


def _unique_ids(clustering: Clustering, journey_id: str, taken: set[str]) -> Clustering:
    """Rename clusters whose id another journey already uses (old data), deterministically."""
    renamed: dict[str, str] = {}
    for c in clustering.clusters:
        if c.id in taken:
            suffix = hashlib.sha1(journey_id.encode("utf-8")).hexdigest()[:4]
            renamed[c.id] = f"{c.id}-{suffix}"
    taken.update(renamed.get(c.id, c.id) for c in clustering.clusters)
    if not renamed:
        return clustering
    return replace(
        clustering,
        clusters=tuple(replace(c, id=renamed.get(c.id, c.id)) for c in clustering.clusters),
        labels={k: renamed.get(v, v) if v else v for k, v in clustering.labels.items()},
        changes=tuple(
            replace(ch, cluster_id=renamed.get(ch.cluster_id, ch.cluster_id))
            for ch in clustering.changes
        ),
    )


def _inherited_decisions(
    clustering: Clustering,
    records: Mapping[str, FixRecord],
    scope: str,
    previous: Mapping[str, Collection[str]],
) -> dict[str, FixRecord]:
    """Decisions for new clusters that mostly came from a decided problem of the last run (a
    cluster or a one-off blocker line): the part that kept the id keeps the decision, and a part
    that split off, or a one-off that grew into a cluster, inherits it (noted). So a problem marked
    fixed or won't fix does not come back as open because new feedback divided or joined it. Only
    the parent holding most of the new cluster's known members passes its decision on."""
    owner = {m: pid for pid, members in previous.items() for m in members}
    out: dict[str, FixRecord] = {}
    for cluster in clustering.clusters:
        if cluster.id in records or cluster.id in previous:
            continue
        counts = Counter(owner[m] for m in cluster.members if m in owner)
        if not counts:
            continue
        parent, overlap = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if parent not in records or overlap * 2 <= sum(counts.values()):
            continue
        decided = records[parent]
        how = "grew from" if parent.startswith("one-off-") else "split from"
        note = f"{how} {parent}" + (f": {decided.note}" if decided.note else "")
        out[cluster.id] = replace(
            decided,
            cluster_id=cluster.id,
            title=cluster.title,
            scope=scope,
            note=note[:MAX_NOTE_CHARS],
        )
    return out


def _check_filters(lab: Lab, journey: str | None, product: str | None, seen: set[str]) -> None:
    """Unknown journey/product ids are an error unless old data still uses them."""
    if journey:
        lab.check_journey_filter(journey, used=seen)
    try:
        catalog = lab.catalog
    except CatalogError:
        return
    if product and product not in seen and product not in {p.id for p in catalog.products}:
        known = ", ".join(p.id for p in catalog.products)
        raise NotFound(f"unknown product {product!r}; known products: {known}")
    owner = next((j.product for j in catalog.journeys if j.id == journey), None)
    if journey and product and owner is not None and owner != product and not seen:
        raise InvalidInput(
            f"journey {journey!r} is part of product {owner!r}, not {product!r}; "
            "give one of --journey or --product"
        )


def _fingerprint(points: Sequence[PainPoint]) -> str:
    """What a journey's clustering depends on (input and engine version); unchanged -> reuse."""
    from qualitylab import __version__
    from qualitylab.clustering import engine_fingerprint

    rows = sorted((p.uuid, p.text, p.suggested_fix, p.step_id, _author(p)) for p in points)
    blob = json.dumps([__version__, engine_fingerprint(), SEED, rows], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def _run_payload(
    fingerprint: str, clustering: Clustering, one_offs: Sequence[Cluster]
) -> dict[str, Any]:
    return {
        "clusters": {c.id: list(c.members) for c in clustering.clusters},
        "titles": {c.id: c.title for c in (*clustering.clusters, *one_offs)},
        "one_offs": {c.id: list(c.members) for c in one_offs},
        "input": fingerprint,
        "detail": {
            c.id: {
                "terms": list(c.terms),
                "quotes": list(c.quotes),
                "cohesion": c.cohesion,
                "suggestions": [[text, n] for text, n in c.suggestions],
                "split_strength": c.split_strength,
                "looks_mixed": c.looks_mixed,
            }
            for c in clustering.clusters
        },
        "unclustered": list(clustering.unclustered),
        "duplicates": dict(clustering.duplicates),
    }


def _clustering_of(run: store_fixes.StoredRun | None, fingerprint: str) -> Clustering | None:
    """The stored clustering when it was computed from exactly this input, else None."""
    if run is None or run.payload.get("input") != fingerprint:
        return None
    detail = run.payload.get("detail")
    if not isinstance(detail, dict):
        return None
    try:
        clusters = tuple(
            Cluster(
                id=cid,
                title=run.titles.get(cid, ""),
                terms=tuple(str(t) for t in detail[cid]["terms"]),
                members=tuple(members),
                quotes=tuple(str(q) for q in detail[cid]["quotes"]),
                cohesion=float(detail[cid]["cohesion"]),
                suggestions=tuple((str(t), int(n)) for t, n in detail[cid]["suggestions"]),
                split_strength=float(detail[cid].get("split_strength", 1.0)),
                looks_mixed=bool(detail[cid].get("looks_mixed", False)),
            )
            for cid, members in run.clusters.items()
        )
        unclustered = tuple(str(u) for u in run.payload.get("unclustered", []))
        duplicates = {str(k): str(v) for k, v in dict(run.payload.get("duplicates", {})).items()}
    except (KeyError, TypeError, ValueError):
        return None
    labels: dict[str, str | None] = dict.fromkeys(unclustered)
    labels.update({m: c.id for c in clusters for m in c.members})
    return Clustering(clusters, unclustered, labels, (), duplicates)


def _author(point: PainPoint) -> str:
    """Who wrote a pain point, for the engine's "several people wrote this" rule; "" = unknown
    (anonymous feedback shares one walker record, so it cannot tell two people apart)."""
    return "" if point.walker_anonymous or not point.walker_uuid else point.walker_uuid


def _one_offs(clustering: Clustering, points: Sequence[PainPoint]) -> tuple[Cluster, ...]:
    """Lone blockers: left out of every cluster, but a blocker must never drop off the list.

    One line per text: a copy the engine collapsed into another (the same walker pasting a note
    twice) is scored with its original, and makes it a blocker line if either copy is one.
    """
    by_uuid = {p.uuid: p for p in points}
    worst = {u: by_uuid[u].severity for u in clustering.unclustered if u in by_uuid}
    first = {u: u for u in worst}  # a line is named after its oldest report: stable as copies come
    for copy, original in clustering.duplicates.items():
        if copy in worst and original in worst:
            worst[original] = max(worst[original], worst[copy])
            first[original] = min(first[original], copy, key=lambda u: _age(by_uuid[u]))
    return tuple(
        one_off_cluster(uuid, by_uuid[uuid].text, by_uuid[uuid].suggested_fix, id_from=first[uuid])
        for uuid in clustering.unclustered
        if uuid in worst and uuid not in clustering.duplicates and worst[uuid] >= Severity.BLOCKER
    )


def _age(point: PainPoint) -> tuple[str, str]:
    """Sort key, oldest first (uuid breaks ties; a missing time sorts last)."""
    return (point.created_at.isoformat() if point.created_at else "~", point.uuid)


def _stage(
    progress: Callable[[str, float], None] | None, journey: str, n: int, total: int
) -> Callable[[str, float], None] | None:
    if progress is None:
        return None

    def report(stage: str, fraction: float) -> None:
        progress(f"{journey} ({n}/{total}) {stage}", fraction)

    return report


def _load_and_cluster(
    lab: Lab,
    *,
    journey: str | None,
    product: str | None,
    progress: Callable[[str, float], None] | None,
    cluster_fn: ClusterFn | None,
) -> _ScopeData:
    """Pain points, visits and decisions in scope, clustered journey by journey.

    The journey is the unit of clustering: a problem is something that goes wrong on a journey's
    steps, and on the demo lab clustering journeys separately kept clusters about twice as pure
    as one lab-wide run. Lab and product fix lists are the union of their journeys' clusters, so a
    problem has the same id (and fix status) in every list. A journey whose pain points did not
    change since its last run reuses that run instead of clustering again.
    """
    from qualitylab.store import fixes as store_fixes

    with lab.store.unit(read_only=True) as unit:  # never make a walker's save wait
        pain_points = unit.pain_points(journey_id=journey, product_id=product)
        visits = store_fixes.visit_facts(unit, journey_id=journey, product_id=product)
        runs = store_fixes.latest_runs(unit)
        records = {cid: _record_of(f) for cid, f in store_fixes.fixes(unit).items()}
    seen = {v.journey_id for v in visits} | {v.product_id for v in visits}
    _check_filters(lab, journey, product, seen)
    by_journey: dict[str, list[PainPoint]] = defaultdict(list)
    for point in pain_points:
        by_journey[point.journey_id].append(point)
    latest = {run.scope: run for run in runs}
    parts: list[Clustering] = []
    one_offs: list[Cluster] = []
    to_save: dict[str, dict[str, Any]] = {}
    inherited: dict[str, FixRecord] = {}
    taken: set[str] = set()
    for n, (journey_id, points) in enumerate(sorted(by_journey.items()), start=1):
        scope = scope_key(journey=journey_id)
        fingerprint = _fingerprint(points)
        clustering = _clustering_of(latest.get(scope), fingerprint)
        fresh = clustering is None
        previous = _previous(runs, scope, [p.uuid for p in points]) if fresh else None
        if clustering is None:
            fn = cluster_fn or _default_cluster_fn()
            clustering = fn(
                [p.text for p in points],
                ids=[p.uuid for p in points],
                suggestions=[p.suggested_fix for p in points],
                previous=previous,
                context=[p.step_id for p in points],  # a step's pain points share a feature
                authors=[_author(p) for p in points],
                seed=SEED,
                progress=_stage(progress, journey_id, n, len(by_journey)),
            )
        clustering = _unique_ids(clustering, journey_id, taken)
        extra = _one_offs(clustering, points)
        if fresh:  # a reused run is already stored as it is
            to_save[scope] = _run_payload(fingerprint, clustering, extra)
            parents = {**(previous or {}), **_previous_one_offs(runs, scope, points)}
            inherited.update(_inherited_decisions(clustering, records, scope, parents))
        parts.append(clustering)
        one_offs.extend(extra)
    if to_save:
        with lab.store.unit() as unit:
            for scope, payload in to_save.items():
                store_fixes.save_run(unit, scope=scope, payload=payload)
            for cid, record in inherited.items():
                saved = store_fixes.add_fix_if_absent(  # a person's own decision always wins
                    unit,
                    cluster_id=cid,
                    scope=record.scope,
                    title=record.title,
                    status=record.status.value,
                    release=record.release,
                    note=record.note,
                )
                if saved is not None:
                    records[cid] = _record_of(saved)
    merged = Clustering(
        clusters=tuple(c for part in parts for c in part.clusters),
        unclustered=tuple(u for part in parts for u in part.unclustered),
        labels={k: v for part in parts for k, v in part.labels.items()},
        changes=tuple(c for part in parts for c in part.changes),
        duplicates={k: v for part in parts for k, v in part.duplicates.items()},
    )
    scope = scope_key(journey=journey, product=product)
    return _ScopeData(scope, pain_points, visits, records, merged, tuple(one_offs))


def _known_releases(
    visits: Iterable[store_fixes.VisitFact], points: Iterable[PainPoint]
) -> tuple[str, ...]:
    """Releases that walks used: their step visits, and logged feedback (which has none)."""
    return sort_releases([v.release for v in visits] + [p.release for p in points])


def _check_release(data: _ScopeData, release: str, flag: str) -> None:
    known = _known_releases(data.visits, data.pain_points)
    if release not in known:
        listed = ", ".join(known) if known else "none yet"
        raise NotFound(f"no walks in release {release!r} ({flag}); releases with walks: {listed}")


# ---------------------------------------------------------------------------------- facts
def _step_facts(visits: Iterable[store_fixes.VisitFact]) -> list[StepFacts]:
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


def _pain_facts(
    pain_points: Iterable[PainPoint], visits: Iterable[store_fixes.VisitFact]
) -> dict[str, PainFact]:
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


# ---------------------------------------------------------------------------------- use-cases
@dataclass(frozen=True)
class _Scored:
    items: list[FixItem]  # ranked
    facts: dict[str, PainFact]
    steps: list[StepFacts]
    history: dict[str, tuple[str, ...]]
    weights: Weights
    data: _ScopeData


def _score(
    lab: Lab,
    *,
    journey: str | None,
    product: str | None,
    release: str | None,
    weights: Weights | None,
    progress: Callable[[str, float], None] | None,
    cluster_fn: ClusterFn | None,
) -> _Scored:
    data = _load_and_cluster(
        lab, journey=journey, product=product, progress=progress, cluster_fn=cluster_fn
    )
    pain_points, visits = data.pain_points, data.visits
    release = (release or "").strip() or None
    if release:
        _check_release(data, release, "--release")
        pain_points = [p for p in pain_points if p.release == release]
        visits = [v for v in visits if v.release == release]
    history = data.history()
    weights = weights or default_weights()
    facts = _pain_facts(pain_points, visits)
    steps = _step_facts(visits)
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
    return _Scored(rank(items), facts, steps, history, weights, data)


def _with_suggestions(item: FixItem, members: Iterable[str], fix_of: Mapping[str, str]) -> FixItem:
    """``item`` with the most common suggestions among the members that ``fix_of`` knows."""
    from qualitylab.clustering.describe import common_suggestions

    common = common_suggestions([fix_of[m] for m in members if m in fix_of])
    return replace(item, cluster=replace(item.cluster, suggestions=tuple(common)))


@dataclass(frozen=True)
class FixReport:
    """A ranked fix list and what it leaves out: reports in no listed problem are one-offs
    (a lone non-blocker note), counted so nobody thinks they were lost."""

    items: list[FixItem]
    reports: int  # pain points in scope
    unlisted: int  # of those, in no item of the whole list (not just the top N)


def build_fix_report(
    lab: Lab,
    *,
    journey: str | None = None,
    product: str | None = None,
    release: str | None = None,
    top: int | None = None,
    weights: Weights | None = None,
    progress: Callable[[str, float], None] | None = None,
    cluster_fn: ClusterFn | None = None,
) -> FixReport:
    """The ranked fix list for a journey, a product or the whole lab, optionally one release.

    Clusters every pain point in the scope (keeping ids from the scope's previous run), saves the
    run, scores the clusters (see ``qualitylab.clustering.priority.Weights``), attaches fix status
    and regressed flags, and ranks: blockers first, then regressions, settled (fixed / won't fix)
    last.
    """
    if top is not None and top < 1:
        raise InvalidInput(f"--top must be 1 or more, not {top}")
    scored = _score(
        lab,
        journey=journey,
        product=product,
        release=release,
        weights=weights,
        progress=progress,
        cluster_fn=cluster_fn,
    )
    listed = {m for item in scored.items for m in scored.data.members(item.cluster)}
    unlisted = sum(1 for uuid in scored.facts if uuid not in listed)
    items = scored.items[:top] if top else scored.items
    return FixReport(items, len(scored.facts), unlisted)


class FixListOptions(TypedDict, total=False):
    """``build_fix_report``'s options, for callers that only want the items."""

    journey: str | None
    product: str | None
    release: str | None
    top: int | None
    weights: Weights | None
    progress: Callable[[str, float], None] | None
    cluster_fn: ClusterFn | None


def build_fix_list(lab: Lab, **options: Unpack[FixListOptions]) -> list[FixItem]:
    """Just the ranked items of ``build_fix_report`` (same options)."""
    return build_fix_report(lab, **options).items


def explain_fix(
    lab: Lab,
    cluster_id: str,
    *,
    journey: str | None = None,
    product: str | None = None,
    release: str | None = None,
    weights: Weights | None = None,
    progress: Callable[[str, float], None] | None = None,
    cluster_fn: ClusterFn | None = None,
) -> tuple[FixItem, Explanation]:
    """One fix-list line and every number behind its score (same scope options as the list)."""
    scored = _score(
        lab,
        journey=journey,
        product=product,
        release=release,
        weights=weights,
        progress=progress,
        cluster_fn=cluster_fn,
    )
    cluster_id = cluster_id.strip()
    item = next((i for i in scored.items if i.cluster.id == cluster_id), None)
    if item is None:
        raise NotFound(
            f"no cluster {cluster_id!r} in this fix list; run `qualitylab fixes` (with the same "
            "--journey/--product/--release) to see its cluster ids"
        )
    members = [scored.facts[m] for m in scored.data.members(item.cluster) if m in scored.facts]
    why = explain(members, {s.key: s for s in scored.steps}, scored.weights, item.releases)
    return item, why


@dataclass(frozen=True)
class Decision:
    """A recorded decision and what the team should know about it (nothing blocks saving)."""

    record: FixRecord
    warnings: tuple[str, ...] = ()


def set_fix_status(
    lab: Lab,
    cluster_id: str,
    status: str | FixStatus,
    *,
    release: str | None = None,
    note: str | None = None,
) -> Decision:
    """Record the team's decision about a cluster; 'fixed' needs the release carrying the fix.

    ``note=None`` keeps the note already recorded (a status change should not wipe "sprint 12").
    Warnings: a release no walk has used yet (a typo, or a release still to come), and a fix
    release that already has reports of the problem (those do not count as a regression).
    """
    from qualitylab.store import fixes as store_fixes

    cluster_id = cluster_id.strip()
    parsed = check_status(status, release, note or "")
    release = (release or "").strip() or None
    with lab.store.unit() as unit:
        found = _find_cluster(unit, cluster_id)
        existing = store_fixes.get_fix(unit, cluster_id)
        if found is None and existing is None:
            raise NotFound(
                f"no cluster {cluster_id!r} in the last fix lists; run `qualitylab fixes` (ids "
                "come from its latest run) and copy an id from there"
            )
        scope, title, members = found or (existing.scope, existing.title, ())  # type: ignore[union-attr]
        fixed_in = release if parsed is FixStatus.FIXED else None  # planned: a future release
        warnings = _release_warnings(unit, scope, members, fixed_in) if fixed_in else ()
        kept_note = existing.note if existing is not None and note is None else (note or "")
        saved = store_fixes.save_fix(
            unit,
            cluster_id=cluster_id,
            scope=scope,
            title=title,
            status=parsed.value,
            release=release,
            note=kept_note.strip(),
        )
    return Decision(_record_of(saved), warnings)


def _release_warnings(
    unit: Unit, scope: str, members: Collection[str], release: str
) -> tuple[str, ...]:
    """What to tell the team about 'fixed in ``release``' (see ``set_fix_status``)."""
    from qualitylab.store import fixes as store_fixes

    journey = scope.removeprefix("journey=") if scope.startswith("journey=") else None
    points = unit.pain_points(journey_id=journey)
    visits = store_fixes.visit_facts(unit, journey_id=journey)
    known = _known_releases(visits, points)
    out: list[str] = []
    if known and release not in known:
        out.append(
            f"no walk of this journey used release {release!r} yet (known: {', '.join(known)}); "
            "check it is not a typo, or a regression can never be flagged"
        )
    mine = set(members)
    later = [r for r in {p.release for p in points if p.uuid in mine} if is_later(r, release)]
    if later:
        out.append(
            f"it has reports from later releases ({', '.join(sort_releases(later))}), so it "
            "shows as REGRESSED at once"
        )
    same = sum(1 for p in points if p.uuid in mine and p.release == release)
    if same:
        out.append(
            f"{same} of its reports come from {release} itself; they do not count as a "
            "regression, only reports from a later release do"
        )
    return tuple(out)


def _find_cluster(unit: Unit, cluster_id: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Scope, title and members of a cluster in the latest runs (journey runs first)."""
    from qualitylab.store import fixes as store_fixes

    runs = store_fixes.latest_runs(unit)
    for run in sorted(runs, key=lambda r: (not r.scope.startswith("journey="), -r.id)):
        members = run.clusters.get(cluster_id) or run.one_offs.get(cluster_id)
        if members:
            duplicates = run.payload.get("duplicates", {})
            copies = copies_of(duplicates) if isinstance(duplicates, dict) else {}
            return run.scope, run.titles.get(cluster_id, ""), tuple(with_copies(members, copies))
    return None


def list_fix_records(lab: Lab) -> list[FixRecord]:
    from qualitylab.store import fixes as store_fixes

    with lab.store.unit(read_only=True) as unit:
        return [_record_of(f) for f in store_fixes.fixes(unit).values()]


def compare_releases(
    lab: Lab,
    *,
    from_release: str,
    to_release: str,
    journey: str | None = None,
    product: str | None = None,
    progress: Callable[[str, float], None] | None = None,
    cluster_fn: ClusterFn | None = None,
) -> list[ReleaseChange]:
    """Clusters as new / persisting / resolved / regressed between two releases, with counts."""
    from_release, to_release = from_release.strip(), to_release.strip()
    if not from_release or not to_release:
        raise InvalidInput("compare needs both --from and --to releases")
    data = _load_and_cluster(
        lab, journey=journey, product=product, progress=progress, cluster_fn=cluster_fn
    )
    _check_release(data, from_release, "--from")
    _check_release(data, to_release, "--to")
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
    release_of = {p.uuid: p.release for p in data.pain_points}
    counts: dict[str, Mapping[str, int]] = {
        c.id: Counter(release_of[m] for m in data.members(c) if m in release_of)
        for c in data.clusters()
    }
    return compare(
        counts,
        from_release=from_release,
        to_release=to_release,
        titles={c.id: c.title for c in data.clusters()},
        records=data.records,
    )
