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


#: See QualityLabApp.call: when the walker hears that a save is slow, and how often it is retried.
SAVE_NOTICE_AFTER_S = 5.0
SAVE_RETRY_EVERY_S = 2.0


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
    ) -> None:
        super().__init__()
        #: Browser sessions share one server: ask every time and write no profile file.
        self.ask_profile = ask_profile
        self.db = db
        self.journeys_path = journeys
        self.tr = Translator(config.resolve_lang(lang))
        self.walker_override = walker_name.strip() if walker_name else None
        #: A save taking longer than this tells the walker it is being retried (seconds).
        self.save_notice_after = SAVE_NOTICE_AFTER_S
        #: Pause between attempts while the database does not answer (seconds).
        self.save_retry_every = SAVE_RETRY_EVERY_S
        self._quitting = False
        #: Seconds source for step timers; tests freeze it so snapshots are stable.
        self.clock: Callable[[], float] = clock or time.monotonic
        self.profile: config.Profile | None = None
        self.walker: Walker | None = None
        self._lab: Lab | None = None
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

        Once the lab is open, a database that stops answering never loses an answer and never
        lets the screen move on unsaved: after SAVE_NOTICE_AFTER_S (or at once, on an error) the
        walker reads "could not save, nothing lost, retrying", and the same call is tried again
        every SAVE_RETRY_EVERY_S until it is committed; only then does this return.
        """

        def run() -> T:
            return fn(self.lab(), *args, **kwargs)

        retrying = False
        while True:
            may_retry = self._lab is not None and self._lab.is_open and not self._quitting
            attempt = asyncio.ensure_future(asyncio.to_thread(run))
            try:
                if not retrying and may_retry:
                    await asyncio.wait({attempt}, timeout=self.save_notice_after)
                    if not attempt.done():  # e.g. a frozen server: say so, keep waiting
                        retrying = True
                        self._tell_retrying()
                result = await attempt
            except StorageUnavailable as err:
                if not may_retry:  # a wrong --db or a server never reached: say so at once
                    self.report_error(err)
                    raise
                if not retrying:
                    retrying = True
                    self._tell_retrying()
                await asyncio.sleep(self.save_retry_every)
                continue
            except QualityLabError as err:
                self.report_error(err)
                raise
            if retrying:
                self.clear_notifications()
                self.notify(self.tr("save.resumed"), timeout=4, markup=False)
            return result

    def _tell_retrying(self) -> None:
        self.clear_notifications()  # one message at a time, not a stack of them
        self.notify(
            self.tr("save.retrying"),
            title=self.tr("err.title"),
            severity="warning",
            timeout=600,
            markup=False,
        )

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
        self._quitting = True  # no retrying now: the walker chose to leave
        for screen in reversed(self.screen_stack):  # a dialog may sit on the step screen
            saver = getattr(screen, "save_before_quit", None)
            if saver is not None:
                try:
                    await asyncio.wait_for(saver(), self.save_notice_after)
                except (QualityLabError, TimeoutError):
                    pass  # reported; confirmed answers were saved when confirmed
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
) -> QualityLabApp:
    """The one way the CLI and the tests build the app."""
    return QualityLabApp(
        db=db,
        journeys=journeys,
        lang=lang,
        walker_name=walker_name,
        clock=clock,
        ask_profile=ask_profile,
    )
