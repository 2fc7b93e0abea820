"""One problem: its score's parts, quotes, suggestions, similar problems, decision history and
every report behind it; the product owner decides and corrects the clustering from here.

Keys: d decide (status, release, note, owner, ticket), o owner, t ticket, m merge a similar
problem into this one, x move the highlighted report out, space mark a report and s split the
marked ones off into a problem of their own, u undo the last correction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from qualitylab.errors import NotFound, QualityLabError
from qualitylab.tui.lab_app import change_id
from qualitylab.tui.screens.confirm import ConfirmDialog
from qualitylab.tui.text import literal, one_line
from qualitylab.tui.triage.base import TriageScreen, with_layout_aliases
from qualitylab.tui.triage.cells import status_cell
from qualitylab.tui.triage.dialogs import Candidate, ChooseProblem, DecideDialog, DecisionInput
from qualitylab.tui.triage.history import history_words, release_note_words
from qualitylab.tui.triage.reports_table import fill_reports

if TYPE_CHECKING:
    from qualitylab.services.triage import ProblemDetail, ReportLine


class ProblemScreen(TriageScreen[None]):
    """Everything about one problem of the fix list."""

    AUTO_FOCUS = "#reports"
    BINDINGS: ClassVar[list[BindingType]] = with_layout_aliases(
        [
            Binding("escape", "back", "tk.back"),
            Binding("d", "decide('d-status')", "tk.decide"),
            Binding("o", "decide('d-owner')", "tk.owner"),
            # the ticket key is a field of d too: its footer room went to s (80 columns, Russian)
            Binding("t", "decide('d-ticket')", "tk.ticket", show=False),
            Binding("m", "merge", "tk.merge"),
            Binding("x", "move_out", "tk.move"),
            Binding("space", "mark", "tk.mark", show=False),
            Binding("s", "split", "tk.split"),
            Binding("u", "app.undo", "tk.undo"),
            Binding("ctrl+r", "reload", "tk.reload", show=False),
            # the app's keys still work here, but the footer has no room for them at 80 columns
            Binding("1", "app.switch('journeys')", show=False),
            Binding("2", "app.switch('fixes')", show=False),
            Binding("3", "app.switch('oneoffs')", show=False),
            Binding("e", "app.export", show=False),
        ]
    )

    def __init__(self, cluster_id: str) -> None:
        super().__init__()
        self.cluster_id = cluster_id
        self.detail: ProblemDetail | None = None
        self.loaded_for = -1
        #: Report uuids marked (space) to split off (s), in the order marked.
        self.marked: dict[str, None] = {}

    def compose(self) -> ComposeResult:
        yield Static(self.t("pr.heading", id=self.cluster_id), id="topbar", markup=False)
        with VerticalScroll(id="problem-body"):
            yield Static(self.t("pr.loading"), id="problem-title", markup=False)
            yield Static("", id="problem-decision", markup=False)
            yield Static("", id="problem-facts", markup=False)
        yield DataTable(id="reports", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_screen_resume(self) -> None:
        """Shown for the first time, or again after a change elsewhere: (re)load."""
        if self.loaded_for != self.tapp.generation:
            self.load()

    async def fetch(self) -> None:
        from qualitylab.services.triage import problem_detail

        scope = self.tapp.scope
        generation = self.tapp.generation
        try:
            self.detail = await self.tapp.read(
                problem_detail,
                self.cluster_id,
                journey=scope.journey or None,
                release=scope.release or None,
            )
        except NotFound:
            self.detail = None
            self.query_one("#problem-title", Static).update(self.t("pr.gone"))
            return
        except QualityLabError:
            return
        self.loaded_for = generation
        present = {r.uuid for r in self.detail.reports}  # moved away meanwhile: not marked
        self.marked = {u: None for u in self.marked if u in present}
        self.draw()

    # ------------------------------------------------------------------ drawing
    def draw(self) -> None:
        detail = self.detail
        if detail is None:
            return
        item = detail.item
        tr = self.tapp.tr
        self.query_one("#topbar", Static).update(
            self.t("pr.heading", id=item.cluster.id)
            + " · "
            + self.t(
                "pr.rank",
                rank=item.rank,
                score=tr.dec(item.priority.score, 1),
                walkers=tr.count(item.walkers, "walker"),
                reports=tr.count(len(detail.reports), "report"),
            )
        )
        # a title is a walker's words: 10,000 characters must not push the decision off screen
        title = Text(one_line(item.cluster.title, 400), style="bold")
        self.query_one("#problem-title", Static).update(title)
        decision = Text(self.t("pr.decision") + ": ", style="bold")
        decision.append_text(status_cell(item, tr))
        extra = []
        if detail.owner:
            extra.append(self.t("pr.owner", owner=one_line(detail.owner, 60)))
        if detail.ticket:
            extra.append(self.t("pr.ticket", ticket=one_line(detail.ticket, 60)))
        if item.status_note:
            extra.append(self.t("pr.note", note=one_line(item.status_note, 300)))
        if detail.record is None and not extra:
            extra.append(self.t("pr.no_decision"))
        decision.append(" · " + " · ".join(extra) if extra else "")
        self.query_one("#problem-decision", Static).update(decision)
        self.query_one("#problem-facts", Static).update(self._facts())
        self._fill_reports(detail.reports)

    def _facts(self) -> Text:
        """Score parts, where, quotes, suggested fixes, similar problems, history: one block."""
        detail = self.detail
        assert detail is not None
        item, why = detail.item, detail.why
        p = item.priority
        tr = self.tapp.tr
        out = Text()

        def heading(key: str, **values: object) -> None:
            out.append("\n" + self.t(key, **values) + "\n", style="bold underline")

        heading("pr.score")
        counts = ", ".join(
            f"{why.severities.get(n, 0)}×{n}" for n in (4, 3, 2, 1) if why.severities.get(n)
        )
        out.append(
            f"  {self.t('col.reach')} {tr.dec(p.reach, 2)} ({why.walkers}/{why.visitors})"
            f" · {self.t('col.sev')} {tr.dec(p.severity_mean, 2)}/{p.severity_max} ({counts})"
            f" · {self.t('col.impact')} {tr.dec(p.impact, 2)}"
            f" · {self.t('col.persist')} {p.persistence:.0f}"
            f" · {self.t('status.blocker').lower()} {p.blockers:.0%}\n"
        )
        factors = " × ".join(tr.dec(f, 3) for _, f, _ in why.factors)
        out.append(
            f"  {self.t('col.score')} = 100 × {factors} = {tr.dec(p.score, 2)}\n", style="dim"
        )
        if item.looks_mixed:
            mixed = self.t("pr.looks_mixed", cohesion=tr.dec(item.cluster.cohesion, 2))
            out.append(f"  {mixed}\n", style="yellow")
        if item.few_walkers:
            few = "pr.one_walker" if item.walkers == 1 else "pr.few_walkers"
            out.append("  " + self.t(few, n=item.walkers) + "\n", style="yellow")
        heading("pr.where")
        for journey_id, step_id in item.steps[:6]:
            out.append(f"  {one_line(journey_id, 40)} / {one_line(step_id, 60)}\n")
        out.append("  " + self.t("pr.releases", releases=", ".join(item.releases) or "–") + "\n")
        if item.cluster.quotes:
            heading("pr.quotes")
            for quote in item.cluster.quotes[:3]:
                out.append(f"  “{one_line(quote, 300)}”\n", style="italic")
        if item.cluster.suggestions:
            heading("pr.fixes")
            for fix, n in item.cluster.suggestions[:4]:
                out.append(f"  → {one_line(fix, 200)} ({n})\n")
        heading("pr.similar")
        if detail.similar:
            for s in detail.similar[:5]:
                out.append(f"  {tr.dec(s.similarity, 2)} ", style="bold")
                out.append(f"{s.cluster_id} ", style="cyan")
                out.append(one_line(s.title, 120) + "\n")
        else:
            out.append("  " + self.t("pr.no_similar") + "\n", style="dim")
        heading("pr.history")
        if detail.history:
            for line in detail.history[:10]:
                out.append("  " + one_line(history_words(self.tapp.tr, line), 300) + "\n")
        else:
            out.append("  " + self.t("pr.no_history") + "\n", style="dim")
        heading("pr.reports", n=len(detail.reports))
        return out

    def _fill_reports(self, reports: tuple[ReportLine, ...]) -> None:
        table = self.query_one("#reports", DataTable)
        fill_reports(
            table,
            reports,
            self.tapp.tr,
            screen_width=self.size.width,
            step=lambda r: r.step_id,
            marked=self.marked,
        )

    def current_report(self) -> ReportLine | None:
        table = self.query_one("#reports", DataTable)
        if self.detail is None or not table.row_count:
            return None
        return self.detail.reports[min(table.cursor_row, len(self.detail.reports) - 1)]

    # ------------------------------------------------------------------ actions
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_decide(self, focus: str) -> None:
        detail = self.detail
        if detail is None:
            return
        item = detail.item
        current = DecisionInput(
            status=item.status.value,
            release=item.status_release or "",
            note=item.status_note,
            owner=detail.owner,
            ticket=detail.ticket,
        )
        self.app.push_screen(
            DecideDialog(item.cluster.id, current, focus=focus), callback=self._decided
        )

    async def _decided(self, answer: DecisionInput | None) -> None:
        from qualitylab.services.triage import decide

        if answer is None or self.detail is None:
            return
        cid = self.detail.item.cluster.id
        try:
            notes = await self.tapp.call(
                decide,
                cid,
                uuid=change_id(),
                status=answer.status,
                release=answer.release or None,
                note=answer.note,
                owner=answer.owner,
                ticket=answer.ticket,
            )
        except QualityLabError:
            return
        self.notify(
            self.t("dc.saved", id=cid, status=self.t(f"status.{answer.status}")), markup=False
        )
        for note in notes:
            said = release_note_words(self.tapp.tr, note)
            self.notify(self.t("dc.warning", warning=said), severity="warning", markup=False)
        self._changed()

    @work(group="problem-act")
    async def action_merge(self) -> None:
        """Suggestions first (most similar), then the other problems of its journeys by rank."""
        detail = self.detail
        if detail is None:
            return
        me = detail.item.cluster.id
        candidates = [
            Candidate(s.cluster_id, s.title, s.similarity, s.same_step) for s in detail.similar
        ]
        try:
            listed = await self.tapp.fix_list()
        except QualityLabError:
            return
        journeys = {j for j, _ in detail.item.steps}
        seen = {c.cluster_id for c in candidates} | {me}
        candidates += [
            Candidate(i.cluster.id, i.cluster.title)
            for i in listed.items
            if i.cluster.id not in seen and any(j in journeys for j, _ in i.steps)
        ]
        self.app.push_screen(
            ChooseProblem(self.t("mg.title", id=me), candidates, self.t("tk.merge")),
            callback=self._merge_chosen,
        )

    async def _merge_chosen(self, chosen: str | None) -> None:
        from qualitylab.services.triage import merge_into

        if chosen is None or self.detail is None:
            return
        into = self.detail.item.cluster.id
        if chosen == into:
            self.notify(self.t("mg.self"), severity="warning", markup=False)
            return
        try:
            await self.tapp.call(merge_into, into, [chosen], uuid=change_id())
        except QualityLabError:
            return
        self.notify(self.t("mg.done", what=chosen, into=into), markup=False)
        self._changed()

    def action_move_out(self) -> None:
        report = self.current_report()
        if report is None or self.detail is None:
            return
        message = self.t(
            "mv.confirm", id=self.detail.item.cluster.id, text=one_line(report.text, 300)
        )
        self.app.push_screen(ConfirmDialog(message), callback=self._move_confirmed)

    async def _move_confirmed(self, yes: bool | None) -> None:
        from qualitylab.services.triage import move_report

        report = self.current_report()
        if not yes or report is None or self.detail is None:
            return
        try:
            await self.tapp.call(move_report, report.uuid, to=None, uuid=change_id())
        except QualityLabError:
            return
        self.notify(self.t("mv.done", id=self.detail.item.cluster.id), markup=False)
        self._changed()

    def action_mark(self) -> None:
        """Mark the highlighted report to split off, or unmark it."""
        report = self.current_report()
        if report is None or self.detail is None:
            return
        if report.uuid in self.marked:
            del self.marked[report.uuid]
        else:
            self.marked[report.uuid] = None
        self._fill_reports(self.detail.reports)

    def action_split(self) -> None:
        detail = self.detail
        if detail is None:
            return
        cid = detail.item.cluster.id
        if not self.marked:
            self.notify(self.t("sp.none"), severity="warning", markup=False)
            return
        if len(self.marked) >= len(detail.reports):
            self.notify(self.t("sp.all", id=cid), severity="warning", markup=False)
            return
        reports = self.tapp.tr.count(len(self.marked), "report")
        message = self.t("sp.confirm", id=cid, reports=reports)
        self.app.push_screen(ConfirmDialog(message), callback=self._split_confirmed)

    async def _split_confirmed(self, yes: bool | None) -> None:
        from qualitylab.services.triage import split_off

        if not yes or self.detail is None or not self.marked:
            return
        chosen = list(self.marked)
        try:
            made = await self.tapp.call(split_off, chosen, uuid=change_id())
        except QualityLabError:
            return
        self.marked = {}
        reports = self.tapp.tr.count(len(chosen), "report")
        self.notify(
            self.t("sp.done", reports=reports, id=self.detail.item.cluster.id, new=made),
            markup=False,
        )
        self._changed()

    def action_reload(self) -> None:
        """What others changed meanwhile (another tab, the CLI): every screen builds it anew."""
        self.tapp.changed()
        self.load()

    def _changed(self) -> None:
        self.tapp.changed()
        self.load()

    @on(DataTable.RowSelected, "#reports")
    def _report_selected(self) -> None:
        """Enter on a report shows it whole (long texts are clipped in the table)."""
        report = self.current_report()
        if report is not None:
            self.notify(literal(report.text)[:2000], timeout=15, markup=False)
