"""Finish: the walker's own summary, the recommend question (0-10) and a closing comment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Static, TextArea

from qualitylab import services
from qualitylab.domain import NPS_MAX, NPS_MIN, Journey, Severity, Walk, WalkSummary
from qualitylab.errors import QualityLabError
from qualitylab.tui.base import ENTER_MOVES_FOCUS, QLScreen, save_in_order
from qualitylab.tui.i18n import format_duration
from qualitylab.tui.text import one_line
from qualitylab.tui.widgets.fields import TextBox, TextField
from qualitylab.tui.widgets.footer import WalkFooter


@dataclass
class FinishDraft:
    """The score and comment typed but not yet confirmed. The step screen keeps it while the
    walker goes back to the last step ("Back to last step" is a move, not a cancel), so the
    finish screen shows them again on return."""

    score: str = ""
    comment: str = ""

    @classmethod
    def of(cls, walk: Walk) -> FinishDraft:
        return cls("" if walk.nps is None else str(walk.nps), walk.closing_comment)


class FinishScreen(QLScreen[bool]):
    """Dismissed with True once the walk is finished, False to go back to the last step."""

    AUTO_FOCUS = "#nps"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "finish", "key.finish"),
        Binding("escape", "back", "finish.back"),
        Binding("f1", "app.help", "key.help", show=False),
        ENTER_MOVES_FOCUS,
    ]
    ENTER_MOVES: ClassVar[dict[str, str]] = {"nps": "comment"}

    def __init__(self, walk: Walk, journey: Journey, draft: FinishDraft | None = None) -> None:
        super().__init__()
        self.walk = walk
        self.journey = journey
        #: Filled in from the form when the walker goes back, for the next visit.
        self.draft = draft if draft is not None else FinishDraft.of(walk)

    def compose(self) -> ComposeResult:
        yield Static(f"QualityLab · {one_line(self.journey.title, 100)}", id="topbar", markup=False)
        with VerticalScroll(id="finish-body"):
            yield Static(self.t("finish.title"), classes="heading", markup=False)
            yield Static("", id="summary", markup=False)
            yield Static(self.t("finish.by_sev"), classes="label", markup=False)
            yield Static("", id="by-severity", markup=False)
            yield Label(self.t("finish.nps"), classes="label")
            with Horizontal(id="nps-line"):
                yield TextField(
                    placeholder=self.t("finish.nps_ph"),
                    id="nps",
                    compact=True,
                    type="integer",
                    max_length=2,
                )
                yield Static(self._nps_row(None), id="nps-row")
            yield Label(self.t("finish.comment"), classes="label")
            yield TextBox(self.draft.comment, id="comment", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="form-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(
                    f"{self.t('finish.done')} (ctrl+s)",
                    id="finish",
                    variant="success",
                    compact=True,
                )
                yield Button(f"{self.t('finish.back')} (esc)", id="back", compact=True)
        yield WalkFooter()

    async def on_mount(self) -> None:
        if self.draft.score:
            self.query_one("#nps", Input).value = self.draft.score
        try:
            summary = await self.qapp.call(services.walk_summary, self.walk.uuid)
        except QualityLabError:
            return
        self._show_summary(summary)

    def _show_summary(self, summary: WalkSummary) -> None:
        self.query_one("#summary", Static).update(
            self.t(
                "finish.summary",
                visited=summary.steps_visited,
                total=summary.steps_total,
                time=format_duration(summary.seconds_total),
                praise=summary.praise_count,
            )
        )
        counts = summary.pain_points_by_severity
        if not any(counts.values()):
            text = self.t("finish.none")
        else:
            text = "\n".join(
                f"  {self.t(f'sev.{int(level)}'):<20} {counts.get(level, 0):>3}  "
                + "■" * min(counts.get(level, 0), 40)
                for level in sorted(Severity, reverse=True)
            )
        self.query_one("#by-severity", Static).update(text)

    def _nps_row(self, chosen: int | None) -> Content:
        parts = []
        for n in range(NPS_MIN, NPS_MAX + 1):
            style = "reverse bold" if chosen == n else "underline"
            parts.append(f"[{style} @click=screen.nps({n})]{n}[/] ")
        return Content.from_markup("".join(parts))

    @on(Input.Changed, "#nps")
    def _nps_typed(self, event: Input.Changed) -> None:
        value = self._nps_value(event.value)
        self.query_one("#nps-row", Static).update(self._nps_row(value))

    @staticmethod
    def _nps_value(raw: str) -> int | None:
        raw = raw.strip()
        if not raw.isdigit():
            return None
        value = int(raw)
        return value if NPS_MIN <= value <= NPS_MAX else None

    def action_nps(self, value: int) -> None:
        self.query_one("#nps", Input).value = str(value)

    @on(Button.Pressed, "#finish")
    def action_finish(self) -> None:
        raw = self.query_one("#nps", Input).value
        nps = self._nps_value(raw)
        if raw.strip() and nps is None:
            self._error(self.t("finish.nps_bad"))
            return
        comment = self.query_one("#comment", TextArea).text
        save_in_order(self, lambda: self._finish(nps, comment))

    async def _finish(self, nps: int | None, comment: str) -> None:
        try:
            await self.qapp.call(services.finish_walk, self.walk.uuid, nps=nps, comment=comment)
        except QualityLabError as err:
            self._error(self.qapp.error_text(err, where="form"))
            return
        self.notify(self.t("finish.thanks"), timeout=4, markup=False)
        self.dismiss(True)

    def _error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(message)
        error.display = bool(message)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.draft.score = self.query_one("#nps", Input).value
        self.draft.comment = self.query_one("#comment", TextArea).text
        self.dismiss(False)
