"""Releases: natural version order, fix status rules, regressed flags and release comparison."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualitylab.domain import Cluster, FixItem, FixStatus, PriorityParts
from qualitylab.errors import InvalidInput
from qualitylab.fixlist.releases import (
    Evidence,
    FixRecord,
    apply_status,
    check_release,
    check_status,
    compare,
    is_regressed,
    release_key,
    sort_releases,
)


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("4.9", "5.0"),
        ("5.0", "5.10"),
        ("5.9", "5.10"),
        ("2026.10", "2026.11"),
        ("2026.9", "2026.10"),
        ("1.2", "1.2.1"),
        ("", "0.1"),
        ("v2", "v10"),
    ],
)
def test_natural_release_order(older: str, newer: str) -> None:
    assert release_key(older) < release_key(newer)


def test_sort_releases_drops_empty_and_duplicates() -> None:
    assert sort_releases(["5.10", "", "4.9", "5.0", "5.10"]) == ("4.9", "5.0", "5.10")


@pytest.mark.parametrize(
    ("status", "release", "expected"),
    [
        ("fixed", "2.1", FixStatus.FIXED),
        ("planned", None, FixStatus.PLANNED),
        ("wont fix", None, FixStatus.WONT_FIX),
        ("wont-fix", None, FixStatus.WONT_FIX),
        ("OPEN", None, FixStatus.OPEN),
    ],
)
def test_check_status_accepts(status: str, release: str | None, expected: FixStatus) -> None:
    assert check_status(status, release) is expected


@pytest.mark.parametrize(
    ("status", "release", "note", "message"),
    [
        ("fixed", None, "", "needs the release"),
        ("fixed", "  ", "", "needs the release"),
        ("done", "1", "", "unknown status"),
        ("open", "1.2", "", "goes with planned or fixed"),  # a release means nothing for open
        ("wont_fix", "1.2", "", "goes with planned or fixed"),
        ("planned", "1.2", "x" * 2_001, "longer than 2,000"),
    ],
)
def test_check_status_rejects(status: str, release: str | None, note: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_status(status, release, note)


@pytest.mark.parametrize("release", ["2.1", " 2026.11 ", "5.0-rc1", "5.0 beta", "9" * 64])
def test_check_release_accepts_names_and_strips(release: str) -> None:
    assert check_release(release) == release.strip()


@pytest.mark.parametrize(
    ("release", "problem"),
    [
        ("", "is empty"),
        (" \t ", "is empty"),
        ("1.0\n2.0", "holds a line break (at 4)"),
        ("1.0\u20282.0", "holds a line break (at 4)"),
        ("1.0\tbeta", "holds a tab (at 4)"),
        ("\x1b[31m1.0", "holds the control character U+001B (at 1)"),
        ("1.0\u202e", "holds the control character U+202E (at 4)"),
        ("1.0\x00", "holds the control character U+0000 (at 4)"),
        ("9" * 65, "is longer than 64 characters (65)"),
    ],
)
def test_check_release_refuses_in_one_line_that_says_what_is_allowed(
    release: str, problem: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_release(release)
    assert str(refused.value) == (
        f"the release {problem}; a release is one line of up to 64 printable characters, "
        "such as 2.1, 2026.11 or 5.0-rc1"
    )


FIXED_50 = FixRecord("c1", FixStatus.FIXED, release="5.0")


@pytest.mark.parametrize(
    ("record", "releases", "expected"),
    [
        (FIXED_50, ["4.9", "5.0"], False),  # members up to the fixing release: fixed, not back
        (FIXED_50, ["4.9", "5.10"], True),  # 5.10 comes after 5.0 in version order
        (FIXED_50, ["5.1"], True),
        (
            FixRecord("c1", FixStatus.PLANNED, release="5.0"),
            ["6.0"],
            False,
        ),  # only 'fixed' regresses
        (FixRecord("c1", FixStatus.WONT_FIX), ["6.0"], False),
        (None, ["6.0"], False),
    ],
)
def test_is_regressed(record: FixRecord | None, releases: list[str], expected: bool) -> None:
    assert is_regressed(record, releases) is expected


def _item(cid: str, releases: tuple[str, ...]) -> FixItem:
    return FixItem(
        rank=1,
        cluster=Cluster(id=cid, title=cid, terms=(), members=("m",), quotes=(), cohesion=1.0),
        priority=PriorityParts(1.0, 2.0, 2, 0.0, 0.0, 10.0),
        walkers=1,
        pain_points=1,
        steps=(("j", "s"),),
        releases=releases,
    )


def test_apply_status_sets_marks_and_regressed() -> None:
    records = {
        "back": FixRecord("back", FixStatus.FIXED, release="2026.10", note="patched"),
        "gone": FixRecord("gone", FixStatus.FIXED, release="2026.11"),
        "wont": FixRecord("wont", FixStatus.WONT_FIX, note="by design"),
    }
    items = apply_status(
        [
            _item("back", ("2026.9", "2026.11")),
            _item("gone", ("2026.11",)),
            _item("wont", ()),
            _item("free", ("1",)),
        ],
        records,
    )
    by_id = {i.cluster.id: i for i in items}
    assert by_id["back"].regressed and by_id["back"].status_note == "patched"
    assert by_id["back"].status_release == "2026.10"
    assert not by_id["gone"].regressed and by_id["gone"].status is FixStatus.FIXED
    assert by_id["wont"].status is FixStatus.WONT_FIX and by_id["wont"].status_note == "by design"
    assert by_id["free"].status is FixStatus.OPEN and not by_id["free"].regressed


def test_compare_classifies_new_persisting_resolved_regressed() -> None:
    counts = {
        "login": {"4.9": 3, "5.0": 2},  # persisting
        "promo": {"5.0": 4},  # new
        "crash": {"4.9": 5},  # resolved: 4 of 8 walkers hit it, none of 10 in 5.0 (5 expected)
        "pay": {"4.9": 1, "5.0": 2},  # fixed in 4.9, back in 5.0 -> regressed
        "old": {"4.8": 7},  # in neither release -> left out
    }
    records = {"pay": FixRecord("pay", FixStatus.FIXED, release="4.9", title="Payment fails")}
    changes = compare(
        counts,
        from_release="4.9",
        to_release="5.0",
        records=records,
        titles={"login": "Login loops"},
        evidence={"crash": Evidence(walkers_before=4, visitors_before=8, visitors_after=10)},
    )
    kinds = {c.cluster_id: (c.kind, c.from_count, c.to_count) for c in changes}
    assert kinds == {
        "login": ("persisting", 3, 2),
        "promo": ("new", 0, 4),
        "crash": ("resolved", 5, 0),
        "pay": ("regressed", 1, 2),
    }
    assert changes[0].cluster_id == "pay"  # most urgent kind first
    assert changes[0].title == "Payment fails"  # falls back to the recorded title
    assert {c.cluster_id: c.title for c in changes}["login"] == "Login loops"


@pytest.mark.parametrize(
    ("evidence", "kind", "expected"),
    [
        (None, "not_seen_again", 0.0),  # nothing known about who walked it (logged feedback)
        (Evidence(1, 20, 20), "not_seen_again", 1.0),  # product-owner QA: 1 report -> 0
        (Evidence(1, 2, 40), "not_seen_again", 20.0),  # one person's note is no trend
        (Evidence(2, 10, 10), "not_seen_again", 2.0),  # 2 expected: none is a 14 % chance
        (Evidence(2, 4, 6), "resolved", 3.0),  # 3 expected, none seen: about 5 %
        (Evidence(3, 2, 5), "resolved", 5.0),  # more reporters than visitors: share capped at 1
        (Evidence(4, 8, 0), "not_seen_again", 0.0),  # nobody walked its steps in 5.0
    ],
)
def test_a_problem_is_resolved_only_when_its_absence_is_evidence(
    evidence: Evidence | None, kind: str, expected: float
) -> None:
    """Product-owner QA: `compare` called a problem with 1 report in one release and 0 in the
    next "resolved". One report gone is not a fix: resolved needs 2+ walkers before and, at that
    share of its steps' walkers, 3+ expected in the later release; else "not seen again"."""
    changes = compare(
        {"x": {"4.9": 4}},
        from_release="4.9",
        to_release="5.0",
        evidence={"x": evidence} if evidence else None,
    )
    assert [(c.kind, c.expected) for c in changes] == [(kind, expected)]


