"""One way to draw a table of reports (a problem's, or the one-offs): severity, step, walker or
"anonymous", release, date and the text, every column sized explicitly to fit the screen."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from qualitylab.tui.i18n import Translator
from qualitylab.tui.triage.cells import date_cell, severity_cell, text, width

if TYPE_CHECKING:
    from qualitylab.services.triage import ReportLine

#: The fewest cells a report's text gets while other columns can give way, and how narrow the
#: step and walker columns may become for it.
MIN_TEXT = 28
_NARROWEST = 12


def fill_reports(
    table: DataTable[object],
    reports: Sequence[ReportLine],
    tr: Translator,
    *,
    screen_width: int,
    step: Callable[[ReportLine], str],
    step_cap: int = 22,
    marked: Collection[str] = (),
) -> None:
    """Replace ``table``'s rows with ``reports`` (row key = report uuid); the cursor stays at
    the same row number, so the next report comes up after one is moved away. A report whose
    uuid is in ``marked`` (chosen to split off) starts its text with a bold "✓"."""
    keep = table.cursor_row if table.row_count else 0
    table.clear(columns=True)
    anonymous = tr("anonymous")
    cols = {
        "severity": width(tr("col.severity"), [], 3),
        "step": width(tr("col.step"), [step(r) for r in reports], step_cap),
        "walker": width(tr("col.walker"), [r.walker or anonymous for r in reports], 18),
        "release": width(tr("col.release"), [r.release for r in reports], 10),
        "date": width(tr("col.date"), ["2026-01-01"], 10),
    }

    def room() -> int:  # what is left for the text: cell padding 2, the scrollbar 2
        return screen_width - sum(cols.values()) - 2 * (len(cols) + 1) - 2

    # a narrow terminal (80 columns) narrows the step and walker, then gives up the date and the
    # release, before the text (the report itself) gets under MIN_TEXT cells; enter shows all
    for col in ("step", "walker"):
        cols[col] = max(min(cols[col], _NARROWEST), cols[col] + min(0, room() - MIN_TEXT))
    for col in ("date", "release"):
        if room() < MIN_TEXT:
            del cols[col]
    for col, size in cols.items():
        table.add_column(tr(f"col.{col}"), key=col, width=size)
    text_width = max(20, room())
    table.add_column(tr("col.text"), key="text", width=text_width)
    for r in reports:
        cells = {
            "severity": severity_cell(int(r.severity)),
            "step": text(step(r), cols["step"]),
            "walker": text(r.walker, cols["walker"]) if r.walker else Text(anonymous, style="dim"),
            "release": text(r.release, cols.get("release", 10)),
            "date": date_cell(r.created_at),
        }
        said = text(r.text, text_width - 2 if r.uuid in marked else text_width)
        if r.uuid in marked:
            said = Text.assemble(("✓ ", "bold green"), said)
        table.add_row(*(cells[col] for col in cols), said, key=r.uuid)
    if reports:
        table.move_cursor(row=min(keep, len(reports) - 1), animate=False)
