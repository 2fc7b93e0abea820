"""The report as a rich terminal summary (``qualitylab report`` with no ``-o``): the header, NPS,
each journey's friction map and the top problems. User text is always ``Text`` with control
characters made visible, never markup, so ``[bold]`` or an ANSI escape prints literally."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qualitylab.reports.model import EASE_REFERENCE, Report
from qualitylab.reports.safe import one_line
from qualitylab.reports.strings import Words
from qualitylab.reports.text import (
    duration,
    ease,
    flag_list,
    headline,
    nps_range,
    nps_value,
    scope_label,
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


def _pains(severities: dict[int, int], w: Words) -> Text:
    """ "41 (4 blk)": pain points on a step and how many are blockers."""
    from rich.text import Text

    out = Text(w.plain(sum(severities.values())))
    if severities.get(4):
        out.append(w("t.blk", count=w.plain(severities[4])), style="red")
    return out


def print_summary(report: Report, console: Console, lang: str = "en") -> None:
    """The summary with its fixed words in ``lang`` (en or ru)."""
    from rich.table import Table

    w = Words(lang)
    h = report.header
    console.print(_t(f"{w.title(h.title)} — {scope_label(h.scope, w)}", "bold"))
    for line in headline(report, w):
        console.print(_t(line))
    console.print()

    nps = Table(title=w("sec.nps"), title_justify="left", **_COMPACT)
    nps.add_column(w("t.group"), ratio=1, min_width=14, overflow="fold")
    for name in ("n", w("t.prom"), w("t.pass"), w("t.detr"), "NPS"):
        nps.add_column(name, justify="right", no_wrap=True)
    nps.add_column("", no_wrap=True)
    groups = [(w("t.all"), report.nps)] + [(n.label, n) for n in report.nps_by_journey]
    groups += [(w("t.release", label=n.label), n) for n in report.nps_by_release]
    for label, n in groups:
        nps.add_row(
            _t(label),
            w.plain(n.n),
            w.plain(n.promoters),
            w.plain(n.passives),
            w.plain(n.detractors),
            nps_value(n),
            _t(nps_range(n, w), "yellow"),
        )
    console.print(nps)

    for j in report.journeys:
        table = Table(
            title=_t(
                w(
                    "t.journey",
                    title=j.title,
                    id=j.journey_id,
                    walks=w.count(j.walks, "walk", grouped=False),
                    nps=nps_value(j.nps),
                )
            ),
            title_justify="left",
            **_COMPACT,
        )
        table.add_column(w("t.step"), overflow="fold", ratio=1, min_width=14)
        # "ok/fric/blk/skip" on two lines: on one it took the room an 80-column terminal needs
        # for the step's words ("confirmati / on")
        for key in ("reached", "mix", "bad", "stop", "median", "ease", "pains"):
            name = w(f"t.{key}")
            table.add_column(name, justify="right", no_wrap=True)
        for s in j.steps:
            o = s.outcomes
            low = s.mean_ease is not None and s.mean_ease < EASE_REFERENCE
            table.add_row(
                _t(s.title + (" ◀" if s.worst else ""), "bold red" if s.worst else ""),
                w.plain(s.reached),
                "/".join(w.plain(o[k]) for k in ("done", "friction", "blocked", "skipped")),
                w.pct(o["blocked"] + o["skipped"], s.reached),
                w.plain(s.dropped),
                _short(duration(s.median_seconds, w), w),
                _t(ease(s, w), "red" if low else ""),
                _pains(s.severities, w),
            )
        console.print(table)

    if not report.fixes:
        console.print(_t(w("t.no_fixes")))
        return
    top = Table(title=w("t.top"), title_justify="left", show_lines=True)
    top.add_column("#", justify="right")
    top.add_column(w("t.score"), justify="right")
    top.add_column(w("t.problem"), overflow="fold", ratio=1)
    top.add_column(w("t.who"), no_wrap=True)
    top.add_column(w("t.status"), overflow="fold")
    for f in report.fixes[:TERMINAL_TOP]:
        problem = _t(f.title or w("untitled"), "bold")
        for kind, flag in flag_list(f, w):
            problem.append(f" {flag}", style="yellow" if kind == "check" else "bold red")
        quote = next((q for q in f.quotes if one_line(q) != one_line(f.title)), "")
        if quote:
            problem.append("\n" + w("quote.open"))
            problem.append(one_line(quote)[:200], style="italic")
            problem.append(w("quote.close"))
        problem.append(f"\n{one_line(', '.join(f.steps[:3]))}  {one_line(f.id)}", style="dim")
        top.add_row(
            str(f.rank),
            w.dec(f.score, 1),
            problem,
            f"{w.count(f.walkers, 'walker', grouped=False)}\n"
            f"{w.count(f.reports, 'report', grouped=False)}",
            _t(
                status(f, w)
                + (f"\n{f.owner}" if f.owner else "")
                + (f" {f.ticket}" if f.ticket else "")
            ),
        )
    console.print(top)
    if len(report.fixes) > TERMINAL_TOP:
        # the fix list also ranks lone blockers: say so, or its count disagrees with the header's
        lone = sum(1 for f in report.fixes if f.one_off)
        kinds = (
            w(
                "t.kinds",
                recurring=w.num(len(report.fixes) - lone),
                lone=w.count(lone, "lone_blocker"),
            )
            if lone
            else ""
        )
        console.print(
            _t(
                w(
                    "t.footer",
                    top=TERMINAL_TOP,
                    total=w.count(len(report.fixes), "problem"),
                    kinds=kinds,
                    one_offs=w.count(len(report.one_offs), "one_off"),
                )
            ),
            style="dim",
        )
        # on a line of its own: an 80-column terminal must not break the command in two
        console.print(_t(w("t.whole")), style="dim")


def _short(duration: str, w: Words) -> str:
    """ "1m45s" / "1м45с": a duration in a narrow column (the room goes to the step's words)."""
    if w.lang == "ru":
        return duration.replace(" мин", "м").replace(" ч", "ч").replace(" с", "с").replace(" ", "")
    return duration.replace(" min ", "m").replace(" s", "s")
