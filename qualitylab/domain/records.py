"""The export record of each kind: the one typed model that export, import and the demo share.

A lab travels as JSON Lines, one record per line (``qualitylab export``). Every record that reaches
the database passes these models, so an import is exactly as strict as the app: the same length
limits (``domain.MAX_*``, which the walk services use too), whole numbers in sane ranges, finite
numbers, times within ``TIME_MIN``..``TIME_MAX`` converted to UTC, no NUL or lone surrogates in
text, and journey snapshots that hash to the hash they claim.

Each check raises ``PydanticCustomError`` with a sentence a person can act on; ``problems_of``
turns a ``ValidationError`` into those sentences ("walk record: nps must be from 0 to 10").
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from qualitylab.domain import (
    EASE_MAX,
    EASE_MIN,
    MAX_ATTACHMENT_BYTES,
    MAX_FILENAME_CHARS,
    MAX_ID_CHARS,
    MAX_JOURNEY_CHARS,
    MAX_MEDIA_TYPE_CHARS,
    MAX_NAME_CHARS,
    MAX_RELEASE_CHARS,
    MAX_SECONDS_SPENT,
    MAX_STEPS,
    MAX_TEXT_CHARS,
    MAX_TICKET_CHARS,
    MAX_UUID_CHARS,
    NPS_MAX,
    NPS_MIN,
    SEVERITY_MAX,
    SEVERITY_MIN,
    TIME_MAX,
    TIME_MIN,
    FixStatus,
    Outcome,
    WalkStatus,
    text_problem,
)

FORMAT = "qualitylab-export"
#: 2: the file ends with an ``end`` record counting its records, so a file cut short at a line
#: boundary (an interrupted copy, ``head``, a dropped ``ssh``) is refused instead of imported in
#: part. Files of version 1 (no end record) still import.
VERSION = 2
VERSIONS = (1, 2)


def _bad(message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError("qualitylab", message, context)


# ------------------------------------------------------------------------------------------ checks
def _text_check(max_len: int, *, required: bool) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise _bad("must be text")
        if required and not value:
            raise _bad("is empty")
        if len(value) > max_len:
            raise _bad(f"is longer than {max_len:,} characters ({len(value):,})")
        problem = text_problem(value)
        if problem:
            raise _bad(problem)
        return value

    return check


def _whole_check(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad("must be a whole number")
        if not low <= value <= high:
            shown = str(value) if len(str(value)) <= 20 else f"{str(value)[:20]}..."
            raise _bad(f"must be from {low} to {high}, not {shown}")
        return value

    return check


def _seconds_check(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad("must be a number of seconds")
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS_SPENT:
        raise _bad(f"must be a number of seconds from 0 to {MAX_SECONDS_SPENT:,.0f}")
    return float(value)


def _choice_check(choices: Iterable[str]) -> Callable[[Any], str]:
    allowed = tuple(str(c) for c in choices)

    def check(value: Any) -> str:
        if value not in allowed:
            raise _bad(f"{str(value)[:40]!r} is not one of {', '.join(allowed)}")
        return str(value)

    return check


def _flag_check(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _bad("must be true or false")
    return value


def parse_time(value: Any) -> datetime:
    """An ISO 8601 time (string or datetime) as an aware UTC datetime within the sane range.

    A time without a zone is UTC: that is how every qualitylab export writes them."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise _bad(f"{value[:40]!r} is not an ISO 8601 time") from None
    else:
        raise _bad("must be an ISO 8601 time string")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        utc = parsed.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not TIME_MIN <= utc < TIME_MAX:
        raise _bad(
            f"{str(value)[:40]!r} is outside {TIME_MIN.year}-{TIME_MAX.year - 1}; "
            "check the clock that wrote it"
        )
    return utc


