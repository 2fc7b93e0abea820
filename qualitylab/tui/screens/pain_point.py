"""The pain-point form: a dialog that saves through the service before it closes.

The dialog is handed a ``save`` coroutine instead of returning a draft, so that a refused save (an
attachment too large, the database gone) keeps the form open with everything the walker typed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static, TextArea
from textual.widgets._select import SelectOverlay

from qualitylab.domain import PainPoint
from qualitylab.errors import QualityLabError
from qualitylab.services.attachments import AttachmentLink
from qualitylab.tui.base import QLModal, save_in_order
from qualitylab.tui.screens.confirm import close_asking_first
from qualitylab.tui.widgets.fields import TextBox, TextField


@dataclass(frozen=True)
class PainPointDraft:
    """What the walker entered, before the service has accepted it."""

    text: str
    severity: int
    category: str
    suggested_fix: str = ""
    #: A file on the walker's own computer (terminal), or a link (browser: never a server path).
    attachment: Path | AttachmentLink | None = None


@dataclass(frozen=True)
class Missing:
    """An answer the form still needs: what to tell the walker, and the field to focus."""

    message: str
    field: str


SaveFn = Callable[[PainPointDraft], Awaitable[PainPoint]]


class SeverityPicker(RadioSet):
    """The four severities; besides arrows and space, the digits 1-4 pick one directly.

    The digits are priority bindings, like the app's Tab: a digit then acts when the app reads
    it, so "2" Tab arriving together picks 2 before focus moves on (it was lost, and the save
    then asked for a severity the walker had typed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(level), f"pick({level})", show=False, priority=True) for level in (1, 2, 3, 4)
    ]

    def action_pick(self, level: int) -> None:
        buttons = list(self.query(RadioButton))
        buttons[level - 1].value = True


