"""Words and numbers every human-readable format shares (HTML, Markdown, terminal).

One place decides how a duration, an NPS with its interval, or a status reads, so the HTML the
director gets and the Markdown pasted in the wiki say the same thing the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from qualitylab.reports.model import SEVERITY_NAMES, FixRow, Nps, Report, StepRow
from qualitylab.reports.safe import one_line

#: Problems shown in full in HTML/Markdown/terminal; every format with rows has them all.
TOP_DETAILED = 25
#: Further problems listed one line each in HTML/Markdown before "and N more".
TOP_LISTED = 150
#: One-offs listed in HTML/Markdown (CSV, XLSX and JSON have every pain point).
ONE_OFFS_SHOWN = 60
NOTES_SHOWN = 40

#: How the fix list is ordered, said above it in HTML and Markdown: a blocker with a lower score
#: can rank above one with a higher score, and a reader must not have to guess why.
FIX_ORDER = (
    "Problems in priority order: blockers first (enough walkers rated it a blocker; a regressed "
    "one first, then the ones that stop the largest share of the walkers on their steps, the % "
    "on the BLOCKER flag), then regressions, then by score; fixed and won't fix last."
)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {many or word + 's'}"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "—"


def nps_value(nps: Nps) -> str:
    return "—" if nps.score is None else f"{nps.score:+.0f}"


def nps_warning(nps: Nps) -> str:
    """'' for a large enough sample, else what the number may really be."""
    interval = nps.interval
    if interval is None:
        return "no answers yet"
    if not nps.small:
        return ""
    return (
        f"only {plural(nps.n, 'answer')}: the true NPS could be anywhere from "
        f"{interval[0]:+.0f} to {interval[1]:+.0f} (95 %)"
    )


def nps_range(nps: Nps) -> str:
    """The short form of ``nps_warning`` for narrow places (a terminal column)."""
    interval = nps.interval
    if interval is None or not nps.small:
        return ""
    return f"small n: {interval[0]:+.0f}..{interval[1]:+.0f}"


def ease(step: StepRow) -> str:
    return "—" if step.mean_ease is None else f"{step.mean_ease:.1f}"


def severity_mix(counts: dict[int, int]) -> str:
    parts = [f"{n} {SEVERITY_NAMES[s]}" for s, n in sorted(counts.items(), reverse=True) if n]
    return ", ".join(parts) or "none"


def status(fix: FixRow) -> str:
    label = "won't fix" if fix.status == "wont_fix" else fix.status.replace("_", " ")
    if fix.regressed:
        label = f"REGRESSED (fixed in {fix.status_release or '?'})"
    elif fix.status_release:
        label += f" in {fix.status_release}"
    return label


def corrections(fix: FixRow) -> str:
    """What people changed by hand ('' when nothing): merged problems, moved reports."""
    parts = [f"merged {title or pid} ({pid})" for pid, title in fix.merged]
    if fix.moved_in:
        parts.append(f"{plural(fix.moved_in, 'report')} moved in")
    if fix.moved_out:
        parts.append(f"{plural(fix.moved_out, 'report')} moved out")
    return "; ".join(parts)


def score_product(fix: FixRow) -> str:
    """The four factors the score multiplies, as every format writes them ("100 × reach 0.88 ×
    severity 0.93 × impact 0.69 × persistence 1.00"), so a ticket and the director's HTML agree."""
    f = fix.factors
    return (
        f"100 × reach {f.get('reach', 0):.2f} × severity {f.get('severity', 0):.2f} × "
        f"impact {f.get('impact', 0):.2f} × persistence {f.get('persistence', 0):.2f}"
    )


def stopped(fix: FixRow) -> float:
    """Share of its steps' visitors who rated it a blocker: what orders the blocker group."""
    return fix.parts.get("reach", 0.0) * fix.parts.get("blockers", 0.0)


def flags(fix: FixRow) -> list[str]:
    out = []
    if fix.blocker:  # the share is the blockers' order (a lower score may rank higher)
        out.append(f"BLOCKER stops {100 * stopped(fix):.0f} %")
    if fix.regressed:
        out.append("REGRESSED")
    if fix.one_off:
        out.append("one report")
    out += [f"check: {what}" for what in checks(fix)]
    return out


def checks(fix: FixRow) -> list[str]:
    """What the engine's self-check asks a person to look at before fixing (may be empty)."""
    out = []
    if fix.looks_mixed:
        out.append("may mix two problems")
    if fix.few_walkers and not fix.one_off:  # a lone report already says "one report"
        out.append("fewer than 3 walkers")
    return out


def quotes(fix: FixRow, n: int = 3) -> list[str]:
    """Up to ``n`` quotes that say more than the title (titles are shortened quotes)."""
    title = one_line(fix.title).rstrip("…")
    return [q for q in fix.quotes if one_line(q).rstrip("…") != title][:n]


def places(report: Report) -> Callable[[str, str], str]:
    """``place(journey, step)``: the step's title, and the journey's when the report has several
    (ids are for machines; a director reads "Install the eSIM on the phone")."""
    steps = {(j.journey_id, s.step_id): s.title for j in report.journeys for s in j.steps}
    journeys = {j.journey_id: j.title for j in report.journeys}
    several = len(journeys) > 1

    def place(journey: str, step: str) -> str:
        title = steps.get((journey, step), step) if step else ""
        if not several:
            return title or journeys.get(journey, journey)
        where = journeys.get(journey, journey)
        return f"{title} ({where})" if title else where

    return place


def step_names(fix: FixRow, place: Callable[[str, str], str]) -> str:
    """A problem's steps by title, most frequent first."""
    return ", ".join(place(*(key.split("/", 1) + [""])[:2]) for key in fix.steps)


def headline(report: Report) -> list[str]:
    """The header as short sentences (same in every format)."""
    h = report.header
    titles = {j.journey_id: j.title for j in report.journeys}
    when = ""
    if h.first_walk and h.last_walk:
        when = f"{h.first_walk[:10]} to {h.last_walk[:10]}"
    lines = [
        f"Scope: {h.scope.label}"
        + (f", compared with release {h.scope.compare_to}" if h.scope.compare_to else ""),
        f"Journeys: {', '.join(titles.get(j, j) for j in h.journeys) or 'none'}",
        f"Releases: {', '.join(h.releases) or 'none'}",
        f"Walks: {plural(h.walks, 'walk')} by {plural(h.walkers, 'walker')}"
        + (f", {when}" if when else ""),
        f"Completed {h.completed:,} ({percent(h.completed, h.walks)}), abandoned "
        f"{h.abandoned:,} ({percent(h.abandoned, h.walks)}), in progress {h.in_progress:,}",
        f"Median walk time (time on steps, completed walks): {duration(h.median_walk_seconds)}",
        f"Pain points: {h.pain_points:,}"
        + (f" ({h.logged_feedback:,} logged outside a walk)" if h.logged_feedback else "")
        + f"; {plural(h.problems, 'recurring problem')}, {plural(len(report.one_offs), 'one-off')}"
        " of severity major or worse",
    ]
    return lines


def top_steps(report: Report, n: int = 3) -> list[tuple[str, StepRow]]:
    """The steps that stand out most, lab-wide (journey title, step)."""
    marked = [(j.title, s) for j in report.journeys for s in j.steps if s.worst]
    marked.sort(key=lambda js: (-js[1].bad_share, js[1].mean_ease or 7.0))
    return marked[:n]
