"""The walk app: one App that owns the lab, the walker and the language; screens do the rest.

Service calls go through :meth:`QualityLabApp.call`, which runs them on a worker thread and *awaits*
them, so the UI keeps drawing while SQLite works and a screen never changes before its save is done.
Expected failures (:class:`~qualitylab.errors.QualityLabError`) become a notification, never a
traceback; the caller decides whether to stay put.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.binding import Binding, BindingType

from qualitylab import config
from qualitylab.errors import QualityLabError, ReadOnlyLab, StorageUnavailable
from qualitylab.tui.lab_app import DARK, LIGHT, LabApp

if TYPE_CHECKING:
    from qualitylab.domain import Walker
    from qualitylab.services import Lab
    from qualitylab.tui.screens.database_down import DatabaseDownScreen

__all__ = ["DARK", "LIGHT", "QualityLabApp", "ServedSession", "make_app"]

T = TypeVar("T")

#: How often a browser tab opened during a database outage tries again (seconds).
DATABASE_RETRY_EVERY_S = 5.0


@dataclass(frozen=True)
class ServedSession:
    """What ``qualitylab serve`` tells a browser tab's app process (through its environment).

    ``secret`` identifies the browser's walker (its SHA-256 is in the lab); ``resume_url`` is the
    walker's personal link, to come back from another device. ``link_kept``: the server's access
    key is fixed, so that link still works after the server restarts (otherwise it does not, and
    the walker is told so).
    """

    secret: str
    resume_url: str = ""
    link_kept: bool = False


class QualityLabApp(LabApp):
    """Walk customer journeys and log pain points."""

    CSS_PATH = "app.tcss"
    TITLE = "QualityLab"
    #: Below this many columns (a browser tab on a phone: ~40) every screen has the class
    #: ``-narrow`` (``widgets.footer.NARROW``): buttons stack and the footer leads with help.
    NARROW_BELOW = 60
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (NARROW_BELOW, "-wide"),
    ]
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
        served: ServedSession | None = None,
        lab: Lab | None = None,
    ) -> None:
        super().__init__(db=db, journeys=journeys, lang=lang)
        #: A browser tab of ``serve``: the walker is the holder of ``served.secret`` (never a
        #: typed name), and nothing is written to the server's profile or preference files.
        self.served = served
        self.remember_theme = served is None
        self.error_details = served is None
        #: ``serve`` created and migrated the lab before any tab: a tab that finds its SQLite
        #: file gone (moved, deleted, a disk swapped) says the database cannot be reached and
        #: waits, instead of making a new empty lab there for walkers to save into.
        self.create_db = served is None
        self.walker_override = walker_name.strip() if walker_name else None
        #: Seconds between tries while a browser tab cannot reach the lab's database.
        self.database_retry_every = DATABASE_RETRY_EVERY_S
        #: Seconds source for step timers; tests freeze it so snapshots are stable.
        self.clock: Callable[[], float] = clock or time.monotonic
        self.profile: config.Profile | None = None
        self.walker: Walker | None = None
        #: Opened on first use, unless the command line already opened it (a database server).
        if lab is not None:
            self._lab = lab
        self.sub_title = self.tr("app.sub")

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
            walker = await self.until_the_database_answers(services.served_walker, served.secret)
        except QualityLabError:
            return  # reported; the walker can only quit
        if walker is None:
            self.push_screen(ProfileScreen(served=served), callback=self._profile_chosen)
            return
        self.profile = config.Profile(walker.name, walker.department, walker.anonymous)
        self.walker = walker
        self.push_screen(HomeScreen())

    async def until_the_database_answers(
        self, fn: Callable[..., T], /, *args: Any, **kwargs: Any
    ) -> T:
        """``fn(lab, ...)`` as soon as the lab's database answers: until then the app shows
        :class:`DatabaseDownScreen` and tries again every ``database_retry_every`` seconds, and
        the screen goes away by itself when a try succeeds. For what needs the database before
        a walk is open (a tab's start, home's list, opening or starting a walk): nothing the
        walker typed is in hand, so the whole screen can say so and wait. (A save during a walk
        keeps its form and retries in place: ``call``.)

        A server's log gets one line when an outage begins. Other errors are reported and
        re-raised, as by ``call``; so is a database that answered "no" (``waits_out``). Once the
        lab was reached, a call the database holds (a frozen server) brings the screen up after
        ``save_notice_after`` seconds and goes on when it returns (opening may take longer).
        """
        down: DatabaseDownScreen | None = None

        def run() -> T:
            return fn(self.lab(), *args, **kwargs)

        while True:
            reached = self._lab is not None and self._lab.is_open  # not opening: it is slow
            attempt = asyncio.ensure_future(asyncio.to_thread(run))
            try:
                if down is None and reached:
                    await asyncio.wait({attempt}, timeout=self.save_notice_after)
                    if not attempt.done():  # a server that holds the call (frozen): say so
                        down = await self._database_down(
                            f"no answer within {self.save_notice_after:g} s"
                        )
                result = await attempt
            except StorageUnavailable as err:
                if not self.waits_out(err):
                    self.report_error(err, where="opening")
                    raise
                first = (str(err).splitlines() or [type(err).__name__])[0]
                if down is None or down not in self.screen_stack:
                    down = await self._database_down(first)
                down.failed(self.tr("err.detail", detail=first) if self.error_details else "")
                await down.wait()
                continue
            except QualityLabError as err:
                self.report_error(err, where="opening")
                raise
            if down is not None:
                # ``dismiss`` pops the top screen, whatever it is: with the help open over this
                # one, it closed the help and left "cannot be reached" under the journeys
                while down in self.screen_stack:
                    await self.pop_screen()
            return result

    def waits_out(self, err: StorageUnavailable) -> bool:
        """Is ``err`` an outage to wait out on the outage screen? Not once the lab was reached
        and the database answered "no" (read-only, damaged): waiting will not change that. Nor
        is a lab this user may not write, even before it opened (it must be upgraded first)."""
        if isinstance(err, ReadOnlyLab):
            return False
        return not (err.lasting and self._lab is not None and self._lab.is_open)

    async def _database_down(self, detail: str) -> DatabaseDownScreen:
        """The outage screen on top: the one already shown (a home list and a key press may
        both find the database down), or a new one, with one line in the server's log."""
        from qualitylab.tui.screens.database_down import DatabaseDownScreen

        for screen in self.screen_stack:
            if isinstance(screen, DatabaseDownScreen):
                return screen
        every = self.database_retry_every
        self.tell_server(
            f"a browser tab cannot reach the lab's database ({detail}); "
            f"it says so and tries again every {every:g} s"
        )
        down = DatabaseDownScreen(every)
        await self.push_screen(down)
        return down

    def tell_server(self, line: str) -> None:
        """One line for the log of ``qualitylab serve`` (a meta message it writes at once);
        nothing in a terminal. No secrets: database URLs in errors have their password masked."""
        write_meta = getattr(self._driver, "write_meta", None)
        if self.served is not None and self.is_web and write_meta is not None:
            write_meta({"type": config.SERVER_LOG_META, "message": line})

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


def make_app(
    *,
    db: str | None,
    journeys: Path | None,
    lang: str | None,
    walker_name: str | None,
    clock: Callable[[], float] | None = None,
    served: ServedSession | None = None,
    lab: Lab | None = None,
) -> QualityLabApp:
    """The one way the CLI and the tests build the app."""
    return QualityLabApp(
        db=db,
        journeys=journeys,
        lang=lang,
        walker_name=walker_name,
        clock=clock,
        served=served,
        lab=lab,
    )
