"""Properties of the export record model (``domain.records``): any valid record survives
export -> import unchanged, and any damaged one is a ``RecordProblem`` (a sentence for the
FILE:LINE message), never an unexpected exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualitylab.domain import MAX_NAME_CHARS, TIME_MAX, TIME_MIN, jsonout
from qualitylab.domain.records import MODELS, RecordProblem, parse_record

TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
NONEMPTY = TEXT.filter(bool)
ID = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1,
             max_size=64)  # fmt: skip
UUID = st.uuids().map(str)
TIME = st.datetimes(
    min_value=TIME_MIN.replace(tzinfo=None),
    max_value=TIME_MAX.replace(tzinfo=None, microsecond=0).replace(year=2099),
    timezones=st.just(UTC),
).map(lambda t: t.isoformat())
MAYBE_TIME = st.none() | TIME
SECONDS = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)

VISIT = st.fixed_dictionaries(
    {
        "step_id": ID,
        "position": st.integers(0, 1000),
        "outcome": st.sampled_from([None, "done", "done_with_friction", "blocked", "skipped"]),
        "ease": st.none() | st.integers(1, 7),
        "seconds_spent": SECONDS,
        "entered_at": TIME,
        "left_at": MAYBE_TIME,
    }
)
RECORDS: dict[str, Any] = {
    "walker": st.fixed_dictionaries(
        {
            "type": st.just("walker"),
            "uuid": UUID,
            "name": NONEMPTY.map(lambda t: t[:MAX_NAME_CHARS]),
            "department": st.just(""),
            "anonymous": st.booleans(),
            "created_at": MAYBE_TIME,
        }
    )
    | st.fixed_dictionaries(
        {
            "type": st.just("walker"),
            "uuid": UUID,
            "name": NONEMPTY.map(lambda t: t[:MAX_NAME_CHARS]),
            "secret_sha256": st.binary(min_size=32, max_size=32).map(bytes.hex),
        }
    ),
    "walk": st.fixed_dictionaries(
        {
            "type": st.just("walk"),
            "uuid": UUID,
            "journey_id": ID,
            "journey_hash": ID,
            "product_id": ID,
            "release": ID,
            "walker": UUID,
            "status": st.sampled_from(["in_progress", "completed", "abandoned"]),
            "current_step": st.integers(0, 1000),
            "started_at": TIME,
            "finished_at": MAYBE_TIME,
            "updated_at": MAYBE_TIME,
            "nps": st.none() | st.integers(0, 10),
            "closing_comment": TEXT,
            "source": st.sampled_from(["walk", "feedback"]),
            "visits": st.lists(VISIT, max_size=3),
        }
    ),
    "pain_point": st.fixed_dictionaries(
        {
            "type": st.just("pain_point"),
            "uuid": UUID,
            "walk": UUID,
            "step_id": ID,
            "text": NONEMPTY,
            "severity": st.integers(1, 4),
            "category": ID,
            "suggested_fix": TEXT,
            "created_at": MAYBE_TIME,
            "updated_at": MAYBE_TIME,
            "attachment": st.none()
            | st.fixed_dictionaries(
                {
                    "filename": NONEMPTY,
                    "media_type": st.just("image/png"),
                    "content_base64": st.just("AAEC"),
                }
            ),
        }
    ),
    "praise": st.fixed_dictionaries(
        {
            "type": st.just("praise"),
            "uuid": UUID,
            "walk": UUID,
            "step_id": ID,
            "text": NONEMPTY,
            "created_at": MAYBE_TIME,
        }
    ),
    "cluster_fix": st.fixed_dictionaries(
        {
            "type": st.just("cluster_fix"),
            "cluster_id": ID,
            "scope": TEXT,
            "title": TEXT,
            "status": st.sampled_from(["open", "planned", "fixed", "wont_fix"]),
            "release": st.none() | ID,
            "note": TEXT,
            "owner": TEXT,
            "ticket": TEXT,
            "updated_at": MAYBE_TIME,
        }
    ),
    "fix_correction": st.fixed_dictionaries(
        {
            "type": st.just("fix_correction"),
            "uuid": UUID,
            "kind": st.sampled_from(["merge", "move"]),
            "subject": ID,
            "target": st.just("") | ID,
            "by": TEXT,
            "created_at": TIME,
            "undone_at": MAYBE_TIME,
            "undone_by": TEXT,
        }
    ),
    "fix_decision_event": st.fixed_dictionaries(
        {
            "type": st.just("fix_decision_event"),
            "uuid": UUID,
            "cluster_id": ID,
            "status": st.sampled_from(["open", "planned", "fixed", "wont_fix"]),
            "release": st.none() | ID,
            "note": TEXT,
            "owner": TEXT,
            "ticket": TEXT,
            "by": TEXT,
            "at": TIME,
        }
    ),
}
VALID = st.one_of(*RECORDS.values())
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(VALID)
def test_any_valid_record_round_trips_byte_for_byte(data: dict[str, Any]) -> None:
    record = parse_record(data)
    line = jsonout.dumps(record.to_json(), compact=True)
    again = parse_record(json.loads(line))
    assert again == record
    assert jsonout.dumps(again.to_json(), compact=True) == line
    assert set(line) & set("\u202e\x85") == set()


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID, st.data())
def test_a_damaged_record_is_a_record_problem_never_a_crash(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    field = draw.draw(st.sampled_from([*data, "surprise"]))
    damaged = {**data, field: draw.draw(JSON)}
    try:
        parse_record(damaged)
    except RecordProblem as problem:
        assert str(problem) and "\n" not in str(problem)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_any_json_value_is_a_record_or_a_problem(value: Any) -> None:
    try:
        parse_record(value)
    except RecordProblem:
        pass


def test_every_kind_is_covered() -> None:
    assert set(RECORDS) | {"journey"} == set(MODELS)
    assert datetime.fromisoformat("2000-01-01T00:00:00+00:00") == TIME_MIN
