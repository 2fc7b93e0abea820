"""Driving the walk app like a person, in few key presses (each press costs ~60 ms)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, RadioButton, RadioSet, Select, TextArea

from qualitylab.tui.app import QualityLabApp
from qualitylab.tui.screens.finish import FinishScreen
from qualitylab.tui.screens.home import HomeScreen
from qualitylab.tui.screens.intro import IntroScreen
from qualitylab.tui.screens.pain_point import PainPointForm
from qualitylab.tui.screens.step import StepScreen

CATALOG = Path(__file__).resolve().parent / "catalog.yaml"


def made_by_serve(db: str) -> str:
    """The lab at ``db`` created and migrated, as ``qualitylab serve`` does before any tab
    opens (a served tab never creates one); ``db`` back, for the app."""
    from qualitylab.services import Lab

    with Lab.open(db=db, journeys=str(CATALOG)) as lab:
        lab.store.engine  # noqa: B018 - creates and migrates
    return db


class FrozenClock:
    """A clock that moves only when a test says so (timers and snapshots stay deterministic)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


AppFactory = Callable[..., QualityLabApp]


async def wait_for(
    pilot: Pilot[None], predicate: Callable[[], bool], timeout: float = 10.0
) -> None:
    """Let workers and screens settle until ``predicate`` holds (fails the test on timeout)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting; screen is {pilot.app.screen!r}")
        # a plain sleep: pilot.pause() repaints the whole screen each time, which is slow
        await asyncio.sleep(0.01)
    await pilot.pause()


def screen_is(pilot: Pilot[None], kind: type) -> bool:
    return isinstance(pilot.app.screen, kind)


async def home_loaded(pilot: Pilot[None]) -> HomeScreen:
    await wait_for(pilot, lambda: screen_is(pilot, HomeScreen) and pilot.app.screen.loaded)  # type: ignore[attr-defined]
    screen = pilot.app.screen
    assert isinstance(screen, HomeScreen)
    return screen


async def step_ready(pilot: Pilot[None], index: int | None = None) -> StepScreen:
    def ready() -> bool:
        screen = pilot.app.screen
        return (
            isinstance(screen, StepScreen)
            and screen.ready
            and not screen._busy
            and (index is None or screen.index == index)
        )

    await wait_for(pilot, ready)
    screen = pilot.app.screen
    assert isinstance(screen, StepScreen)
    return screen


async def open_journey(pilot: Pilot[None], query: str) -> StepScreen:
    """Filter home by typing, open the journey, start it from the intro."""
    await home_loaded(pilot)
    pilot.app.screen.query_one("#filter", Input).value = query
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen_is(pilot, IntroScreen))
    await pilot.press("enter")
    return await step_ready(pilot)


async def log_pain(
    pilot: Pilot[None],
    text: str,
    *,
    severity: int,
    category: str,
    fix: str = "",
    attachment: str = "",
) -> None:
    """Open the form with `p`, fill it, save with ctrl+s, wait until it has closed."""
    await pilot.press("p")
    await wait_for(pilot, lambda: screen_is(pilot, PainPointForm))
    await fill_form(
        pilot, text, severity=severity, category=category, fix=fix, attachment=attachment
    )
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: screen_is(pilot, StepScreen))


async def fill_form(
    pilot: Pilot[None],
    text: str | None = None,
    *,
    severity: int | None = None,
    category: str | None = None,
    fix: str | None = None,
    attachment: str | None = None,
) -> None:
    form = pilot.app.screen
    assert isinstance(form, PainPointForm)
    if text is not None:
        form.query_one("#pain-text", TextArea).load_text(text)
    if severity is not None:
        buttons = list(form.query_one("#severity", RadioSet).query(RadioButton))
        buttons[severity - 1].value = True
    if category is not None:
        form.query_one("#category", Select).value = category
    if fix is not None:
        form.query_one("#fix", Input).value = fix
    if attachment is not None:
        form.query_one("#attachment", Input).value = attachment
    await pilot.pause()


async def to_finish(pilot: Pilot[None]) -> FinishScreen:
    await wait_for(pilot, lambda: screen_is(pilot, FinishScreen))
    screen = pilot.app.screen
    assert isinstance(screen, FinishScreen)
    return screen


async def done_to_finish(pilot: Pilot[None], query: str = "sim") -> FinishScreen:
    """Open the journey, mark every step done (ease 6) and go on to the finish screen."""
    from qualitylab.domain import Outcome

    step = await open_journey(pilot, query)
    for index in range(len(step.journey.steps)):
        step = await step_ready(pilot, index)
        await pilot.press("d", "6")
        await wait_for(pilot, lambda s=step: s.outcome == Outcome.DONE)  # type: ignore[misc]
        await pilot.press("right")
    return await to_finish(pilot)


def list_text(widget: OptionList) -> str:
    """What the option list actually draws (rendered lines, not the data behind them)."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


def catalog_without(tmp_path: Path, journey_id: str) -> Path:
    """A copy of the test catalog with one journey removed (as if an author deleted it)."""
    import yaml

    data = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    data["journeys"] = [j for j in data["journeys"] if j["id"] != journey_id]
    path = tmp_path / "smaller.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
