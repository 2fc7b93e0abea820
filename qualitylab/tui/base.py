"""Shared plumbing for screens: translated key bindings and a typed handle on the app."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.actions import SkipAction
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from qualitylab.tui.i18n import Translator

if TYPE_CHECKING:
    from qualitylab.tui.app import QualityLabApp
    from qualitylab.tui.lab_app import LabApp

ResultT = TypeVar("ResultT")


# The same physical keys on a Russian (ЙЦУКЕН) layout: a walker who just typed a note in Russian
# can press "p" without switching the keyboard back.
_RU_LAYOUT = dict(zip("qwertyuiopasdfghjklzxcvbnm", "йцукенгшщзфывапролдячсмить", strict=True))


def with_layout_aliases(bindings: list[BindingType]) -> list[BindingType]:
    """``bindings`` plus hidden twins for single-letter keys on the Russian layout."""
    out = list(bindings)
    for binding in bindings:
        if not isinstance(binding, Binding):
            continue
        for key in binding.key.split(","):
            twin = _RU_LAYOUT.get(key.strip())
            if twin:
                out.append(Binding(twin, binding.action, show=False, priority=binding.priority))
    return out


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


def relabel_binding(node: DOMNode, key: str, description: str) -> None:
    """Show ``key`` on ``node``'s footer as ``description`` (already in the user's language): for
    a screen that serves two purposes, e.g. an intro whose Enter starts or resumes a walk."""
    bindings = node._bindings.key_to_bindings
    bindings[key] = [dataclasses.replace(b, description=description) for b in bindings[key]]


def _lab_app(node: DOMNode) -> LabApp:
    """The running app as a ``LabApp``: dialogs that only need words (confirm) serve every app."""
    from qualitylab.tui.lab_app import LabApp

    app = node.app
    assert isinstance(app, LabApp)
    return app


def save_in_order(screen: Screen[Any], save: Callable[[], Awaitable[None]]) -> Worker[None]:
    """Run ``save`` (a save and what follows it) in a worker, one at a time in the order asked.

    Why a worker: an awaited action holds the screen's message loop, so nothing on it redraws;
    while the database does not answer the walker must still see the app's "could not save,
    nothing lost, retrying" notice. Why in order: "d" then "→" must save the outcome before the
    step is left. Whatever ``save`` does after its service call (the next step, closing a form)
    happens only once the call is committed (``QualityLabApp.call``).
    """
    lock: asyncio.Lock | None = getattr(screen, "_qualitylab_save_lock", None)
    if lock is None:
        lock = asyncio.Lock()
        screen._qualitylab_save_lock = lock  # type: ignore[attr-defined]

    async def in_order() -> None:
        async with lock:
            await save()

    return screen.run_worker(in_order(), group="saves")


#: Put in a screen's BINDINGS with ``ENTER_MOVES`` (see ``QLScreen.action_enter_moves_focus``).
ENTER_MOVES_FOCUS = Binding("enter", "enter_moves_focus", show=False, priority=True)


class QLScreen(Screen[ResultT]):
    """A screen that knows the QualityLab app and speaks the walker's language."""

    #: Fields where Enter goes on to the next field: field id -> next field id.
    ENTER_MOVES: ClassVar[dict[str, str]] = {}

    def action_enter_moves_focus(self) -> None:
        """Enter in a field of ``ENTER_MOVES``: focus its next field, as the app reads the key.

        Moving focus when the field reports Enter (``Input.Submitted``) was too late: keys typed
        right after it ("Anna" Enter "Shop" in one burst, or a paste) were already queued for
        the field, and the name became "AnnaShop" — the race the app's Tab binding fixed for
        Tab. A priority binding runs before the app hands the next key to anyone, and
        ``set_focus`` moves focus at once (``Widget.focus`` would wait its turn behind those
        keys). Elsewhere Enter does what the focused widget makes of it (``SkipAction``).
        """
        focused = self.focused
        target = self.ENTER_MOVES.get(focused.id or "") if focused is not None else None
        if target is None:
            raise SkipAction()
        self.set_focus(self.query_one(f"#{target}"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate_bindings(self, _lab_app(self).tr)

    @property
    def qapp(self) -> QualityLabApp:
        from qualitylab.tui.app import QualityLabApp

        app = self.app
        assert isinstance(app, QualityLabApp)
        return app

    def t(self, key: str, /, **values: object) -> str:
        return _lab_app(self).tr(key, **values)


class QLModal(ModalScreen[ResultT]):
    """A dialog that knows the QualityLab app and speaks the walker's language."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate_bindings(self, _lab_app(self).tr)

    @property
    def qapp(self) -> QualityLabApp:
        from qualitylab.tui.app import QualityLabApp

        app = self.app
        assert isinstance(app, QualityLabApp)
        return app

    def t(self, key: str, /, **values: object) -> str:
        return _lab_app(self).tr(key, **values)
