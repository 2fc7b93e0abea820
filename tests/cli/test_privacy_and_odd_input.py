"""Issue 9 §7 (privacy) and §8 (output and odd input), as scripts use the commands."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path

import pytest
from test_data_cli import run

from qualitylab import services
from qualitylab.services import Lab
from qualitylab.services.feedback import log_feedback

BIDI_AND_C1 = "a\u202eb\u2066c\x85d\x9be"


@pytest.fixture
def env(tmp_path: Path, small_catalog: Path) -> list[str]:
    return ["--db", str(tmp_path / "cli.db"), "--journeys", str(small_catalog)]


# ---------------------------------------------------------------------------------------- §7
def test_anonymous_feedback_keeps_no_department(env: list[str], tmp_path: Path) -> None:
    code, _out, err = run("log", "-j", "buy", "-s", "pay", "--department", "Legal (team of 2)",
                          "card refused", *env)  # fmt: skip
    assert code == 0, err
    csv = tmp_path / "old.csv"
    csv.write_text("text,step,department\nslow page,find,Legal (team of 2)\n", encoding="utf-8")
    code, _out, err = run("log", "--from-csv", str(csv), "-j", "buy", *env)
    assert code == 0, err
    code, out, _err = run("walks", "list", "--json", *env)
    walkers = [w["walker"] for w in json.loads(out)]
    assert walkers and all(w["name"] == "anonymous" and w["department"] == "" for w in walkers)
    code, out, _err = run("export", "-o", "-", "--db", env[1])
    assert "Legal" not in out


def test_export_anonymize_pseudonymises_walkers_and_rounds_times(
    env: list[str], tmp_path: Path, small_catalog: Path
) -> None:
    for name in ("Anna Petrova", "Boris", "Anna Petrova"):
        code, _out, err = run("log", "-j", "buy", "-s", "pay", "--as", name,
                              "--department", "Legal", f"said by {name}", *env)  # fmt: skip
        assert code == 0, err
    code, out, err = run("export", "--anonymize", "-o", "-", "--db", env[1])
    assert code == 0, err
    assert "Anna" not in out.replace("said by Anna Petrova", "") and "Legal" not in out
    records = [json.loads(line) for line in out.splitlines()]
    walkers = [r for r in records if r["type"] == "walker"]
    assert len(walkers) == 2
    tag = walkers[0]["name"].split("-")[1]
    assert sorted(w["name"] for w in walkers) == [f"walker-{tag}-001", f"walker-{tag}-002"]
    real = {w.walker.uuid for w in services.list_walks(Lab.open(db=env[1]))}
    assert not real & {w["uuid"] for w in walkers}  # no id that leads back to the lab
    walks = [r for r in records if r["type"] == "walk"]
    assert {w["walker"] for w in walks} == {w["uuid"] for w in walkers}
    for record in records:
        for key, value in record.items():
            if key.endswith("_at") and value:
                assert datetime.fromisoformat(value).time().isoformat() == "00:00:00"
    # the file is a valid export: it imports into another lab
    path = tmp_path / "anon.jsonl"
    path.write_text(out, encoding="utf-8")
    code, _out, err = run("import", str(path), "--db", str(tmp_path / "other.db"))
    assert code == 0, err
    # a second anonymised export names the same people with another tag: files never merge people
    _code, again, _err = run("export", "--anonymize", "-o", "-", "--db", env[1])
    assert f"walker-{tag}-001" not in again


# ---------------------------------------------------------------------------------------- §8
def test_json_outputs_escape_bidi_and_c1_controls(env: list[str], tmp_path: Path) -> None:
    # a release is a name, and refuses a bidi override (fixlist.releases.check_release); names
    # and texts are what people write, and keep it
    code, _out, err = run("log", "-j", "buy", "-s", "pay", "--release", "r\u202e1", "x", *env)
    assert code == 1 and "the release holds the control character U+202E (at 2)" in err
    code, _out, err = run("log", "-j", "buy", "-s", "pay", "--as", BIDI_AND_C1,
                          "--release", "r1", f"text {BIDI_AND_C1}", *env)  # fmt: skip
    assert code == 0, err
    for args in (["walks", "list", "--json", *env], ["export", "-o", "-", "--db", env[1]]):
        code, out, err = run(*args)
        assert code == 0, err
        for char in "\u202e\u2066\x85\x9b":
            assert char not in out
        assert "\\u202e" in out and "\\u0085" in out
    code, out, _err = run("walks", "list", "--json", *env)
    assert json.loads(out)[0]["walker"]["name"] == BIDI_AND_C1  # same value, safe spelling
    code, out, _err = run("export", "-o", "-", "--db", env[1])
    path = tmp_path / "a.jsonl"
    path.write_text(out, encoding="utf-8")
    other = ["--db", str(tmp_path / "b.db")]
    assert run("import", str(path), *other)[0] == 0
    assert run("export", "-o", "-", *other)[1] == out  # still byte-identical after a round trip


def test_a_lone_surrogate_in_an_argument_is_one_clear_line(env: list[str]) -> None:
    code, out, err = run("log", "-j", "buy", "-s", "pay", "bad \udced\udca0 bytes", *env)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and "argument 6" in err and "is not valid" in err
    assert "unexpected" not in err and "Traceback" not in err


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex_codec", "zlib"])
def test_encodings_that_are_not_text_are_refused(
    env: list[str], tmp_path: Path, encoding: str
) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text("text,step\nslow,find\n", encoding="utf-8")
    code, _out, err = run("log", "--from-csv", str(csv), "-j", "buy", "--encoding", encoding, *env)
    assert code == 1 and err.count("\n") == 1
    assert "is not a text encoding" in err and "unexpected" not in err


def test_a_lone_surrogate_in_an_import_names_its_line(env: list[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    header = '{"type":"header","format":"qualitylab-export","version":1}\n'
    walker = '{"type":"walker","uuid":"w1","name":"half \\ud83d"}\n'
    path.write_text(header + walker, encoding="utf-8")
    code, _out, err = run("import", str(path), "--db", env[1])
    assert code == 1 and "unexpected" not in err
    assert f"{path}:2: walker record: name holds a lone surrogate \\ud83d" in err
    path.write_bytes(header.encode() + b'{"type":"walker","uuid":"w1","name":"\xed\xa0\xbd"}\n')
    code, _out, err = run("import", str(path), "--db", env[1])
    assert code == 1 and f"{path}:2: not UTF-8 text" in err and "unexpected" not in err


def test_sixteen_simultaneous_logs_make_one_feedback_walk(db_url: str, small_catalog: Path) -> None:
    """Issue 9 §8: on PostgreSQL 16 `log` calls for one walker on a new journey made 16
    "feedback" walks where one is meant."""
    first = Lab.open(db=db_url, journeys=small_catalog)
    services.get_or_create_walker(first, name="Anna")  # a known walker, a journey new to her
    first.close()
    barrier = threading.Barrier(16)
    errors: list[BaseException] = []

    def log(n: int) -> None:
        lab = Lab.open(db=db_url, journeys=small_catalog)
        try:
            services.list_walks(lab)  # engine open and catalog read: only the save races
            assert lab.catalog.journey("buy")
            barrier.wait()
            log_feedback(
                lab,
                {"journey": "buy", "step": "pay", "text": f"note {n}", "walker": "Anna"},
            )
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            lab.close()

    threads = [threading.Thread(target=log, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    lab = Lab.open(db=db_url, journeys=small_catalog)
    walks = services.list_walks(lab)
    assert len(walks) == 1 and walks[0].source == "feedback"
    assert walks[0].pain_point_count == 16
    lab.close()