def format_time(value: datetime) -> str:
    """How every time is written: UTC, ISO 8601, microseconds kept (export -> import is exact)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _journey_check(value: Any) -> str:
    content = _text_check(MAX_JOURNEY_CHARS, required=True)(value)
    from qualitylab.domain.catalog import Journey

    try:
        Journey.model_validate_json(content)
    except ValueError:
        raise _bad("is not a journey snapshot qualitylab can read") from None
    return content


def _base64_check(value: Any) -> str:
    if not isinstance(value, str):
        raise _bad("must be base64 text")
    if len(value) > (MAX_ATTACHMENT_BYTES + 2) // 3 * 4:
        raise _bad(f"is larger than the {MAX_ATTACHMENT_BYTES // 1_048_576} MB attachment limit")
    try:
        base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        raise _bad("is not valid base64") from None
    return value


# ------------------------------------------------------------------------------------------ types
def _checked(check: Callable[[Any], Any]) -> PlainValidator:
    return PlainValidator(check)


Uuid = Annotated[str, _checked(_text_check(MAX_UUID_CHARS, required=True))]
Id = Annotated[str, _checked(_text_check(MAX_ID_CHARS, required=True))]
Release = Annotated[str, _checked(_text_check(MAX_RELEASE_CHARS, required=True))]
Name = Annotated[str, _checked(_text_check(MAX_NAME_CHARS, required=True))]
ShortText = Annotated[str, _checked(_text_check(MAX_NAME_CHARS, required=False))]
Words = Annotated[str, _checked(_text_check(MAX_TEXT_CHARS, required=True))]
OptionalWords = Annotated[str, _checked(_text_check(MAX_TEXT_CHARS, required=False))]
Flag = Annotated[bool, _checked(_flag_check)]
Seconds = Annotated[float, _checked(_seconds_check)]
Position = Annotated[int, _checked(_whole_check(0, MAX_STEPS))]
Ease = Annotated[int, _checked(_whole_check(EASE_MIN, EASE_MAX))]
Nps = Annotated[int, _checked(_whole_check(NPS_MIN, NPS_MAX))]
SeverityLevel = Annotated[int, _checked(_whole_check(SEVERITY_MIN, SEVERITY_MAX))]
OutcomeName = Annotated[str, _checked(_choice_check(o.value for o in Outcome))]
WalkStatusName = Annotated[str, _checked(_choice_check(s.value for s in WalkStatus))]
FixStatusName = Annotated[str, _checked(_choice_check(s.value for s in FixStatus))]
WalkSource = Annotated[str, _checked(_choice_check(["walk", "feedback"]))]
Time = Annotated[datetime, _checked(parse_time), PlainSerializer(format_time, when_used="json")]


class Record(BaseModel):
    """Unknown fields are errors: a typo in a hand-edited file must not be dropped silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    def to_json(self) -> dict[str, Any]:
        """The record as plain JSON values, fields in their declared order (``type`` first)."""
        return self.model_dump(mode="json")


# ------------------------------------------------------------------------------------------ kinds
class HeaderRecord(Record):
    type: Literal["header"] = "header"
    format: Annotated[str, _checked(lambda v: _header_format(v))] = FORMAT
    version: Annotated[int, _checked(lambda v: _header_version(v))] = VERSION


def _header_format(value: Any) -> str:
    if value != FORMAT:
        raise _bad("this is not a qualitylab export (the header's format is wrong)")
    return FORMAT


def _header_version(value: Any) -> int:
    if value not in VERSIONS or isinstance(value, bool):
        raise _bad(
            f"export version {str(value)[:20]!r} is not supported (expected "
            f"{' or '.join(map(str, VERSIONS))}); a newer qualitylab made it: upgrade this one"
        )
    return int(value)


class EndRecord(Record):
    """The last line of a version 2 export: how many records came after its header."""

    type: Literal["end"] = "end"
    records: Annotated[int, _checked(_whole_check(0, 2**62))]


def _sha256_check(value: Any) -> str:
    """A browser walker's secret hash: 64 lowercase hex digits (anything else could never match)."""
    if not (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    ):
        raise _bad("must be 64 lowercase hexadecimal digits (a SHA-256)")
    return value


