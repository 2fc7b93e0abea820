"""The report as a rich terminal summary (``qualitylab report`` with no ``-o``): the header, NPS,
each journey's friction map and the top problems. User text is always ``Text`` with control
characters made visible, never markup, so ``[bold]`` or an ANSI escape prints literally."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qualitylab.reports.model import EASE_REFERENCE, Report
from qualitylab.reports.safe import one_line
from qualitylab.reports.text import (
    duration,
    ease,
    flags,
    headline,
    nps_range,
    nps_value,
    percent,
    plural,
    status,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

_COMPACT: dict[str, Any] = {"box": None, "show_edge": False, "pad_edge": False, "expand": True}
#: Problems the terminal summary lists.
TERMINAL_TOP = 10


def _t(text: str, style: str = "") -> Text:
    from rich.text import Text

    return Text(one_line(text), style=style)


def _pains(severities: dict[int, int]) -> Text:
    """ "41 (4 blk)": pain points on a step and how many are blockers."""
    from rich.text import Text

    out = Text(str(sum(severities.values())))
    if severities.get(4):
        out.append(f" ({severities[4]} blk)", style="red")
    return out


def print_summary(report: Report, console: Console) -> None:
    from rich.table import Table

    h = report.header
    console.print(_t(f"{h.title} — {h.scope.label}", "bold"))
    for line in headline(report):
        console.print(_t(line))
    console.print()

    nps = Table(title="Would recommend (NPS)", title_justify="left", **_COMPACT)
    nps.add_column("group", ratio=1, min_width=14, overflow="fold")
    for name in ("n", "prom", "pass", "detr", "NPS"):
        nps.add_column(name, justify="right", no_wrap=True)
    nps.add_column("", no_wrap=True)
    groups = [("all walks", report.nps)] + [(n.label, n) for n in report.nps_by_journey]
    groups += [(f"release {n.label}", n) for n in report.nps_by_release]
    for label, n in groups:
        nps.add_row(
            _t(label),
            str(n.n),
            str(n.promoters),
            str(n.passives),
            str(n.detractors),
            nps_value(n),
            _t(nps_range(n), "yellow"),
        )
    console.print(nps)

    for j in report.journeys:
        table = Table(
            title=_t(f"{j.title} ({j.journey_id}): {j.walks} walks, NPS {nps_value(j.nps)}"),
            title_justify="left",
            **_COMPACT,
        )
        table.add_column("step", overflow="fold", ratio=1, min_width=14)
        # "ok/fric/blk/skip" on two lines: on one it took the room an 80-column terminal needs
        # for the step's words ("confirmati / on")
        for name in (
            "reached",
            "ok/fric/\nblk/skip",
            "blk+skip",
            "stop",
            "median",
            "ease",
            "pains",
        ):
            table.add_column(name, justify="right", no_wrap=True)
        for s in j.steps:
            o = s.outcomes
            low = s.mean_ease is not None and s.mean_ease < EASE_REFERENCE
            table.add_row(
                _t(s.title + (" ◀" if s.worst else ""), "bold red" if s.worst else ""),
                str(s.reached),
                f"{o['done']}/{o['friction']}/{o['blocked']}/{o['skipped']}",
                percent(o["blocked"] + o["skipped"], s.reached),
                str(s.dropped),
                duration(s.median_seconds).replace(" min ", "m").replace(" s", "s"),
                _t(ease(s), "red" if low else ""),
                _pains(s.severities),
            )
        console.print(table)

    if not report.fixes:
        console.print(_t("No recurring problem yet (one-offs: the HTML, Markdown or CSV report)."))
        return
    top = Table(title="Top problems", title_justify="left", show_lines=True)
    top.add_column("#", justify="right")
    top.add_column("score", justify="right")
    top.add_column("problem", overflow="fold", ratio=1)
    top.add_column("who", no_wrap=True)
    top.add_column("status", overflow="fold")
    for f in report.fixes[:TERMINAL_TOP]:
        problem = _t(f.title or "(untitled)", "bold")
        for flag in flags(f):
            problem.append(f" {flag}", style="yellow" if flag.startswith("check") else "bold red")
        quote = next((q for q in f.quotes if one_line(q) != one_line(f.title)), "")
        if quote:
            problem.append("\n“")
            problem.append(one_line(quote)[:200], style="italic")
            problem.append("”")
        problem.append(f"\n{one_line(', '.join(f.steps[:3]))}  {one_line(f.id)}", style="dim")
        top.add_row(
            str(f.rank),
            f"{f.score:.1f}",
            problem,
            f"{f.walkers} walkers\n{f.reports} reports",
            _t(
                status(f)
                + (f"\n{f.owner}" if f.owner else "")
                + (f" {f.ticket}" if f.ticket else "")
            ),
        )
    console.print(top)
    if len(report.fixes) > TERMINAL_TOP:
        # the fix list also ranks lone blockers: say so, or its count disagrees with the header's
        lone = sum(1 for f in report.fixes if f.one_off)
        kinds = (
            f" ({len(report.fixes) - lone:,} recurring, "
            f"{plural(lone, 'lone blocker')} of one report each)"
            if lone
            else ""
        )
        console.print(
            _t(
                f"Top {TERMINAL_TOP} of {len(report.fixes):,} problems{kinds}; "
                f"{plural(len(report.one_offs), 'one-off')} of severity 3-4."
            ),
            style="dim",
        )
        # on a line of its own: an 80-column terminal must not break the command in two
        console.print(
            _t("The whole report: qualitylab report --format html -o report.html"), style="dim"
        )
