"""Export/import: lossless round trip, idempotent by uuid, merges labs, bad files named by line."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from qualitylab import services
from qualitylab.errors import InvalidInput
from qualitylab.services import Lab
from qualitylab.services.transfer import export_jsonl, import_jsonl

HOSTILE = '[bold]x[/bold] \x1b[31mred <script>alert(1)</script> =HYPERLINK("http://e") 🙂 שלום'


def _fill(lab: Lab, name: str, tmp_path: Path) -> None:
    walker = services.get_or_create_walker(lab, name=name, department="Call centre")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    services.enter_step(lab, walk.uuid, "find")
    shot = tmp_path / f"{name}.png"
    shot.write_bytes(bytes(range(256)))
    services.log_pain_point(
        lab,
        walk_uuid=walk.uuid,
        step_id="find",
        text=HOSTILE,
        severity=2,
        category="wording",
        suggested_fix="fix\nit",
        attachment=shot,
    )
    services.add_praise(lab, walk_uuid=walk.uuid, step_id="find", text="good")
    services.record_step(lab, walk.uuid, "find", outcome="done", ease=6, seconds_spent=3.25)
    services.finish_walk(lab, walk.uuid, nps=9, comment="ok")
    other = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    services.enter_step(lab, other.uuid, "pay")


def _export(lab: Lab) -> str:
    out = io.StringIO()
    export_jsonl(lab, out)
    return out.getvalue()


def test_round_trip_is_identical_and_idempotent(
    db_url: str, small_catalog: Path, tmp_path: Path
) -> None:
    source = Lab.open(db=str(tmp_path / "source.db"), journeys=small_catalog)
    _fill(source, "Anna", tmp_path)
    first = _export(source)
    (tmp_path / "a.jsonl").write_text(first, encoding="utf-8")

    target = Lab.open(db=db_url, journeys=small_catalog)
    added = import_jsonl(target, tmp_path / "a.jsonl")
    assert added["added"]["pain_point"] == 1 and added["added"]["walk"] == 2
    assert _export(target) == first
    again = import_jsonl(target, tmp_path / "a.jsonl")
    assert sum(again["added"].values()) == 0
    assert _export(target) == first
    point = services.list_pain_points(target)[0]
    assert point.text == HOSTILE
    from qualitylab.services.walks import pain_point_attachment

    # the type is sniffed from the bytes (these are no PNG), never taken from the name
    blob = ("Anna.png", "application/octet-stream", bytes(range(256)))
    assert pain_point_attachment(target, point.uuid) == blob
    source.close()
    target.close()


def test_two_offices_merge(small_catalog: Path, tmp_path: Path) -> None:
    moscow = Lab.open(db=str(tmp_path / "m.db"), journeys=small_catalog)
    kazan = Lab.open(db=str(tmp_path / "k.db"), journeys=small_catalog)
    _fill(moscow, "Anna", tmp_path)
    _fill(kazan, "Boris", tmp_path)
    (tmp_path / "k.jsonl").write_text(_export(kazan), encoding="utf-8")
    import_jsonl(moscow, tmp_path / "k.jsonl")
    names = sorted({w.walker.name for w in services.list_walks(moscow)})
    assert names == ["Anna", "Boris"]
    assert len(services.list_pain_points(moscow)) == 2


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["not json"], ":1: not valid JSON"),
        (['{"type": "header", "format": "other", "version": 1}'], "not a qualitylab export"),
        (['{"type": "spaceship"}'], ":1: unknown record type 'spaceship'"),
        (
            [
                '{"type": "header", "format": "qualitylab-export", "version": 1}',
                '{"type": "pain_point", "uuid": "u"}',
            ],
            ":2: pain_point record is missing walk",
        ),
        (
            [
                '{"type": "pain_point", "uuid": "u", "walk": "w", "step_id": "s", "text": "t",'
                ' "severity": 2, "category": "bug"}'
            ],
            "unknown walk",
        ),
    ],
)
def test_bad_exports_name_the_line_and_import_nothing(
    tmp_path: Path, small_catalog: Path, lines: list[str], message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    lab = Lab.open(db=str(tmp_path / "t.db"), journeys=small_catalog)
    with pytest.raises(InvalidInput, match=message):
        import_jsonl(lab, path)
    assert [json.loads(line)["type"] for line in _export(lab).splitlines()] == ["header", "end"]


def _valid_export(tmp_path: Path, small_catalog: Path) -> list[dict[str, object]]:
    lab = Lab.open(db=str(tmp_path / "valid.db"), journeys=small_catalog)
    _fill(lab, "Anna", tmp_path)
    records = [json.loads(line) for line in _export(lab).splitlines()]
    lab.close()
    return records


def _first(records: list[dict[str, object]], kind: str) -> dict[str, object]:
    return next(r for r in records if r["type"] == kind)


@pytest.mark.parametrize(
    ("kind", "change", "message"),
    [
        ("walk", {"status": "sleeping"}, "walk record: status 'sleeping' is not one of"),
        ("walk", {"nps": 99}, "walk record: nps must be from 0 to 10"),
        ("walk", {"started_at": "yesterday"}, "started_at 'yesterday' is not an ISO 8601 time"),
        ("walk", {"release": "R" * 65}, "release is longer than 64 characters"),
        ("walk", {"visits": [{"step_id": "find"}]}, "visits #1 is missing entered_at"),
        ("pain_point", {"severity": 9}, "pain_point record: severity must be from 1 to 4"),
        ("pain_point", {"severity": "high"}, "severity must be a whole number"),
        ("pain_point", {"text": ["a"]}, "pain_point record: text must be text"),
        ("pain_point", {"attachment": {"filename": "a", "content_base64": "!!"}}, "base64"),
        ("walker", {"anonymous": "no"}, "walker record: anonymous must be true or false"),
        ("journey", {"content": "not json"}, "content is not a journey snapshot"),
        ("cluster_fix", {"cluster_id": "c1", "status": "weird"}, "status 'weird' is not one of"),
    ],
)
def test_records_that_would_poison_the_lab_are_refused_with_their_line(
    tmp_path: Path,
    small_catalog: Path,
    kind: str,
    change: dict[str, object],
    message: str,
) -> None:
    records = _valid_export(tmp_path, small_catalog)
    if kind == "cluster_fix":
        records.append({"type": "cluster_fix", **change})
    else:
        _first(records, kind).update(change)
    line = next(n for n, r in enumerate(records, start=1) if r["type"] == kind)
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    lab = Lab.open(db=str(tmp_path / "t.db"), journeys=small_catalog)
    with pytest.raises(InvalidInput, match=f":{line}: ") as caught:
        import_jsonl(lab, path)
    assert message in str(caught.value) and "nothing was imported" in str(caught.value)
    assert len(_export(lab).splitlines()) == 2  # nothing but the header and the end
    lab.close()


def test_export_saved_with_a_bom_imports_and_an_empty_file_is_refused(
    tmp_path: Path, small_catalog: Path
) -> None:
    records = _valid_export(tmp_path, small_catalog)
    path = tmp_path / "bom.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8-sig")
    lab = Lab.open(db=str(tmp_path / "t.db"), journeys=small_catalog)
    assert import_jsonl(lab, path)["added"]["pain_point"] == 1
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InvalidInput, match="is empty"):
        import_jsonl(lab, empty)
    lab.close()


def test_two_imports_of_one_file_at_once_both_succeed_and_add_it_once(
    db_url: str, small_catalog: Path, tmp_path: Path
) -> None:
    import threading

    records = _valid_export(tmp_path, small_catalog)
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    Lab.open(db=db_url, journeys=small_catalog).store.close()
    results: list[object] = []

    def run_import() -> None:
        lab = Lab.open(db=db_url, journeys=small_catalog)
        try:
            results.append(import_jsonl(lab, path)["added"]["pain_point"])
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            results.append(exc)
        finally:
            lab.close()

    threads = [threading.Thread(target=run_import) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [0, 1]
    lab = Lab.open(db=db_url, journeys=small_catalog)
    assert len(services.list_pain_points(lab)) == 1
    lab.close()


def test_a_later_export_brings_what_changed_since(small_catalog: Path, tmp_path: Path) -> None:
    """Walk finished and pain point edited in lab A after B imported it: re-importing updates B."""
    a = Lab.open(db=str(tmp_path / "a.db"), journeys=small_catalog)
    b = Lab.open(db=str(tmp_path / "b.db"), journeys=small_catalog)
    walker = services.get_or_create_walker(a, name="Later")
    walk = services.start_or_resume_walk(a, journey_id="buy", walker=walker)
    services.enter_step(a, walk.uuid, "find")
    point = services.log_pain_point(
        a, walk_uuid=walk.uuid, step_id="find", text="first words", severity=2, category="bug"
    )
    (tmp_path / "1.jsonl").write_text(_export(a), encoding="utf-8")
    import_jsonl(b, tmp_path / "1.jsonl")

    services.edit_pain_point(a, point.uuid, text="second words", severity=4)
    services.record_step(a, walk.uuid, "find", outcome="blocked", ease=1, seconds_spent=9)
    services.finish_walk(a, walk.uuid, nps=3, comment="done")
    (tmp_path / "2.jsonl").write_text(_export(a), encoding="utf-8")
    result = import_jsonl(b, tmp_path / "2.jsonl")
    assert result["updated"]["walk"] == 1 and result["updated"]["pain_point"] == 1
    assert _export(b) == _export(a)
    again = import_jsonl(b, tmp_path / "2.jsonl")
    assert sum(again["updated"].values()) == 0 and sum(again["added"].values()) == 0
    older = import_jsonl(b, tmp_path / "1.jsonl")  # an older export never rolls anything back
    assert sum(older["updated"].values()) == 0
    assert services.list_pain_points(b)[0].text == "second words"


def _lines_of(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda rs: rs[: len(rs) // 2],
            r":(\d+): the file ends before the end of the export that starts on line 1: it was "
            "cut short",
        ),
        (
            lambda rs: rs[:2] + rs[3:],
            r"the export's end says it holds (\d+) records, but (\d+) came before it",
        ),
        (
            lambda rs: [*rs, rs[1]],
            r"a record after the export's end \(line (\d+)\); remove it, or move it above",
        ),
    ],
    ids=["cut-at-a-line-end", "line-deleted", "line-appended"],
)
def test_an_export_cut_short_or_edited_imports_nothing(
    tmp_path: Path, small_catalog: Path, damage: Any, message: str
) -> None:
    """Admin QA: an export cut at a line boundary (an interrupted copy, `head`, a dropped
    `export -o - | ssh ... import -`) read as a smaller valid export: "Imported 51 walker,
    ..., 1201 pain_point", exit 0, and half the pain points silently missing."""
    records = _valid_export(tmp_path, small_catalog)
    assert records[0]["version"] == 2 and records[-1] == {
        "type": "end",
        "records": len(records) - 2,
    }
    lab = Lab.open(db=str(tmp_path / "t.db"), journeys=small_catalog)
    with pytest.raises(InvalidInput, match=message) as caught:
        import_jsonl(lab, _lines_of(tmp_path / "bad.jsonl", damage(records)))
    assert str(caught.value).splitlines()[-1].endswith("nothing was imported")
    assert len(_export(lab).splitlines()) == 2  # the header and the end: nothing came in
    lab.close()


def test_exports_joined_and_exports_of_version_1_still_import(
    tmp_path: Path, small_catalog: Path
) -> None:
    records = _valid_export(tmp_path, small_catalog)
    lab = Lab.open(db=str(tmp_path / "t.db"), journeys=small_catalog)
    import_jsonl(lab, _lines_of(tmp_path / "twice.jsonl", records + records))
    old = [{**records[0], "version": 1}, *records[1:-1]]  # before end records existed
    other = Lab.open(db=str(tmp_path / "other.db"), journeys=small_catalog)
    import_jsonl(other, _lines_of(tmp_path / "v1.jsonl", old))
    assert _export(lab) == _export(other)
    lab.close()
    other.close()
