"""Screens and dialogs of the triage app: typed access to the app, translated key bindings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import ModalScreen, Screen

from qualitylab.tui.base import translate_bindings, with_layout_aliases

if TYPE_CHECKING:
    from qualitylab.tui.triage.app import TriageApp

ResultT = TypeVar("ResultT")

__all__ = ["TriageModal", "TriageScreen", "with_layout_aliases"]


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
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate_bindings(self, self.tapp.tr)


class TriageModal(_Triage, ModalScreen[ResultT]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate_bindings(self, self.tapp.tr)
