"""The report as rows: CSV (pain points or problems), Jira's CSV importer, and an XLSX workbook.

Every text cell goes through ``safe.cell`` (CSV) or is stored as a quote-prefixed string (XLSX),
so ``=HYPERLINK(...)`` in a pain point is shown, never run. XlsxWriter is imported only when a
workbook is made.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from qualitylab.reports.gcpause import paused_gc
from qualitylab.reports.model import SEVERITY_NAMES, FixRow, Report
from qualitylab.reports.safe import cell, is_formula_like, jira, one_line, visible
from qualitylab.reports.strings import EN, Words
from qualitylab.reports.text import (
    checks,
    counts_label,
    resolved_rule,
    score_product,
    status,
)

PAIN_COLUMNS = (
    "pain_point_id",
    "problem_id",
    "problem",
    "journey",
    "step",
    "severity",
    "severity_name",
    "category",
    "release",
    "walker",
    "text",
    "suggested_fix",
    "created_at",
)
FIX_COLUMNS = (
    "rank",
    "problem_id",
    "title",
    "score",
    "reach",
    "severity_mean",
    "severity_max",
    "impact",
    "persistence",
    # what the score multiplies (reach is its own factor): the numbers the HTML, Markdown, Jira
    # and `fixes` show as "severity", "impact" and "persistence"; the parts above feed them
    "severity_factor",
    "impact_factor",
    "persistence_factor",
    "blocker_share",
    "blocker",
    "regressed",
    "one_off",
    "walkers",
    "reports",
    "blocker_reports",
    "major_reports",
    "minor_reports",
    "cosmetic_reports",
    "steps",
    "releases",
    "status",
    "status_release",
    "status_note",
    "owner",
    "ticket",
    "merged_by_hand",
    "check",
    "cohesion",
    "quotes",
    "suggested_fixes",
)


def pain_rows(report: Report, w: Words = EN) -> Iterable[list[Any]]:
    """``w``: the words of the lab's own values (the XLSX's language; CSV is English)."""
    for p in report.pain_points:
        yield [
            p.id,
            p.problem_id,
            p.problem_title,
            p.journey,
            p.step,
            p.severity,
            SEVERITY_NAMES.get(p.severity, ""),
            p.category,
            p.release,
            w.walker(p.walker or "anonymous"),
            p.text,
            p.suggested_fix,
            p.created_at or "",
        ]


def fix_rows(report: Report, w: Words = EN) -> Iterable[list[Any]]:
    yes = w("yes")
    for f in report.fixes:
        yield [
            f.rank,
            f.id,
            f.title,
            f.score,
            f.parts["reach"],
            f.parts["severity_mean"],
            int(f.parts["severity_max"]),
            f.parts["impact"],
            f.parts["persistence"],
            f.factors.get("severity", 0.0),
            f.factors.get("impact", 0.0),
            f.factors.get("persistence", 0.0),
            f.parts["blockers"],
            yes if f.blocker else "",
            yes if f.regressed else "",
            yes if f.one_off else "",
            f.walkers,
            f.reports,
            f.severities.get(4, 0),
            f.severities.get(3, 0),
            f.severities.get(2, 0),
            f.severities.get(1, 0),
            "; ".join(f.steps),
            "; ".join(f.releases),
            f.status,
            f.status_release or "",
            f.status_note,
            f.owner,
            f.ticket,
            "; ".join(pid for pid, _ in f.merged),
            "; ".join(checks(f, w)),
            f.cohesion,
            "\n".join(f.quotes),
            "\n".join(f"{t} ({n})" for t, n in f.suggestions),
        ]


STEP_COLUMNS = (
    "journey",
    "step",
    "title",
    "reached",
    "done",
    "with_friction",
    "blocked",
    "skipped",
    "unanswered",
    "dropped_here",
    "median_seconds",
    "mean_ease",
    "ease_answers",
    "blocker_reports",
    "major_reports",
    "minor_reports",
    "cosmetic_reports",
    "stands_out",
)


def step_rows(report: Report, w: Words = EN) -> Iterable[list[Any]]:
    for j in report.journeys:
        for s in j.steps:
            o = s.outcomes
            yield [
                j.journey_id,
                s.step_id,
                s.title,
                s.reached,
                o["done"],
                o["friction"],
                o["blocked"],
                o["skipped"],
                o["unanswered"],
                s.dropped,
                None if s.median_seconds is None else round(s.median_seconds, 1),
                None if s.mean_ease is None else round(s.mean_ease, 2),
                s.ease_n,
                s.severities.get(4, 0),
                s.severities.get(3, 0),
                s.severities.get(2, 0),
                s.severities.get(1, 0),
                w("yes") if s.worst else "",
            ]


NPS_COLUMNS = (
    "group",
    "label",
    "answers",
    "promoters",
    "passives",
    "detractors",
    "nps",
    "low_95",
    "high_95",
    "small_n",
)


def nps_rows(report: Report, w: Words = EN) -> Iterable[list[Any]]:
    groups = [(w("x.group.all"), report.nps)]
    groups += [(w("x.group.journey"), n) for n in report.nps_by_journey]
    groups += [(w("x.group.release"), n) for n in report.nps_by_release]
    for group, n in groups:
        interval = n.interval
        yield [
            group,
            n.label,
            n.n,
            n.promoters,
            n.passives,
            n.detractors,
            None if n.score is None else round(n.score, 1),
            None if interval is None else round(interval[0], 1),
            None if interval is None else round(interval[1], 1),
            w("yes") if n.small else "",
        ]


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(visible(v)) if isinstance(v, str) else v for v in row])
    return out.getvalue()


def to_csv(report: Report, *, what: str = "pains") -> str:
    """One row per pain point (``what="pains"``) or per problem (``"fixes"``); starts with a BOM
    so Excel reads Cyrillic right."""
    if what == "fixes":
        return "\ufeff" + _csv(FIX_COLUMNS, fix_rows(report))
    return "\ufeff" + _csv(PAIN_COLUMNS, pain_rows(report))


# ---------------------------------------------------------------------------------- Jira
JIRA_COLUMNS = ("Summary", "Description", "Priority", "Labels", "Labels", "Labels")


def jira_priority(fix: FixRow) -> str:
    """Jira's default priorities from the fix list: blockers and regressions are Highest, then
    by score (0-100)."""
    if fix.blocker or fix.regressed:
        return "Highest"
    for threshold, name in ((50, "High"), (25, "Medium"), (10, "Low")):
        if fix.score >= threshold:
            return name
    return "Lowest"


def jira_skip(fix: FixRow) -> str | None:
    """Why ``fix`` gets no Jira issue (None: it gets one). One with a ticket key is tracked
    already (another import would duplicate it); one the team fixed or won't fix is closed, unless
    it came back (regressed)."""
    if fix.ticket:
        return "with a ticket already"
    if fix.regressed:
        return None
    return {"fixed": "fixed", "wont_fix": "won't fix"}.get(fix.status)


def jira_left_out(report: Report) -> dict[str, int]:
    """How many problems the Jira CSV leaves out, by ``jira_skip``'s reason (the faces say so)."""
    counts: dict[str, int] = {}
    for fix in report.fixes:
        if (why := jira_skip(fix)) is not None:
            counts[why] = counts.get(why, 0) + 1
    return counts


