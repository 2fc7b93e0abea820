"""Journey intro: who the persona is, what they want, and what to have at hand before starting."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from qualitylab.domain import Journey
from qualitylab.tui.base import QLScreen, relabel_binding
from qualitylab.tui.widgets.footer import WalkFooter


class IntroScreen(QLScreen[None]):
    """Read, then start."""

    AUTO_FOCUS = "#intro-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "key.start"),
        Binding("escape", "back", "key.back"),
    ]

    def __init__(
        self, journey: Journey, *, product_name: str, release: str, resuming: bool = False
    ) -> None:
        """``resuming``: the walker has a walk of this journey in progress, which Enter continues
        (``start_or_resume_walk``), so the button and the footer say "Resume", not "Start"."""
        super().__init__()
        self.resuming = resuming
        if resuming:
            relabel_binding(self, "enter", self.t("key.resume"))
        self.journey = journey
        self.product_name = product_name
        self.release = release
        self._starting = False

    def compose(self) -> ComposeResult:
        j = self.journey
        yield Static(f"QualityLab · {j.title}", id="topbar", markup=False)
        with VerticalScroll(id="intro-body"):
            yield Static(j.title, classes="heading", markup=False)
            if j.description:
                yield Static(j.description, classes="muted", markup=False)
            product = self.product_name + (f" {self.release}" if self.release else "")
            for label, value in (
                ("intro.product", product),
                ("intro.channel", self.t(f"channel.{j.channel.value}")),
                ("intro.persona", j.persona),
                ("intro.goal", j.goal),
            ):
                yield Static(self.t(label), classes="label")
                yield Static(value, classes="value", markup=False)
            yield Static(
                self.t("intro.time", minutes=j.estimated_minutes, steps=len(j.steps)),
                classes="label",
            )
            if j.have_at_hand:
                yield Static(self.t("intro.have"), classes="label")
                yield Static("\n".join(f"• {item}" for item in j.have_at_hand), markup=False)
        with Horizontal(id="intro-actions"):  # outside the scroll: always in sight
            yield Button(
                f"{self.t('intro.resume' if self.resuming else 'intro.start')} (enter)",
                id="start",
                variant="primary",
                compact=True,
            )
            yield Button(f"{self.t('key.back')} (esc)", id="back", compact=True)
        yield WalkFooter()

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        if self._starting:
            return
        self._starting = True  # Enter twice starts one walk
        self.run_worker(self._start(), group="intro-start")

    async def _start(self) -> None:
        """In a worker: with the database away this waits on the outage screen (``flow``)."""
        from qualitylab.tui.screens.flow import start_walk

        try:
            await start_walk(self.qapp, self.journey.id)
        finally:
            self._starting = False

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss()
