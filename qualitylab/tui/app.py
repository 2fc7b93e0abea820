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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ServedSession:
    """What ``qualitylab serve`` tells a browser tab's app process (through its environment).

    ``secret`` identifies the browser's walker (its SHA-256 is in the lab); ``resume_url`` is the
    walker's personal link, to come back from another device.
    """

    secret: str
    resume_url: str = ""


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
        served: ServedSession | None = None,
    ) -> None:
        super().__init__()
        #: A browser tab of ``serve``: the walker is the holder of ``served.secret`` (never a
        #: typed name), and nothing is written to the server's profile or preference files.
        self.served = served
        self.db = db
        self.journeys_path = journeys
        self.tr = Translator(config.resolve_lang(lang))
        self.walker_override = walker_name.strip() if walker_name else None
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

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        from qualitylab.tui.screens.home import HomeScreen

        if self.served is not None:
            self.run_worker(self._identify_browser_walker(self.served), exclusive=True)
            return
        if self.walker_override:
            saved = config.load_profile()
            department = saved.department if saved and saved.name == self.walker_override else ""
            self.profile = config.Profile(name=self.walker_override, department=department)
        else:
            self.profile = config.load_profile()
        if self.profile is not None:
            self.push_screen(HomeScreen())
        else:
            from qualitylab.tui.screens.profile import ProfileScreen

            self.push_screen(ProfileScreen(remember=True), callback=self._profile_chosen)

    async def _identify_browser_walker(self, served: ServedSession) -> None:
        """A returning browser opens on its own walks; a new one is asked for a display name."""
        from qualitylab import services
        from qualitylab.tui.screens.home import HomeScreen
        from qualitylab.tui.screens.profile import ProfileScreen

        try:
            walker = await self.call(services.served_walker, served.secret)
        except QualityLabError:
            return  # reported; the walker can only quit
        if walker is None:
            self.push_screen(ProfileScreen(served=served), callback=self._profile_chosen)
            return
        self.profile = config.Profile(walker.name, walker.department, walker.anonymous)
        self.walker = walker
        self.push_screen(HomeScreen())

    async def register_served(self, profile: config.Profile) -> Walker:
        """Bind the profile typed in a browser to that browser's walker (new or renamed)."""
        from qualitylab import services

        assert self.served is not None
        walker = await self.call(
            services.save_served_walker,
            self.served.secret,
            name=profile.name,
            department=profile.department,
            anonymous=profile.anonymous,
        )
        self.walker = walker
        self.profile = config.Profile(walker.name, walker.department, walker.anonymous)
        return walker

    def _profile_chosen(self, profile: config.Profile | None) -> None:
        from qualitylab.tui.screens.home import HomeScreen

        if profile is None:
            self.exit()
            return
        self.profile = profile
        if self.served is None:
            self.walker = None  # the terminal's walker is looked up by name
        self.push_screen(HomeScreen())

    def on_app_focus(self) -> None:
        """In a browser the app starts blurred, and Textual then skips a screen's auto-focus:
        the first screen would take no keys until clicked. Apply it when the page gets focus."""
        screen = self.screen
        if self.served is None or screen.focused is not None:
            return
        for widget in screen.query(screen.AUTO_FOCUS or self.AUTO_FOCUS or "*"):
            if widget.focusable:
                widget.focus()
                break

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
        if self.served is not None:
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
    served: ServedSession | None = None,
) -> QualityLabApp:
    """The one way the CLI and the tests build the app."""
    return QualityLabApp(
        db=db,
        journeys=journeys,
        lang=lang,
        walker_name=walker_name,
        clock=clock,
        served=served,
    )