class WalkerRecord(Record):
    type: Literal["walker"] = "walker"
    uuid: Uuid
    name: Name
    department: ShortText = ""
    anonymous: Flag = False
    created_at: Time | None = None
    #: A browser walker's secret stays with its holder; the hash (of 256 random bits) moves with
    #: the lab so their personal link keeps working after a move. Absent for other walkers.
    secret_sha256: Annotated[str, _checked(_sha256_check)] | None = None

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        if data["secret_sha256"] is None:  # most walkers have none: keep their lines short
            del data["secret_sha256"]
        return data

    @model_validator(mode="before")
    @classmethod
    def _anonymous_has_no_department(cls, data: Any) -> Any:
        # Older labs kept the department of anonymous CLI/CSV feedback; it must not travel on.
        if isinstance(data, dict) and data.get("anonymous") is True and data.get("department"):
            return {**data, "department": ""}
        return data


class JourneyRecord(Record):
    type: Literal["journey"] = "journey"
    hash: Id
    journey_id: Id
    product_id: Id
    title: Words
    content: Annotated[str, _checked(_journey_check)]
    created_at: Time | None = None

    @model_validator(mode="after")
    def _content_is_what_the_hash_says(self) -> JourneyRecord:
        """Walks show the steps of the snapshot their hash names: a record whose content is not
        what its hash says would plant other steps under every later walk of that journey."""
        from qualitylab.domain.catalog import Journey

        journey = Journey.model_validate_json(self.content)
        actual = journey.content_hash()
        if actual != self.hash:
            raise _bad(
                f"hash {self.hash[:64]!r} does not match its content (which hashes to {actual})"
            )
        for name, claimed, real in (
            ("journey_id", self.journey_id, journey.id),
            ("product_id", self.product_id, journey.product),
            ("title", self.title, journey.title),
        ):
            if claimed != real:
                raise _bad(f"{name} {claimed[:40]!r} is not the content's ({real[:40]!r})")
        return self


class VisitRecord(Record):
    step_id: Id
    position: Position = 0
    outcome: OutcomeName | None = None
    ease: Ease | None = None
    seconds_spent: Seconds = 0.0
    entered_at: Time
    left_at: Time | None = None


class WalkRecord(Record):
    type: Literal["walk"] = "walk"
    uuid: Uuid
    journey_id: Id
    journey_hash: Id
    product_id: Id
    release: Release
    walker: Uuid
    status: WalkStatusName
    current_step: Position = 0
    started_at: Time
    finished_at: Time | None = None
    updated_at: Time | None = None
    nps: Nps | None = None
    closing_comment: OptionalWords = ""
    source: WalkSource = "walk"
    visits: Annotated[list[VisitRecord], Field(max_length=MAX_STEPS)] = []

    @property
    def last_change(self) -> datetime:
        return self.updated_at or self.started_at


class AttachmentRecord(Record):
    filename: Annotated[str, _checked(_text_check(MAX_FILENAME_CHARS, required=True))]
    media_type: Annotated[str, _checked(_text_check(MAX_MEDIA_TYPE_CHARS, required=True))] = (
        "application/octet-stream"
    )
    content_base64: Annotated[str, _checked(_base64_check)]

    @property
    def content(self) -> bytes:
        return base64.b64decode(self.content_base64, validate=True)


class PainPointRecord(Record):
    type: Literal["pain_point"] = "pain_point"
    uuid: Uuid
    walk: Uuid
    step_id: Id
    text: Words
    severity: SeverityLevel
    category: Id
    suggested_fix: OptionalWords = ""
    created_at: Time | None = None
    updated_at: Time | None = None
    attachment: AttachmentRecord | None = None


class PraiseRecord(Record):
    type: Literal["praise"] = "praise"
    uuid: Uuid
    walk: Uuid
    step_id: Id
    text: Words
    created_at: Time | None = None


class ClusterFixRecord(Record):
    type: Literal["cluster_fix"] = "cluster_fix"
    cluster_id: Id
    scope: ShortText = ""
    title: OptionalWords = ""
    status: FixStatusName
    release: Release | None = None
    note: OptionalWords = ""
    owner: ShortText = ""
    ticket: Annotated[str, _checked(_text_check(MAX_TICKET_CHARS, required=False))] = ""
    updated_at: Time | None = None


class FixCorrectionRecord(Record):
    """A person's merge or move (``qualitylab fix merge`` / ``move``), applied on top of every
    clustering; ``undone_at`` set when it was undone (the row itself is never dropped)."""

    type: Literal["fix_correction"] = "fix_correction"
    uuid: Uuid
    kind: Annotated[str, _checked(_choice_check(["merge", "move"]))]
    subject: Id
    target: Annotated[str, _checked(_text_check(MAX_ID_CHARS, required=False))] = ""
    by: ShortText = ""
    created_at: Time
    undone_at: Time | None = None
    undone_by: ShortText = ""


