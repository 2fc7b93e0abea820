"""The fix list: every problem of the scope ranked, its score's parts in columns, keyboard-first.

``/`` searches, ``f`` filters (journey, release, status, blockers), ``s``/``r`` sort, enter opens a
problem. The list comes from the app's shared cache; this screen only filters, sorts and draws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Input, Static

from qualitylab.domain import FixItem, FixStatus
from qualitylab.errors import QualityLabError
from qualitylab.tui.text import one_line
from qualitylab.tui.triage.base import TABLE_KEYS, TriageScreen, with_layout_aliases
from qualitylab.tui.triage.cells import number, status_cell, text

if TYPE_CHECKING:
    from qualitylab.services.triage import TriageList
    from qualitylab.tui.triage.app import Scope

#: Sortable columns: (key, label key, sort key, highest first by default).
SORTS: tuple[tuple[str, str, Callable[[FixItem], float], bool], ...] = (
    ("rank", "col.rank", lambda i: i.rank, False),
    ("score", "col.score", lambda i: i.priority.score, True),
    ("reach", "col.reach", lambda i: i.priority.reach, True),
    ("sev", "col.sev", lambda i: (i.priority.severity_mean + i.priority.severity_max) / 8, True),
    ("impact", "col.impact", lambda i: i.priority.impact, True),
    ("persist", "col.persist", lambda i: i.priority.persistence, True),
    ("walkers", "col.walkers", lambda i: i.walkers, True),
    ("reports", "col.reports", lambda i: i.pain_points, True),
)
_PADDING = 2  # a DataTable cell's padding, left and right
_SCROLLBAR = 2
#: The fewest cells a problem's title gets before factor columns give way to it, and the order
#: they give way in (persistence is 1.00 for most problems, then impact, severity, reach).
_MIN_TITLE = 24
_GIVEN_UP_FIRST = ("persist", "impact", "sev", "reach")


def matches(item: FixItem, scope: Scope) -> bool:
    """Does ``item`` pass the scope's status, blocker and search filters?"""
    if scope.blockers_only and not item.blocker:
        return False
    if scope.status == "actionable" and item.status not in (FixStatus.OPEN, FixStatus.PLANNED):
        return False
    if scope.status not in ("", "actionable") and item.status.value != scope.status:
        return False
    words = scope.search.casefold().split()
    if words:
        hay = " ".join(
            [
                item.cluster.id,
                item.cluster.title,
                item.owner,
                item.ticket,
                *item.cluster.quotes,
                *(s for _, s in item.steps),
            ]
        ).casefold()
        return all(w in hay for w in words)
    return True


