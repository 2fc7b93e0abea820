"""Store fixtures: the lab every service test opens, on SQLite and on PostgreSQL (``db_url``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from qualitylab.services import Lab


@pytest.fixture
def lab(db_url: str, small_catalog: Path) -> Iterator[Lab]:
    """The small catalog's lab; modules with another catalog define their own ``lab``."""
    opened = Lab.open(db=db_url, journeys=small_catalog)
    yield opened
    opened.close()


@pytest.fixture
def server_gone_at(
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[[int, int, str], Callable[[], None]]:
    """``server_gone_at(batch, records, message)``: imports write ``records`` a batch, and the
    database goes away (``StorageUnavailable(message)``) at the ``batch``-th one; call what it
    returns to bring the database back."""
    from qualitylab.errors import StorageUnavailable
    from qualitylab.services import transfer
    from qualitylab.store import transfer as store_transfer

    def cut(batch: int, records: int, message: str) -> Callable[[], None]:
        monkeypatch.setattr(transfer, "BATCH_RECORDS", records)
        real = store_transfer.import_batch
        calls = {"n": 0}

        def server_gone(*args: Any) -> None:
            calls["n"] += 1
            if calls["n"] == batch:
                raise StorageUnavailable(message)
            real(*args)

        monkeypatch.setattr(store_transfer, "import_batch", server_gone)
        return lambda: monkeypatch.setattr(store_transfer, "import_batch", real)

    return cut
