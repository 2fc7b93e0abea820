"""Fix status and releases: decisions per cluster, regressions, and changes between releases.

Pure: the caller loads the team's decisions (``FixRecord``) and the members' releases; nothing here
touches a database. Releases are ordered by natural version sort, so "4.9" < "5.0" < "5.10" and
"2026.10" < "2026.11" — a plain string sort would put "5.10" before "5.9".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from qualitylab.domain import (
    MAX_RELEASE_CHARS,
    RELEASE_RULE,
    FixItem,
    FixStatus,
    release_problem,
)
from qualitylab.errors import InvalidInput

_RUNS = re.compile(r"\d+|[^\d]+")


def release_key(release: str) -> tuple[tuple[int, int, str], ...]:
    """Natural sort key: digit runs compare as numbers, other runs as case-folded text.

    Each run becomes ``(kind, number, text)`` so numbers and words never compare with each other
    (a number sorts before a word at the same position). The empty release sorts first.
    """
    key: list[tuple[int, int, str]] = []
    for run in _RUNS.findall(release.strip()):
        if run.isdecimal():  # exactly what \d matched; "²".isdigit() is True but int() fails
            key.append((0, int(run), ""))
        else:
            key.append((1, 0, run.casefold()))
    return tuple(key)


def sort_releases(releases: Iterable[str]) -> tuple[str, ...]:
    """Distinct non-empty releases, oldest first."""
    return tuple(sorted({r for r in releases if r}, key=lambda r: (release_key(r), r)))


def check_release(release: str, what: str = "the release") -> str:
    """``release`` stripped, or ``InvalidInput`` in one line naming what is allowed
    (``domain.RELEASE_RULE``): empty, multi-line, control characters, absurdly long are refused.
    The one check for a release someone types: a decision's, a walk's, a logged pain point's."""
    cleaned = release.strip()
    problem = release_problem(cleaned)
    if problem is not None:
        raise InvalidInput(
            f"{what} {problem}; {RELEASE_RULE}", code="release.invalid", limit=MAX_RELEASE_CHARS
        )
    return cleaned


def is_later(release: str, than: str) -> bool:
    return release_key(release) > release_key(than)


@dataclass(frozen=True)
class FixRecord:
    """What the product team decided about one cluster."""

    cluster_id: str
    status: FixStatus = FixStatus.OPEN
    release: str | None = None  # the release it was (or will be) fixed in
    note: str = ""
    title: str = ""
    scope: str = ""
    updated_at: datetime | None = None
    owner: str = ""  # who takes care of it (a person or a team)
    ticket: str = ""  # the tracker's key, e.g. PROJ-123


@dataclass(frozen=True)
class DecisionEvent:
    """One saved decision in a problem's history (who set what, when)."""

    cluster_id: str
    status: FixStatus
    release: str | None
    note: str
    owner: str
    ticket: str
    by: str
    at: datetime | None


#: A decision's note is a sentence or two ("by design: legal requirement"), not a document.
MAX_NOTE_CHARS = 2_000


def stored_status(raw: str) -> FixStatus:
    """A status read back from storage; an unknown one (a newer version's) reads as open."""
    try:
        return FixStatus(raw)
    except ValueError:
        return FixStatus.OPEN


def check_status(status: str | FixStatus, release: str | None, note: str = "") -> FixStatus:
    """Validate a status change; 'fixed' needs the release that carries the fix.

    Returns the parsed status; raises ``InvalidInput`` with a line the user can act on.
    """
    try:
        parsed = FixStatus(str(status).strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        choices = ", ".join(s.value for s in FixStatus)
        raise InvalidInput(f"unknown status {status!r}; choose one of: {choices}") from None
    if parsed is FixStatus.FIXED and not (release or "").strip():
        raise InvalidInput("status 'fixed' needs the release that carries the fix (--release)")
    if parsed in (FixStatus.OPEN, FixStatus.WONT_FIX) and (release or "").strip():
        raise InvalidInput(
            f"a release goes with planned or fixed, not {parsed.value}; drop --release"
        )
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"the note is longer than {MAX_NOTE_CHARS:,} characters; shorten it")
    return parsed


#: Who takes care of a problem, and the tracker key it is filed under.
MAX_OWNER_CHARS = 200
MAX_TICKET_CHARS = 64
_TICKET = re.compile(r"[A-Za-z][A-Za-z0-9_]*-\d+|#?\d+|[A-Za-z0-9][A-Za-z0-9_./:#-]*")


def check_owner_ticket(
    owner: str | None, ticket: str | None, by: str = ""
) -> tuple[str | None, str | None, str]:
    """Cleaned owner, ticket key and author of a decision (None: keep what is recorded).

    A ticket is one key (PROJ-123, #42, a short URL-safe id), never a sentence: it is shown in
    lists and exported as a column.
    """
    owner = " ".join(owner.split()) if owner is not None else None
    ticket = ticket.strip() if ticket is not None else None
    by = " ".join(by.split())
    if owner is not None and len(owner) > MAX_OWNER_CHARS:
        raise InvalidInput(f"the owner is longer than {MAX_OWNER_CHARS} characters")
    if len(by) > MAX_OWNER_CHARS:
        raise InvalidInput(f"--by is longer than {MAX_OWNER_CHARS} characters")
    if ticket:
        if len(ticket) > MAX_TICKET_CHARS:
            raise InvalidInput(f"the ticket key is longer than {MAX_TICKET_CHARS} characters")
        if not _TICKET.fullmatch(ticket):
            raise InvalidInput(
                f"ticket {ticket!r} is not a tracker key; give one key such as PROJ-123 or #42"
            )
    return owner, ticket, by


