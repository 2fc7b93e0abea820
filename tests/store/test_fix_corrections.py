"""Corrections that last: merges and moves survive new feedback and re-clustering, travel through
export/import, are undoable, and decisions keep owner, ticket and a history (issue 11)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_fixes_service import FakeEngine, release_10, walk

from qualitylab.domain import FixItem, FixStatus, Outcome
from qualitylab.errors import InvalidInput, NotFound
from qualitylab.services import Lab
from qualitylab.services.corrections import (
    list_corrections,
    merge_problems,
    move_report,
    move_reports,
    problem_history,
    split_reports,
    undo_correction,
    unmerge,
)
from qualitylab.services.fixes import (
    build_fix_report,
    compare_releases,
    explain_fix,
    one_off_reports,
    set_fix_status,
)
from qualitylab.services.transfer import export_jsonl, import_jsonl


@pytest.fixture
def lab(db_url: str, fixes_catalog: Path) -> Iterator[Lab]:
    opened = Lab.open(db=db_url, journeys=fixes_catalog)
    yield opened
    opened.close()


def items(lab: Lab, engine: FakeEngine | None = None) -> dict[str, FixItem]:
    report = build_fix_report(lab, cluster_fn=engine or FakeEngine())
    return {i.cluster.id: i for i in report.items}


def report_of(lab: Lab, text: str) -> str:
    report = build_fix_report(lab, cluster_fn=FakeEngine())
    return next(r.uuid for i in report.items for r in report.reports_of(i) if r.text == text)


def more_feedback(lab: Lab) -> None:
    walk(lab, "w4", "1.1", {"a": (Outcome.BLOCKED, 2)}, [("a", "pay: still rejected", 4)])
    walk(lab, "w5", "1.1", {"b": (Outcome.DONE, 5)}, [("b", "menu: where is it", 2)])


def test_a_merge_survives_new_feedback_and_reclustering_and_can_be_undone(lab: Lab) -> None:
    release_10(lab)
    items(lab)
    (merge,) = merge_problems(lab, "c-pay", ["c-menu"], by="anna")
    merged = items(lab)
    assert "c-menu" not in merged
    assert merged["c-pay"].pain_points == 4 and merged["c-pay"].merged == (("c-menu", "menu"),)
    engine = FakeEngine()
    more_feedback(lab)
    after = items(lab, engine)
    assert engine.calls, "new feedback must re-cluster"
    assert "c-menu" not in after and after["c-pay"].pain_points == 6
    with pytest.raises(NotFound, match="c-menu was merged into c-pay"):
        explain_fix(lab, "c-menu", cluster_fn=FakeEngine())
    assert [c.uuid for c in unmerge(lab, "c-menu", by="boris")] == [merge.uuid]
    apart = items(lab)
    assert apart["c-menu"].pain_points == 3 and apart["c-pay"].merged == ()
    history = [h.what for h in problem_history(lab, "c-menu")]
    assert history == ["merged c-menu into c-pay", "undid: merged c-menu into c-pay"]


def test_moves_in_and_out_last_and_undo_takes_back_the_latest(lab: Lab) -> None:
    release_10(lab)
    grey = report_of(lab, "pay: button grey")
    out = move_report(lab, grey[:8], None)  # a short id is enough
    solo = next(cid for cid in items(lab) if cid.startswith("one-off-"))
    solo_report = items(lab)[solo].cluster.members[0]
    move_report(lab, solo_report, "c-menu")
    more_feedback(lab)
    after = items(lab)
    assert after["c-pay"].moved_out == (grey,) and after["c-pay"].pain_points == 2
    assert solo not in after and after["c-menu"].moved_in == (solo_report,)
    assert "pay: button grey" not in after["c-pay"].cluster.quotes
    (undone,) = undo_correction(lab)
    assert undone.target == "c-menu" and undone.undone_at is not None
    assert solo in items(lab)
    undo_correction(lab, out.uuid[:8])
    assert items(lab)["c-pay"].pain_points == 3 and not list_corrections(lab, include_undone=False)
    with pytest.raises(NotFound, match="no correction to undo"):
        undo_correction(lab)


def test_bad_corrections_are_one_clear_error(lab: Lab) -> None:
    release_10(lab)
    items(lab)
    with pytest.raises(NotFound, match="no problem 'c-nope'"):
        merge_problems(lab, "c-pay", ["c-nope"])
    merge_problems(lab, "c-pay", ["c-menu"])
    with pytest.raises(InvalidInput, match="already part of c-pay"):
        merge_problems(lab, "c-menu", ["c-pay"])
    with pytest.raises(InvalidInput, match="too short"):
        move_report(lab, "ab", "c-pay")
    with pytest.raises(NotFound, match="no report"):
        move_report(lab, "ffffffffff", "c-pay")
    with pytest.raises(NotFound, match="not merged"):
        unmerge(lab, "c-nope")


def test_owner_ticket_and_decision_history(lab: Lab) -> None:
    release_10(lab)
    items(lab)
    set_fix_status(lab, "c-pay", "planned", note="sprint 12", by="anna")
    decision = set_fix_status(lab, "c-pay", owner="Payments team", ticket="PAY-123", by="boris")
    record = decision.record
    assert (record.status, record.note, record.owner, record.ticket) == (
        FixStatus.PLANNED, "sprint 12", "Payments team", "PAY-123",
    )  # fmt: skip
    pay = items(lab)["c-pay"]
    assert (pay.owner, pay.ticket) == ("Payments team", "PAY-123")
    lines = problem_history(lab, "c-pay")
    assert [h.by for h in lines] == ["anna", "boris"]
    assert "ticket PAY-123" in lines[1].what
    with pytest.raises(InvalidInput, match="not a tracker key"):
        set_fix_status(lab, "c-pay", ticket="drop table; --")


def test_corrections_and_owners_travel_through_export_and_import(
    lab: Lab, tmp_path: Path, fixes_catalog: Path
) -> None:
    release_10(lab)
    items(lab)
    merge_problems(lab, "c-pay", ["c-menu"], by="anna")
    grey = report_of(lab, "pay: button grey")
    move = move_report(lab, grey, None)
    set_fix_status(lab, "c-pay", owner="Payments team", ticket="PAY-123")
    path = tmp_path / "lab.jsonl"
    with path.open("w", encoding="utf-8") as out:
        export_jsonl(lab, out)
    other = Lab.open(db=f"sqlite:///{tmp_path / 'other.db'}", journeys=fixes_catalog)
    try:
        added = import_jsonl(other, path)
        assert added["added"]["fix_correction"] == 2
        moved = items(other)
        assert moved["c-pay"].merged == (("c-menu", "menu"),) and moved["c-pay"].moved_out == (
            grey,
        )
        assert (moved["c-pay"].owner, moved["c-pay"].ticket) == ("Payments team", "PAY-123")
        assert import_jsonl(other, path)["skipped"]["fix_correction"] == 2  # idempotent
        undo_correction(lab, move.uuid)  # undone in the first lab, then imported again
        with path.open("w", encoding="utf-8") as out:
            export_jsonl(lab, out)
        assert import_jsonl(other, path)["updated"]["fix_correction"] == 1
        assert items(other)["c-pay"].moved_out == ()
    finally:
        other.close()


def test_decision_history_travels_through_export_and_import_once(
    lab: Lab, tmp_path: Path, fixes_catalog: Path
) -> None:
    """``fix history`` reads the same in a lab the export went into (it did not: the decision
    events stayed behind), importing twice adds nothing, and ``--anonymize`` drops the names."""
    release_10(lab)
    items(lab)
    set_fix_status(lab, "c-pay", "planned", note="sprint 12", by="anna")
    set_fix_status(lab, "c-pay", owner="Payments team", ticket="PAY-123", by="boris")
    path = tmp_path / "lab.jsonl"
    with path.open("w", encoding="utf-8") as out:
        counts = export_jsonl(lab, out)
    assert counts["fix_decision_event"] == 2
    other = Lab.open(db=f"sqlite:///{tmp_path / 'other.db'}", journeys=fixes_catalog)
    try:
        assert import_jsonl(other, path)["added"]["fix_decision_event"] == 2
        items(other)
        set_fix_status(other, "c-menu", "wont_fix", note="by design", by="chloe")
        assert import_jsonl(other, path)["skipped"]["fix_decision_event"] == 2
        here = [(h.at, h.what, h.by) for h in problem_history(lab, "c-pay")]
        assert [(h.at, h.what, h.by) for h in problem_history(other, "c-pay")] == here
        assert [h.by for h in problem_history(other, "c-pay")] == ["anna", "boris"]
        assert [h.by for h in problem_history(other, "c-menu")] == ["chloe"]
    finally:
        other.close()
    anonymous = tmp_path / "anon.jsonl"
    with anonymous.open("w", encoding="utf-8") as out:
        export_jsonl(lab, out, anonymize=True)
    records = [json.loads(line) for line in anonymous.read_text(encoding="utf-8").splitlines()]
    events = [r for r in records if r["type"] == "fix_decision_event"]
    assert [(e["by"], e["owner"], e["ticket"]) for e in events] == [
        ("", "", ""),
        ("", "", "PAY-123"),
    ]
    decisions = [r for r in records if r["type"] == "cluster_fix"]
    assert [(d["owner"], d["ticket"]) for d in decisions] == [("", "PAY-123")]


def test_one_offs_are_listed_worst_first_and_can_be_attached(lab: Lab) -> None:
    release_10(lab)
    walk(lab, "w6", "1.0", {"a": (Outcome.DONE, 6)}, [("a", "odd: font too small", 1)])
    alone = one_off_reports(lab, cluster_fn=FakeEngine())
    assert [p.text for p in alone] == ["solo: app crashed", "odd: font too small"]
    move_report(lab, alone[1].uuid, "c-pay")
    assert [p.text for p in one_off_reports(lab, cluster_fn=FakeEngine())] == ["solo: app crashed"]


def test_compare_shows_a_merged_problem_as_one_row(lab: Lab) -> None:
    """Issue 11: in compare, one problem listed apart showed as several rows."""
    release_10(lab)
    more_feedback(lab)
    engine = FakeEngine()
    before = compare_releases(lab, from_release="1.0", to_release="1.1", cluster_fn=engine)
    assert {c.cluster_id for c in before} >= {"c-pay", "c-menu"}
    merge_problems(lab, "c-pay", ["c-menu"])
    after = compare_releases(lab, from_release="1.0", to_release="1.1", cluster_fn=engine)
    rows = [(c.cluster_id, c.kind, c.from_count, c.to_count) for c in after]
    assert ("c-pay", "persisting", 4, 2) in rows and not any(r[0] == "c-menu" for r in rows)


def test_several_reports_move_together_or_not_at_all(lab: Lab) -> None:
    release_10(lab)
    grey, card = report_of(lab, "pay: button grey"), report_of(lab, "pay: card rejected")
    with pytest.raises(NotFound):
        move_reports(lab, [grey, "ffffffffff"], None)
    assert list_corrections(lab) == []
    moved = move_reports(lab, [grey[:8], card[:8]], None, by="anna")
    assert [c.subject for c in moved] == [grey, card] and {c.by for c in moved} == {"anna"}
    assert "c-pay" not in items(lab)


def test_a_mixed_problem_is_split_and_the_new_problem_is_a_problem_like_any(lab: Lab) -> None:
    """Issue 11: #2 joined "looks like a scam" with "link expired"; split the strays off."""
    release_10(lab)
    walk(lab, "w6", "1.0", {"a": (Outcome.DONE, 5)}, [("a", "pay: link expired", 3)])
    walk(lab, "w7", "1.0", {"a": (Outcome.DONE, 5)}, [("a", "pay: link expired again", 3)])
    strays = [report_of(lab, "pay: link expired"), report_of(lab, "pay: link expired again")]
    done = split_reports(lab, [s[:8] for s in strays], by="anna")
    new = done[0].target
    assert new.startswith("s-") and {c.target for c in done} == {new}
    after = items(lab)
    assert after["c-pay"].pain_points == 2 and after[new].pain_points == 2
    assert after[new].cluster.title == "pay: link expired" and after[new].walkers == 2
    more_feedback(lab)  # re-clustering keeps the split
    assert items(lab, FakeEngine())[new].pain_points == 2
    set_fix_status(lab, new, "planned", ticket="LINK-7")
    assert items(lab)[new].ticket == "LINK-7"
    merge_problems(lab, "c-pay", [new])
    assert new not in items(lab) and items(lab)["c-pay"].pain_points == 5
    undo_correction(lab)
    assert items(lab)[new].pain_points == 2