class PainPointForm(QLModal[PainPoint | None]):
    """New or edit: what happened, how bad, category, suggested fix, optional file."""

    AUTO_FOCUS = "#pain-text"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save"),
        Binding("escape", "cancel", "key.cancel"),
        Binding("f1", "app.help", "key.help", show=False),
    ]

    def __init__(
        self,
        *,
        step_title: str,
        categories: Sequence[str],
        save: SaveFn,
        existing: PainPoint | None = None,
    ) -> None:
        super().__init__()
        self.step_title = step_title
        self.categories = list(categories)
        self.save = save
        self._saving = False
        self.existing = existing

    def name_step(self, step_title: str) -> None:
        """The step this pain point is for, once known (see ``StepScreen._step_of_new_form``)."""
        self.step_title = step_title
        if self.is_attached:
            title = self.query_one(".dialog-title", Static)
            title.update(
                self.t("pain.title_edit" if self.existing else "pain.title_new", step=step_title)
            )

    def on_mount(self) -> None:
        self._opened_with = self._values()
        self.watch(self.query_one("#category", Select), "expanded", self._fit_category_list)
        if self.existing:  # editing usually adds to what was written: start at its end
            text = self.query_one("#pain-text", TextArea)
            text.move_cursor(text.document.end)

    def _fit_category_list(self, expanded: bool) -> None:
        """Keep the open category list inside the form: on a 30-row terminal it drew over the
        form's border and the footer. It gets the rows left below the field (and scrolls)."""
        if not expanded:
            return
        select = self.query_one("#category", Select)
        form = self.query_one(".pain-form", VerticalScroll)
        room = form.region.bottom - 1 - (select.region.y + 1)  # inside the bottom border
        overlay = select.query_one(SelectOverlay)
        overlay.styles.max_height = max(4, room)

    def compose(self) -> ComposeResult:
        e = self.existing
        title_key = "pain.title_edit" if e else "pain.title_new"
        with VerticalScroll(classes="dialog pain-form"):
            yield Static(
                self.t(title_key, step=self.step_title), classes="dialog-title", markup=False
            )
            yield Label(self.t("pain.what"))
            yield TextBox(
                e.text if e else "",
                id="pain-text",
                soft_wrap=True,
                tab_behavior="focus",
                placeholder=self.t("pain.what_ph"),
            )
            yield Label(self.t("pain.severity"))
            with SeverityPicker(id="severity"):
                for level in (1, 2, 3, 4):
                    label = f"{self.t(f'sev.{level}')} — {self.t(f'sev.{level}.help')}"
                    yield RadioButton(label, value=bool(e and int(e.severity) == level))
            with Grid(classes="form-grid"):
                yield Label(self.t("pain.category"))
                options = [(self.qapp.tr.category(c), c) for c in self.categories]
                yield Select(
                    options,
                    prompt=self.t("pain.category_prompt"),
                    id="category",
                    compact=True,
                    value=e.category if e and e.category in self.categories else Select.NULL,
                )
                yield Label(self.t("pain.fix"))
                yield TextField(
                    e.suggested_fix if e else "",
                    placeholder=self.t("pain.fix_ph"),
                    id="fix",
                    compact=True,
                )
                served = self.qapp.served is not None
                yield Label(self.t("pain.link" if served else "pain.attach"))
                kept = e.attachment_name if e else None
                empty = self.t("pain.link_ph" if served else "pain.attach_ph")
                yield TextField(
                    placeholder=self.t("pain.attach_kept", name=kept) if kept else empty,
                    id="attachment",
                    compact=True,
                    disabled=e is not None,  # the service attaches files to new pain points
                )
            if served:
                yield Static(self.t("pain.link_note"), id="link-note", classes="muted")
            yield Static("", id="form-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(
                    f"{self.t('key.save')} (ctrl+s)", id="save", variant="primary", compact=True
                )
                yield Button(f"{self.t('key.cancel')} (esc)", id="cancel", compact=True)

    # ------------------------------------------------------------------ reading the form

    def draft(self) -> PainPointDraft | Missing:
        """The entered values, or the first answer still missing."""
        text = self.query_one("#pain-text", TextArea).text
        if not text.strip():
            return Missing("pain.need_text", "#pain-text")
        pressed = self.query_one("#severity", RadioSet).pressed_index
        if pressed < 0:
            return Missing("pain.need_severity", "#severity")
        category = self.query_one("#category", Select).value
        if not isinstance(category, str):
            return Missing("pain.need_category", "#category")
        raw = self.query_one("#attachment", Input).value.strip()
        attachment: Path | AttachmentLink | None = None
        if raw and self.qapp.served is not None:
            attachment = AttachmentLink(raw)  # the service checks it is an http(s) link
        elif raw:
            attachment = Path(raw).expanduser()  # the service reads it under its rules
        return PainPointDraft(
            text=text,
            severity=pressed + 1,
            category=category,
            suggested_fix=self.query_one("#fix", Input).value.strip(),
            attachment=attachment,
        )

    def _values(self) -> tuple[object, ...]:
        """What the walker can change in the form, to tell whether they changed anything."""
        return (
            self.query_one("#pain-text", TextArea).text,
            self.query_one("#severity", RadioSet).pressed_index,
            self.query_one("#category", Select).value,
            self.query_one("#fix", Input).value,
            self.query_one("#attachment", Input).value,
        )

    def show_error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(message)
        error.display = bool(message)

    # ------------------------------------------------------------------ actions

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        draft = self.draft()
        if isinstance(draft, Missing):
            self.show_error(self.t(draft.message))
            # the next key answers it (a "3" typed into the description otherwise)
            self.query_one(draft.field).focus()
            return
        if self._saving:  # ctrl+s again while the database is slow: one pain point, not two
            return
        self._saving = True
        save_in_order(self, lambda: self._save(draft))

    async def _save(self, draft: PainPointDraft) -> None:
        try:
            saved = await self.save(draft)
        except QualityLabError as err:
            # the form keeps everything typed
            self.show_error(self.qapp.error_text(err, where="form"))
            return
        finally:
            self._saving = False
        self.dismiss(saved)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Escape is the key a newcomer presses to get out of anything: a form holding what
        they typed asks before it is thrown away."""
        close_asking_first(self, changed=self._values() != self._opened_with)
