"""Fix lists, orchestrated: load -> cluster (or reuse the stored run) -> save -> build.

The logic is pure and lives in ``qualitylab.fixlist`` (score, releases, lineage, one-offs, a
person's corrections, similar problems); decisions are in ``services.decisions``, corrections in
``services.corrections`` and configured weights in ``services.weights``. Pain points are
clustered journey by journey (see ``_load_and_cluster``); a lab or product fix list is the union
of its journeys' clusters. Releases are *not* part of the clustering: a fix list for one release
slices a clustering of every release, so a cluster keeps its id across releases —
which is what lets a fixed problem be seen coming back (regressed).
The clustering engine and the store's queries (sqlalchemy) are imported only when a list is built.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Protocol, TypedDict, Unpack

from qualitylab.domain import Cluster, Clustering, FixItem, PainPoint
from qualitylab.errors import CatalogError, InvalidInput, NotFound, ReadOnlyLab
from qualitylab.fixlist.build import FixReport, ScopeData, Scored, release_changes
from qualitylab.fixlist.build import report as build_report
from qualitylab.fixlist.build import score as score_scope
from qualitylab.fixlist.corrections import (
    Correction,
    apply_corrections,
)
from qualitylab.fixlist.facts import author
from qualitylab.fixlist.lineage import (
    inherited_decisions,
    previous_one_offs,
    previous_runs,
    unique_ids,
)
from qualitylab.fixlist.one_offs import one_offs as one_off_lines
from qualitylab.fixlist.releases import (
    FixRecord,
    ReleaseChange,
)
from qualitylab.fixlist.releases import is_later as is_later  # for the faces: one import path
from qualitylab.fixlist.score import Explanation
from qualitylab.fixlist.score import Weights as Weights  # for the faces: one import path
from qualitylab.fixlist.similar import Similar
from qualitylab.services.decisions import Decision as Decision  # re-exported: one import path
from qualitylab.services.decisions import find_problem as find_problem
from qualitylab.services.decisions import list_fix_records as list_fix_records
from qualitylab.services.decisions import record_of
from qualitylab.services.decisions import set_fix_status as set_fix_status
from qualitylab.services.lab import Lab
from qualitylab.services.weights import default_weights as default_weights
from qualitylab.services.weights import weights_config_path as weights_config_path

if TYPE_CHECKING:
    from qualitylab.store import fixes as store_fixes

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


# ---------------------------------------------------------------------------------- load
def _check_filters(lab: Lab, journey: str | None, product: str | None, seen: set[str]) -> None:
    """Unknown journey/product ids are an error unless old data still uses them."""
    if not journey and not product:
        return  # nothing to check: spare an unfiltered fix list the catalog's load (~0.1 s)
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

    rows = sorted((p.uuid, p.text, p.suggested_fix, p.step_id, author(p)) for p in points)
    blob = json.dumps([__version__, engine_fingerprint(), SEED, rows], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


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
) -> ScopeData:
    """Load -> cluster journey by journey -> save: pain points, visits and decisions in scope.

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
        records = {cid: record_of(f) for cid, f in store_fixes.fixes(unit).items()}
        corrections = [Correction(**asdict(c)) for c in store_fixes.corrections(unit)]
    seen = {v.journey_id for v in visits} | {v.product_id for v in visits}
    _check_filters(lab, journey, product, seen)
    by_journey: dict[str, list[PainPoint]] = defaultdict(list)
    for point in pain_points:
        by_journey[point.journey_id].append(point)
    latest = {run.scope: run for run in runs}
    parts: list[Clustering] = []
    one_offs: list[Cluster] = []
    to_save: dict[str, store_fixes.ClusterRun] = {}
    inherited: dict[str, FixRecord] = {}
    taken: set[str] = set()
    for n, (journey_id, points) in enumerate(sorted(by_journey.items()), start=1):
        scope = scope_key(journey=journey_id)
        fingerprint = _fingerprint(points)
        stored = latest.get(scope)
        clustering = stored.clustering(fingerprint) if stored is not None else None
        fresh = clustering is None
        previous = previous_runs(runs, scope, [p.uuid for p in points]) if fresh else None
        if clustering is None:
            fn = cluster_fn or _default_cluster_fn()
            clustering = fn(
                [p.text for p in points],
                ids=[p.uuid for p in points],
                suggestions=[p.suggested_fix for p in points],
                previous=previous,
                context=[p.step_id for p in points],  # a step's pain points share a feature
                authors=[author(p) for p in points],
                seed=SEED,
                progress=_stage(progress, journey_id, n, len(by_journey)),
            )
        clustering = unique_ids(clustering, journey_id, taken)
        extra = one_off_lines(clustering, points)
        if fresh:  # a reused run is already stored as it is
            to_save[scope] = store_fixes.ClusterRun.of(fingerprint, clustering, extra)
            parents = {**(previous or {}), **previous_one_offs(runs, scope, points)}
            inherited.update(inherited_decisions(clustering, records, scope, parents))
        parts.append(clustering)
        one_offs.extend(extra)
    if to_save:
        try:
            with lab.store.unit() as unit:
                for scope, run in to_save.items():
                    store_fixes.save_run(unit, scope=scope, run=run)
                for cid, record in inherited.items():
                    saved = store_fixes.add_fix_if_absent(  # a person's own decision wins
                        unit,
                        cluster_id=cid,
                        scope=record.scope,
                        title=record.title,
                        status=record.status.value,
                        release=record.release,
                        note=record.note,
                    )
                    if saved is not None:
                        records[cid] = record_of(saved)
        except ReadOnlyLab:
            # A user who may only read the lab (a copy on a read-only share, a PostgreSQL user
            # granted SELECT) gets the same list, not stored: the next run clusters again.
            for cid, record in inherited.items():
                records.setdefault(cid, record)
    merged = Clustering(
        clusters=tuple(c for part in parts for c in part.clusters),
        unclustered=tuple(u for part in parts for u in part.unclustered),
        labels={k: v for part in parts for k, v in part.labels.items()},
        changes=tuple(c for part in parts for c in part.changes),
        duplicates={k: v for part in parts for k, v in part.duplicates.items()},
    )
    # A person's merges and moves on top of the engine's grouping (the stored run stays the
    # engine's, so the next clustering starts from what the engine saw).
    texts = {p.uuid: p.text for p in pain_points}
    corrected = apply_corrections(merged, one_offs, corrections, texts)
    lines = one_off_lines(corrected.clustering, pain_points)
    scope = scope_key(journey=journey, product=product)
    return ScopeData(scope, pain_points, visits, records, corrected.clustering, lines, corrected)


