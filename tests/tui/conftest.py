"""Walk-app fixtures: a stable small catalog, a fresh SQLite file, a frozen clock, no blinking.

The repo-wide conftest already points QUALITYLAB_CONFIG_DIR / QUALITYLAB_DATA_DIR at temp dirs, so
the developer's own profile and lab never leak into a test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea
from tui_helpers import CATALOG, AppFactory, FrozenClock

from qualitylab import config
from qualitylab.services import Lab
from qualitylab.tui.app import QualityLabApp, make_app


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots differ from run to run."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture(autouse=True)
def _dark_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first theme follows COLORFGBG; pin it so snapshots do not depend on the terminal."""
    monkeypatch.delenv("COLORFGBG", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "lab.db")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def profile() -> config.Profile:
    """A remembered walker, so the app opens straight on home."""
    walker = config.Profile(name="Anna Petrova", department="Shop 12")
    config.save_profile(walker)
    return walker


@pytest.fixture
def new_app(db_path: str, clock: FrozenClock) -> AppFactory:
    def build(lang: str = "en", walker_name: str | None = None) -> QualityLabApp:
        return make_app(
            db=db_path, journeys=CATALOG, lang=lang, walker_name=walker_name, clock=clock
        )

    return build


@pytest.fixture
def lab(db_path: str) -> Iterator[Lab]:
    """The same database, read through the service layer to check what the app saved."""
    opened = Lab.open(db=db_path, journeys=CATALOG)
    yield opened
    opened.close()
