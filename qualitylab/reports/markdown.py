"""The report as Markdown that pastes cleanly into a wiki or a tracker (GitHub, GitLab, Confluence).

Every piece of user text goes through ``safe.md``: escaped so a pain point cannot make a link,
an image, raw HTML or a heading, or add a column to a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from qualitylab.fixlist.releases import counts_label, gone_count, kind_label, resolved_rule
from qualitylab.reports.model import EASE_REFERENCE, Report
from qualitylab.reports.safe import md
from qualitylab.reports.text import (
    FIX_ORDER,
    NOTES_SHOWN,
    ONE_OFFS_SHOWN,
    TOP_DETAILED,
    TOP_LISTED,
    corrections,
    duration,
    ease,
    flags,
    headline,
    nps_value,
    nps_warning,
    percent,
    places,
    quotes,
    score_product,
    severity_mix,
    status,
    step_names,
)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    marks = [("---:" if a == "r" else "---") for a in align.ljust(len(header), "l")]
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def to_markdown(report: Report) -> str:
    h = report.header
    place = places(report)
    out = [f"# {md(h.title)} — {md(h.scope.label)}", ""]
    out += [f"- {md(line)}" for line in headline(report)]
    out += [f"- Generated {md(h.generated_at)}", ""]

    out += ["## Would recommend (NPS)", ""]
    rows = []
    for label, n in (
        [("All walks", report.nps)]
        + [(f"Journey: {x.label}", x) for x in report.nps_by_journey]
        + [(f"Release: {x.label}", x) for x in report.nps_by_release]
    ):
        rows.append(
            [
                md(label),
                str(n.n),
                str(n.promoters),
                str(n.passives),
                str(n.detractors),
                nps_value(n),
                md(nps_warning(n)),
            ]
        )
    out += _table(
        ["Group", "n", "Promoters 9-10", "Passives 7-8", "Detractors 0-6", "NPS", "Note"],
        rows,
        "lrrrrrl",
    )

    out += ["## Journey friction map", ""]
    out.append(
        f"Ease is the mean of a 1-7 ease rating (the usual average is {EASE_REFERENCE}). "
        "**Bold** steps stand out: a quarter or more of walks blocked or skipped, or the "
        "hardest step of its journey (lowest ease, under 5.5)."
    )
    out.append("")
    for j in report.journeys:
        out += [f"### {md(j.title)} ({md(j.journey_id)})", ""]
        out.append(
            f"{j.walks:,} walks by {j.walkers:,} walkers; completed {j.completed:,}, abandoned "
            f"{j.abandoned:,}; NPS {nps_value(j.nps)} (n = {j.nps.n})"
            + (f" — {md(nps_warning(j.nps))}" if nps_warning(j.nps) else "")
        )
        out.append("")
        rows = []
        for s in j.steps:
            o = s.outcomes
            name = md(s.title)
            rows.append(
                [
                    f"**{name}**" if s.worst else name,
                    str(s.reached),
                    f"{o['done']} / {o['friction']} / {o['blocked']} / {o['skipped']}",
                    percent(o["blocked"] + o["skipped"], s.reached),
                    str(s.dropped),
                    duration(s.median_seconds),
                    ease(s),
                    severity_mix(s.severities),
                ]
            )
        out += _table(
            [
                "Step",
                "Reached",
                "Done / friction / blocked / skipped",
                "Blocked or skipped",
                "Stopped here",
                "Median time",
                "Ease",
                "Pain points",
            ],
            rows,
            "lrrrrrrl",
        )

    out += ["## Fix list", ""]
    if report.fixes:
        formula = "Score = 100 × reach × severity × impact × persistence (each 0-1)."
        out += [f"{FIX_ORDER} {formula}", ""]
    else:
        out += ["No recurring problem yet.", ""]
    for f in report.fixes[:TOP_DETAILED]:
        tag = " ".join(f"**{x}**" for x in flags(f))
        out += [f"### {f.rank}. {md(f.title) or '(untitled)'}" + (f" — {tag}" if tag else ""), ""]
        out.append(f"- Score **{f.score:.1f}** = {score_product(f)}")
        out.append(
            f"- Reach: {f.walkers:,} walkers ({100 * f.parts['reach']:.0f} % of those on its "
            f"steps), {f.reports:,} reports: {severity_mix(f.severities)}"
        )
        out.append(f"- Steps: {md(step_names(f, place))}")
        out.append(
            f"- Status: {md(status(f))}" + (f" — {md(f.status_note)}" if f.status_note else "")
        )
        if f.owner or f.ticket:
            out.append(f"- Owner: {md(f.owner) or '—'}; ticket: {md(f.ticket) or '—'}")
        if corrections(f):
            out.append(f"- By hand: {md(corrections(f))}")
        if f.releases:
            out.append(f"- Releases: {md(', '.join(f.releases))}")
        out.append(f"- Id: `{f.id}`" if "`" not in f.id else f"- Id: {md(f.id)}")
        out.append("")
        # One quote each, a blank line between: consecutive "> " lines are one paragraph, which
        # ran three people's words together into one sentence.
        for q in (q for q in quotes(f) if q.strip()):
            out += [f"> {md(q)}", ""]
        if f.suggestions:
            out += ["Suggested fixes:", ""]
            out += [f"- {md(t)} ({n})" for t, n in f.suggestions[:3]] + [""]
    rest = report.fixes[TOP_DETAILED : TOP_DETAILED + TOP_LISTED]
    if rest:
        out += ["### More problems", ""]
        out += _table(
            ["#", "Problem", "Score", "Walkers", "Reports", "Status"],
            [
                [
                    str(f.rank),
                    md(f.title),
                    f"{f.score:.1f}",
                    str(f.walkers),
                    str(f.reports),
                    md(status(f)),
                ]
                for f in rest
            ],
            "lllrrl",
        )
    hidden = len(report.fixes) - TOP_DETAILED - len(rest)
    if hidden > 0:
        out += [f"… and {hidden:,} more problems (CSV, XLSX and JSON list every one).", ""]

    out += ["## One-offs, major or worse", ""]
    if report.one_offs:
        out.append(
            "Reported once and in no recurring problem (the blockers among them are also in the "
            'fix list above, as "one report"); in a small lab these matter most.'
        )
        out.append("")
        out += _table(
            ["Severity", "Step", "Release", "Walker", "What they wrote", "Suggested fix"],
            [
                [
                    str(p.severity),
                    md(place(p.journey, p.step)),
                    md(p.release),
                    md(p.walker or "anonymous"),
                    md(p.text),
                    md(p.suggested_fix),
                ]
                for p in report.one_offs[:ONE_OFFS_SHOWN]
            ],
            "rlllll",
        )
        if len(report.one_offs) > ONE_OFFS_SHOWN:
            out += [f"… and {len(report.one_offs) - ONE_OFFS_SHOWN:,} more.", ""]
    else:
        out += ["None.", ""]

    c = report.comparison
    if c is not None:
        out += [f"## Release {md(c.from_release)} → {md(c.to_release)}", ""]
        out.append(", ".join(f"{n} {kind_label(k)}" for k, n in c.totals.items()))
        out.append("")
        out += _table(
            [
                "Change",
                "Problem",
                md(counts_label(c.from_release, heading=True)),
                md(counts_label(c.to_release, heading=True)),
                "Status",
            ],
            [
                [
                    kind_label(x.kind),
                    md(x.title),
                    str(x.from_count),
                    gone_count(x.to_count, x.expected),
                    md(x.status),
                ]
                for x in c.changes
            ],
            "llrrl",
        )
        if any(x.expected is not None for x in c.changes):
            out += [f"- {md(line)}" for line in resolved_rule(c.from_release, c.to_release)]
            out.append("")

    out += ["## Praise — don't break this", ""]
    out += [
        f"- {md(n.text)} — {md(place(n.journey, n.step))}, {md(n.walker)}"
        for n in report.praise[:NOTES_SHOWN]
    ] or ["None yet."]
    out += ["", "## Closing comments", ""]
    out += [
        f"- {md(n.text)} — {md(place(n.journey, ''))}, {md(n.walker)}"
        + (f", would recommend {n.nps}/10" if n.nps is not None else "")
        for n in report.comments[:NOTES_SHOWN]
    ] or ["None yet."]
    return "\n".join(out).rstrip() + "\n"