def _label(text: str) -> str:
    return "-".join(text.split())[:255]


def _jira_description(fix: FixRow, w: Words) -> str:
    sev = ", ".join(f"{w.plain(n)} {w.noun(n, f'sev.{s}')}" for s, n in fix.severities.items() if n)
    lines = [
        w("jira.head", id=one_line(fix.id)),
        w("jira.rank", rank=fix.rank, score=w.dec(fix.score, 1), product=score_product(fix, w)),
        w(
            "jira.reach",
            share=w.share(fix.parts["reach"]),
            mean=w.dec(fix.parts["severity_mean"], 1),
            worst=int(fix.parts["severity_max"]),
        ),
        w(
            "jira.counts",
            walkers=w.count(fix.walkers, "walker"),
            reports=w.count(fix.reports, "report"),
            severities=sev,
        ),
        w("jira.steps", steps=jira(", ".join(fix.steps))),
    ]
    if fix.releases:
        lines.append(w("jira.releases", releases=jira(", ".join(fix.releases))))
    if fix.status != "open" or fix.owner:  # what the team decided so far, and who takes it
        decided = status(fix, w) + (f" ({fix.status_note})" if fix.status_note else "")
        decided += w("jira.owner", owner=fix.owner) if fix.owner else ""
        lines.append(w("jira.decision", decision=jira(one_line(decided))))
    if fix.merged:
        lines.append(w("jira.merged", ids=jira(", ".join(pid for pid, _ in fix.merged))))
    if to_check := checks(fix, w):
        lines.append(w("jira.check", what="; ".join(to_check)))
    if fix.quotes:
        lines += ["", w("jira.quotes")] + [f"* {jira(one_line(q))}" for q in fix.quotes]
    if fix.suggestions:
        lines += ["", w("fix.suggested")]
        lines += [f"* {jira(one_line(t))} ({w.plain(n)})" for t, n in fix.suggestions]
    return "\n".join(lines)


