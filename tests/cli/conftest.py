"""Fixtures shared by the CLI tests of the fix-list commands."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from qualitylab.cli import fixes as fixes_cli
from qualitylab.cli.common import LabGroup


@pytest.fixture
def app() -> typer.Typer:
    """The fix-list commands on a root like the real one (one-line errors, rich help)."""
    root = typer.Typer(cls=LabGroup, pretty_exceptions_enable=False, rich_markup_mode="rich")

    @root.callback()
    def _root() -> None:
        """Test root."""

    fixes_cli.register(root)
    return root


@pytest.fixture
def runner() -> CliRunner:
    """No weights from the environment, and a terminal wide enough for whole table rows."""
    return CliRunner(env={"QUALITYLAB_WEIGHTS": "", "COLUMNS": "160"})