class FixListScreen(TriageScreen[None]):
    """The ranked problems of the scope."""

    AUTO_FOCUS = "#fixes"
    BINDINGS: ClassVar[list[BindingType]] = with_layout_aliases(
        [
            Binding("enter", "open", "tk.open", priority=True),
            # an enter typed before the app took the terminal arrives as a newline
            Binding("ctrl+j", "open", show=False, priority=True),
            *TABLE_KEYS,
            # priority: "/" then the words at once (a paste, a fast typist) must all land in the
            # search box, so focus moves as the key is read (see action_search)
            Binding("slash", "search", "tk.search", key_display="/", priority=True),
            Binding("f", "filter", "tk.filter"),
            Binding("s", "sort", "tk.sort"),
            Binding("r", "reverse", "tk.reverse", show=False),
            Binding("escape", "clear", "tk.clear", show=False),
            Binding("ctrl+r", "reload", "tk.reload", show=False),
        ]
    )

    def __init__(self) -> None:
        super().__init__()
        self.data: TriageList | None = None
        self.shown: list[FixItem] = []
        self.sort_index = 0
        self.reverse = False
        self.loaded_for: tuple[int, tuple[str, str]] | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.t("tri.loading"), id="topbar", markup=False)
        yield Input(placeholder=self.t("fl.search_ph"), id="search", compact=True)
        yield DataTable(id="fixes", cursor_type="row", zebra_stripes=True)
        yield Static("", id="preview", markup=False)
        yield Static("", id="filterline", markup=False)
        yield Footer(compact=True)

    def on_screen_resume(self) -> None:
        """Shown for the first time, or again after a change elsewhere: (re)load."""
        if self.loaded_for != self._wanted():
            self.load()

    def _wanted(self) -> tuple[int, tuple[str, str]]:
        return (self.tapp.generation, self.tapp.scope.key)

    async def fetch(self) -> None:
        wanted = self._wanted()
        try:
            self.data = await self.tapp.fix_list()
        except QualityLabError:
            self.query_one("#topbar", Static).update(self.t("fl.empty"))
            return
        self.loaded_for = wanted
        self.redraw()

    # ------------------------------------------------------------------ drawing
    def redraw(self, keep: str | None = None) -> None:
        """Filter, sort and fill the table; the cursor stays on ``keep`` (or the same problem)."""
        table = self.query_one("#fixes", DataTable)
        if keep is None and table.row_count and self.shown:
            keep = self.shown[min(table.cursor_row, len(self.shown) - 1)].cluster.id
        data = self.data
        scope = self.tapp.scope
        items = [i for i in data.items if matches(i, scope)] if data else []
        _, _, key, high_first = SORTS[self.sort_index]
        items.sort(key=lambda i: (key(i), -i.rank) if high_first else (key(i), i.rank))
        if high_first != self.reverse:
            items.reverse()
        self.shown = items
        table.clear(columns=True)
        tr = self.tapp.tr
        statuses = [status_cell(item, tr) for item in items]
        numbers = ["score", "reach", "sev", "impact", "persist", "walkers"]
        values = {"rank": len(str(len(data.items) if data else 1)), "score": 5, "walkers": 3}
        widths = {c: max(len(tr(f"col.{c}")), values.get(c, 4)) for c in ("rank", *numbers)}
        status_width = max([len(tr("col.status")), *(s.cell_len for s in statuses)])

        def title_room() -> int:
            used = sum(widths.values()) + status_width + _PADDING * (len(widths) + 1)
            return self.size.width - used - _PADDING - _SCROLLBAR

        # a narrow terminal (80 columns, a long status such as "BLOCKER 63% planned 1.3") gives
        # up factor columns, least telling first, before the title: the problem's screen and
        # `fixes` still show every factor, and a title cut to a few letters says nothing
        for col in _GIVEN_UP_FIRST:
            if title_room() >= _MIN_TITLE:
                break
            numbers.remove(col)
            del widths[col]
        # the preview under the table shows the whole title; never scroll sideways for it
        title_width = max(12, title_room())
        # every width explicit: DataTable could draw before measuring its rows
        table.add_column(Text(tr("col.rank"), justify="right"), key="rank", width=widths["rank"])
        for col in numbers:
            label = Text(tr(f"col.{col}"), justify="right")
            table.add_column(label, key=col, width=widths[col])
        table.add_column(tr("col.status"), key="status", width=status_width)
        table.add_column(tr("col.problem"), key="problem", width=title_width)
        for item, status in zip(items, statuses, strict=True):
            factor = data.factors(item) if data else {}  # the columns multiply to the score
            cells = {
                "score": number(item.priority.score, "{:.1f}", style="bold"),
                "reach": number(factor.get("reach", 0.0)),
                "sev": number(factor.get("severity", 0.0)),
                "impact": number(factor.get("impact", 0.0)),
                "persist": number(factor.get("persistence", 0.0)),
                "walkers": number(item.walkers, "{:d}"),
            }
            table.add_row(
                number(item.rank, "{:d}"),
                *(cells[col] for col in numbers),
                status,
                text(item.cluster.title, title_width),
                key=item.cluster.id,
            )
        if keep is not None:
            at = next((n for n, i in enumerate(items) if i.cluster.id == keep), 0)
            table.move_cursor(row=at, animate=False)
        self._heading()
        self._preview()

    def _heading(self) -> None:
        data, scope = self.data, self.tapp.scope
        if data is None:
            return
        if not data.reports:
            self.query_one("#topbar", Static).update(self.t("fl.empty"))
        else:
            self.query_one("#topbar", Static).update(
                self.t(
                    "fl.heading",
                    scope=scope_label(self.tapp.tr, scope),
                    shown=self.tapp.tr.num(len(self.shown)),
                    problems=self.tapp.tr.count(len(data.items), "of_problems"),
                    reports=self.tapp.tr.count(data.reports, "report"),
                )
            )
        filters = []
        if scope.status:
            filters.append(
                self.t("flt.actionable")
                if scope.status == "actionable"
                else self.t(f"status.{scope.status}")
            )
        if scope.blockers_only:
            filters.append(self.t("fl.blockers_only"))
        if scope.search:
            filters.append(f"“{one_line(scope.search, 40)}”")
        _, label, _, _ = SORTS[self.sort_index]
        line = self.t(
            "fl.sorted",
            column=self.t(label),
            reverse=self.t("fl.reversed") if self.reverse else "",
        )
        if filters:
            line = self.t("fl.filters", what=", ".join(filters)) + " · " + line
        elif self.sort_index == 0 and any(i.blocker for i in self.shown):
            line += " · " + self.t("fl.rank_rule")
        if data.reports and not self.shown:
            line = self.t("fl.none") + " " + line
        self.query_one("#filterline", Static).update(line)

    def _preview(self) -> None:
        item = self.current()
        preview = self.query_one("#preview", Static)
        if item is None:
            preview.update("")
            return
        where = ", ".join(f"{j}/{s}" for j, s in item.steps[:3])
        quote = item.cluster.quotes[0] if item.cluster.quotes else ""
        count = self.tapp.tr.count(item.pain_points, "report")
        second = [where, count, ", ".join(item.releases)]
        if item.owner:
            second.append(self.t("pr.owner", owner=one_line(item.owner, 40)))
        if item.ticket:
            second.append(self.t("pr.ticket", ticket=one_line(item.ticket, 40)))
        if item.merged:
            second.append(self.t("fl.merged", n=len(item.merged)))
        lines = [
            f"{item.cluster.id} · {one_line(item.cluster.title, 200)}",
            " · ".join(p for p in second if p),
            f"“{one_line(quote, 200)}”" if quote else "",
        ]
        note = item.status_note
        if note:
            lines.append(self.t("pr.note", note=one_line(note, 200)))
        # one row a line, cut with "…" (triage.tcss): a line wrapped at 80 columns pushed the
        # quote and the note out of the preview's four rows
        preview.update("\n".join(lines))

    def current(self) -> FixItem | None:
        table = self.query_one("#fixes", DataTable)
        if not self.shown or not table.row_count:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    @on(DataTable.RowHighlighted, "#fixes")
    def _highlighted(self) -> None:
        self._preview()

    @on(DataTable.RowSelected, "#fixes")
    def action_open(self) -> None:
        """Enter (or a click on the chosen row): the problem's screen; in the search field,
        enter just goes back to the list."""
        from qualitylab.tui.triage.problem import ProblemScreen

        table = self.query_one("#fixes", DataTable)
        if not table.has_focus:
            table.focus()
            return
        item = self.current()
        if item is not None:
            self.app.push_screen(ProblemScreen(item.cluster.id))

    # ------------------------------------------------------------------ search, filter, sort
    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:  # a "/" typed inside the search is text
            search.insert_text_at_cursor("/")
            return
        search.display = True
        self.set_focus(search)  # at once: Widget.focus() would wait behind the keys typed after

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.tapp.scope.search = event.value
        self.redraw()

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        scope = self.tapp.scope
        if scope.search or search.has_focus:
            scope.search = ""
            search.value = ""
            search.display = False
            self.query_one("#fixes", DataTable).focus()
            self.redraw()

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.reverse = False
        self.redraw()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.redraw()

    def action_reload(self) -> None:
        self.tapp.changed()
        self.load()

    def action_filter(self) -> None:
        from qualitylab.tui.triage.dialogs import FilterDialog

        if self.data is None:
            return
        self.app.push_screen(FilterDialog(self.data), callback=self._filtered)

    def _filtered(self, changed: bool | None) -> None:
        if not changed:
            return
        if self.loaded_for is not None and self.loaded_for[1] != self.tapp.scope.key:
            self.query_one("#topbar", Static).update(self.t("tri.loading"))
            self.load()
        else:
            self.redraw()

    def on_resize(self) -> None:
        if self.data is not None:
            self.redraw()


def scope_label(tr: Callable[..., str], scope: Scope) -> str:
    parts = [tr("tri.scope.journey", journey=scope.journey) if scope.journey else ""]
    parts.append(tr("tri.scope.release", release=scope.release) if scope.release else "")
    return " · ".join(p for p in parts if p) or tr("tri.scope.all")