def _jira_summary(fix: FixRow, w: Words) -> str:
    """The issue's title. One that starts like a formula (``=HYPERLINK(...)``, ``-5% conversion``)
    is led by "Problem <id>: ": ``safe.cell``'s ``'`` would keep a spreadsheet from running it,
    but Jira's importer takes a cell as it stands, so the ``'`` would stay in the issue's title."""
    title = one_line(fix.title)
    if not title:
        return w("jira.summary", id=one_line(fix.id))
    if is_formula_like(title):
        return w("jira.summary_led", id=one_line(fix.id), title=title)
    return title


def to_jira_csv(report: Report, lang: str = "en") -> str:
    """What Jira's CSV importer takes: one issue per problem that needs one (``jira_skip``),
    labels ``qualitylab``, ``qualitylab-<problem id>`` (match later exports to tickets already
    made) and the journey. Column names, priorities and labels are what Jira's field mapping
    reads, the same in every language; the Description is read by people, in ``lang``."""
    w = Words(lang)
    rows = []
    for fix in report.fixes:
        if jira_skip(fix) is not None:
            continue
        journey = fix.steps[0].split("/", 1)[0] if fix.steps else ""
        rows.append(
            [
                _jira_summary(fix, w)[:250],
                _jira_description(fix, w),
                jira_priority(fix),
                "qualitylab",
                _label(f"qualitylab-{fix.id}"),
                _label(journey),
            ]
        )
    return _csv(JIRA_COLUMNS, rows)


# ---------------------------------------------------------------------------------- XLSX
def _dated(rows: Iterable[list[Any]], column: int) -> Iterable[list[Any]]:
    """``rows`` with the ISO time in ``column`` as a naive UTC datetime: a date cell in the
    workbook (the CSV keeps the ISO text, with its +00:00)."""
    for row in rows:
        if row[column]:
            moment = datetime.fromisoformat(row[column])
            if moment.tzinfo is not None:  # the lab writes UTC; naive is UTC already
                moment = moment.astimezone(UTC).replace(tzinfo=None)
            row[column] = moment
        yield row


def to_xlsx(
    report: Report, progress: Callable[[str, float], None] | None = None, lang: str = "en"
) -> bytes:
    """A workbook: Fix list, Pain points, Steps, NPS (and Release comparison when asked), each
    with a bold filled header row, frozen below the header, and an autofilter. ``lang`` names
    the sheets, headers and notes, and the lab's own words in cells ("yes", a check, a change
    kind, "anonymous"); the data stays data: walkers' words, ids, numbers, and statuses and
    severities as their codes (the headers say "(код)"), as in the CSV.

    Written with XlsxWriter (about twice openpyxl's speed: 100,000 pain points are 1.3 million
    cells, see benchmarks/README.md); ``progress`` hears ``("Writing xlsx", fraction of rows)``.
    Its default mode (not constant_memory) is a third faster and writes a shared string table
    (9.9 MB instead of 16 MB) for ~150 MB more memory at that size; the sheets' XML goes through
    temporary files. The garbage collector is paused: a tuple per cell, no cycles (~15 %).
    """
    with paused_gc():
        return _workbook(report, progress, Words(lang))


