"""Shared plumbing for screens: translated key bindings and a typed handle on the app."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, TypeVar

from textual.binding import BindingsMap
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from qualitylab.tui.i18n import Translator

if TYPE_CHECKING:
    from qualitylab.tui.app import QualityLabApp

ResultT = TypeVar("ResultT")


def translate_bindings(node: DOMNode, tr: Translator) -> None:
    """Replace i18n keys used as binding descriptions with the walker's language.

    ``BINDINGS`` are class-level and written once; each instance gets its own copy of the map, so
    translating that copy keeps the footer and the help in the language chosen at start-up.
    """
    bindings: BindingsMap = node._bindings
    for key, entries in list(bindings.key_to_bindings.items()):
        bindings.key_to_bindings[key] = [
            dataclasses.replace(b, description=tr(b.description)) if tr.has(b.description) else b
            for b in entries
        ]


class QLScreen(Screen[ResultT]):
    """A screen that knows the QualityLab app and speaks the walker's language."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate_bindings(self, self.qapp.tr)

    @property
    def qapp(self) -> QualityLabApp:
        from qualitylab.tui.app import QualityLabApp

        app = self.app
        assert isinstance(app, QualityLabApp)
        return app

    def t(self, key: str, /, **values: object) -> str:
        return self.qapp.tr(key, **values)


class QLModal(ModalScreen[ResultT]):
    """A dialog that knows the QualityLab app and speaks the walker's language."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate_bindings(self, self.qapp.tr)

    @property
    def qapp(self) -> QualityLabApp:
        from qualitylab.tui.app import QualityLabApp

        app = self.app
        assert isinstance(app, QualityLabApp)
        return app

    def t(self, key: str, /, **values: object) -> str:
        return self.qapp.tr(key, **values)
