"""Words and numbers every human-readable format shares (HTML, Markdown, terminal).

One place decides how a duration, an NPS with its interval, or a status reads, so the HTML the
director gets and the Markdown pasted in the wiki say the same thing the same way. Each takes the
report's words (``strings.Words``: English by default, or Russian); the wording is in
``reports.strings``.
"""

from __future__ import annotations

from collections.abc import Callable

from qualitylab.fixlist.releases import RESOLVED_MIN_EXPECTED, RESOLVED_MIN_WALKERS
from qualitylab.reports.model import FixRow, Nps, Report, Scope, StepRow
from qualitylab.reports.safe import one_line
from qualitylab.reports.strings import EN, Words

#: Problems shown in full in HTML/Markdown/terminal; every format with rows has them all.
TOP_DETAILED = 25
#: Further problems listed one line each in HTML/Markdown before "and N more".
TOP_LISTED = 150
#: One-offs listed in HTML/Markdown (CSV, XLSX and JSON have every pain point).
ONE_OFFS_SHOWN = 60
NOTES_SHOWN = 40

#: How the fix list is ordered, said above it in HTML and Markdown: a blocker with a lower score
#: can rank above one with a higher score, and a reader must not have to guess why.
FIX_ORDER = EN("fix.order")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {many or word + 's'}"


def duration(seconds: float | None, w: Words = EN) -> str:
    if seconds is None:
        return "—"
    seconds = round(seconds)
    if seconds < 60:
        return w("dur.s", s=seconds)
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return w("dur.min_s", m=minutes, s=f"{rest:02d}") if rest else w("dur.min", m=minutes)
    hours, minutes = divmod(minutes, 60)
    return w("dur.h_min", h=hours, m=f"{minutes:02d}")


def percent(part: int, whole: int) -> str:
    return EN.pct(part, whole)


def nps_value(nps: Nps) -> str:
    return "—" if nps.score is None else f"{nps.score:+.0f}"


def nps_warning(nps: Nps, w: Words = EN) -> str:
    """'' for a large enough sample, else what the number may really be."""
    interval = nps.interval
    if interval is None:
        return w("nps.none")
    if not nps.small:
        return ""
    return w(
        "nps.small",
        answers=w.count(nps.n, "answer"),
        low=f"{interval[0]:+.0f}",
        high=f"{interval[1]:+.0f}",
    )


def nps_range(nps: Nps, w: Words = EN) -> str:
    """The short form of ``nps_warning`` for narrow places (a terminal column)."""
    interval = nps.interval
    if interval is None or not nps.small:
        return ""
    return w("nps.range", low=f"{interval[0]:+.0f}", high=f"{interval[1]:+.0f}")


def ease(step: StepRow, w: Words = EN) -> str:
    return "—" if step.mean_ease is None else w.dec(step.mean_ease, 1)


def severity_mix(counts: dict[int, int], w: Words = EN) -> str:
    parts = [
        f"{w.plain(n)} {w.noun(n, f'sev.{s}')}"
        for s, n in sorted(counts.items(), reverse=True)
        if n
    ]
    return ", ".join(parts) or w("none")


def status(fix: FixRow, w: Words = EN) -> str:
    if fix.regressed:
        return w("status.regressed", release=fix.status_release or "?")
    label = w.status_word(fix.status)
    if fix.status_release:
        key = f"status.in.{fix.status}"
        key = key if w.has(key) else "status.in"
        label = w(key, status=label, release=fix.status_release)
    return label


def corrections(fix: FixRow, w: Words = EN) -> str:
    """What people changed by hand ('' when nothing): merged problems, moved reports."""
    parts = [w("fix.merged", title=title or pid, id=pid) for pid, title in fix.merged]
    if fix.moved_in:
        parts.append(w("fix.moved_in", count=w.count(fix.moved_in, "report")))
    if fix.moved_out:
        parts.append(w("fix.moved_out", count=w.count(fix.moved_out, "report")))
    return "; ".join(parts)


def score_product(fix: FixRow, w: Words = EN) -> str:
    """The four factors the score multiplies, as every format writes them ("100 × reach 0.88 ×
    severity 0.93 × impact 0.69 × persistence 1.00"), so a ticket and the director's HTML agree."""
    f = fix.factors
    return w(
        "score.product",
        **{k: w.dec(f.get(k, 0), 2) for k in ("reach", "severity", "impact", "persistence")},
    )


def stopped(fix: FixRow) -> float:
    """Share of its steps' visitors who rated it a blocker: what orders the blocker group."""
    return fix.parts.get("reach", 0.0) * fix.parts.get("blockers", 0.0)


