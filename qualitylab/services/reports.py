"""Reports product owners can send: load a scope's facts, build the fix list, assemble the model.

``build_report`` returns the typed model (``qualitylab.reports.model.Report``); the renderers in
``qualitylab.reports`` lay it out as HTML, Markdown, CSV, XLSX, Jira CSV, JSON or a terminal
summary. The fix list comes from ``build_fix_report`` (same clustering, ids and decisions as
``qualitylab fixes``), so a report never disagrees with the fix list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from qualitylab.domain import utcnow
from qualitylab.errors import InvalidInput, NotFound
from qualitylab.services.fixes import build_fix_report, compare_releases
from qualitylab.services.lab import Lab

if TYPE_CHECKING:
    from rich.console import Console

    from qualitylab.fixlist.score import Weights
    from qualitylab.reports.model import Comparison, Report
    from qualitylab.services.fixes import ClusterFn


def build_report(
    lab: Lab,
    *,
    journey: str | None = None,
    product: str | None = None,
    release: str | None = None,
    compare_to: str | None = None,
    weights: Weights | None = None,
    progress: Callable[[str, float], None] | None = None,
    cluster_fn: ClusterFn | None = None,
    now: datetime | None = None,
) -> Report:
    """The report for the whole lab, a product or a journey, optionally one release, optionally
    compared with an earlier release (``compare_to``; the later one is ``release``, or the latest
    release with walks)."""
    from qualitylab.fixlist.releases import sort_releases
    from qualitylab.fixlist.score import factors_of
    from qualitylab.reports.assemble import Facts, assemble
    from qualitylab.reports.gcpause import paused_gc
    from qualitylab.reports.model import Scope
    from qualitylab.store import reports as store_reports

    journey = (journey or "").strip() or None
    product = (product or "").strip() or None
    release = (release or "").strip() or None
    compare_to = (compare_to or "").strip() or None
    fixes = build_fix_report(
        lab,
        journey=journey,
        product=product,
        release=release,
        weights=weights,
        progress=progress,
        cluster_fn=cluster_fn,
    )
    if progress:
        progress("Reading walks", 0.0)
    # Both steps make a row per walk, visit and pain point, none in a cycle: the collector's
    # passes over them were ~30 % of this work at 100,000 pain points (benchmarks/README.md).
    with paused_gc(), lab.store.unit(read_only=True) as unit:
        scope_walks = store_reports.scope_walks(
            unit, journey_id=journey, product_id=product, release=release
        )
    points = fixes.pain_points  # the slice: one release, or all
    every_release = sort_releases([w.release for w in scope_walks.walks])
    comparison = None
    if compare_to:
        comparison = _comparison(
            lab,
            compare_to,
            release or (every_release[-1] if every_release else ""),
            journey=journey,
            product=product,
            cluster_fn=cluster_fn,
        )
    if progress:
        progress("Assembling the report", 0.5)
    with paused_gc():
        report = assemble(
            Facts(
                scope=Scope(
                    journey=journey, product=product, release=release, compare_to=compare_to
                ),
                walks=scope_walks.walks,
                praise=scope_walks.praise,
                journeys=scope_walks.journeys,
                pain_points=points,
                items=fixes.items,
                members={i.cluster.id: [p.uuid for p in fixes.reports_of(i)] for i in fixes.items},
                factors={i.cluster.id: factors_of(i.priority) for i in fixes.items},
                releases=sort_releases(
                    [w.release for w in scope_walks.walks] + [p.release for p in points]
                ),
                comparison=comparison,
                generated_at=now or utcnow(),
            )
        )
    if progress:
        progress("Assembling the report", 1.0)
    return report


def _comparison(
    lab: Lab,
    from_release: str,
    to_release: str,
    *,
    journey: str | None,
    product: str | None,
    cluster_fn: ClusterFn | None,
) -> Comparison:
    from qualitylab.fixlist.releases import CHANGE_KINDS
    from qualitylab.reports.model import Change, Comparison

    if not to_release:
        raise NotFound("no walks yet, so nothing to compare --compare-to with")
    if from_release == to_release:
        raise InvalidInput(
            f"--compare-to {from_release} is the release the report is about; give an earlier "
            "release (or --release for the later one)"
        )
    try:
        changes = compare_releases(
            lab,
            from_release=from_release,
            to_release=to_release,
            journey=journey,
            product=product,
            cluster_fn=cluster_fn,
        )
    except NotFound as exc:  # compare names its own flags; say the ones this command took
        message = str(exc).replace("(--from)", "(--compare-to)").replace("(--to)", "(--release)")
        raise NotFound(message) from None
    return Comparison(
        from_release=from_release,
        to_release=to_release,
        totals={k: sum(1 for c in changes if c.kind == k) for k in CHANGE_KINDS},
        changes=tuple(
            Change(
                c.cluster_id, c.title, c.kind, c.from_count, c.to_count, c.status.value, c.expected
            )
            for c in changes
        ),
    )


def format_for(path: Path) -> str:
    """The format an output file's suffix asks for (``report.html`` -> html)."""
    by_suffix = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".csv": "csv"}
    by_suffix |= {".xlsx": "xlsx", ".json": "json"}
    found = by_suffix.get(path.suffix.lower())
    if found is None:
        raise InvalidInput(
            f"cannot tell the format of {path.name!r} from its suffix; give --format "
            "(html, md, csv, xlsx, jira-csv or json)"
        )
    return found


