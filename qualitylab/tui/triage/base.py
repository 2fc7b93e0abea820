"""Screens and dialogs of the triage app: typed access to the app, translated key bindings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from qualitylab.tui.base import translate_bindings, with_layout_aliases

if TYPE_CHECKING:
    from textual import events

    from qualitylab.tui.triage.app import TriageApp

ResultT = TypeVar("ResultT")

__all__ = ["TABLE_KEYS", "TriageModal", "TriageScreen", "with_layout_aliases"]

#: The table's cursor keys as the screen's priority bindings, for a screen whose enter is a
#: priority binding: a priority key is handled at once while a table's own key first travels
#: through the table, so in "down down enter" typed in one burst enter would overtake the downs.
TABLE_KEYS = [
    Binding(key, f"table('{action}')", show=False, priority=True)
    for key, action in (
        ("up", "cursor_up"),
        ("down", "cursor_down"),
        ("pageup", "page_up"),
        ("pagedown", "page_down"),
    )
]


class _Triage:
    """Mixin: the triage app and its translator."""

    @property
    def tapp(self) -> TriageApp:
        from qualitylab.tui.triage.app import TriageApp

        app = self.app  # type: ignore[attr-defined]
        assert isinstance(app, TriageApp)
        return app

    def t(self, key: str, /, **values: object) -> str:
        return self.tapp.tr(key, **values)


class TriageScreen(_Triage, Screen[ResultT]):
    """A screen that shows data it loads on a worker (``fetch``).

    A product owner types ahead: keys pressed while the data is on its way are held by the app
    (``waiting``/``held``) and replayed in order once the screen has drawn, so "down down enter"
    typed at once opens the third problem, not the first.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate_bindings(self, self.tapp.tr)
        #: True from creation (every triage screen loads when first shown) until drawn.
        self.waiting = True
        #: Keys pressed while waiting, in order; the app replays them.
        self.held: list[events.Key] = []
        self._load_seq = 0

    def load(self) -> None:
        """(Re)load the screen's data; keys wait until it is drawn."""
        self._load_seq += 1
        self.waiting = True
        self._load(self._load_seq)

    @work(exclusive=True, group="triage-load")
    async def _load(self, seq: int) -> None:
        try:
            await self.fetch()
        finally:
            # a load cancelled by a newer one leaves the keys to the newer one
            if seq == self._load_seq:
                self.waiting = False
                self.tapp.replay_keys_later(self)

    def action_table(self, action: str) -> None:
        """A cursor key for the screen's table (``TABLE_KEYS``), also from a search field."""
        from textual.widgets import DataTable

        if self.AUTO_FOCUS:
            table = self.query_one(self.AUTO_FOCUS, DataTable)
            getattr(table, f"action_{action}")()

    async def fetch(self) -> None:
        """Get the screen's data from the services and draw it (each screen its own)."""
        raise NotImplementedError


class TriageModal(_Triage, ModalScreen[ResultT]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate_bindings(self, self.tapp.tr)
