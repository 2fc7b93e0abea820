"""What every QualityLab app shares: the lab (opened on first use), service calls on a thread,
errors as one notification, the user's language and the light/dark theme.

The walk app (``tui.app``) and the product owner's triage app (``tui.triage``) are both a
``LabApp``; each adds its own screens and words.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from textual.app import App

from qualitylab import config
from qualitylab.errors import CatalogError, QualityLabError, ReadOnlyLab, StorageUnavailable
from qualitylab.tui.base import translate_bindings
from qualitylab.tui.i18n import STRINGS, Translator

if TYPE_CHECKING:
    from textual.notifications import Notify

    from qualitylab.services import Lab

T = TypeVar("T")

DARK, LIGHT = "textual-dark", "textual-light"

#: Where an error is read, for the words that fit there: a form that keeps what was typed, a
#: key or choice that saved nothing ("action"), or opening the lab or a walk ("opening").
Where = Literal["form", "action", "opening"]

#: What a lab this user may only read says, by where it is read.
_READ_ONLY_WORDS: dict[str, str] = {
    "form": "err.storage_read_only",
    "action": "err.storage_read_only_action",
    "opening": "err.storage_read_only_opening",
}

#: See LabApp.call: when the user hears that a save is slow, and how often it is retried.
SAVE_NOTICE_AFTER_S = 5.0
SAVE_RETRY_EVERY_S = 2.0


def change_id() -> str:
    """A new id for one change the user just confirmed (a pain point, a merge, an undo...).

    Made once and passed with the save to ``LabApp.call``: when the database commits but the
    answer is lost with the connection, the retry carries the same id, and the service finds
    the change instead of storing it twice."""
    import uuid

    return str(uuid.uuid4())


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
        self._lab_lock = threading.Lock()  # the home screen's worker and a key press may race
        #: A save taking longer than this tells the user it is being retried (seconds).
        self.save_notice_after = SAVE_NOTICE_AFTER_S
        #: Pause between attempts while the database does not answer (seconds).
        self.save_retry_every = SAVE_RETRY_EVERY_S
        self._quitting = False
        #: Show a database error's technical detail (paths, hosts) under its words: in the
        #: terminal, whose user may run the lab; never in a browser tab of the server.
        self.error_details = True
        self.theme = _default_theme()
        translate_bindings(self, self.tr)

    def _fatal_error(self) -> None:
        """Exit after an unhandled exception with a traceback *without* local variables.

        Textual's own shows each frame's locals. Under ``serve`` the app's output goes to the
        server's log, and a frame may hold a walker's secret or the access key (the frames and
        the error message are enough to find the bug).
        """
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    def lab(self) -> Lab:
        """The opened lab; imported and opened on first use (off the start-up path)."""
        with self._lab_lock:
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

        Once the lab is open, a database that stops answering never loses an answer and never
        lets the screen move on unsaved: after ``save_notice_after`` seconds (or at once, on an
        error) the user reads "could not save, nothing lost, retrying", and the same call is
        tried again every ``save_retry_every`` seconds until it is committed; only then does
        this return. Calls that save nothing use ``read`` (no such notice).
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
                if not may_retry or err.lasting:  # a wrong --db, a server never reached, or a
                    # database that answered "no" (read-only, no such table): say so at once
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

    async def read(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a service call that saves nothing (a list, a detail, an export) on a thread.

        Unlike ``call`` it is tried once: a "could not save yet, retrying" notice would be
        untrue for it, and the screen that asked can simply be reloaded. Expected errors are
        shown once and re-raised.
        """

        def run() -> T:
            return fn(self.lab(), *args, **kwargs)

        try:
            return await asyncio.to_thread(run)
        except QualityLabError as err:
            self.report_error(err)
            raise

    def _tell_retrying(self) -> None:
        self.clear_notifications()  # one message at a time, not a stack of them
        self.notify(
            self.tr("save.retrying"),
            title=self.tr("err.title"),
            severity="warning",
            timeout=600,
            markup=False,
        )

    def error_text(self, err: BaseException, *, where: Where = "action") -> str:
        """What the user reads about ``err``, in their language: the one place every screen (a
        form's error line, the notice) gets it from. A refusal with a code is worded from the
        string table; one without words keeps its English line after a translated lead-in.
        ``where``: a lab that may only be read says what became of the user's input, and only
        a form still shows what was typed."""
        if isinstance(err, StorageUnavailable):
            key = "err.storage_lasting" if err.lasting else "err.storage"
            if isinstance(err, ReadOnlyLab):
                key = _READ_ONLY_WORDS[where]
            message = self.tr(key)
            if self.error_details:
                message += "\n" + self.tr("err.detail", detail=str(err))
            return message
        if isinstance(err, CatalogError):
            return self.tr("err.catalog", detail="\n".join(err.problems[:8]))
        if isinstance(err, QualityLabError):
            worded = self.tr.error(err)
            return worded if worded is not None else self.tr("err.generic", detail=str(err))
        return self.tr("err.unexpected", detail=f"{type(err).__name__}: {err}")

    def report_error(self, err: BaseException, *, where: Where = "action") -> None:
        """One clear message in the app; the traceback never reaches the user."""
        self.notify(
            self.error_text(err, where=where),
            title=self.tr("err.title"),
            severity="error",
            timeout=12,
            markup=False,
        )

    def _on_notify(self, event: Notify) -> None:
        """One toast per message: pressing → five times without an outcome showed five identical
        warnings over half of an 80x24 screen. The same message again replaces the one shown
        (so it stays for its full time after the last press) instead of stacking."""
        new = event.notification
        for old in list(self._notifications):
            if (old.message, old.title, old.severity) == (new.message, new.title, new.severity):
                self._unnotify(old, refresh=False)
        super()._on_notify(event)

    def action_help_quit(self) -> None:
        """Ctrl+C: say how to leave, in the user's language (Textual's own notice is English)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    self.tr("quit.how", key=active.binding.key_display or key),
                    title=self.tr("quit.title"),
                    markup=False,
                )
                return

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