def check_format(fmt: str, what: str = "pains") -> None:
    """One clear error for an unknown --format or --what, before any work is done."""
    from qualitylab.reports.render import CSV_WHAT, FORMATS

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    if what not in CSV_WHAT:
        raise InvalidInput(f"--what must be one of {', '.join(CSV_WHAT)}, not {what!r}")
    if what != "pains" and fmt != "csv":
        raise InvalidInput("--what is for --format csv (jira-csv always has one row per problem)")


def render_report(
    report: Report,
    fmt: str,
    *,
    what: str = "pains",
    progress: Callable[[str, float], None] | None = None,
    lang: str = "en",
) -> str | bytes:
    """``report`` as a file's content (see ``qualitylab.reports.render``); ``lang`` is the
    language of HTML, Markdown and XLSX (CSV, Jira CSV and JSON stay English-keyed)."""
    from qualitylab.reports.render import render

    return render(report, fmt, what=what, progress=progress, lang=lang)


class ExcelChange(NamedTuple):
    """A release Excel changes when it opens a CSV, and what it shows ("2026.10" -> "2026.1")."""

    release: str
    shown: str

    @property
    def as_date(self) -> bool:
        """Excel may read it as a date ("4.9" in an Excel set to Russian, "2026-10")."""
        from qualitylab.reports.safe import AS_DATE

        return self.shown == AS_DATE


def excel_changes(report: Report, fmt: str) -> ExcelChange | None:
    """A release of ``report`` that Excel changes when it opens its CSV; None for other formats,
    or when every release reads as written. One that changes as a number is named first."""
    from qualitylab.reports.safe import excel_reading

    if fmt != "csv":
        return None
    changes = [
        ExcelChange(release, shown)
        for release in report.header.releases
        if (shown := excel_reading(release)) is not None
    ]
    return min(changes, key=lambda c: c.as_date, default=None)


def jira_left_out(report: Report, fmt: str) -> dict[str, int]:
    """The problems a Jira CSV leaves out, by reason ("with a ticket already", "fixed", "won't
    fix"); empty for other formats. The faces say so, or the owner looks for missing issues."""
    from qualitylab.reports.tabular import jira_left_out as left_out

    return left_out(report) if fmt == "jira-csv" else {}


def print_summary(report: Report, console: Console, lang: str = "en") -> None:
    """The terminal summary (``qualitylab report`` without -o), its words in ``lang``."""
    from qualitylab.reports.terminal import print_summary as summary

    summary(report, console, lang)
