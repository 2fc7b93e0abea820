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
