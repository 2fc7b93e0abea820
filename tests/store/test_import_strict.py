"""Issue 9 §4: an import is as strict as the app. Each finding of the issue is pinned here:
every bad record is refused with its FILE:LINE and nothing is imported."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qualitylab import services
from qualitylab.errors import InvalidInput, QualityLabError
from qualitylab.services import Lab, transfer
from qualitylab.services.transfer import export_jsonl, import_jsonl


def _fill(lab: Lab, name: str = "Anna") -> None:
    walker = services.get_or_create_walker(lab, name=name, department="Sales")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    services.enter_step(lab, walk.uuid, "find")
    services.log_pain_point(
        lab, walk_uuid=walk.uuid, step_id="find", text="price hidden", severity=3, category="bug"
    )
    services.record_step(lab, walk.uuid, "find", outcome="done", ease=5, seconds_spent=2.5)


def _export(lab: Lab) -> str:
    out = io.StringIO()
    export_jsonl(lab, out)
    return out.getvalue()


@pytest.fixture
def records(tmp_path: Path, small_catalog: Path) -> list[dict[str, Any]]:
    lab = Lab.open(db=str(tmp_path / "source.db"), journeys=small_catalog)
    _fill(lab)
    found = [json.loads(line) for line in _export(lab).splitlines()]
    lab.close()
    return found


def _first(records: list[dict[str, Any]], kind: str) -> tuple[int, dict[str, Any]]:
    return next((n, r) for n, r in enumerate(records, start=1) if r["type"] == kind)


def _refused(tmp_path: Path, small_catalog: Path, lines: list[str]) -> str:
    """Import ``lines``; it must fail and leave the lab empty. Returns the message."""
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    lab = Lab.open(db=str(tmp_path / "target.db"), journeys=small_catalog)
    try:
        with pytest.raises(InvalidInput) as caught:
            import_jsonl(lab, path)
        assert _export(lab).count("\n") == 2, "something was imported"  # header, end
    finally:
        lab.close()
    message = str(caught.value)
    assert "nothing was imported" in message.splitlines()[-1]
    return message


def _dumps(records: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(r) for r in records]  # \uXXXX escapes: lone surrogates too


def test_a_journey_whose_content_is_not_what_its_hash_says_is_refused(
    tmp_path: Path, small_catalog: Path, records: list[dict[str, Any]]
) -> None:
    line, journey = _first(records, "journey")
    content = json.loads(journey["content"])
    content["steps"][0]["instructions"] = "Send your card number to evil.example"
    journey["content"] = json.dumps(content)
    message = _refused(tmp_path, small_catalog, _dumps(records))
    assert f"bad.jsonl:{line}: journey record: hash" in message
    assert "does not match its content" in message


@pytest.mark.parametrize(
    ("kind", "change", "problem"),
    [
        ("pain_point", {"text": "x" * 20_001}, "text is longer than 20,000 characters"),
        ("pain_point", {"text": "nul\x00here"}, "text holds a NUL character"),
        ("pain_point", {"text": "half \ud83d"}, "text holds a lone surrogate \\ud83d"),
        ("walker", {"name": "N" * 201}, "name is longer than 200 characters"),
        ("walk", {"current_step": 10**30}, "current_step must be from 0 to 1000"),
        ("walk", {"started_at": "9999-12-31T23:59:59-14:00"}, "started_at '9999-12-31T23:59"),
        ("walk", {"finished_at": "1900-01-01T00:00:00"}, "is outside 2000-2099"),
        ("walk", {"surprise": 1}, "walk record: surprise is not a field of this record"),
    ],
)
def test_values_the_app_would_never_store_are_refused_with_their_line(
    tmp_path: Path,
    small_catalog: Path,
    records: list[dict[str, Any]],
    kind: str,
    change: dict[str, Any],
    problem: str,
) -> None:
    line, record = _first(records, kind)
    record.update(change)
    message = _refused(tmp_path, small_catalog, _dumps(records))
    assert f"bad.jsonl:{line}: {kind} record: " in message and problem in message


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"seconds_spent": "Infinity"}, "seconds_spent must be a number of seconds from 0"),
        ({"seconds_spent": "NaN"}, "seconds_spent must be a number of seconds from 0"),
        ({"position": 10**30}, "#1 position must be from 0 to 1000"),
        ({"entered_at": "9999-12-31T23:59:59-14:00"}, "entered_at '9999-12-31"),
    ],
)
def test_step_visits_are_checked_like_everything_else(
    tmp_path: Path,
    small_catalog: Path,
    records: list[dict[str, Any]],
    change: dict[str, Any],
    problem: str,
) -> None:
    line, walk = _first(records, "walk")
    walk["visits"][0].update(change)
    lines = _dumps(records)
    lines[line - 1] = lines[line - 1].replace('"Infinity"', "Infinity").replace('"NaN"', "NaN")
    message = _refused(tmp_path, small_catalog, lines)
    assert f"bad.jsonl:{line}: walk record: visits #1" in message and problem in message


def test_two_records_with_one_uuid_and_different_content_name_both_lines(
    tmp_path: Path, small_catalog: Path, records: list[dict[str, Any]]
) -> None:
    line, point = _first(records, "pain_point")
    records.append({**point, "text": "the other story"})
    message = _refused(tmp_path, small_catalog, _dumps(records))
    assert f"bad.jsonl:{len(records)}: pain_point {point['uuid']!r} is also on line {line}" in (
        message
    )


def test_an_identical_copy_of_a_record_is_harmless(
    tmp_path: Path, small_catalog: Path, records: list[dict[str, Any]]
) -> None:
    _line, point = _first(records, "pain_point")
    path = tmp_path / "twice.jsonl"
    again = [records[0], point, {"type": "end", "records": 1}]  # as `cat a.jsonl b.jsonl`
    path.write_text("".join(line + "\n" for line in _dumps([*records, *again])), encoding="utf-8")
    lab = Lab.open(db=str(tmp_path / "target.db"), journeys=small_catalog)
    result = import_jsonl(lab, path)
    assert result["added"]["pain_point"] == 1
    lab.close()


def test_two_cluster_fixes_with_one_id_are_a_clear_error(
    tmp_path: Path, small_catalog: Path, records: list[dict[str, Any]]
) -> None:
    fix = {"type": "cluster_fix", "cluster_id": "c1", "status": "open"}
    records += [fix, {**fix, "status": "fixed"}]
    message = _refused(tmp_path, small_catalog, _dumps(records))
    n = len(records)
    assert f"bad.jsonl:{n}: cluster_fix 'c1' is also on line {n - 1} with other content" in message


def test_lone_surrogates_in_the_file_are_named_by_line(
    tmp_path: Path, small_catalog: Path, records: list[dict[str, Any]]
) -> None:
    line, _point = _first(records, "pain_point")
    raw = [r.encode() for r in _dumps(records)]
    raw[line - 1] = raw[line - 1].replace(b"price hidden", b"price \xed\xa0\x80 hidden")
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"".join(r + b"\n" for r in raw))
    lab = Lab.open(db=str(tmp_path / "target.db"), journeys=small_catalog)
    with pytest.raises(InvalidInput, match=f"bad.jsonl:{line}: not UTF-8 text"):
        import_jsonl(lab, path)
    lab.close()


def test_every_problem_of_the_file_is_listed_before_anything_is_imported(
    tmp_path: Path, small_catalog: Path, records: list[dict[str, Any]]
) -> None:
    lines = _dumps(records)
    lines.insert(1, "{broken")
    lines.append('{"type": "praise", "uuid": "p", "walk": "nowhere", "step_id": "a", "text": "t"}')
    message = _refused(tmp_path, small_catalog, lines)
    assert "bad.jsonl:2: not valid JSON" in message
    assert f"bad.jsonl:{len(lines)}: praise names unknown walk 'nowhere'" in message


def test_names_are_limited_alike_on_every_way_in(tmp_path: Path, small_catalog: Path) -> None:
    """Review finding: one service cut walker names at 200 characters, another refused them."""
    lab = Lab.open(db=str(tmp_path / "t.db"), journeys=small_catalog)
    with pytest.raises(InvalidInput, match="longer than 200 characters"):
        services.get_or_create_walker(lab, name="N" * 201)
    from qualitylab.services.feedback import check_feedback

    values = {"journey": "buy", "step": "find", "text": "t", "walker": "N" * 201}
    with pytest.raises(InvalidInput, match="longer than 200 characters"):
        check_feedback(lab, values)
    lab.close()


def test_an_interrupted_import_completes_when_run_again(
    tmp_path: Path, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches commit one by one: a crash leaves part of the file; the same import again adds
    the rest, and the result is the same lab as an import that never stopped."""
    source = Lab.open(db=str(tmp_path / "source.db"), journeys=small_catalog)
    for name in ("Anna", "Boris", "Vera", "Gleb"):
        _fill(source, name)
    path = tmp_path / "all.jsonl"
    path.write_text(_export(source), encoding="utf-8")
    monkeypatch.setattr(transfer, "BATCH_RECORDS", 3)
    from qualitylab.store import transfer as store_transfer

    real = store_transfer.import_batch
    calls = {"n": 0}

    def crash_on_third(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        real(*args)

    target = Lab.open(db=str(tmp_path / "target.db"), journeys=small_catalog)
    monkeypatch.setattr(store_transfer, "import_batch", crash_on_third)
    with pytest.raises(RuntimeError):
        import_jsonl(target, path)
    partial = _export(target)
    assert 2 < partial.count("\n") < path.read_text().count("\n")
    monkeypatch.setattr(store_transfer, "import_batch", real)
    import_jsonl(target, path)
    assert _export(target) == _export(source)
    source.close()
    target.close()


def test_a_large_import_commits_in_batches(
    tmp_path: Path, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Lab.open(db=str(tmp_path / "source.db"), journeys=small_catalog)
    for name in ("Anna", "Boris", "Vera"):
        _fill(source, name)
    path = tmp_path / "all.jsonl"
    path.write_text(_export(source), encoding="utf-8")
    monkeypatch.setattr(transfer, "BATCH_RECORDS", 2)
    target = Lab.open(db=str(tmp_path / "target.db"), journeys=small_catalog)
    units = {"n": 0}
    real_unit = target.store.unit

    def counting_unit(**kwargs: Any) -> Any:
        if not kwargs.get("read_only"):
            units["n"] += 1
        return real_unit(**kwargs)

    monkeypatch.setattr(target.store, "unit", counting_unit)
    import_jsonl(target, path)
    records = path.read_text().count("\n") - 2  # not the header nor the end
    assert units["n"] == -(-records // 2)
    assert _export(target) == _export(source)
    source.close()
    target.close()


def test_a_failure_between_batches_says_to_run_the_import_again(
    tmp_path: Path,
    small_catalog: Path,
    server_gone_at: Callable[[int, int, str], Callable[[], None]],
) -> None:
    source = Lab.open(db=str(tmp_path / "source.db"), journeys=small_catalog)
    _fill(source)
    path = tmp_path / "all.jsonl"
    path.write_text(_export(source), encoding="utf-8")
    server_gone_at(2, 2, "database is unavailable: server closed the connection")
    target = Lab.open(db=str(tmp_path / "target.db"), journeys=small_catalog)
    with pytest.raises(QualityLabError, match="run the same import again to complete it"):
        import_jsonl(target, path)
    source.close()
    target.close()


def test_a_failure_before_any_batch_says_nothing_was_imported(
    tmp_path: Path, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Admin QA: an import into a database that could not be reached at all (or went away
    during its first batch) said "the import stopped part-way: what was imported before
    stays", when nothing had been imported."""
    from qualitylab.errors import StorageUnavailable
    from qualitylab.store import transfer as store_transfer

    source = Lab.open(db=str(tmp_path / "source.db"), journeys=small_catalog)
    _fill(source)
    path = tmp_path / "all.jsonl"
    path.write_text(_export(source), encoding="utf-8")

    def server_gone(*args: Any) -> None:
        raise StorageUnavailable("cannot open database postgresql://lab@db/lab: refused")

    monkeypatch.setattr(store_transfer, "import_batch", server_gone)
    target = Lab.open(db=str(tmp_path / "target.db"), journeys=small_catalog)
    with pytest.raises(QualityLabError) as raised:
        import_jsonl(target, path)
    assert str(raised.value).splitlines() == [
        "cannot open database postgresql://lab@db/lab: refused; nothing was imported: run the "
        "same import again once the database works",
    ]
    source.close()
    target.close()


def test_a_bad_walk_is_one_problem_not_one_per_pain_point(
    tmp_path: Path, small_catalog: Path, records: list[dict[str, Any]]
) -> None:
    line, walk = _first(records, "walk")
    walk["current_step"] = 10**30
    message = _refused(tmp_path, small_catalog, _dumps(records))
    assert message.splitlines() == [
        f"{tmp_path / 'bad.jsonl'}:{line}: walk record: current_step must be from 0 to 1000, "
        "not 10000000000000000000...; nothing was imported; correct that line, or export the "
        "lab again",
    ]
