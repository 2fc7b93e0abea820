"""The opened lab: which database and which journey catalog every use-case works on."""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from qualitylab.config import resolve_db_url, resolve_journeys_path
from qualitylab.domain import Catalog
from qualitylab.store import Store


class Lab:
    """Cheap to build: the database is opened (and migrated) and the catalog loaded on first use."""

    def __init__(self, db_url: str, journeys_path: Path) -> None:
        self.db_url = db_url
        self.journeys_path = journeys_path
        self.store = Store(db_url)
        self._catalog: Catalog | None = None

    @classmethod
    def open(cls, db: str | None = None, journeys: str | PathLike[str] | None = None) -> Lab:
        return cls(resolve_db_url(db), resolve_journeys_path(journeys))

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = self.reload_catalog()
        return self._catalog

    def reload_catalog(self) -> Catalog:
        from qualitylab.journeys import load_catalog

        self._catalog = load_catalog(self.journeys_path)
        return self._catalog

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