def test_each_change_saved_again_under_its_id_is_stored_once(lab: Lab) -> None:
    """Review of issue 9: the triage app saves a change again when the connection dropped, and
    the drop may come after the COMMIT went through. Saved again under the id made when the
    person confirmed it, a merge, a move (of several reports), a split, a decision and an undo
    are each stored once, and return what the first save stored."""
    release_10(lab)
    items(lab)
    ids = iter(f"{n}0000000-0000-4000-8000-000000000000" for n in range(1, 9))
    grey, card = report_of(lab, "pay: button grey"), report_of(lab, "pay: card rejected")

    def twice(change: Any, *args: Any, **kwargs: Any) -> Any:
        key = next(ids)
        first, again = (
            change(lab, *args, uuid=key, **kwargs),
            change(lab, *args, uuid=key, **kwargs),
        )
        assert again == first
        return first

    merged = twice(merge_problems, "c-pay", ["c-menu"])  # again: not "already part of c-pay"
    assert [c.uuid for c in merged] == ["10000000-0000-4000-8000-000000000000"]
    moved = twice(move_reports, [grey[:8], card[:8]], None)
    assert len({c.uuid for c in moved}) == 2
    twice(split_reports, [grey, card])
    twice(set_fix_status, "c-pay", "planned", owner="Olga")
    undone = twice(undo_correction)  # the split, whole: both its moves
    assert [(c.kind, c.target[:2]) for c in undone] == [("move", "s-"), ("move", "s-")]
    assert [c.active for c in list_corrections(lab)] == [True, True, True, False, False]
    decided = [h.what for h in problem_history(lab, "c-pay") if h.what.startswith("set ")]
    assert decided == ["set status planned, owner Olga"]
    assert twice(unmerge, "c-menu")[0].uuid == merged[0].uuid
    assert [c.active for c in list_corrections(lab)] == [False, True, True, False, False]
    with pytest.raises(InvalidInput, match="taken by another change"):
        move_report(lab, grey, "c-pay", uuid=merged[0].uuid)


