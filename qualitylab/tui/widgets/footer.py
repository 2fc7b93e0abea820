"""The walk app's footer: at a phone's width the help key comes first, so it is never cut off."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: The screen's class below ``QualityLabApp.NARROW_BELOW`` columns (a browser tab on a phone).
NARROW = "-narrow"


def is_help(widget: Widget) -> bool:
    return isinstance(widget, FooterKey) and widget.action.rpartition(".")[2] == "help"


class WalkFooter(Footer):
    """A compact footer. On a narrow screen (``NARROW``) its keys do not fit in one line: the help
    key, which lists all the others, moves to the front; the rest follow in their usual order.
    A screen whose fields take "?" (a form) shows no help key in a wide footer; a narrow one
    shows F1 then (the app's F1 opens the help everywhere)."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._narrow_drawn = False

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        self._narrow_drawn = self.screen.has_class(NARROW)
        if self._narrow_drawn:
            keys.sort(key=lambda key: not is_help(key))  # stable: the rest keep their order
            if not keys or not is_help(keys[0]):
                keys.insert(0, self._f1_help())
        yield from keys

    def _f1_help(self) -> FooterKey:
        from qualitylab.tui.lab_app import LabApp

        app = self.app
        assert isinstance(app, LabApp)
        f1 = Binding("f1", "app.help")
        description = app.tr("key.help")
        key = FooterKey("f1", self.app.get_key_display(f1), description, f1.action)
        return key.data_bind(compact=Footer.compact)

    def on_resize(self, event: events.Resize) -> None:
        if self.screen.has_class(NARROW) != self._narrow_drawn:
            self.call_after_refresh(self.recompose)
