"""What the walk app shows while the lab's database cannot be reached, until it can.

A tab opened during a database outage used to get no app at all (textual-serve's splash, then
"this tab has ended"). The app now starts anyway and shows this screen: the walker reads, in their
language, that the lab's database is unreachable and that nothing is lost; the app tries again by
itself every few seconds (Enter tries at once) and goes on to the walker's journeys as soon as the
database answers, without a reload. The same screen comes up when the database goes away later,
on the way to a walk (home's list, opening or starting one), in a browser tab or a terminal, and
goes back to where the walker was once the database answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from qualitylab.tui.base import QLScreen
from qualitylab.tui.widgets.footer import WalkFooter


class DatabaseDownScreen(QLScreen[None]):
    """Says the database is unreachable; :meth:`wait` returns at the next try (or on Enter)."""

    AUTO_FOCUS = "#retry"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "retry", "key.retry")]

    def __init__(self, retry_every: float) -> None:
        super().__init__()
        self.retry_every = retry_every
        self.tries = 0
        self._now = asyncio.Event()

    def compose(self) -> ComposeResult:
        seconds = max(1, round(self.retry_every))
        with Vertical(id="down-box", classes="dialog"):
            yield Static(self.t("down.title"), classes="dialog-title", markup=False)
            body = "down.body" if self.qapp.served is not None else "down.body_terminal"
            yield Static(self.t(body, seconds=seconds), id="down-body", markup=False)
            yield Static("", id="down-tries", classes="muted", markup=False)
            # the terminal's user may run the lab: the reason (a tab never shows server paths)
            detail = Static("", id="down-detail", classes="muted", markup=False)
            detail.display = False
            yield detail
            with Horizontal(classes="buttons"):
                yield Button(f"{self.t('down.retry')} (enter)", id="retry", variant="primary")
        yield WalkFooter()

    def failed(self, detail: str = "") -> None:
        """One more try found the database unreachable (``detail``: why, for the terminal)."""
        self.tries += 1
        self.query_one("#down-tries", Static).update(self.t("down.tries", count=self.tries))
        shown = self.query_one("#down-detail", Static)
        shown.update(detail)
        shown.display = bool(detail)

    async def wait(self) -> None:
        """Until the next try is due, or the walker asks for it."""
        self._now.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._now.wait(), self.retry_every)

    @on(Button.Pressed, "#retry")
    def action_retry(self) -> None:
        self.query_one("#down-tries", Static).update(self.t("down.trying"))
        self._now.set()
