"""Store fixtures: the lab every service test opens, on SQLite and on PostgreSQL (``db_url``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qualitylab.services import Lab


@pytest.fixture
def lab(db_url: str, small_catalog: Path) -> Iterator[Lab]:
    """The small catalog's lab; modules with another catalog define their own ``lab``."""
    opened = Lab.open(db=db_url, journeys=small_catalog)
    yield opened
    opened.close()
