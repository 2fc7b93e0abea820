"""``build_report`` on a real lab (SQLite and, in CI, PostgreSQL) with a fake clustering engine:
every number of the model comes from walks made through the services, as the app makes them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_fixes_service import FakeEngine  # texts sharing the word before ':' are one problem

from qualitylab import services
from qualitylab.domain import Outcome
from qualitylab.errors import InvalidInput, NotFound
from qualitylab.services import Lab
from qualitylab.services.fixes import build_fix_report
from qualitylab.services.reports import build_report
from qualitylab.services.walk_detail import walk_detail


@pytest.fixture
def lab(db_url: str, fixes_catalog: Path) -> Iterator[Lab]:
    opened = Lab.open(db=db_url, journeys=fixes_catalog)
    yield opened
    opened.close()


def _walk(
    lab: Lab,
    name: str,
    release: str,
    visits: dict[str, tuple[Outcome, int]],
    pains: list[tuple[str, str, int]],
    *,
    nps: int | None,
    comment: str = "",
    praise: str = "",
) -> str:
    who = services.get_or_create_walker(lab, name=name)
    w = services.start_or_resume_walk(lab, journey_id="shop", walker=who, release=release)
    for step, (outcome, ease) in visits.items():
        services.enter_step(lab, w.uuid, step)
        services.record_step(lab, w.uuid, step, outcome=outcome, ease=ease)
    for step, text, severity in pains:
        services.log_pain_point(
            lab, walk_uuid=w.uuid, step_id=step, text=text, severity=severity, category="bug"
        )
    if praise:
        services.add_praise(lab, walk_uuid=w.uuid, step_id="b", text=praise)
    if nps is None:
        services.abandon_walk(lab, w.uuid)
    else:
        services.finish_walk(lab, w.uuid, nps=nps, comment=comment)
    return w.uuid


def _lab(lab: Lab) -> str:
    first = _walk(
        lab,
        "Anna",
        "1.0",
        {"a": (Outcome.BLOCKED, 1), "b": (Outcome.DONE, 6)},
        [("a", "pay: card rejected", 4), ("a", "solo: total is wrong", 3)],
        nps=2,
        comment="=1+1 <b>fix pay</b>",
        praise="menu is clear",
    )
    _walk(lab, "Boris", "1.0", {"a": (Outcome.BLOCKED, 2)}, [("a", "pay: timeout", 4)], nps=None)
    _walk(
        lab,
        "Vera",
        "1.1",
        {"a": (Outcome.DONE, 6), "b": (Outcome.FRICTION, 4)},
        [("b", "menu: tiny font", 1)],
        nps=9,
    )
    return first


def test_a_lone_blocker_is_a_one_off_in_the_report_as_in_fixes(lab: Lab) -> None:
    """Product-owner QA: one count of one-offs. A lone blocker is listed in the fix list (so it
    cannot be missed) and is still a one-off, in the report as in `fixes` and triage."""
    _lab(lab)
    _walk(
        lab, "Gleb", "1.1", {"a": (Outcome.BLOCKED, 1)}, [("a", "crash: app closed", 4)], nps=None
    )
    report = build_report(lab, cluster_fn=FakeEngine())
    fixes = build_fix_report(lab, cluster_fn=FakeEngine())
    severe = [p.text for p in fixes.one_off_reports() if p.severity >= 3]
    assert (
        [p.text for p in report.one_offs] == severe == ["crash: app closed", "solo: total is wrong"]
    )
    assert [f.title for f in report.fixes if f.one_off] == ["crash: app closed"]
    assert report.header.problems == 1  # pay: the lone blocker is not a recurring problem


def test_report_model_from_a_real_lab(lab: Lab) -> None:
    first = _lab(lab)
    report = build_report(lab, cluster_fn=FakeEngine())
    h = report.header
    assert (h.walks, h.walkers, h.completed, h.abandoned, h.pain_points) == (3, 3, 2, 1, 4)
    assert h.releases == ("1.0", "1.1")
    assert (report.nps.n, report.nps.promoters, report.nps.detractors) == (2, 1, 1)
    journey = report.journeys[0]
    assert journey.title == "Buy a thing" and [s.title for s in journey.steps] == ["Pay", "Menu"]
    pay = journey.steps[0]
    assert (pay.reached, pay.outcomes["blocked"], pay.dropped, pay.worst) == (3, 2, 1, True)
    assert pay.mean_ease == pytest.approx(3.0)
    assert [f.id for f in report.fixes][:1] == ["c-pay"] and report.fixes[0].reports == 2
    assert [p.text for p in report.one_offs] == ["solo: total is wrong"]
    assert [n.text for n in report.praise] == ["menu is clear"]
    assert [n.text for n in report.comments] == ["=1+1 <b>fix pay</b>"]
    assert {p.walker for p in report.pain_points} == {"Anna", "Boris", "Vera"}
    detail = walk_detail(lab, first[:8])
    assert detail.walk.uuid == first and len(detail.pain_points) == 2
    assert detail.step_title("a") == "Pay" and [p.text for p in detail.praise] == ["menu is clear"]


def test_release_scope_and_comparison(lab: Lab) -> None:
    _lab(lab)
    report = build_report(lab, release="1.1", compare_to="1.0", cluster_fn=FakeEngine())
    assert report.header.walks == 1 and report.header.releases == ("1.1",)
    assert report.comparison is not None
    kinds = {c.id: c.kind for c in report.comparison.changes}
    # 2 walkers of 2 in 1.0, but 1.1 had one walker of its step: 1 expected, not evidence
    assert kinds["c-pay"] == "not_seen_again"
    assert report.comparison.totals["not_seen_again"] == 1
    with pytest.raises(NotFound, match="no walks in release '9.9'"):
        build_report(lab, release="9.9", cluster_fn=FakeEngine())
    with pytest.raises(InvalidInput, match="--compare-to 1.1 is the release"):
        build_report(lab, release="1.1", compare_to="1.1", cluster_fn=FakeEngine())


def test_an_empty_lab_reports_nothing_without_failing(lab: Lab) -> None:
    report = build_report(lab, cluster_fn=FakeEngine())
    assert report.header.walks == 0 and not report.fixes and report.nps.score is None
