"""What every QualityLab app shares: the lab (opened on first use), service calls on a thread,
errors as one notification, the user's language and the light/dark theme.

The walk app (``tui.app``) and the product owner's triage app (``tui.triage``) are both a
``LabApp``; each adds its own screens and words.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App

from qualitylab import config
from qualitylab.errors import CatalogError, QualityLabError, StorageUnavailable
from qualitylab.tui.base import translate_bindings
from qualitylab.tui.i18n import STRINGS, Translator

if TYPE_CHECKING:
    from qualitylab.services import Lab

T = TypeVar("T")

DARK, LIGHT = "textual-dark", "textual-light"


def _default_theme() -> str:
    """Dark unless the terminal says its background is light (``COLORFGBG`` like ``0;15``)."""
    remembered = _load_ui_prefs().get("theme")
    if remembered in (DARK, LIGHT):
        return str(remembered)
    fgbg = os.environ.get("COLORFGBG", "")
    background = fgbg.rsplit(";", 1)[-1]
    if background.isdigit() and int(background) in (7, 15):
        return LIGHT
    return DARK


def _prefs_path() -> Path:
    return config.config_dir() / "tui.json"


def _load_ui_prefs() -> dict[str, object]:
    try:
        data = json.loads(_prefs_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_ui_prefs(prefs: dict[str, object]) -> None:
    try:
        path = _prefs_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(prefs), encoding="utf-8")
    except OSError:
        pass  # a theme preference is not worth an error message


class LabApp(App[None]):
    """An app over one lab, in one language."""

    ENABLE_COMMAND_PALETTE = False
    #: A browser session must not change everyone else's default theme.
    remember_theme = True
    #: May the first use create a new SQLite lab? Only apps that put data in (walk) may.
    create_db = True

    def __init__(
        self,
        *,
        db: str | None,
        journeys: Path | None,
        lang: str | None,
        strings: Mapping[str, tuple[str, str]] = STRINGS,
    ) -> None:
        super().__init__()
        self.db = db
        self.journeys_path = journeys
        self.tr = Translator(config.resolve_lang(lang), strings)
        self._lab: Lab | None = None
        self.theme = _default_theme()
        translate_bindings(self, self.tr)

    def lab(self) -> Lab:
        """The opened lab; imported and opened on first use (off the start-up path)."""
        if self._lab is None:
            from qualitylab.services import Lab

            self._lab = Lab.open(
                db=self.db,
                journeys=str(self.journeys_path) if self.journeys_path else None,
                create=self.create_db,
            )
        return self._lab

    async def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run ``fn(lab, *args, **kwargs)`` on a thread and wait for it; report expected errors.

        Re-raises the :class:`QualityLabError` after showing it, so callers can stay on screen.
        """

        def run() -> T:
            return fn(self.lab(), *args, **kwargs)

        try:
            return await asyncio.to_thread(run)
        except QualityLabError as err:
            self.report_error(err)
            raise

    def report_error(self, err: BaseException) -> None:
        """One clear message in the app; the traceback never reaches the user."""
        if isinstance(err, StorageUnavailable):
            message = self.tr("err.storage", detail=str(err))
        elif isinstance(err, CatalogError):
            message = self.tr("err.catalog", detail="\n".join(err.problems[:8]))
        elif isinstance(err, QualityLabError):
            message = self.tr("err.generic", detail=str(err))
        else:
            message = self.tr("err.unexpected", detail=f"{type(err).__name__}: {err}")
        self.notify(message, title=self.tr("err.title"), severity="error", timeout=12, markup=False)

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK
        if not self.remember_theme:
            return
        prefs = _load_ui_prefs()
        prefs["theme"] = self.theme
        _save_ui_prefs(prefs)

    def on_unmount(self) -> None:
        if self._lab is not None:
            self._lab.close()