def test_a_change_whose_commit_answer_was_lost_is_stored_once_when_saved_again(
    lab: Lab, commit_answer_lost: Any
) -> None:
    """The real thing on both databases: COMMIT went through, its answer did not. The error says
    the change may be saved (not "nothing was saved"), and saving again under the same id finds
    it: one merge, one decision event."""
    from qualitylab.errors import StorageUnavailable

    release_10(lab)
    items(lab)
    key, decided = "3f2a91c4-0d6e-4b8e-9a51-1c2d3e4f5a6b", "6f2a91c4-0d6e-4b8e-9a51-1c2d3e4f5a6b"
    commit_answer_lost.arm()
    with pytest.raises(StorageUnavailable, match="may or may not be saved"):
        merge_problems(lab, "c-pay", ["c-menu"], uuid=key)
    (merge,) = merge_problems(lab, "c-pay", ["c-menu"], uuid=key.upper())
    assert merge.uuid == key and len(list_corrections(lab)) == 1
    commit_answer_lost.arm()
    with pytest.raises(StorageUnavailable, match="may or may not be saved"):
        set_fix_status(lab, "c-pay", owner="Olga", uuid=decided)
    assert set_fix_status(lab, "c-pay", owner="Olga", uuid=decided).record.owner == "Olga"
    decisions = [h for h in problem_history(lab, "c-pay") if h.what.startswith("set ")]
    assert len(decisions) == 1 and commit_answer_lost.lost == 2
    with pytest.raises(InvalidInput, match="not a UUID"):
        merge_problems(lab, "c-pay", ["c-menu"], uuid="again")
