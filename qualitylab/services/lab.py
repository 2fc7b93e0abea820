"""The opened lab: which database and which journey catalog every use-case works on."""

from __future__ import annotations

import threading
from collections.abc import Collection
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from qualitylab.config import resolve_db_url, resolve_journeys_path
from qualitylab.errors import CatalogError, NotFound
from qualitylab.store import Store

if TYPE_CHECKING:
    from qualitylab.domain import Catalog, Journey


class Lab:
    """Cheap to build: the database is opened (and migrated) and the catalog loaded on first use."""

    def __init__(self, db_url: str, journeys_path: Path, *, create: bool = True) -> None:
        self.db_url = db_url
        self.journeys_path = journeys_path
        self.store = Store(db_url, create=create)
        self._catalog: Catalog | None = None
        #: The walk app loads the catalog on a worker thread while a key press may already ask
        #: for it on another: one loads, the other waits for that result.
        self._catalog_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        db: str | None = None,
        journeys: str | PathLike[str] | None = None,
        *,
        create: bool = True,
    ) -> Lab:
        """``create=False`` for use-cases that only read existing data: a missing SQLite file then
        raises ``MissingDatabase`` on first use instead of becoming an empty lab."""
        return cls(resolve_db_url(db), resolve_journeys_path(journeys), create=create)

    def check_writable(self, table: str) -> None:
        """Raise ``ReadOnlyLab`` (one line that says what to change) when this lab's database
        user may read it but not add rows to ``table``: for whoever starts something that will
        write later (``serve``), rather than failing at a walker's first save."""
        with self.store.unit(read_only=True) as unit:
            unit.refuse_unless_writable(table)

    @property
    def catalog(self) -> Catalog:
        catalog = self._catalog
        if catalog is None:
            with self._catalog_lock:
                catalog = self._catalog or self.reload_catalog()
        return catalog

    @property
    def catalog_loaded(self) -> bool:
        """The catalog was loaded (and validated): ``catalog`` answers at once."""
        return self._catalog is not None

    def reload_catalog(self) -> Catalog:
        from qualitylab.journeys import load_catalog

        self._catalog = load_catalog(self.journeys_path)
        return self._catalog

    def journey(self, journey_id: str) -> Journey:
        """The catalog's journey, or one clear ``NotFound`` that lists the known ids."""
        try:
            return self.catalog.journey(journey_id)
        except KeyError:
            known = ", ".join(j.id for j in self.catalog.journeys)
            raise NotFound(
                f"unknown journey {journey_id!r}; known journeys: {known}",
                code="journey.gone",
                journey=journey_id,
            ) from None

    def check_journey_filter(self, journey_id: str, *, used: Collection[str] = ()) -> None:
        """A ``--journey`` filter must name a journey of the catalog or of stored data (a journey
        removed from the catalog keeps its walks); with no readable catalog anything goes."""
        if journey_id in used:
            return
        try:
            known = {j.id for j in self.catalog.journeys}
        except CatalogError:
            return
        if journey_id not in known:
            self.journey(journey_id)  # raises the one-line error

    def check_location(self, *, writes: bool = False) -> None:
        """Raise now if the database cannot be where ``--db`` says (a SQLite file's folder is
        missing; with ``writes``, a file this user may only read), without opening it: the walk
        app refuses a wrong path before it starts."""
        self.store.check_location(writes=writes)

    @property
    def is_open(self) -> bool:
        """The database was reached (and migrated) once: a failure now is the server's, worth
        retrying, not a wrong ``--db``."""
        return self.store.is_open

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
