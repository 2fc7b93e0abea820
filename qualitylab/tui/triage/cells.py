"""How the triage tables draw a value: every cell is a ``rich.text.Text`` built from plain text.

A plain ``str`` cell would be parsed as Rich markup by ``DataTable``, so user text (titles, quotes,
names) always goes through ``text`` here and shows literally, control characters made visible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from rich.cells import cell_len
from rich.text import Text

from qualitylab.domain import FixItem, FixStatus, Outcome
from qualitylab.lang import localised
from qualitylab.tui.i18n import Translator, format_duration
from qualitylab.tui.text import one_line

#: Outcome -> (glyph, style) of the friction strip; worst last so the eye finds red at the end.
STRIP: tuple[tuple[Outcome, str, str], ...] = (
    (Outcome.DONE, "█", "green"),
    (Outcome.FRICTION, "▓", "yellow"),
    (Outcome.SKIPPED, "▒", "grey62"),
    (Outcome.BLOCKED, "░", "red"),
)
SEVERITY_STYLE = {4: "bold red", 3: "dark_orange", 2: "yellow", 1: "dim"}


def text(value: str, limit: int = 160, style: str = "") -> Text:
    """User text as one literal line (markup, escapes and bidi controls shown, not obeyed)."""
    return Text(one_line(value, limit), style=style)


def width(header: str, values: Iterable[str], cap: int) -> int:
    """A column's width: its widest value or header, at most ``cap`` (set explicitly, so a table
    never draws before DataTable has measured its rows)."""
    return min(cap, max([cell_len(header), *(cell_len(one_line(v, cap)) for v in values)]))


def number(value: float | None, fmt: str = "{:.2f}", style: str = "", lang: str = "en") -> Text:
    """A right-aligned figure as ``lang`` writes it (0.68 / 0,68); "–" for none."""
    shown = "–" if value is None else localised(fmt.format(value), lang)
    return Text(shown, style=style, justify="right")


def strip(outcomes: Mapping[Outcome, int], width: int = 12) -> Text:
    """The outcome mix as a bar of ``width`` cells (largest-remainder rounding keeps the width)."""
    total = sum(outcomes.values())
    out = Text()
    if not total:
        return Text("·" * width, style="dim")
    exact = [(o, outcomes.get(o, 0) * width / total) for o, _, _ in STRIP]
    cells = {o: int(x) for o, x in exact}
    left = width - sum(cells.values())
    for o, _ in sorted(exact, key=lambda ox: -(ox[1] - int(ox[1])))[:left]:
        cells[o] += 1
    for o, glyph, style in STRIP:
        out.append(glyph * cells[o], style=style)
    return out


def legend(line: str) -> Text:
    """The strip's legend with each glyph in its colour (the words are translated)."""
    styles = {glyph: style for _, glyph, style in STRIP}
    out = Text(style="dim")
    for char in line:
        out.append(char, style=styles.get(char, ""))
    return out


def status_cell(item: FixItem, tr: Translator) -> Text:
    """Status, with BLOCKER / REGRESSED first when they apply (that is why it ranks high)."""
    parts: list[tuple[str, str]] = []
    if item.regressed:
        parts.append((tr("status.regressed"), "bold magenta"))
    if item.blocker and item.status in (FixStatus.OPEN, FixStatus.PLANNED):
        # blockers rank by the share of their steps' walkers they stop: show it, or the order
        # of the top of the list looks arbitrary next to the scores
        parts.append((f"{tr('status.blocker')} {item.priority.blocked:.0%}", "bold red"))
    if item.status is not FixStatus.OPEN or not parts:
        label = tr(f"status.{item.status.value}")
        if item.status_release:
            label += f" {one_line(item.status_release, 20)}"
        parts.append((label, "green" if item.status is FixStatus.FIXED else ""))
    out = Text()
    for n, (label, style) in enumerate(parts):
        if n:
            out.append(" ")
        out.append(label, style=style)
    return out


def severity_cell(severity: int) -> Text:
    return Text(str(severity), style=SEVERITY_STYLE.get(severity, ""), justify="center")


def date_cell(when: datetime | None) -> Text:
    return Text(when.strftime("%Y-%m-%d") if when else "–")


def duration(seconds: float | None) -> Text:
    return Text("–" if seconds is None else format_duration(seconds), justify="right")
