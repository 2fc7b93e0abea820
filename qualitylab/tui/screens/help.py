"""The `?` screen: every key, in the walker's language."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from qualitylab.tui.base import QLModal, with_layout_aliases


class HelpScreen(QLModal[None]):
    """Lists the keys; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = with_layout_aliases(
        [Binding("escape,q,question_mark,f1", "close", "key.close")]
    )

    def __init__(self, body: str = "help.body") -> None:
        """``body``: the i18n key of the key list (the triage app has its own)."""
        super().__init__()
        self.body = body

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(self.t("help.title"), classes="dialog-title", markup=False)
            yield Static(self.t(self.body), markup=False)

    def action_close(self) -> None:
        self.dismiss()
