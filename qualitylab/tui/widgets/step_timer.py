"""The visible time-on-this-step, continuing from what earlier visits already spent."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Static

from qualitylab.tui.i18n import format_duration


class StepTimer(Static):
    """Shows ``time mm:ss``; ``total()`` is what the step screen saves when the walker leaves."""

    def __init__(
        self, clock: Callable[[], float], *, label: str = "{time}", id: str | None = None
    ) -> None:
        super().__init__("", id=id, markup=False)
        self._label = label
        self._clock = clock
        self._base = 0.0
        self._started = clock()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self._tick()

    def restart(self, already_spent: float) -> None:
        """Begin timing a step on which ``already_spent`` seconds were spent before."""
        self._base = max(0.0, already_spent)
        self._started = self._clock()
        self._tick()

    def total(self) -> float:
        return self._base + max(0.0, self._clock() - self._started)

    def _tick(self) -> None:
        self.update(self._label.format(time=format_duration(self.total())))