# ---------------------------------------------------------------------------------- use-cases
class FixListOptions(TypedDict, total=False):
    """The scope and scoring options every fix-list use-case takes."""

    journey: str | None
    product: str | None
    release: str | None
    weights: Weights | None
    progress: Callable[[str, float], None] | None
    cluster_fn: ClusterFn | None


def score_fix_list(lab: Lab, **options: Unpack[FixListOptions]) -> Scored:
    """Load, cluster and score a scope: the ranked list with what it was computed from."""
    data = _load_and_cluster(
        lab,
        journey=options.get("journey"),
        product=options.get("product"),
        progress=options.get("progress"),
        cluster_fn=options.get("cluster_fn"),
    )
    release = (options.get("release") or "").strip() or None
    return score_scope(data, release=release, weights=options.get("weights") or default_weights())


def build_fix_report(
    lab: Lab, *, top: int | None = None, similar: int = 0, **options: Unpack[FixListOptions]
) -> FixReport:
    """The ranked fix list for a journey, a product or the whole lab, optionally one release.

    Clusters every pain point in the scope (keeping ids from the scope's previous run), saves the
    run, scores the clusters (see ``qualitylab.fixlist.score.Weights``), attaches fix status
    and regressed flags, and ranks: blockers first, then regressions, settled (fixed / won't fix)
    last. ``similar``: how many merge candidates to attach to each item (``report.similar_to``).
    """
    if top is not None and top < 1:
        raise InvalidInput(f"--top must be 1 or more, not {top}")
    return build_report(score_fix_list(lab, **options), top=top, similar=similar)


def build_fix_list(
    lab: Lab, *, top: int | None = None, **options: Unpack[FixListOptions]
) -> list[FixItem]:
    """Just the ranked items of ``build_fix_report`` (same options)."""
    return build_fix_report(lab, top=top, **options).items


@dataclass(frozen=True)
class FixDetail:
    """One problem with everything a product owner reads before deciding: its line of the list,
    the numbers behind its score, its reports and the problems most like it."""

    item: FixItem
    explanation: Explanation
    reports: tuple[PainPoint, ...]
    similar: tuple[Similar, ...]


def fix_detail(
    lab: Lab, cluster_id: str, *, similar: int = 5, **options: Unpack[FixListOptions]
) -> FixDetail:
    """One problem of a fix list in full (same scope options as the list)."""
    scored = score_fix_list(lab, **options)
    cluster_id = cluster_id.strip()
    item = scored.item(cluster_id)
    corrected = scored.data.corrected
    if item is None and corrected is not None and cluster_id in corrected.alias:
        into = corrected.alias[cluster_id]
        raise NotFound(
            f"{cluster_id} was merged into {into}: qualitylab fix explain {into} "
            f"(qualitylab fix unmerge {cluster_id} to take it apart again)"
        )
    if item is None:
        raise NotFound(
            f"no cluster {cluster_id!r} in this fix list; run `qualitylab fixes` (with "
            "the same --journey/--product/--release) to see its cluster ids"
        )
    alike = scored.similar(n=similar, only=[cluster_id]).get(cluster_id, []) if similar else []
    return FixDetail(item, scored.explain(item), tuple(scored.reports(item)), tuple(alike))


def explain_fix(
    lab: Lab, cluster_id: str, **options: Unpack[FixListOptions]
) -> tuple[FixItem, Explanation]:
    """One fix-list line and every number behind its score (same scope options as the list)."""
    detail = fix_detail(lab, cluster_id, similar=0, **options)
    return detail.item, detail.explanation


def similar_problems(
    lab: Lab, cluster_id: str, n: int = 5, **options: Unpack[FixListOptions]
) -> list[Similar]:
    """The ``n`` problems most like ``cluster_id`` (same journey; same step first), each with a
    similarity figure 0..1: candidates for ``services.corrections.merge_problems``."""
    return list(fix_detail(lab, cluster_id, similar=n, **options).similar)


def one_off_reports(lab: Lab, **options: Unpack[FixListOptions]) -> list[PainPoint]:
    """The scope's one-offs (reports in no recurring problem, ``fixlist.one_offs``; the lone
    blockers among them are fix-list lines too), worst first: what the triage app lists so a
    person can attach one to a problem (``move_report``)."""
    return build_fix_report(lab, **options).one_off_reports()


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
    return release_changes(data, from_release=from_release, to_release=to_release)