def _workbook(report: Report, progress: Callable[[str, float], None] | None, w: Words) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    # Text is text: no "=..." formulas, no "http..." links, no "12" numbers made from user text.
    wb = xlsxwriter.Workbook(
        out,
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
        },
    )
    head = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F3A5F"})
    # a date Excel can filter and group by, which still says its time is UTC
    when = wb.add_format({"num_format": 'yyyy-mm-dd hh:mm:ss "UTC"', "align": "left"})
    wrap = {"text_wrap": True, "valign": "top"}
    # quote_prefix: Excel keeps a cell starting with "=" text even when someone edits it.
    formats = {
        (False, False): None,
        (True, False): wb.add_format({"quote_prefix": True}),
        (False, True): wb.add_format(wrap),
        (True, True): wb.add_format({**wrap, "quote_prefix": True}),
    }
    sheets: list[tuple[str, Sequence[str], Iterable[Sequence[Any]], dict[str, int]]] = [
        (
            w("x.sheet.fixes"),
            FIX_COLUMNS,
            fix_rows(report, w),
            {"title": 50, "quotes": 70, "steps": 30},
        ),
        (
            w("x.sheet.pains"),
            PAIN_COLUMNS,
            _dated(pain_rows(report, w), PAIN_COLUMNS.index("created_at")),
            {"text": 70, "problem": 40, "created_at": 22},
        ),
        (w("x.sheet.steps"), STEP_COLUMNS, step_rows(report, w), {"title": 36}),
        (w("x.sheet.nps"), NPS_COLUMNS, nps_rows(report, w), {"label": 30}),
    ]
    if report.comparison is not None:
        c = report.comparison
        sheets.append(
            (
                w("x.sheet.compare"),
                # expected: for a problem gone from the later release, how many of its walkers
                # would have hit it (what tells "resolved" from "not seen again")
                (
                    "change",
                    "problem_id",
                    "title",
                    counts_label(c.from_release, w),
                    counts_label(c.to_release, w),
                    w("x.expected"),
                    "status",
                ),
                [
                    *(
                        [w.kind(x.kind), x.id, x.title, x.from_count, x.to_count]
                        + [x.expected, x.status]
                        for x in c.changes
                    ),
                    # what "resolved" and "not seen again" mean, under the table as elsewhere
                    *(
                        [[], *([line] for line in resolved_rule(c.from_release, c.to_release, w))]
                        if any(x.expected is not None for x in c.changes)
                        else []
                    ),
                ],
                {"title": 60},
            )
        )
    # Journey, step, category, problem title... repeat on every pain point: check each once.
    seen: dict[str, tuple[str, Any]] = {}
    total = max(1, len(report.fixes) + len(report.pain_points))
    written = 0
    for name, header, rows, widths in sheets:
        ws = wb.add_worksheet(name)
        ws.freeze_panes(1, 0)
        titles = [w.column(column) for column in header]
        for n, column in enumerate(header):
            width = max(10, min(len(titles[n]) + 2, 24))
            ws.set_column(n, n, widths.get(column, width))
        for n, column in enumerate(titles):
            ws.write_string(0, n, visible(column), head)
        write_string, write_number = ws.write_string, ws.write_number
        count = 0
        for count, row in enumerate(rows, start=1):
            for n, value in enumerate(row):
                if isinstance(value, str):
                    if not value:
                        continue
                    text = seen.get(value)
                    if text is None:
                        shown = visible(value)
                        text = seen[value] = (
                            shown,
                            formats[is_formula_like(shown), "\n" in shown],
                        )
                    write_string(count, n, *text)
                elif isinstance(value, datetime):
                    ws.write_datetime(count, n, value, when)
                elif value is not None:
                    write_number(count, n, value)
            if progress is not None and count % 2000 == 0:
                progress("Writing xlsx", min(1.0, (written + count) / total))
        written += count
        ws.autofilter(0, 0, count, len(header) - 1)
    wb.close()
    return out.getvalue()
