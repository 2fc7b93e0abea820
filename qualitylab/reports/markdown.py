"""The report as Markdown that pastes cleanly into a wiki or a tracker (GitHub, GitLab, Confluence).

Every piece of user text goes through ``safe.md``: escaped so a pain point cannot make a link,
an image, raw HTML or a heading, or add a column to a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from qualitylab.reports.model import EASE_REFERENCE, Report
from qualitylab.reports.safe import md
from qualitylab.reports.strings import Words
from qualitylab.reports.text import (
    NOTES_SHOWN,
    ONE_OFFS_SHOWN,
    TOP_DETAILED,
    TOP_LISTED,
    corrections,
    counts_label,
    duration,
    ease,
    flags,
    gone_count,
    headline,
    nps_value,
    nps_warning,
    places,
    quotes,
    resolved_rule,
    scope_label,
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


def to_markdown(report: Report, lang: str = "en") -> str:
    """The report as Markdown with its fixed words in ``lang`` (en or ru)."""
    w = Words(lang)
    h = report.header
    place = places(report)
    out = [f"# {md(w.title(h.title))} — {md(scope_label(h.scope, w))}", ""]
    out += [f"- {md(line)}" for line in headline(report, w)]
    generated = h.generated_at if lang == "en" else f"{w.moment(h.generated_at)} UTC"
    out += [f"- {w('md.generated', when=md(generated))}", ""]

    out += [f"## {w('sec.nps')}", ""]
    rows = []
    for label, n in (
        [(w("nps.all"), report.nps)]
        + [(w("md.journey", label=x.label), x) for x in report.nps_by_journey]
        + [(w("md.release", label=x.label), x) for x in report.nps_by_release]
    ):
        rows.append(
            [
                md(label),
                w.plain(n.n),
                w.plain(n.promoters),
                w.plain(n.passives),
                w.plain(n.detractors),
                nps_value(n),
                md(nps_warning(n, w)),
            ]
        )
    out += _table(
        [
            w("md.col.group"),
            "n",
            w("md.col.promoters"),
            w("md.col.passives"),
            w("md.col.detractors"),
            "NPS",
            w("md.col.note"),
        ],
        rows,
        "lrrrrrl",
    )

    out += [f"## {w('sec.map')}", ""]
    out.append(w("md.map.note", reference=w.g(EASE_REFERENCE)))
    out.append("")
    for j in report.journeys:
        out += [f"### {md(j.title)} ({md(j.journey_id)})", ""]
        warning = nps_warning(j.nps, w)
        out.append(
            w(
                "md.journey.note",
                walks=w.count(j.walks, "walk"),
                walkers=w.count(j.walkers, "walker"),
                completed=w.num(j.completed),
                abandoned=w.num(j.abandoned),
                nps=nps_value(j.nps),
                n=w.plain(j.nps.n),
            )
            + (f" — {md(warning)}" if warning else "")
        )
        out.append("")
        rows = []
        for s in j.steps:
            o = s.outcomes
            name = md(s.title)
            mix = (o["done"], o["friction"], o["blocked"], o["skipped"])
            rows.append(
                [
                    f"**{name}**" if s.worst else name,
                    w.plain(s.reached),
                    " / ".join(w.plain(x) for x in mix),
                    w.pct(o["blocked"] + o["skipped"], s.reached),
                    w.plain(s.dropped),
                    duration(s.median_seconds, w),
                    ease(s, w),
                    severity_mix(s.severities, w),
                ]
            )
        out += _table(
            [
                w("col.step"),
                w("md.col.reached"),
                w("md.col.mix"),
                w("md.col.bad"),
                w("col.stopped"),
                w("col.median"),
                w("col.ease"),
                w("col.pains"),
            ],
            rows,
            "lrrrrrrl",
        )

    out += [f"## {w('sec.fixes')}", ""]
    if report.fixes:
        out += [f"{w('fix.order')} {w('fix.formula')}", ""]
    else:
        out += [w("fix.none"), ""]
    for f in report.fixes[:TOP_DETAILED]:
        tag = " ".join(f"**{x}**" for x in flags(f, w))
        title = md(f.title) or w("untitled")
        out += [f"### {f.rank}. {title}" + (f" — {tag}" if tag else ""), ""]
        out.append("- " + w("md.score", score=w.dec(f.score, 1), product=score_product(f, w)))
        out.append(
            "- "
            + w(
                "md.reach",
                walkers=w.count(f.walkers, "walker"),
                share=w.share(f.parts["reach"]),
                reports=w.count(f.reports, "report"),
                severities=severity_mix(f.severities, w),
            )
        )
        out.append("- " + w("md.steps", steps=md(step_names(f, place))))
        out.append(
            "- "
            + w("md.status", status=md(status(f, w)))
            + (f" — {md(f.status_note)}" if f.status_note else "")
        )
        if f.owner or f.ticket:
            out.append("- " + w("md.owner", owner=md(f.owner) or "—", ticket=md(f.ticket) or "—"))
        if corrections(f, w):
            out.append("- " + w("md.by_hand", what=md(corrections(f, w))))
        if f.releases:
            out.append("- " + w("md.releases", releases=md(", ".join(f.releases))))
        out.append("- " + w("md.id", id=f"`{f.id}`" if "`" not in f.id else md(f.id)))
        out.append("")
        # One quote each, a blank line between: consecutive "> " lines are one paragraph, which
        # ran three people's words together into one sentence.
        for q in (q for q in quotes(f) if q.strip()):
            out += [f"> {md(q)}", ""]
        if f.suggestions:
            out += [w("fix.suggested"), ""]
            out += [f"- {md(t)} ({w.plain(n)})" for t, n in f.suggestions[:3]] + [""]
    rest = report.fixes[TOP_DETAILED : TOP_DETAILED + TOP_LISTED]
    if rest:
        out += [f"### {w('sec.more')}", ""]
        out += _table(
            [
                "#",
                w("col.problem"),
                w("col.score"),
                w("col.walkers"),
                w("col.reports"),
                w("col.status"),
            ],
            [
                [
                    str(f.rank),
                    md(f.title),
                    w.dec(f.score, 1),
                    w.plain(f.walkers),
                    w.plain(f.reports),
                    md(status(f, w)),
                ]
                for f in rest
            ],
            "lllrrl",
        )
    hidden = len(report.fixes) - TOP_DETAILED - len(rest)
    if hidden > 0:
        out += [w("md.hidden", count=w.num(hidden), problems=w.noun(hidden, "problem")), ""]

    out += [f"## {w('sec.one_offs')}", ""]
    if report.one_offs:
        out.append(w("md.one_offs.note", note=w("one_offs.note")))
        out.append("")
        out += _table(
            [
                w("col.severity"),
                w("col.step"),
                w("col.release"),
                w("col.walker"),
                w("col.wrote"),
                w("col.suggested"),
            ],
            [
                [
                    str(p.severity),
                    md(place(p.journey, p.step)),
                    md(p.release),
                    md(w.walker(p.walker or "anonymous")),
                    md(p.text),
                    md(p.suggested_fix),
                ]
                for p in report.one_offs[:ONE_OFFS_SHOWN]
            ],
            "rlllll",
        )
        if len(report.one_offs) > ONE_OFFS_SHOWN:
            out += [w("md.more", count=w.num(len(report.one_offs) - ONE_OFFS_SHOWN)), ""]
    else:
        out += [w("none."), ""]

    c = report.comparison
    if c is not None:
        out += [f"## {w('cmp.title', frm=md(c.from_release), to=md(c.to_release))}", ""]
        out.append(
            ", ".join(
                w("cmp.total", n=w.plain(n), kind=w.kind(k, total=True))
                for k, n in c.totals.items()
            )
        )
        out.append("")
        out += _table(
            [
                w("col.change"),
                w("col.problem"),
                md(counts_label(c.from_release, w, heading=True)),
                md(counts_label(c.to_release, w, heading=True)),
                w("col.status"),
            ],
            [
                [
                    w.kind(x.kind),
                    md(x.title),
                    w.plain(x.from_count),
                    gone_count(x.to_count, x.expected, w),
                    md(x.status if lang == "en" else w.status_word(x.status)),
                ]
                for x in c.changes
            ],
            "llrrl",
        )
        if any(x.expected is not None for x in c.changes):
            out += [f"- {md(line)}" for line in resolved_rule(c.from_release, c.to_release, w)]
            out.append("")

    out += [f"## {w('sec.praise')}", ""]
    out += [
        f"- {md(n.text)} — {md(place(n.journey, n.step))}, {md(w.walker(n.walker))}"
        for n in report.praise[:NOTES_SHOWN]
    ] or [w("none_yet")]
    out += ["", f"## {w('sec.comments')}", ""]
    out += [
        f"- {md(n.text)} — {md(place(n.journey, ''))}, {md(w.walker(n.walker))}"
        + (w("would_recommend", nps=n.nps) if n.nps is not None else "")
        for n in report.comments[:NOTES_SHOWN]
    ] or [w("none_yet")]
    return "\n".join(out).rstrip() + "\n"
