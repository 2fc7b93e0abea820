"""Journeys: walkers, completion and NPS of each, and the highlighted journey's steps as a friction
strip (outcome mix, ease, time on step, pain points, drop-off), the worst steps marked ⚠.

Enter on a journey opens its fix list (the scope becomes that journey).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from qualitylab.errors import QualityLabError
from qualitylab.tui.triage.base import TABLE_KEYS, TriageScreen, with_layout_aliases
from qualitylab.tui.triage.cells import duration, legend, number, strip, text

if TYPE_CHECKING:
    from qualitylab.services.triage import JourneyFriction


class JourneysScreen(TriageScreen[None]):
    """Every journey with walks, and the steps of the highlighted one."""

    AUTO_FOCUS = "#journey-table"
    BINDINGS: ClassVar[list[BindingType]] = with_layout_aliases(
        [
            Binding("enter", "open", "tk.its_fixes", priority=True),
            # an enter typed before the app took the terminal arrives as a newline
            Binding("ctrl+j", "open", show=False, priority=True),
            *TABLE_KEYS,
            Binding("ctrl+r", "reload", "tk.reload", show=False),
        ]
    )

    def __init__(self) -> None:
        super().__init__()
        self.journeys: list[JourneyFriction] = []
        self.loaded_for = -1

    def compose(self) -> ComposeResult:
        yield Static(self.t("tri.loading"), id="topbar", markup=False)
        yield DataTable(id="journey-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="steps-title", markup=False)
        # no cursor: a highlighted row would hide the strip's colours, and nothing opens a step
        yield DataTable(id="step-table", show_cursor=False, zebra_stripes=True)
        yield Static(legend(self.t("jr.legend")), id="legend", markup=False)
        yield Footer(compact=True)

    def on_screen_resume(self) -> None:
        """Shown for the first time, or again after a change elsewhere: (re)load."""
        if self.loaded_for != self.tapp.generation:
            self.load()

    async def fetch(self) -> None:
        from qualitylab.services.triage import journey_friction

        generation = self.tapp.generation
        try:
            self.journeys = await self.tapp.read(journey_friction)
        except QualityLabError:
            return
        self.loaded_for = generation
        self.draw()

    def draw(self) -> None:
        from qualitylab.services.triage import NPS_SMALL_N

        tr = self.tapp.tr
        heading = self.t("jr.heading", n=len(self.journeys))
        if any(j.nps.small for j in self.journeys):
            heading += " · " + self.t("jr.nps_small", n=NPS_SMALL_N)
        self.query_one("#topbar", Static).update(heading)
        table = self.query_one("#journey-table", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        numbers = ("walkers_long", "walks", "completion", "abandoned")
        cells = [self._nps_cell(j) for j in self.journeys]
        widths = {k: max(len(tr(f"col.{k}")), 4) for k in numbers}
        nps_width = max([len(tr("col.nps")), *(c.cell_len for c in cells)])
        used = sum(widths.values()) + nps_width + 2 * (len(widths) + 2)
        title_width = max(16, self.size.width - used - 2)
        table.add_column(tr("col.journey"), key="journey", width=title_width)
        for key in numbers:
            label = Text(tr(f"col.{key}"), justify="right")
            table.add_column(label, key=key, width=widths[key])
        table.add_column(Text(tr("col.nps"), justify="right"), key="nps", width=nps_width)
        for j, nps in zip(self.journeys, cells, strict=True):
            table.add_row(
                text(j.title, title_width),
                number(j.walkers, "{:d}"),
                number(j.walks, "{:d}"),
                number(j.completion, "{:.0%}"),
                number(j.abandoned, "{:d}"),
                nps,
                key=j.journey_id,
            )
        if self.journeys:
            table.move_cursor(row=min(keep, len(self.journeys) - 1), animate=False)
            self.show_steps()
        else:
            self.query_one("#steps-title", Static).update(self.t("jr.empty"))

    def _nps_cell(self, journey: JourneyFriction) -> Text:
        """ "-67 n=21": the score, red below zero, and its n, yellow when too few to trust."""
        nps = Text(justify="right")
        if journey.nps.score is None:
            return nps.append("–")
        score = journey.nps.score
        nps.append(f"{score:+d}" if score else "0", style="bold red" if score < 0 else "bold")
        nps.append(f" n={journey.nps.n}", style="yellow" if journey.nps.small else "dim")
        return nps

    def current(self) -> JourneyFriction | None:
        table = self.query_one("#journey-table", DataTable)
        if not self.journeys or not table.row_count:
            return None
        return self.journeys[min(table.cursor_row, len(self.journeys) - 1)]

    @on(DataTable.RowHighlighted, "#journey-table")
    def show_steps(self) -> None:
        journey = self.current()
        if journey is None:
            return
        tr = self.tapp.tr
        self.query_one("#steps-title", Static).update(
            self.t("jr.steps", title=text(journey.title, 60).plain)
        )
        table = self.query_one("#step-table", DataTable)
        table.clear(columns=True)
        widths = {
            k: max(len(tr(f"col.{k}")), 5) for k in ("reached", "ease", "time", "pains", "dropped")
        }
        mix_width = max(len(tr("col.mix")), 12)
        used = 1 + mix_width + sum(widths.values()) + 2 * (len(widths) + 3)
        title_width = max(16, self.size.width - used - 2)
        table.add_column(" ", key="worst", width=1)
        table.add_column(tr("col.step"), key="step", width=title_width)
        table.add_column(
            Text(tr("col.reached"), justify="right"), key="reached", width=widths["reached"]
        )
        table.add_column(tr("col.mix"), key="mix", width=mix_width)
        for key in ("ease", "time", "pains", "dropped"):
            table.add_column(Text(tr(f"col.{key}"), justify="right"), key=key, width=widths[key])
        for step in journey.steps:
            low = step.ease_mean is not None and step.ease_mean < 4
            table.add_row(
                Text("⚠", style="bold red") if step.worst else Text(""),
                text(step.title, title_width, style="bold" if step.worst else ""),
                number(step.reached, "{:d}"),
                strip(step.outcomes),
                number(step.ease_mean, "{:.1f}", style="red" if low else "", lang=tr.lang),
                duration(step.median_seconds),
                number(step.pain_points, "{:d}"),
                number(step.dropped, "{:d}"),
                key=step.step_id,
            )

    @on(DataTable.RowSelected, "#journey-table")
    def action_open(self) -> None:
        journey = self.current()
        if journey is None:
            return
        self.tapp.scope.journey = journey.journey_id
        self.tapp.action_switch("fixes")

    def action_reload(self) -> None:
        self.tapp.changed()
        self.load()

    def on_resize(self) -> None:
        if self.journeys:
            self.draw()
