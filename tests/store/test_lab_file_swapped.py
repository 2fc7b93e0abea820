"""A SQLite lab whose file is deleted, moved or replaced while it is open saves into the file at
its path, or fails as an unreachable database: never into a file nobody can see.

The finding: SQLite keeps writing through the handle it opened, so after ``rm lab.db`` (or a move)
a pain point was "saved" into the deleted file, and the walker read "saved".
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from qualitylab import services
from qualitylab.errors import MissingDatabase, StorageUnavailable
from qualitylab.services import Lab


def log(lab: Lab, walk_uuid: str, text: str) -> None:
    services.log_pain_point(
        lab, walk_uuid=walk_uuid, step_id="find", text=text, severity=2, category="bug"
    )


def texts_at(path: Path, catalog: Path) -> list[str]:
    with Lab.open(db=str(path), journeys=catalog, create=False) as reader:
        return sorted(p.text for p in services.list_pain_points(reader))


def copy_of(path: Path, to: Path) -> Path:
    """A consistent copy of a lab in use (SQLite's backup API, as an admin's backup would be)."""
    with sqlite3.connect(path) as source, sqlite3.connect(to) as target:
        source.backup(target)
    source.close()
    target.close()
    return to


def opened_walk(path: Path, catalog: Path, *, create: bool) -> tuple[Lab, str]:
    if not create:
        with Lab.open(db=str(path), journeys=catalog) as made:  # as `serve` does at start
            made.store.engine  # noqa: B018 - creates and migrates
    lab = Lab.open(db=str(path), journeys=catalog, create=create)
    walker = services.get_or_create_walker(lab, name="Anna")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    log(lab, walk.uuid, "before")
    return lab, walk.uuid


@pytest.mark.parametrize("create", [True, False], ids=["terminal", "served"])
def test_a_deleted_lab_file_is_an_outage_not_a_save_into_the_deleted_file(
    tmp_path: Path, small_catalog: Path, create: bool
) -> None:
    path = tmp_path / "lab.db"
    lab, walk_uuid = opened_walk(path, small_catalog, create=create)
    backup = copy_of(path, tmp_path / "backup.db")
    os.unlink(path)
    with pytest.raises(MissingDatabase):
        log(lab, walk_uuid, "after")  # before: returned, saved into the deleted file
    assert not path.exists()  # and no new, empty lab was made in its place
    with pytest.raises(StorageUnavailable):
        services.list_walks(lab)
    os.replace(backup, path)  # the lab is restored: the same save now lands in it
    log(lab, walk_uuid, "after")
    lab.close()
    assert texts_at(path, small_catalog) == ["after", "before"]


def test_a_lab_moved_away_and_back_goes_on_in_the_file_at_its_path(
    tmp_path: Path, small_catalog: Path
) -> None:
    path, away = tmp_path / "lab.db", tmp_path / "away.db"
    lab, walk_uuid = opened_walk(path, small_catalog, create=False)
    path.rename(away)
    with pytest.raises(MissingDatabase):
        log(lab, walk_uuid, "while away")
    away.rename(path)
    log(lab, walk_uuid, "back")
    lab.close()
    assert texts_at(path, small_catalog) == ["back", "before"]


def test_a_lab_file_replaced_by_a_copy_gets_the_next_save(
    tmp_path: Path, small_catalog: Path
) -> None:
    """``os.replace(copy, lab.db)``: the next save goes to the file now at the path, not to the
    one replaced (which nobody can open any more)."""
    path = tmp_path / "lab.db"
    lab, walk_uuid = opened_walk(path, small_catalog, create=False)
    copy = copy_of(path, tmp_path / "copy.db")
    replaced = os.stat(path).st_ino
    os.replace(copy, path)
    assert os.stat(path).st_ino != replaced
    log(lab, walk_uuid, "after")
    assert os.stat(path).st_ino != replaced
    lab.close()
    assert texts_at(path, small_catalog) == ["after", "before"]
