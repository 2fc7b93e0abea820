"""A yes/no dialog (frogmouth's pattern): ``ModalScreen[bool]`` dismissed with the answer."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from qualitylab.tui.base import QLModal

T = TypeVar("T")


class ConfirmDialog(QLModal[bool]):
    """Ask before something that cannot be undone; the message is shown literally."""

    AUTO_FOCUS = "#no"
    # The answers' own letters in each language, not the Russian-layout twins of y and n: "н"
    # sits on the y key but reads as "нет" (no), so it answers no, and "да" is "д". A walker
    # who guesses on the wrong layout can only say no: "д" is on l, which answers nothing.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,д", "answer(True)", "confirm.yes"),
        Binding("n,н,escape", "answer(False)", "confirm.no"),
        Binding("left,right", "app.focus_next", show=False),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(self.message, markup=False, classes="confirm-text")
            with Horizontal(classes="buttons"):
                yield Button(self.t("confirm.yes_key"), id="yes", variant="error")
                yield Button(self.t("confirm.no_key"), id="no", variant="primary")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def close_asking_first(form: QLModal[T], *, changed: bool) -> None:
    """Dismiss ``form`` with None (cancelled), after a yes/no question when ``changed``: its
    focused answer is "no", so Enter keeps the words."""
    if not changed:
        form.dismiss(None)
        return

    def answered(discard: bool | None) -> None:
        if discard:
            form.dismiss(None)

    form.app.push_screen(ConfirmDialog(form.t("form.confirm_discard")), answered)
