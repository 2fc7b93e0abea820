"""Browser walkers are holders of a secret (SQLite and PostgreSQL): names may repeat, the lab keeps
only the secret's SHA-256, terminal walkers keep "one walker per name", export/import keep it."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from qualitylab import services
from qualitylab.config import new_walker_secret
from qualitylab.errors import InvalidInput
from qualitylab.services import Lab
from qualitylab.services.transfer import export_jsonl, import_jsonl


def test_one_name_many_browser_walkers_and_the_terminal_one_apart(lab: Lab) -> None:
    first, second = new_walker_secret(), new_walker_secret()
    a = services.save_served_walker(lab, first, name="Anna", department="Shop")
    b = services.save_served_walker(lab, second, name="Anna", department="Shop")
    terminal = services.get_or_create_walker(lab, name="Anna", department="Shop")
    assert len({a.uuid, b.uuid, terminal.uuid}) == 3
    assert services.served_walker(lab, first) == a
    assert services.served_walker(lab, second) == b
    assert services.get_or_create_walker(lab, name="Anna", department="Shop") == terminal
    # a second tab of the same browser, or a new label: the same walker
    again = services.save_served_walker(lab, first, name="Anna B")
    assert (again.uuid, again.name) == (a.uuid, "Anna B")


def test_only_the_hash_is_stored_and_a_bad_key_is_refused(lab: Lab) -> None:
    secret = new_walker_secret()
    services.save_served_walker(lab, secret, name="Kim")
    dump = io.StringIO()
    export_jsonl(lab, dump)
    assert secret not in dump.getvalue()
    assert hashlib.sha256(secret.encode()).hexdigest() in dump.getvalue()
    with pytest.raises(InvalidInput, match="malformed"):
        services.served_walker(lab, "not-a-secret")
    assert services.served_walker(lab, new_walker_secret()) is None


def test_a_moved_lab_keeps_browser_walkers_apart_and_their_links_working(
    lab: Lab, tmp_path: Path, small_catalog: Path
) -> None:
    secret = new_walker_secret()
    served = services.save_served_walker(lab, secret, name="Anna")
    services.get_or_create_walker(lab, name="Anna")
    dump = tmp_path / "lab.jsonl"
    with dump.open("w", encoding="utf-8") as out:
        export_jsonl(lab, out)
    target = Lab.open(db=str(tmp_path / "moved.db"), journeys=small_catalog)
    try:
        result = import_jsonl(target, dump)
        assert result["added"]["walker"] == 2
        assert services.served_walker(target, secret) == served
    finally:
        target.close()


def test_one_browser_with_another_label_in_each_lab_stays_one_walker_after_import(
    lab: Lab, tmp_path: Path, small_catalog: Path
) -> None:
    """Review finding: the import keyed browser walkers on (name, department, secret), so the same
    browser labelled "Alice" here and "Alice S" there became two records with one secret, and
    the browser then reached only one record's walks."""
    secret = new_walker_secret()
    here = services.save_served_walker(lab, secret, name="Alice S")
    services.start_or_resume_walk(lab, journey_id="buy", walker=here)
    other = Lab.open(db=str(tmp_path / "other.db"), journeys=small_catalog)
    try:
        there = services.save_served_walker(other, secret, name="Alice")
        walk_there = services.start_or_resume_walk(other, journey_id="buy", walker=there)
        dump = tmp_path / "other.jsonl"
        with dump.open("w", encoding="utf-8") as out:
            export_jsonl(other, out)
    finally:
        other.close()
    result = import_jsonl(lab, dump)
    assert result["added"]["walker"] == 0
    walker = services.served_walker(lab, secret)
    assert walker is not None and walker.uuid == here.uuid
    mine = {w.uuid for w in services.list_walks(lab, walker_uuid=walker.uuid)}
    assert walk_there.uuid in mine and len(mine) == 2
