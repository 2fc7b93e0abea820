"""The walk use-cases against SQLite and PostgreSQL: what a walker confirms is what is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qualitylab import services
from qualitylab.domain import Outcome, Severity, WalkStatus
from qualitylab.errors import InvalidInput, NotFound, StorageUnavailable
from qualitylab.services import Lab


def test_walk_from_start_to_finish_is_stored(lab: Lab) -> None:
    walker = services.get_or_create_walker(lab, name="Анна", department="Shop")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    assert walk.release == "2.0" and walk.status is WalkStatus.IN_PROGRESS

    services.enter_step(lab, walk.uuid, "find")
    first = services.log_pain_point(
        lab,
        walk_uuid=walk.uuid,
        step_id="find",
        text="  Price [bold]hidden[/bold]  ",
        severity=3,
        category="price/offer",
        suggested_fix="Show it first",
    )
    services.log_pain_point(
        lab,
        walk_uuid=walk.uuid,
        step_id="find",
        text="Slow",
        severity=Severity.MINOR,
        category="speed",
    )
    services.add_praise(lab, walk_uuid=walk.uuid, step_id="find", text="Nice photos")
    services.record_step(lab, walk.uuid, "find", outcome=Outcome.FRICTION, ease=3, seconds_spent=41)
    services.enter_step(lab, walk.uuid, "pay")
    services.record_step(lab, walk.uuid, "pay", outcome="blocked", ease=1, seconds_spent=90.5)
    services.edit_pain_point(lab, first.uuid, severity=4)
    done = services.finish_walk(lab, walk.uuid, nps=4, comment="Would not buy")

    assert done.status is WalkStatus.COMPLETED and done.nps == 4 and done.finished_at
    points = services.list_pain_points(lab, walk_uuid=walk.uuid)
    assert [(p.text, p.severity) for p in points] == [
        ("Price [bold]hidden[/bold]", Severity.BLOCKER),
        ("Slow", Severity.MINOR),
    ]
    assert points[0].suggested_fix == "Show it first" and points[0].release == "2.0"
    visits = {v.step_id: v for v in done.visits}
    assert visits["find"].outcome is Outcome.FRICTION and visits["find"].ease == 3
    assert visits["pay"].seconds_spent == 90.5
    summary = services.walk_summary(lab, walk.uuid)
    assert summary.steps_total == 3 and summary.steps_visited == 2
    assert summary.pain_points_by_severity[Severity.BLOCKER] == 1
    assert summary.praise_count == 1 and summary.seconds_total == 131.5
    assert [p.text for p in services.list_praise(lab, walk_uuid=walk.uuid)] == ["Nice photos"]


def test_resume_returns_the_open_walk_with_its_place(lab: Lab) -> None:
    walker = services.get_or_create_walker(lab, name="Bob")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    services.enter_step(lab, walk.uuid, "find")
    services.record_step(lab, walk.uuid, "find", seconds_spent=12)
    services.enter_step(lab, walk.uuid, "pay")

    lab.close()
    again = Lab.open(db=lab.db_url, journeys=lab.journeys_path)
    same_walker = services.get_or_create_walker(again, name="Bob")
    resumed = services.start_or_resume_walk(again, journey_id="buy", walker=same_walker)
    assert resumed.uuid == walk.uuid and resumed.current_step == 1
    visit = services.enter_step(again, resumed.uuid, "find")
    assert visit.seconds_spent == 12  # the timer continues from what was saved
    again.close()


def test_finished_walk_cannot_change_and_a_new_one_starts(lab: Lab) -> None:
    walker = services.get_or_create_walker(lab, name="Cy")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    services.abandon_walk(lab, walk.uuid)
    with pytest.raises(InvalidInput, match="abandoned"):
        services.log_pain_point(
            lab, walk_uuid=walk.uuid, step_id="find", text="x", severity=1, category="bug"
        )
    fresh = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    assert fresh.uuid != walk.uuid
    statuses = {w.uuid: w.status for w in services.list_walks(lab, walker_uuid=walker.uuid)}
    assert statuses == {walk.uuid: WalkStatus.ABANDONED, fresh.uuid: WalkStatus.IN_PROGRESS}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "   "}, "empty"),
        ({"severity": 5}, "severity must be a whole number from 1 to 4"),
        ({"severity": 0}, "from 1 to 4"),
        ({"category": "vibes"}, "unknown category 'vibes'"),
        ({"step_id": "nope"}, "has no step 'nope'"),
    ],
)
def test_bad_pain_points_are_refused_with_a_reason(
    lab: Lab, changes: dict[str, object], message: str
) -> None:
    walker = services.get_or_create_walker(lab, name="Di")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    values: dict[str, object] = {
        "walk_uuid": walk.uuid,
        "step_id": "find",
        "text": "ok",
        "severity": 2,
        "category": "bug",
        **changes,
    }
    with pytest.raises(InvalidInput, match=message):
        services.log_pain_point(lab, **values)  # type: ignore[arg-type]
    assert services.list_pain_points(lab, walk_uuid=walk.uuid) == []


def test_ease_and_nps_ranges(lab: Lab) -> None:
    walker = services.get_or_create_walker(lab, name="Ed")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    with pytest.raises(InvalidInput, match="ease"):
        services.record_step(lab, walk.uuid, "find", ease=8)
    with pytest.raises(InvalidInput, match="recommendation"):
        services.finish_walk(lab, walk.uuid, nps=11)
    assert services.get_walk(lab, walk.uuid).status is WalkStatus.IN_PROGRESS


def test_unknown_journey_and_ids(lab: Lab) -> None:
    walker = services.get_or_create_walker(lab, name="Fa")
    with pytest.raises(NotFound, match="unknown journey 'nope'; known journeys: buy"):
        services.start_or_resume_walk(lab, journey_id="nope", walker=walker)
    with pytest.raises(NotFound):
        services.delete_pain_point(lab, "00000000-0000-0000-0000-000000000000")
    with pytest.raises(NotFound):
        services.get_walk(lab, "missing")


def test_delete_pain_point_and_attachment(lab: Lab, tmp_path: Path) -> None:
    shot = tmp_path / "screen.png"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24  # the type is sniffed from these bytes
    shot.write_bytes(png)
    walker = services.get_or_create_walker(lab, name="Gu")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    point = services.log_pain_point(
        lab,
        walk_uuid=walk.uuid,
        step_id="pay",
        text="Card refused",
        severity=4,
        category="bug",
        attachment=shot,
    )
    assert point.attachment_name == "screen.png"
    from qualitylab.services.walks import pain_point_attachment

    assert pain_point_attachment(lab, point.uuid) == ("screen.png", "image/png", png)
    services.delete_pain_point(lab, point.uuid)
    assert services.list_pain_points(lab, walk_uuid=walk.uuid) == []


def test_attachment_limits(lab: Lab, tmp_path: Path) -> None:
    walker = services.get_or_create_walker(lab, name="Ha")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    big = tmp_path / "big.bin"
    with big.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    for path, message in [(big, "larger than 5 MB"), (tmp_path / "none.png", "cannot attach")]:
        with pytest.raises(InvalidInput, match=message):
            services.log_pain_point(
                lab,
                walk_uuid=walk.uuid,
                step_id="pay",
                text="x",
                severity=1,
                category="bug",
                attachment=path,
            )


def test_old_walks_keep_the_journey_they_were_walked_against(lab: Lab, small_catalog: Path) -> None:
    walker = services.get_or_create_walker(lab, name="Io")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    small_catalog.write_text(
        small_catalog.read_text().replace("Find the SIM offer", "Find the eSIM offer"),
        encoding="utf-8",
    )
    lab.reload_catalog()
    assert lab.catalog.journey("buy").steps[0].title == "Find the eSIM offer"
    assert services.walk_journey(lab, walk.uuid).steps[0].title == "Find the SIM offer"
    other = services.get_or_create_walker(lab, name="Jo")
    newer = services.start_or_resume_walk(lab, journey_id="buy", walker=other)
    assert newer.journey_hash != walk.journey_hash


def test_anonymous_walks_share_no_name_department_or_id(lab: Lab) -> None:
    """Issue 9 §7: a terminal anonymous walker had one fixed ``anonymous-<8 hex>`` walker per
    computer, linking all their walks. Now each anonymous walk has a walker of its own."""
    me = services.get_or_create_walker(lab, name="Secret", department="Legal", anonymous=True)
    assert me.anonymous and me.name == "" and me.department == "" and me.label == "anonymous"
    first = services.start_or_resume_walk(lab, journey_id="buy", walker=me)
    services.finish_walk(lab, first.uuid, nps=None)
    second = services.start_or_resume_walk(lab, journey_id="buy", walker=me)
    assert first.walker.uuid != second.walker.uuid
    for walk in (first, second):
        assert walk.walker.anonymous and walk.walker.department == ""
        assert "Secret" not in walk.walker.name
    # Resuming needs the walk ids the walker's own computer keeps; nobody else's open walk.
    someone_else = services.start_or_resume_walk(lab, journey_id="buy", walker=me)
    assert someone_else.uuid != second.uuid
    again = services.start_or_resume_walk(lab, journey_id="buy", walker=me, own_walks=[second.uuid])
    assert again.uuid == second.uuid
    mine = services.list_walks(lab, walk_uuids=[first.uuid, second.uuid])
    assert {w.uuid for w in mine} == {first.uuid, second.uuid}
    with pytest.raises(InvalidInput, match="display name"):
        services.get_or_create_walker(lab, name="  ")


def test_journey_snapshot_stored_by_another_walker_a_moment_ago_is_no_error(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two walkers starting a new journey at once both insert its snapshot; the loser must not
    lose its walk (on PostgreSQL it got a UniqueViolation and nothing was saved)."""
    from sqlmodel import Session

    from qualitylab.store.models import JourneySnapshotRow

    first = services.start_or_resume_walk(
        lab, journey_id="buy", walker=services.get_or_create_walker(lab, name="A")
    )
    real_get = Session.get

    def not_seen_yet(self: Session, entity: object, ident: object, **kw: object) -> object:
        if entity is JourneySnapshotRow:
            return None  # as if the other walker's insert was not committed when we looked
        return real_get(self, entity, ident, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Session, "get", not_seen_yet)
    second = services.start_or_resume_walk(
        lab, journey_id="buy", walker=services.get_or_create_walker(lab, name="B")
    )
    assert second.journey_hash == first.journey_hash
    assert {w.walker.name for w in services.list_walks(lab)} == {"A", "B"}


