"""The product owner's app: journeys, the fix list, one problem and the one-offs of one lab.

Three modes (keys 1 2 3), each with its own screen stack, share one scope (journey, release) and
one cached fix list: it is built once per scope on a worker thread and built again after every
decision or correction (``changed``), so every screen shows the list as it now ranks.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.binding import Binding, BindingType
from textual.events import DeliveryComplete, DeliveryFailed
from textual.screen import ModalScreen

from qualitylab.errors import QualityLabError
from qualitylab.tui.lab_app import LabApp, change_id
from qualitylab.tui.triage.strings import TRIAGE_STRINGS

if TYPE_CHECKING:
    from qualitylab.services.triage import TriageList
    from qualitylab.tui.triage.base import TriageScreen

#: Keys never held for a loading screen: leaving must not wait for the data.
_NEVER_HELD = frozenset({"ctrl+q", "ctrl+c"})


@dataclass
class Scope:
    """What the fix list and the one-offs show: a journey and a release (empty = all), and the
    filters applied on top without rebuilding the list."""

    journey: str = ""
    release: str = ""
    status: str = ""  # "" any, "actionable" (open or planned), or a FixStatus value
    blockers_only: bool = False
    search: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.journey, self.release)


class TriageApp(LabApp):
    """Read the lab as a product owner: decide, correct the clustering, export."""

    create_db = False  # a mistyped --db must not become an empty lab
    CSS_PATH: ClassVar[list[str | PurePath]] = ["../app.tcss", "triage.tcss"]
    TITLE = "QualityLab triage"
    BINDINGS: ClassVar[list[BindingType]] = [
        # ctrl+q is in the help (?): the footer needs its room at 80 columns in Russian
        Binding("ctrl+q", "quit", "key.quit", priority=True, show=False),
        Binding("1", "switch('journeys')", "tk.journeys"),
        Binding("2", "switch('fixes')", "tk.fixes"),
        Binding("3", "switch('oneoffs')", "tk.oneoffs"),
        Binding("e", "export", "tk.export"),
        Binding("u", "undo", "tk.undo", show=False),
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
        served: bool = False,
    ) -> None:
        super().__init__(db=db, journeys=journeys, lang=lang, strings=TRIAGE_STRINGS)
        #: Served to a browser: exports go to the browser as downloads, nothing is remembered.
        self.served = served
        self.remember_theme = not served
        self.error_details = not served  # a browser tab never shows the server's paths
        self.scope = Scope()
        self.title = self.tr("tri.title")
        self.sub_title = self.tr("tri.sub")
        self._generation = 0
        self._cache: dict[tuple[str, str], tuple[int, TriageList]] = {}
        self._lock = asyncio.Lock()

    # ------------------------------------------------------------------ the shared list
    @property
    def generation(self) -> int:
        """Grows with every change this app made; screens reload when theirs is older."""
        return self._generation

    def changed(self) -> None:
        self._generation += 1

    async def fix_list(self) -> TriageList:
        """The scope's fix list and one-offs (built on a thread; cached until ``changed``)."""
        from qualitylab.services.triage import triage_list

        async with self._lock:  # two screens asking at once build it once
            key = self.scope.key
            cached = self._cache.get(key)
            if cached is not None and cached[0] == self._generation:
                return cached[1]
            built = await self.read(triage_list, journey=key[0] or None, release=key[1] or None)
            self._cache[key] = (self._generation, built)
            return built

    # ------------------------------------------------------------------ typing ahead
    async def on_event(self, event: events.Event) -> None:
        """A key for a screen still loading its data waits for it (see ``TriageScreen``)."""
        if isinstance(event, events.Key) and not event.is_forwarded and self._hold(event):
            return
        await super().on_event(event)

    def _hold(self, key: events.Key) -> bool:
        from qualitylab.tui.triage.base import TriageScreen

        screen = self.screen
        if key.key in _NEVER_HELD or not isinstance(screen, TriageScreen):
            return False
        if screen.waiting or screen.held:
            screen.held.append(key)
            return True
        return False

    def replay_keys_later(self, screen: TriageScreen[Any]) -> None:
        """Once ``screen`` has drawn: its held keys, in order, behind every message already queued
        (a key that arrives meanwhile is held too, so the order is the order typed)."""
        self.call_later(self._replay_keys, screen)

    def _replay_keys(self, screen: TriageScreen[Any]) -> None:
        # posted afresh they take the way every key takes; one that opens a loading screen
        # makes the keys after it wait for that screen in turn
        held, screen.held = screen.held, []
        for key in held:
            self.post_message(events.Key(key.key, key.character))

    # ------------------------------------------------------------------ start-up & modes
    def on_mount(self) -> None:
        from qualitylab.tui.triage.fixlist import FixListScreen
        from qualitylab.tui.triage.journeys import JourneysScreen
        from qualitylab.tui.triage.oneoffs import OneOffsScreen

        self.add_mode("fixes", FixListScreen)
        self.add_mode("journeys", JourneysScreen)
        self.add_mode("oneoffs", OneOffsScreen)
        self.switch_mode("fixes")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The key of the mode already shown is hidden (the footer must fit 80 columns)."""
        if action == "switch" and parameters and parameters[0] == self.current_mode:
            return False
        return True

    def action_switch(self, mode: str) -> None:
        if isinstance(self.screen, ModalScreen):
            return  # a dialog is open: 1 2 3 belong to it (a select's type-to-search)
        if self.current_mode != mode:
            self.switch_mode(mode)
            self.call_after_refresh(self.refresh_bindings)

    @work(group="undo", exclusive=True)
    async def action_undo(self) -> None:
        """Undo the latest correction (merge or move), from any screen, once the person has read
        which one it is: "undo" right after a decision would otherwise take back an older merge
        and leave the decision. The screen reloads."""
        from qualitylab.services.triage import latest_change, undo_last
        from qualitylab.tui.screens.confirm import ConfirmDialog
        from qualitylab.tui.triage.history import change_of_words

        if isinstance(self.screen, ModalScreen):
            return
        try:
            latest = await self.read(latest_change)
        except QualityLabError:
            return
        if not latest:
            self.notify(self.tr("un.nothing"), markup=False)
            return
        what = change_of_words(self.tr, latest)
        if not await self.push_screen_wait(ConfirmDialog(self.tr("un.confirm", what=what))):
            return
        try:  # exactly the one shown, even if someone made another correction meanwhile
            undone = await self.call(undo_last, correction=latest[0].uuid, uuid=change_id())
        except QualityLabError:
            return
        if undone is None:
            self.notify(self.tr("un.nothing"), markup=False)
            return
        self.notify(self.tr("un.done", what=what), markup=False)
        self.changed()
        reload = getattr(self.screen, "load", None)
        if callable(reload):
            reload()

    def action_help(self) -> None:
        from qualitylab.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen("tri.help.body"))

    def action_export(self) -> None:
        from qualitylab.tui.triage.export import ExportDialog

        if not isinstance(self.screen, ModalScreen):
            self.push_screen(ExportDialog(), callback=self._export)

    async def _export(self, answer: tuple[str, str] | None) -> None:
        """Render the scope's report on a thread: written into the chosen folder in a terminal,
        offered as a download in a browser (nothing is written on the server)."""
        from qualitylab.services.triage import export_report

        if answer is None:
            return
        fmt, folder = answer
        journey, release = self.scope.key
        where = None if self.served else Path(folder or ".")
        try:
            made = await self.read(
                export_report,
                fmt,
                journey=journey or None,
                release=release or None,
                folder=where,
                lang=self.tr.lang,
            )
        except QualityLabError:
            return
        if (changed := made.excel_changes) is not None:
            key = "ex.excel_date" if changed.as_date else "ex.excel"
            self.notify(
                self.tr(key, release=changed.release, shown=changed.shown),
                markup=False,
                severity="warning",
                timeout=20,
            )
        if made.jira_left_out:  # closed or already tracked: no issue, and the owner is told
            said = {
                "with a ticket already": "ex.jira_ticket",
                "fixed": "status.fixed",
                "won't fix": "status.wont_fix",
            }
            reasons = ", ".join(
                f"{n} {self.tr(said[why])}" for why, n in made.jira_left_out.items()
            )
            self.notify(self.tr("ex.jira_left_out", reasons=reasons), markup=False, timeout=20)
        if made.path is not None:
            self.notify(self.tr("ex.done", path=str(made.path)), markup=False, timeout=10)
            return
        self.deliver_binary(BytesIO(made.content), save_filename=made.name, name=made.name)

    def on_delivery_complete(self, event: DeliveryComplete) -> None:
        self.notify(self.tr("ex.sent", path=event.name or ""), markup=False, timeout=10)

    def on_delivery_failed(self, event: DeliveryFailed) -> None:
        self.report_error(event.exception)


def make_triage_app(
    *, db: str | None, journeys: Path | None, lang: str | None, served: bool = False
) -> TriageApp:
    """The one way the CLI and the tests build the triage app."""
    return TriageApp(db=db, journeys=journeys, lang=lang, served=served)