def is_regressed(record: FixRecord | None, member_releases: Iterable[str]) -> bool:
    """Fixed in release X, yet a member comes from a release after X."""
    if record is None or record.status is not FixStatus.FIXED or not record.release:
        return False
    return any(r and is_later(r, record.release) for r in member_releases)


def apply_status(items: Iterable[FixItem], records: Mapping[str, FixRecord]) -> list[FixItem]:
    """Attach each item's recorded status and regressed flag (order kept; re-rank afterwards)."""
    out: list[FixItem] = []
    for item in items:
        record = records.get(item.cluster.id)
        if record is None:
            out.append(item)
            continue
        out.append(
            replace(
                item,
                status=record.status,
                status_release=record.release,
                status_note=record.note,
                regressed=is_regressed(record, item.releases),
                owner=record.owner,
                ticket=record.ticket,
            )
        )
    return out


# --------------------------------------------------------------------------------------------------
# Comparing two releases
# --------------------------------------------------------------------------------------------------

NEW, PERSISTING, RESOLVED, REGRESSED = "new", "persisting", "resolved", "regressed"
#: Reported before, none in the later release, but too little evidence to call it fixed.
NOT_SEEN = "not_seen_again"
#: Every kind, most urgent first: the order of the list and of every total.
CHANGE_KINDS = (REGRESSED, NEW, PERSISTING, RESOLVED, NOT_SEEN)
_KIND_ORDER = {kind: n for n, kind in enumerate(CHANGE_KINDS)}

#: "resolved" needs at least this many walkers who reported the problem in the earlier release:
#: one person's note is not a trend (the blocker rule waits for a second person too) ...
RESOLVED_MIN_WALKERS = 2
#: ... and, at the share of its steps' walkers it hit then, at least this many of the later
#: release's walkers of those steps would have hit it again. Seeing none of an expected 3 has a
#: chance of about e^-3 = 5 % if nothing changed, so its absence is evidence of a fix.
RESOLVED_MIN_EXPECTED = 3.0


@dataclass(frozen=True)
class Evidence:
    """What says a problem gone from the later release is fixed: the walkers who reported it in
    the earlier release, and the walkers who visited its steps in each release."""

    walkers_before: int
    visitors_before: int
    visitors_after: int

    @property
    def expected(self) -> float:
        """Walkers of the later release who would hit it at the earlier release's rate (0 when
        no walk visited its steps before: logged feedback has no step visits)."""
        if not self.visitors_before:
            return 0.0
        rate = min(1.0, self.walkers_before / self.visitors_before)
        return rate * self.visitors_after

    @property
    def enough(self) -> bool:
        return (
            self.walkers_before >= RESOLVED_MIN_WALKERS and self.expected >= RESOLVED_MIN_EXPECTED
        )


@dataclass(frozen=True)
class ReleaseChange:
    """One cluster's fate between two releases, with how many pain points it had in each."""

    cluster_id: str
    title: str
    kind: str  # one of CHANGE_KINDS
    from_count: int
    to_count: int
    status: FixStatus = FixStatus.OPEN
    status_release: str | None = None
    #: For a problem gone from the later release: how many of its walkers would have hit it.
    expected: float | None = None


def compare(
    counts: Mapping[str, Mapping[str, int]],
    *,
    from_release: str,
    to_release: str,
    titles: Mapping[str, str] | None = None,
    records: Mapping[str, FixRecord] | None = None,
    evidence: Mapping[str, Evidence] | None = None,
) -> list[ReleaseChange]:
    """Classify clusters between two releases.

    ``counts`` maps cluster id -> release -> number of member pain points in that release;
    ``evidence`` (cluster id -> ``Evidence``) says whether a problem's absence means anything.

    - regressed: marked fixed in a release before ``to_release`` and has members in ``to_release``
      (wins over new/persisting: the team believes it is gone);
    - new: members in ``to_release`` only;
    - persisting: members in both;
    - resolved: members in ``from_release`` only, and ``Evidence.enough`` (see
      ``RESOLVED_MIN_WALKERS``, ``RESOLVED_MIN_EXPECTED``): one report gone is not a fix;
    - not_seen_again: members in ``from_release`` only, without that evidence.
    Clusters with members in neither release are left out. Most urgent kinds first, then by size.
    """
    if not from_release.strip() or not to_release.strip():
        raise InvalidInput("compare needs both --from and --to releases")
    if release_key(from_release) == release_key(to_release):
        raise InvalidInput(f"--from and --to are the same release ({from_release!r})")
    titles = titles or {}
    records = records or {}
    evidence = evidence or {}
    out: list[ReleaseChange] = []
    for cluster_id, per_release in counts.items():
        before = int(per_release.get(from_release, 0))
        after = int(per_release.get(to_release, 0))
        if not before and not after:
            continue
        record = records.get(cluster_id)
        seen = evidence.get(cluster_id)
        expected = None if after else round(seen.expected, 1) if seen else 0.0
        if after and is_regressed(record, [to_release]):
            kind = REGRESSED
        elif after and before:
            kind = PERSISTING
        elif after:
            kind = NEW
        else:
            kind = RESOLVED if seen is not None and seen.enough else NOT_SEEN
        out.append(
            ReleaseChange(
                cluster_id=cluster_id,
                title=titles.get(cluster_id, "") or (record.title if record else ""),
                kind=kind,
                from_count=before,
                to_count=after,
                status=record.status if record else FixStatus.OPEN,
                status_release=record.release if record else None,
                expected=expected,
            )
        )
    out.sort(key=lambda c: (_KIND_ORDER[c.kind], -(c.to_count + c.from_count), c.cluster_id))
    return out
