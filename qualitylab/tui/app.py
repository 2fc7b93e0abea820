"""The walk app: one App that owns the lab, the walker and the language; screens do the rest.

Service calls go through :meth:`QualityLabApp.call`, which runs them on a worker thread and *awaits*
them, so the UI keeps drawing while SQLite works and a screen never changes before its save is done.
Expected failures (:class:`~qualitylab.errors.QualityLabError`) become a notification, never a
traceback; the caller decides whether to stay put.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from qualitylab import config
from qualitylab.errors import QualityLabError
from qualitylab.tui.lab_app import DARK, LIGHT, LabApp

if TYPE_CHECKING:
    from qualitylab.domain import Walker

__all__ = ["DARK", "LIGHT", "QualityLabApp", "make_app"]


class QualityLabApp(LabApp):
    """Walk customer journeys and log pain points."""

    CSS_PATH = "app.tcss"
    TITLE = "QualityLab"
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
        super().__init__(db=db, journeys=journeys, lang=lang)
        #: Browser sessions share one server: ask every time and write no profile file.
        self.ask_profile = ask_profile
        self.remember_theme = not ask_profile
        self.walker_override = walker_name.strip() if walker_name else None
        #: Seconds source for step timers; tests freeze it so snapshots are stable.
        self.clock: Callable[[], float] = clock or time.monotonic
        self.profile: config.Profile | None = None
        self.walker: Walker | None = None
        self.sub_title = self.tr("app.sub")

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
