"""Journeys: walkers, completion and NPS of each, and the highlighted journey's steps as a friction
strip (outcome mix, ease, time on step, pain points, drop-off), the worst steps marked ⚠.

Enter on a journey opens its fix list (the scope becomes that journey).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from qualitylab.errors import QualityLabError
from qualitylab.tui.triage.base import TriageScreen, with_layout_aliases
from qualitylab.tui.triage.cells import duration, legend, number, strip, text

if TYPE_CHECKING:
    from qualitylab.services.triage import JourneyFriction


class JourneysScreen(TriageScreen[None]):
    """Every journey with walks, and the steps of the highlighted one."""

    AUTO_FOCUS = "#journey-table"
    BINDINGS: ClassVar[list[BindingType]] = with_layout_aliases(
        [
            Binding("enter", "open", "tk.its_fixes", priority=True),
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

    @work(exclusive=True, group="journeys-load")
    async def load(self) -> None:
        from qualitylab.services.triage import journey_friction

        generation = self.tapp.generation
        try:
            self.journeys = await self.tapp.call(journey_friction)
        except QualityLabError:
            return
        self.loaded_for = generation
        self.draw()

    def draw(self) -> None:
        tr = self.tapp.tr
        self.query_one("#topbar", Static).update(self.t("jr.heading", n=len(self.journeys)))
        table = self.query_one("#journey-table", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        table.add_column(tr("col.journey"), key="journey")
        for key in ("walkers_long", "walks", "completion", "abandoned", "nps"):
            table.add_column(Text(tr(f"col.{key}"), justify="right"), key=key)
        title_width = max(20, self.size.width - 48)
        for j in self.journeys:
            nps = Text(justify="right")
            if j.nps.score is None:
                nps.append("–")
            else:
                score = f"{j.nps.score:+d}" if j.nps.score else "0"
                nps.append(score, style="bold red" if j.nps.score < 0 else "bold")
                nps.append(f" ({self.t('jr.nps_small', n=j.nps.n) if j.nps.small else j.nps.n})")
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
        table.add_column(" ", key="worst")
        table.add_column(tr("col.step"), key="step")
        table.add_column(Text(tr("col.reached"), justify="right"), key="reached")
        table.add_column(tr("col.mix"), key="mix")
        for key in ("ease", "time", "pains", "dropped"):
            table.add_column(Text(tr(f"col.{key}"), justify="right"), key=key)
        title_width = max(16, self.size.width - 62)
        for step in journey.steps:
            low = step.ease_mean is not None and step.ease_mean < 4
            table.add_row(
                Text("⚠", style="bold red") if step.worst else Text(""),
                text(step.title, title_width, style="bold" if step.worst else ""),
                number(step.reached, "{:d}"),
                strip(step.outcomes),
                number(step.ease_mean, "{:.1f}", style="red" if low else ""),
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