def test_a_release_longer_than_the_database_keeps_is_refused(lab: Lab) -> None:
    walker = services.get_or_create_walker(lab, name="A")
    with pytest.raises(InvalidInput, match="release is longer than 64"):
        services.start_or_resume_walk(lab, journey_id="buy", walker=walker, release="R" * 65)
    assert services.list_walks(lab) == []


def test_a_long_read_never_makes_a_walkers_save_wait(
    db_url: str, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export or a list holds no write lock: the save goes through at once and the read keeps
    its consistent view (it used to be BEGIN IMMEDIATE, so saves waited up to 30 s, then failed)."""
    from qualitylab.store import engine

    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    reader = Lab.open(db=db_url, journeys=small_catalog)
    writer = Lab.open(db=db_url, journeys=small_catalog)
    walk = services.start_or_resume_walk(
        writer, journey_id="buy", walker=services.get_or_create_walker(writer, name="A")
    )
    with reader.store.unit(read_only=True) as u:
        before = u.counts()["pain_points"]
        services.log_pain_point(
            writer, walk_uuid=walk.uuid, step_id="pay", text="saved", severity=2, category="bug"
        )
        assert u.counts()["pain_points"] == before
    assert [p.text for p in services.list_pain_points(reader)] == ["saved"]
    reader.close()
    writer.close()


def test_a_finished_walk_refuses_edits_and_deletes_too(lab: Lab) -> None:
    walker = services.get_or_create_walker(lab, name="Ky")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    point = services.log_pain_point(
        lab, walk_uuid=walk.uuid, step_id="find", text="kept", severity=2, category="bug"
    )
    services.finish_walk(lab, walk.uuid, nps=5)
    with pytest.raises(InvalidInput, match="completed"):
        services.edit_pain_point(lab, point.uuid, text="changed later")
    with pytest.raises(InvalidInput, match="completed"):
        services.delete_pain_point(lab, point.uuid)
    with pytest.raises(InvalidInput, match="severity"):
        services.log_pain_point(
            lab, walk_uuid=walk.uuid, step_id="find", text="x", severity=True, category="bug"
        )
    assert [p.text for p in services.list_pain_points(lab, walk_uuid=walk.uuid)] == ["kept"]


def test_a_pain_point_saved_again_under_its_id_is_stored_once(lab: Lab) -> None:
    walker = services.get_or_create_walker(lab, name="Anna")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    uuid = "11111111-1111-4111-8111-111111111111"

    def save() -> object:
        return services.log_pain_point(
            lab, walk_uuid=walk.uuid, step_id="find", text="blank", severity=2, category="bug",
            uuid=uuid,
        )  # fmt: skip

    first, again = save(), save()
    assert again == first
    assert [p.uuid for p in services.list_pain_points(lab)] == [uuid]


def test_praise_saved_again_under_its_id_is_stored_once(lab: Lab) -> None:
    walker = services.get_or_create_walker(lab, name="Anna")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    uuid = "22222222-2222-4222-8222-222222222222"

    def save() -> object:
        return services.add_praise(lab, walk_uuid=walk.uuid, step_id="find", text="fast", uuid=uuid)

    first, again = save(), save()
    assert again == first
    assert [p.uuid for p in services.list_praise(lab, walk_uuid=walk.uuid)] == [uuid]
    other = services.start_or_resume_walk(
        lab, journey_id="buy", walker=services.get_or_create_walker(lab, name="Boris")
    )
    with pytest.raises(InvalidInput, match="is taken"):
        services.add_praise(lab, walk_uuid=other.uuid, step_id="find", text="x", uuid=uuid)


def _notes(lab: Lab, walk_uuid: str) -> tuple[list[str], list[str]]:
    points = services.list_pain_points(lab, walk_uuid=walk_uuid)
    return [p.text for p in points], [
        p.text for p in services.list_praise(lab, walk_uuid=walk_uuid)
    ]


def test_a_delete_whose_commit_answer_was_lost_is_done_when_tried_again(
    lab: Lab, tmp_path: Path, commit_answer_lost: Any
) -> None:
    """The walk app names its walk; then a note already gone was deleted (by the attempt whose
    answer was lost), not "no pain point with id ..."."""
    shot = tmp_path / "screen.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 24)
    walk = services.start_or_resume_walk(
        lab, journey_id="buy", walker=services.get_or_create_walker(lab, name="Anna")
    )
    gone = services.log_pain_point(
        lab, walk_uuid=walk.uuid, step_id="find", text="blank", severity=2, category="bug",
        attachment=shot,
    )  # fmt: skip
    services.log_pain_point(
        lab, walk_uuid=walk.uuid, step_id="find", text="kept", severity=2, category="bug"
    )
    praise = services.add_praise(lab, walk_uuid=walk.uuid, step_id="find", text="fast")
    services.add_praise(lab, walk_uuid=walk.uuid, step_id="find", text="kept too")
    for delete, uuid in (
        (services.delete_pain_point, gone.uuid),
        (services.delete_praise, praise.uuid),
    ):
        commit_answer_lost.arm()
        with pytest.raises(StorageUnavailable):
            delete(lab, uuid, walk_uuid=walk.uuid)
        delete(lab, uuid, walk_uuid=walk.uuid)  # the app's retry
    assert commit_answer_lost.lost == 2
    assert _notes(lab, walk.uuid) == (["kept"], ["kept too"])
    with pytest.raises(NotFound, match="no pain point with id"):  # a script's unknown id
        services.delete_pain_point(lab, gone.uuid)
    with pytest.raises(NotFound, match="no praise with id"):
        services.delete_praise(lab, praise.uuid)


def test_a_walker_cannot_delete_or_edit_another_walkers_notes(lab: Lab) -> None:
    anna = services.start_or_resume_walk(
        lab, journey_id="buy", walker=services.get_or_create_walker(lab, name="Anna")
    )
    boris = services.start_or_resume_walk(
        lab, journey_id="buy", walker=services.get_or_create_walker(lab, name="Boris")
    )
    point = services.log_pain_point(
        lab, walk_uuid=anna.uuid, step_id="find", text="Anna's", severity=2, category="bug"
    )
    praise = services.add_praise(lab, walk_uuid=anna.uuid, step_id="find", text="Anna's too")
    with pytest.raises(InvalidInput, match="not yours to delete"):
        services.delete_pain_point(lab, point.uuid, walk_uuid=boris.uuid)
    with pytest.raises(InvalidInput, match="not yours to delete"):
        services.delete_praise(lab, praise.uuid, walk_uuid=boris.uuid)
    with pytest.raises(InvalidInput, match="not yours to edit"):
        services.edit_pain_point(lab, point.uuid, text="Boris was here", walk_uuid=boris.uuid)
    assert _notes(lab, anna.uuid) == (["Anna's"], ["Anna's too"])
    services.edit_pain_point(lab, point.uuid, text="Anna's, clearer", walk_uuid=anna.uuid)
    assert _notes(lab, anna.uuid) == (["Anna's, clearer"], ["Anna's too"])
    services.edit_pain_point(lab, point.uuid, text="Anna's")
    services.finish_walk(lab, anna.uuid, nps=5)
    with pytest.raises(InvalidInput, match="completed"):  # named by its own walk, still closed
        services.delete_praise(lab, praise.uuid, walk_uuid=anna.uuid)
    assert _notes(lab, anna.uuid) == (["Anna's"], ["Anna's too"])


def test_a_finish_or_abandon_whose_commit_answer_was_lost_is_done_when_tried_again(
    lab: Lab, commit_answer_lost: Any
) -> None:
    walker = services.get_or_create_walker(lab, name="Anna")
    walk = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    commit_answer_lost.arm()
    with pytest.raises(StorageUnavailable):
        services.finish_walk(lab, walk.uuid, nps=8, comment=" Good ")
    done = services.finish_walk(lab, walk.uuid, nps=8, comment=" Good ")  # the app's retry
    assert (done.status, done.nps, done.closing_comment) == (WalkStatus.COMPLETED, 8, "Good")
    for other in ({"nps": 3, "comment": "Good"}, {"nps": 8, "comment": "Bad"}, {"nps": None}):
        with pytest.raises(InvalidInput, match="completed; it can no longer change"):
            services.finish_walk(lab, walk.uuid, **other)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="completed"):
        services.abandon_walk(lab, walk.uuid)
    assert services.get_walk(lab, walk.uuid).finished_at == done.finished_at

    second = services.start_or_resume_walk(lab, journey_id="buy", walker=walker)
    commit_answer_lost.arm()
    with pytest.raises(StorageUnavailable):
        services.abandon_walk(lab, second.uuid)
    assert services.abandon_walk(lab, second.uuid).status is WalkStatus.ABANDONED
    with pytest.raises(InvalidInput, match="abandoned"):
        services.finish_walk(lab, second.uuid, nps=None)
    assert commit_answer_lost.lost == 2