class FixDecisionEventRecord(Record):
    """One decision saved for a problem (``fix history``): ``cluster_fix`` keeps only the last,
    this keeps each, so a lab moved by export/import shows the same history."""

    type: Literal["fix_decision_event"] = "fix_decision_event"
    uuid: Uuid
    cluster_id: Id
    status: FixStatusName
    release: Release | None = None
    note: OptionalWords = ""
    owner: ShortText = ""
    ticket: Annotated[str, _checked(_text_check(MAX_TICKET_CHARS, required=False))] = ""
    by: ShortText = ""
    at: Time


DataRecord = (
    WalkerRecord
    | JourneyRecord
    | WalkRecord
    | PainPointRecord
    | PraiseRecord
    | ClusterFixRecord
    | FixCorrectionRecord
    | FixDecisionEventRecord
)
#: Kinds in the order an export writes them and an import adds them (references point back).
MODELS: dict[str, type[Record]] = {
    "walker": WalkerRecord,
    "journey": JourneyRecord,
    "walk": WalkRecord,
    "pain_point": PainPointRecord,
    "praise": PraiseRecord,
    "cluster_fix": ClusterFixRecord,
    "fix_correction": FixCorrectionRecord,
    "fix_decision_event": FixDecisionEventRecord,
}
KINDS = tuple(MODELS)


def key_of(record: DataRecord) -> str:
    """The id that makes a record "the same one" in another lab (uuid, hash or cluster id)."""
    if isinstance(record, JourneyRecord):
        return record.hash
    if isinstance(record, ClusterFixRecord):
        return record.cluster_id
    return record.uuid


# ------------------------------------------------------------------------------------------ parsing
class RecordProblem(ValueError):
    """One record that cannot be imported; ``str()`` is what is wrong, without the file:line."""


def parse_record(data: Any) -> HeaderRecord | EndRecord | DataRecord:
    """A parsed JSON line as its typed record; raises ``RecordProblem`` saying what is wrong."""
    if not isinstance(data, dict):
        raise RecordProblem("each line must be a JSON object")
    kind = data.get("type")
    framing: dict[str, type[Record]] = {"header": HeaderRecord, "end": EndRecord}
    model: type[Record] | None = framing.get(str(kind)) or MODELS.get(str(kind))
    if kind is None:  # {"bad": 1}: "unknown record type 'None'" named a type nobody wrote
        raise RecordProblem(f"a record without a 'type'; expected one of: {', '.join(KINDS)}")
    if model is None or not isinstance(kind, str):
        raise RecordProblem(
            f"unknown record type {str(kind)[:40]!r}; expected one of: {', '.join(KINDS)}"
        )
    try:
        return model.model_validate(data)  # type: ignore[return-value]
    except ValidationError as exc:
        raise RecordProblem("; ".join(problems_of(exc, f"{kind} record"))) from None


def problems_of(exc: ValidationError, what: str) -> list[str]:
    """Each error as a sentence; missing fields are listed together ("... is missing a, b")."""
    missing: dict[str, list[str]] = {}
    problems: list[str] = []
    for error in exc.errors(include_url=False):
        loc = [f"#{part + 1}" if isinstance(part, int) else str(part) for part in error["loc"]]
        if error["type"] == "missing":
            prefix = " ".join([what, *loc[:-1]])
            missing.setdefault(prefix, []).append(loc[-1])
            continue
        field = " ".join(loc)
        message = {
            "extra_forbidden": "is not a field of this record",
            "model_type": "must be an object",
            "model_attributes_type": "must be an object",
            "list_type": "must be a list",
            "too_long": f"holds more than {MAX_STEPS} items",
        }.get(error["type"], error["msg"])
        if not loc:
            problems.append(f"{what}: {message}")
        else:
            problems.append(f"{what}: {field} {message}")
    return [
        f"{prefix} is missing {', '.join(names)}" for prefix, names in missing.items()
    ] + problems
