"""A yes/no dialog (frogmouth's pattern): ``ModalScreen[bool]`` dismissed with the answer."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from qualitylab.tui.base import QLModal


class ConfirmDialog(QLModal[bool]):
    """Ask before something that cannot be undone; the message is shown literally."""

    AUTO_FOCUS = "#no"
    # No Russian-layout twins here on purpose: "н" sits on the y key but reads as "нет" (no).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "confirm.yes"),
        Binding("n,escape", "answer(False)", "confirm.no"),
        Binding("left,right", "app.focus_next", show=False),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(self.message, markup=False, classes="confirm-text")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.t('confirm.yes')} (y)", id="yes", variant="error")
                yield Button(f"{self.t('confirm.no')} (n)", id="no", variant="primary")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