def flag_list(fix: FixRow, w: Words = EN) -> list[tuple[str, str]]:
    """The problem's flags as (kind, words): kind is blocker, regressed, one or check (the
    HTML's style, the terminal's colour)."""
    out = []
    if fix.blocker:  # the share is the blockers' order (a lower score may rank higher)
        out.append(("blocker", w("flag.blocker", share=w.share(stopped(fix)))))
    if fix.regressed:
        out.append(("regressed", w("flag.regressed")))
    if fix.one_off:
        out.append(("one", w("flag.one")))
    out += [("check", w("flag.check", what=what)) for what in checks(fix, w)]
    return out


def flags(fix: FixRow, w: Words = EN) -> list[str]:
    return [words for _, words in flag_list(fix, w)]


def checks(fix: FixRow, w: Words = EN) -> list[str]:
    """What the engine's self-check asks a person to look at before fixing (may be empty)."""
    out = []
    if fix.looks_mixed:
        out.append(w("check.mixed"))
    if fix.few_walkers and not fix.one_off:  # a lone report already says "one report"
        out.append(w("check.few"))
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


def scope_label(scope: Scope, w: Words = EN) -> str:
    """ "journey esim, release 2.1" / "путь esim, релиз 2.1"; "whole lab" for no filter."""
    parts = [
        w("scope.journey", journey=scope.journey) if scope.journey else "",
        w("scope.product", product=scope.product) if scope.product else "",
        w("scope.release", release=scope.release) if scope.release else "",
    ]
    return ", ".join(p for p in parts if p) or w("scope.all")


def headline(report: Report, w: Words = EN) -> list[str]:
    """The header as short sentences (same in every format)."""
    h = report.header
    titles = {j.journey_id: j.title for j in report.journeys}
    when = ""
    if h.first_walk and h.last_walk:
        when = w("hl.when", first=w.date(h.first_walk), last=w.date(h.last_walk))
    compared = w("scope.compared", release=h.scope.compare_to) if h.scope.compare_to else ""
    pains = w("hl.pains", count=w.num(h.pain_points))
    if h.logged_feedback:
        pains += w("hl.outside", count=w.num(h.logged_feedback))
    pains += w(
        "hl.problems",
        problems=w.count(h.problems, "recurring"),
        one_offs=w.count(len(report.one_offs), "one_off"),
    )
    lines = [
        w("hl.scope", scope=scope_label(h.scope, w)) + compared,
        w("hl.journeys", journeys=", ".join(titles.get(j, j) for j in h.journeys) or w("none")),
        w("hl.releases", releases=", ".join(h.releases) or w("none")),
        w("hl.walks", walks=w.count(h.walks, "walk"), walkers=w.count(h.walkers, "walker"))
        + (f", {when}" if when else ""),
        w(
            "hl.outcome",
            completed=w.num(h.completed),
            completed_share=w.pct(h.completed, h.walks),
            abandoned=w.num(h.abandoned),
            abandoned_share=w.pct(h.abandoned, h.walks),
            in_progress=w.num(h.in_progress),
        ),
        w("hl.median", time=duration(h.median_walk_seconds, w)),
        pains,
    ]
    return lines


def top_steps(report: Report, n: int = 3) -> list[tuple[str, StepRow]]:
    """The steps that stand out most, lab-wide (journey title, step)."""
    marked = [(j.title, s) for j in report.journeys for s in j.steps if s.worst]
    marked.sort(key=lambda js: (-js[1].bad_share, js[1].mean_ease or 7.0))
    return marked[:n]


def counts_label(release: str, w: Words = EN, *, heading: bool = False) -> str:
    """The header over a release's counts: they are reports (pain points), not walkers."""
    return w("cmp.reports_in_head" if heading else "cmp.reports_in", release=release)


def gone_count(count: int, expected: float | None, w: Words = EN) -> str:
    """A later release's report count; for a problem gone from it, how many walkers would have
    hit it (said in the cell: under a reports header, "0 (5.8 expected)" read as reports)."""
    if expected is None:
        return w.plain(count)
    walkers = f"{w.g(expected)} {w.noun(expected, 'walker')}"
    return w("cmp.expected", count=w.plain(count), walkers=walkers)


def resolved_rule(from_release: str, to_release: str, w: Words = EN) -> tuple[str, ...]:
    """What "resolved", "not seen again" and "expected" mean, one sentence each: every face
    prints them under a comparison with a problem gone from the later release."""
    values = {
        "frm": from_release,
        "to": to_release,
        "min_walkers": f"{RESOLVED_MIN_WALKERS}+ {w.noun(RESOLVED_MIN_WALKERS, 'walker')}",
        "min_expected": w.g(RESOLVED_MIN_EXPECTED),
    }
    return tuple(w(f"cmp.rule.{k}", **values) for k in ("resolved", "not_seen", "expected"))
