"""The praise form: "this was great", kept apart from pain points."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static, TextArea

from qualitylab.domain import Praise
from qualitylab.errors import QualityLabError
from qualitylab.tui.base import QLModal, save_in_order
from qualitylab.tui.screens.confirm import close_asking_first
from qualitylab.tui.widgets.fields import TextBox


class PraiseForm(QLModal[Praise | None]):
    """One text field; saved through ``save`` before the dialog closes."""

    AUTO_FOCUS = "#praise-text"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save"),
        Binding("escape", "cancel", "key.cancel"),
    ]

    def __init__(self, *, step_title: str, save: Callable[[str], Awaitable[Praise]]) -> None:
        super().__init__()
        self.step_title = step_title
        self.save = save
        self._saving = False

    def name_step(self, step_title: str) -> None:
        """The step this praise is for, once known (see ``StepScreen._step_of_new_form``)."""
        self.step_title = step_title
        if self.is_attached:
            title = self.query_one(".dialog-title", Static)
            title.update(self.t("praise.title", step=step_title))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog praise-form"):
            yield Static(
                self.t("praise.title", step=self.step_title), classes="dialog-title", markup=False
            )
            yield Label(self.t("praise.what"))
            yield TextBox("", id="praise-text", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="form-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(f"{self.t('key.save')} (ctrl+s)", id="save", variant="primary")
                yield Button(f"{self.t('key.cancel')} (esc)", id="cancel")

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = self.query_one("#praise-text", TextArea).text
        if not text.strip():
            self._error(self.t("praise.need_text"))
            return
        if self._saving:  # ctrl+s again while the database is slow: saved once
            return
        self._saving = True
        save_in_order(self, lambda: self._save(text))

    async def _save(self, text: str) -> None:
        try:
            saved = await self.save(text)
        except QualityLabError as err:
            self._error(self.qapp.error_text(err, where="form"))  # the text stays in the form
            return
        finally:
            self._saving = False
        self.dismiss(saved)

    def _error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(message)
        error.display = bool(message)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        close_asking_first(self, changed=bool(self.query_one("#praise-text", TextArea).text))
