"""The walk app: one App that owns the lab, the walker and the language; screens do the rest.

Service calls go through :meth:`QualityLabApp.call`, which runs them on a worker thread and *awaits*
them, so the UI keeps drawing while SQLite works and a screen never changes before its save is done.
Expected failures (:class:`~qualitylab.errors.QualityLabError`) become a notification, never a
traceback; the caller decides whether to stay put.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import App
from textual.binding import Binding, BindingType

from qualitylab import config
from qualitylab.errors import CatalogError, QualityLabError, StorageUnavailable
from qualitylab.tui.base import translate_bindings
from qualitylab.tui.i18n import Translator

if TYPE_CHECKING:
    from textual.notifications import Notify

    from qualitylab.domain import Walker
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


class QualityLabApp(App[None]):
    """Walk customer journeys and log pain points."""

    CSS_PATH = "app.tcss"
    TITLE = "QualityLab"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "key.quit", priority=True),
        Binding("question_mark", "help", "key.help", key_display="?"),
        Binding("f1", "help", "key.help", show=False),
        Binding("ctrl+t", "toggle_theme", "key.theme", show=False),
        # Priority, so focus moves when the app reads the key, not after the focused field has
        # handled it: by then the keys typed after Tab ("Anna" Tab "Shop" in one burst, or a
        # paste) were already queued for the old field and the name became "AnnaShop".
        Binding("tab", "focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", show=False, priority=True),
    ]

    def __init__(
        self,
        *,
        db: str | None = None,
        journeys: Path | None = None,
        lang: str | None = None,
        walker_name: str | None = None,
        clock: Callable[[], float] | None = None,
        ask_profile: bool = False,
        lab: Lab | None = None,
    ) -> None:
        super().__init__()
        #: Browser sessions share one server: ask every time and write no profile file.
        self.ask_profile = ask_profile
        self.db = db
        self.journeys_path = journeys
        self.tr = Translator(config.resolve_lang(lang))
        self.walker_override = walker_name.strip() if walker_name else None
        #: Seconds source for step timers; tests freeze it so snapshots are stable.
        self.clock: Callable[[], float] = clock or time.monotonic
        self.profile: config.Profile | None = None
        self.walker: Walker | None = None
        #: Opened on first use, unless the command line already opened it (a database server).
        self._lab: Lab | None = lab
        self.theme = _default_theme()
        self.sub_title = self.tr("app.sub")
        translate_bindings(self, self.tr)

    # ------------------------------------------------------------------ lab & services

    def lab(self) -> Lab:
        """The opened lab; imported and opened on first use (off the start-up path)."""
        if self._lab is None:
            from qualitylab.services import Lab

            self._lab = Lab.open(
                db=self.db, journeys=str(self.journeys_path) if self.journeys_path else None
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
        """One clear message in the app; the traceback never reaches the walker."""
        if isinstance(err, StorageUnavailable):
            message = self.tr("err.storage", detail=str(err))
        elif isinstance(err, CatalogError):
            message = self.tr("err.catalog", detail="\n".join(err.problems[:8]))
        elif isinstance(err, QualityLabError):
            message = self.tr("err.generic", detail=str(err))
        else:
            message = self.tr("err.unexpected", detail=f"{type(err).__name__}: {err}")
        self.notify(message, title=self.tr("err.title"), severity="error", timeout=12, markup=False)

    def _on_notify(self, event: Notify) -> None:
        """One toast per message: pressing → five times without an outcome showed five identical
        warnings over half of an 80x24 screen. The same message again replaces the one shown
        (so it stays for its full time after the last press) instead of stacking."""
        new = event.notification
        for old in list(self._notifications):
            if (old.message, old.title, old.severity) == (new.message, new.title, new.severity):
                self._unnotify(old, refresh=False)
        super()._on_notify(event)

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        from qualitylab.tui.screens.home import HomeScreen

        if self.ask_profile and not self.walker_override:
            self.profile = None
        elif self.walker_override:
            saved = config.load_profile()
            department = saved.department if saved and saved.name == self.walker_override else ""
            self.profile = config.Profile(name=self.walker_override, department=department)
        else:
            self.profile = config.load_profile()
        if self.profile is not None:
            self.push_screen(HomeScreen())
        else:
            from qualitylab.tui.screens.profile import ProfileScreen

            self.push_screen(
                ProfileScreen(remember=not self.ask_profile), callback=self._profile_chosen
            )

    def _profile_chosen(self, profile: config.Profile | None) -> None:
        from qualitylab.tui.screens.home import HomeScreen

        if profile is None:
            self.exit()
            return
        self.profile = profile
        self.walker = None
        self.push_screen(HomeScreen())

    # ------------------------------------------------------------------ app-wide actions

    async def action_quit(self) -> None:
        """Save what the current screen holds (the step timer) and leave; resume picks it up."""
        for screen in reversed(self.screen_stack):  # a dialog may sit on the step screen
            saver = getattr(screen, "save_before_quit", None)
            if saver is not None:
                try:
                    await saver()
                except QualityLabError:
                    pass  # already reported; confirmed answers were saved when confirmed
                break
        self.exit()

    def action_help(self) -> None:
        from qualitylab.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK
        if self.ask_profile:
            return  # a browser session must not change the default of everyone else's
        prefs = _load_ui_prefs()
        prefs["theme"] = self.theme
        _save_ui_prefs(prefs)

    def on_unmount(self) -> None:
        if self._lab is not None:
            self._lab.close()


def make_app(
    *,
    db: str | None,
    journeys: Path | None,
    lang: str | None,
    walker_name: str | None,
    clock: Callable[[], float] | None = None,
    ask_profile: bool = False,
    lab: Lab | None = None,
) -> QualityLabApp:
    """The one way the CLI and the tests build the app."""
    return QualityLabApp(
        db=db,
        journeys=journeys,
        lang=lang,
        walker_name=walker_name,
        clock=clock,
        ask_profile=ask_profile,
        lab=lab,
    )