def test_only_a_problem_gone_from_the_later_release_carries_expected() -> None:
    changes = compare({"x": {"4.9": 1, "5.0": 1}}, from_release="4.9", to_release="5.0")
    assert changes[0].expected is None


def test_compare_fixed_in_the_to_release_is_not_regressed() -> None:
    records = {"pay": FixRecord("pay", FixStatus.FIXED, release="5.0")}
    changes = compare({"pay": {"5.0": 1}}, from_release="4.9", to_release="5.0", records=records)
    assert changes[0].kind == "new"


@pytest.mark.parametrize(("a", "b"), [("5.0", "5.0"), ("", "5.0"), ("5.0", " ")])
def test_compare_rejects_same_or_missing_release(a: str, b: str) -> None:
    with pytest.raises(InvalidInput):
        compare({}, from_release=a, to_release=b)


@settings(deadline=None)  # shared 2-core machine: time is not the property
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=20))
def test_release_key_orders_like_numbers(versions: list[tuple[int, int]]) -> None:
    names = [f"{a}.{b}" for a, b in versions]
    assert [tuple(map(int, n.split("."))) for n in sort_releases(names)] == sorted(set(versions))


@settings(deadline=None)  # shared 2-core machine: time is not the property
@given(st.text(max_size=20), st.text(max_size=20))
def test_release_key_is_a_total_order_on_any_text(a: str, b: str) -> None:
    ka, kb = release_key(a), release_key(b)
    assert (ka < kb) + (ka > kb) + (ka == kb) == 1


@pytest.mark.parametrize("odd", ["²", "v²", "1.²", "٣.١"])
def test_release_key_takes_any_digits(odd: str) -> None:
    release_key(odd)  # no error: superscripts are text, other scripts' digits are numbers
    assert release_key("٣") == release_key("3")
