"""The JSON shapes of the fix-list commands (``fixes``, ``fix explain``, ``fix list``, ``compare``).

One function per shape, so the CLI, exports and the triage app write the same keys. A fix carries
its reports' texts next to their ids: reading a problem must not need a join against the export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from qualitylab.domain import FixItem, PainPoint
from qualitylab.fixlist.build import FixReport
from qualitylab.fixlist.corrections import Correction
from qualitylab.fixlist.releases import (
    RESOLVED_MIN_EXPECTED,
    RESOLVED_MIN_WALKERS,
    FixRecord,
    ReleaseChange,
)
from qualitylab.fixlist.score import Explanation, Weights, factors_of
from qualitylab.fixlist.similar import Similar

#: The version of ``fixes --json`` and ``compare --json`` (README, "Fix list JSON"): keys are only
#: added within a version; a change of meaning or a removal bumps it.
SCHEMA_VERSION = 1


def weights_json(weights: Weights) -> dict[str, float]:
    return {k: float(v) for k, v in asdict(weights).items()}


def report_json(point: PainPoint) -> dict[str, Any]:
    """One report of a problem: what was written, where, how bad, in which release."""
    return {
        "id": point.uuid,
        "text": point.text,
        "suggested_fix": point.suggested_fix,
        "journey": point.journey_id,
        "step": point.step_id,
        "severity": int(point.severity),
        "release": point.release,
        "created_at": point.created_at.isoformat() if point.created_at else None,
    }


def similar_json(similar: Similar) -> dict[str, Any]:
    return {
        "cluster_id": similar.cluster_id,
        "title": similar.title,
        "similarity": similar.similarity,
        "place": similar.place,
        "words": similar.words,
        "same_step": similar.same_step,
    }


def fix_json(
    item: FixItem, reports: Sequence[PainPoint] = (), similar: Sequence[Similar] | None = None
) -> dict[str, Any]:
    p = item.priority
    out: dict[str, Any] = {
        "rank": item.rank,
        "cluster_id": item.cluster.id,
        "title": item.cluster.title,
        "score": p.score,
        "parts": {
            "reach": p.reach,
            "severity_mean": p.severity_mean,
            "severity_max": p.severity_max,
            "impact": p.impact,
            "persistence": p.persistence,
            "blockers": p.blockers,
            "blocked": p.blocked,  # share of its steps' visitors who rated it a blocker
        },
        # what the score multiplies: 100 x product of factor ** weight (see "weights")
        "factors": {k: round(v, 4) for k, v in factors_of(p).items()},
        "blocker": item.blocker,
        "walkers": item.walkers,
        "pain_points": item.pain_points,
        "steps": [{"journey": j, "step": s} for j, s in item.steps],
        "releases": list(item.releases),
        # the engine's self-check: how alike its texts are (0..1), how firmly its best two-way
        # split holds (0..1), and the flags the table shows as "check: ..."
        "cohesion": item.cluster.cohesion,
        "split_strength": item.cluster.split_strength,
        "looks_mixed": item.looks_mixed,
        "few_walkers": item.few_walkers,
        "terms": list(item.cluster.terms),
        "quotes": list(item.cluster.quotes),
        "suggestions": [{"text": t, "count": n} for t, n in item.cluster.suggestions],
        "members": list(item.cluster.members),
        "status": item.status.value,
        "status_release": item.status_release,
        "status_note": item.status_note,
        "regressed": item.regressed,
        "owner": item.owner,
        "ticket": item.ticket,
        # a person's corrections: problems merged into this one, reports moved in or out by hand
        "merged": [{"cluster_id": cid, "title": title} for cid, title in item.merged],
        "moved_in": list(item.moved_in),
        "moved_out": list(item.moved_out),
    }
    if reports:
        out["reports"] = [report_json(r) for r in reports]
    if similar is not None:  # merge candidates: same journey, same step first
        out["similar"] = [similar_json(s) for s in similar]
    return out


def fix_report_json(
    report: FixReport, *, scope: dict[str, Any], weights: Weights
) -> dict[str, Any]:
    """``qualitylab fixes --json``: the scope, the weights, the counts and every fix."""
    return {
        "schema_version": SCHEMA_VERSION,
        "scope": scope,
        "weights": weights_json(weights),
        "reports": report.reports,
        "unlisted_reports": report.unlisted,  # one-offs in no line of the list
        "one_off_reports": len(report.one_offs.reports),  # in no recurring problem (blockers too)
        "fixes": [
            fix_json(i, report.reports_of(i), report.similar_to(i) if report.similar else None)
            for i in report.items
        ],
    }


def record_json(record: FixRecord) -> dict[str, Any]:
    return {
        "cluster_id": record.cluster_id,
        "title": record.title,
        "scope": record.scope,
        "status": record.status.value,
        "release": record.release,
        "note": record.note,
        "owner": record.owner,
        "ticket": record.ticket,
        "updated_at": record.updated_at.isoformat() if record.updated_at else None,
    }


def correction_json(correction: Correction) -> dict[str, Any]:
    return {
        "id": correction.uuid,
        "kind": correction.kind,
        "subject": correction.subject,
        "target": correction.target,
        "by": correction.by,
        "created_at": correction.created_at.isoformat() if correction.created_at else None,
        "undone_at": correction.undone_at.isoformat() if correction.undone_at else None,
        "undone_by": correction.undone_by,
        "sentence": correction.sentence(),
    }


def resolved_needs_json() -> dict[str, Any]:
    """What "resolved" asks of a problem with no report in the later release (else it is
    "not_seen_again"): walkers who reported it before, and walkers expected to hit it again."""
    return {"walkers_before": RESOLVED_MIN_WALKERS, "expected": RESOLVED_MIN_EXPECTED}


def compare_json(
    from_release: str, to_release: str, totals: dict[str, int], changes: Sequence[ReleaseChange]
) -> dict[str, Any]:
    """``qualitylab compare --json``: the two releases, the totals per kind and every change."""
    return {
        "schema_version": SCHEMA_VERSION,
        "from": from_release,
        "to": to_release,
        "totals": totals,
        "resolved_needs": resolved_needs_json(),
        "changes": [change_json(c) for c in changes],
    }


def change_json(change: ReleaseChange) -> dict[str, Any]:
    return {
        "cluster_id": change.cluster_id,
        "title": change.title,
        "kind": change.kind,
        "from_count": change.from_count,  # reports (pain points) in each release
        "to_count": change.to_count,
        "status": change.status.value,
        "status_release": change.status_release,
        # gone from the later release: how many of its walkers would have hit it (else null)
        "expected": change.expected,
    }


def explanation_json(why: Explanation) -> dict[str, Any]:
    return {
        "walkers": why.walkers,
        "visitors": why.visitors,
        "blocking_walkers": why.blocking_walkers,
        "severities": {str(k): v for k, v in sorted(why.severities.items())},
        "visits": why.visits,
        "bad_visits": why.bad_visits,
        "rated_visits": why.rated_visits,
        "hit_ease": why.hit_ease,
        "other_ease": why.other_ease,
        "ease_drop": why.ease_drop,
        "releases": list(why.releases),
        "factors": [{"name": n, "factor": f, "weight": w} for n, f, w in why.factors],
        "score": why.parts.score,
        "lines": why.lines(),
    }
