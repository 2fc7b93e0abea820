"""One-offs: the reports in no recurring problem of the scope (a small lab's most important lines),
worst first, the same ones ``qualitylab fixes`` counts (lone blockers included: the fix list lists
them too); ``a`` or enter attaches the highlighted report to a problem of the same journey."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from qualitylab.errors import QualityLabError
from qualitylab.tui.lab_app import change_id
from qualitylab.tui.triage.base import TriageScreen, with_layout_aliases
from qualitylab.tui.triage.cells import text
from qualitylab.tui.triage.dialogs import Candidate, ChooseProblem
from qualitylab.tui.triage.fixlist import scope_label
from qualitylab.tui.triage.reports_table import fill_reports

if TYPE_CHECKING:
    from qualitylab.services.triage import ReportLine, TriageList

#: (label key, sort key, highest first) for ``s``.
_SORTS = (
    ("col.severity", lambda r: (int(r.severity), _date(r)), True),
    ("col.date", lambda r: (_date(r), int(r.severity)), True),
    ("col.step", lambda r: (r.journey_id, r.step_id, -int(r.severity)), False),
)


def _date(report: ReportLine) -> str:
    return report.created_at.isoformat() if report.created_at else ""


class OneOffsScreen(TriageScreen[None]):
    """Reports no problem holds, sortable, each attachable to a problem."""

    AUTO_FOCUS = "#oneoffs"
    BINDINGS: ClassVar[list[BindingType]] = with_layout_aliases(
        [
            Binding("a", "attach", "tk.attach"),
            Binding("s", "sort", "tk.sort"),
            Binding("r", "reverse", "tk.reverse", show=False),
            Binding("ctrl+r", "reload", "tk.reload", show=False),
        ]
    )

    def __init__(self) -> None:
        super().__init__()
        self.data: TriageList | None = None
        self.shown: list[ReportLine] = []
        self.sort_index = 0
        self.reverse = False
        self.loaded_for: tuple[int, tuple[str, str]] | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.t("tri.loading"), id="topbar", markup=False)
        yield DataTable(id="oneoffs", cursor_type="row", zebra_stripes=True)
        yield Static("", id="preview", markup=False)
        yield Footer(compact=True)

    def on_screen_resume(self) -> None:
        """Shown for the first time, or again after a change elsewhere: (re)load."""
        if self.loaded_for != (self.tapp.generation, self.tapp.scope.key):
            self.load()

    async def fetch(self) -> None:
        wanted = (self.tapp.generation, self.tapp.scope.key)
        try:
            self.data = await self.tapp.fix_list()
        except QualityLabError:
            return
        self.loaded_for = wanted
        self.draw()

    def draw(self) -> None:
        data = self.data
        if data is None:
            return
        tr = self.tapp.tr
        _, order, high_first = _SORTS[self.sort_index]
        self.shown = sorted(data.one_offs, key=order, reverse=high_first != self.reverse)
        scope, listed = scope_label(tr, self.tapp.scope), data.one_offs_listed
        reports = tr.count(len(self.shown), "report")
        self.query_one("#topbar", Static).update(
            self.t("oo.listed", reports=reports, listed=listed, scope=scope)
            if listed
            else self.t("oo.heading", reports=reports, scope=scope)
        )
        fill_reports(
            self.query_one("#oneoffs", DataTable),
            self.shown,
            tr,
            screen_width=self.size.width,
            step=lambda r: f"{r.journey_id}/{r.step_id}",
            step_cap=26,
        )
        self._preview()

    def current(self) -> ReportLine | None:
        table = self.query_one("#oneoffs", DataTable)
        if not self.shown or not table.row_count:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    @on(DataTable.RowHighlighted, "#oneoffs")
    def _preview(self) -> None:
        report = self.current()
        preview = self.query_one("#preview", Static)
        if report is None:
            preview.update(self.t("oo.empty") if self.data is not None else "")
            return
        lines = [f"{report.journey_id} / {report.step_title}", text(report.text, 400).plain]
        if report.suggested_fix:
            lines.append("→ " + text(report.suggested_fix, 200).plain)
        preview.update("\n".join(lines))

    @on(DataTable.RowSelected, "#oneoffs")
    def action_attach(self) -> None:
        report = self.current()
        if report is None or self.data is None:
            return
        candidates = [
            Candidate(
                i.cluster.id, i.cluster.title, None, (report.journey_id, report.step_id) in i.steps
            )
            for i in self.data.items
            if any(j == report.journey_id for j, _ in i.steps) and i.cluster.id.startswith("c-")
        ]
        candidates.sort(key=lambda c: not c.same_step)  # same step first, then rank order
        self.app.push_screen(
            ChooseProblem(self.t("at.title"), candidates, self.t("tk.attach")),
            callback=lambda chosen: self.attach_to(report, chosen),
        )

    async def attach_to(self, report: ReportLine, chosen: str | None) -> None:
        from qualitylab.services.triage import move_report

        if chosen is None:
            return
        try:
            await self.tapp.call(move_report, report.uuid, to=chosen, uuid=change_id())
        except QualityLabError:
            return
        self.notify(self.t("at.done", id=chosen), markup=False)
        self.tapp.changed()
        self.load()

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(_SORTS)
        self.reverse = False
        self.draw()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.draw()

    def action_reload(self) -> None:
        self.tapp.changed()
        self.load()
