"""The demo's problem bank and generator: coverage of the bundled catalog, realism, determinism."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from qualitylab.domain import DEFAULT_CATEGORIES, Catalog, Outcome, WalkStatus
from qualitylab.errors import InvalidInput
from qualitylab.journeys import load_catalog
from qualitylab.services.demo import DemoData, build_demo, demo_records, previous_release
from qualitylab.services.demo_bank import (
    HOSTILE_COMMENT,
    HOSTILE_NAME,
    HOSTILE_TEXTS,
    BankError,
    language_of,
    load_bank,
    parse_bank,
)

BUNDLED = Path(__file__).resolve().parents[2] / "journeys.yaml"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
RUSSIAN_JOURNEYS = {"number-porting", "sms-esignature", "weekly-gift"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(BUNDLED)


@pytest.fixture(scope="module")
def demo(catalog: Catalog) -> DemoData:
    return build_demo(catalog, seed=7, now=NOW)


# ------------------------------------------------------------------------------------------ bank
def test_bank_covers_every_step_of_the_bundled_catalog_and_nothing_else(catalog: Catalog) -> None:
    bank = load_bank()
    catalog_steps = {(j.id, s.id) for j in catalog.journeys for s in j.steps}
    bank_steps = {(p.journey_id, p.step_id) for p in bank.problems}
    assert bank_steps == catalog_steps
    per_step = Counter((p.journey_id, p.step_id) for p in bank.problems)
    assert all(2 <= n <= 4 for n in per_step.values()), per_step
    assert 80 <= len(bank.problems) <= 110


def test_every_problem_is_complete_and_ids_are_unique() -> None:
    problems = load_bank().problems
    assert len({p.id for p in problems}) == len(problems)
    for p in problems:
        assert p.canonical, p.id
        assert p.category in DEFAULT_CATEGORIES, p.id
        assert 8 <= len(p.texts) <= 15, p.id
        assert 2 <= len(p.fixes) <= 4, p.id
        assert sum(p.severity_weights) > 0, p.id


def test_every_paraphrase_is_distinct_across_the_whole_bank() -> None:
    texts = [t.casefold() for p in load_bank().problems for t in p.texts]
    duplicates = [t for t, n in Counter(texts).items() if n > 1]
    assert duplicates == []
    assert len(texts) >= 800


def test_paraphrases_vary_in_length_and_style() -> None:
    texts = [t for p in load_bank().problems for t in p.texts]
    lengths = sorted(len(t) for t in texts)
    assert lengths[0] < 30 and lengths[-1] > 90
    assert sum(t[0].islower() for t in texts) > len(texts) * 0.15  # people do not capitalise
    assert sum(not t.endswith((".", "!", "?", ")")) for t in texts) > len(texts) * 0.5


def test_russian_journeys_are_mostly_russian_english_ones_partly() -> None:
    share: dict[str, list[bool]] = defaultdict(list)
    for p in load_bank().problems:
        share[p.journey_id] += [language_of(t) == "ru" for t in p.texts]
    for journey_id, flags in share.items():
        ratio = sum(flags) / len(flags)
        if journey_id in RUSSIAN_JOURNEYS:
            assert ratio >= 0.8, (journey_id, ratio)
        else:
            assert 0.15 <= ratio <= 0.4, (journey_id, ratio)


def test_some_problems_are_fixed_and_some_are_new_so_releases_differ() -> None:
    presence = Counter(p.presence for p in load_bank().problems)
    assert presence["old"] >= 5 and presence["new"] >= 5
    assert presence["both"] > 0.75 * sum(presence.values())


def test_language_of() -> None:
    assert language_of("Код не приходит") == "ru"
    assert language_of("code never arrived") == "en"
    assert language_of("SMS с кодом не пришло") == "ru"
    assert language_of("eSIM profile не ставится, error 0x2F") == "en"


def _minimal_bank(**problem: Any) -> dict[str, Any]:
    raw = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "qualitylab/services/demo_bank.yaml").read_text(
            encoding="utf-8"
        )
    )
    base = {
        "id": "p",
        "canonical": "c",
        "category": "bug",
        "severity": [1, 1, 1, 1],
        "fixes": ["f1", "f2"],
        "texts": ["t1", "t2"],
    }
    base.update(problem)
    raw["problems"] = {"j": {"s": [base]}}
    return dict(raw)


def test_parse_bank_accepts_a_minimal_problem() -> None:
    bank = parse_bank(_minimal_bank())
    assert [p.id for p in bank.problems] == ["p"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"severity": [1, 2, 3]}, "severity"),
        ({"severity": [0, 0, 0, 0]}, "severity"),
        ({"presence": "sometimes"}, "presence"),
        ({"texts": ["ok", ""]}, "texts"),
        ({"text": ["typo in the key"]}, "unknown keys"),
    ],
)
def test_parse_bank_rejects_malformed_problems(change: dict[str, Any], message: str) -> None:
    with pytest.raises(BankError, match=message):
        parse_bank(_minimal_bank(**change))


# ----------------------------------------------------------------------------------------- releases
@pytest.mark.parametrize(
    ("release", "previous"),
    [
        ("5.0", "4.9"),
        ("1.2", "1.1"),
        ("2026.11", "2026.10"),
        ("3.1", "3.0"),
        ("2.0", "1.9"),
        ("2.10", "2.9"),
        ("1.05", "1.04"),
        ("1.0.0", "0.9.9"),
        ("v3-beta", "v2-beta"),
        ("0", "0-prev"),
        ("next", "next-prev"),
    ],
)
def test_previous_release(release: str, previous: str) -> None:
    assert previous_release(release) == previous


@given(st.text(min_size=1, max_size=20))
def test_previous_release_always_differs(release: str) -> None:
    assert previous_release(release) != release


# ------------------------------------------------------------------------------------------ demo
def test_demo_meets_the_minimums(demo: DemoData) -> None:
    assert len(demo.walkers) >= 40
    assert sum(w.anonymous for w in demo.walkers) >= 2
    assert len({w.department for w in demo.walkers if not w.anonymous}) >= 7
    assert len(demo.walks) >= 200
    assert len(demo.pain_points) >= 2000
    assert len(demo.praise) >= 20
    statuses = Counter(w.status for w in demo.walks)
    assert statuses[WalkStatus.COMPLETED] > 0.7 * len(demo.walks)
    assert statuses[WalkStatus.IN_PROGRESS] >= 5 and statuses[WalkStatus.ABANDONED] >= 5


def test_same_seed_same_data_other_seed_other_data(catalog: Catalog, demo: DemoData) -> None:
    assert build_demo(catalog, seed=7, now=NOW) == demo
    other = build_demo(catalog, seed=8, now=NOW)
    assert {p.uuid for p in other.pain_points}.isdisjoint({p.uuid for p in demo.pain_points})
    assert [p.text for p in other.pain_points[:50]] != [p.text for p in demo.pain_points[:50]]


def test_two_releases_per_product_in_time_order(catalog: Catalog, demo: DemoData) -> None:
    for product in catalog.products:
        old, current = demo.releases[product.id]
        assert current == product.release and old != current
        walks = [w for w in demo.walks if w.product_id == product.id]
        olds = [w for w in walks if w.release == old]
        news = [w for w in walks if w.release == current]
        assert olds and news and len(olds) + len(news) == len(walks)
        assert max(w.started_at for w in olds) < min(w.started_at for w in news)
        assert all(w.status is not WalkStatus.IN_PROGRESS for w in olds)


def test_times_lie_in_the_last_six_weeks_and_in_order(demo: DemoData) -> None:
    earliest = NOW - timedelta(days=45)
    for walk in demo.walks:
        assert earliest <= walk.started_at < NOW
        times = [walk.started_at]
        for visit in walk.visits:
            assert visit.entered_at is not None and visit.left_at is not None
            times += [visit.entered_at, visit.left_at]
        if walk.finished_at:
            times.append(walk.finished_at)
        assert times == sorted(times) and times[-1] < NOW
        assert (walk.finished_at is None) == (walk.status is WalkStatus.IN_PROGRESS)


def test_step_outcomes_agree_with_what_was_logged(demo: DemoData) -> None:
    by_visit: dict[tuple[str, str], list[int]] = defaultdict(list)
    for p in demo.pain_points:
        if p.text not in HOSTILE_TEXTS:
            by_visit[(p.walk_uuid, p.step_id)].append(int(p.severity))
    for walk in demo.walks:
        for visit in walk.visits:
            severities = by_visit.get((walk.uuid, visit.step_id), [])
            if visit.outcome is Outcome.SKIPPED:
                assert severities == [] and visit.ease is None
                continue
            assert visit.ease is not None and 1 <= visit.ease <= 7
            if visit.outcome is Outcome.BLOCKED:
                assert visit.ease <= 2 and max(severities) >= 3
            if 4 in severities:
                assert visit.ease <= 3
            if not severities:
                assert visit.outcome is Outcome.DONE and visit.ease >= 5


def test_pain_points_sit_on_visited_steps_of_their_walk(demo: DemoData) -> None:
    walks = {w.uuid: w for w in demo.walks}
    for p in demo.pain_points:
        walk = walks[p.walk_uuid]
        assert walk.visit(p.step_id) is not None
        assert p.journey_id == walk.journey_id and p.release == walk.release
        assert p.walker_uuid == walk.walker.uuid
    assert sum(w.pain_point_count for w in demo.walks) == len(demo.pain_points)


def test_fixed_problems_only_in_the_old_release_new_ones_only_in_the_current(
    demo: DemoData,
) -> None:
    problems = {p.id: p for p in load_bank().problems}
    old_release = {product: old for product, (old, _) in demo.releases.items()}
    walks = {w.uuid: w for w in demo.walks}
    seen = set()
    for point in demo.pain_points:
        problem_id = demo.problem_of[point.uuid]
        if problem_id is None:
            continue
        seen.add(problem_id)
        walk = walks[point.walk_uuid]
        in_old = walk.release == old_release[walk.product_id]
        presence = problems[problem_id].presence
        assert presence != "old" or in_old, point
        assert presence != "new" or not in_old, point
    assert len(seen) >= 0.95 * len(problems)


def test_texts_read_like_many_people_not_a_hundred_strings(demo: DemoData) -> None:
    texts = [p.text for p in demo.pain_points]
    counts = Counter(texts)
    assert len(counts) >= 0.65 * len(texts)
    assert counts.most_common(1)[0][1] <= 15
    bank_texts = {t for p in load_bank().problems for t in p.texts}
    assert sum(t not in bank_texts for t in texts) >= 0.3 * len(texts)  # perturbed
    one_offs = sum(v is None for v in demo.problem_of.values())
    assert 0.05 <= one_offs / len(texts) <= 0.12


def test_language_share_follows_the_journey(demo: DemoData) -> None:
    for russian in (True, False):
        texts = [p.text for p in demo.pain_points if (p.journey_id in RUSSIAN_JOURNEYS) == russian]
        ratio = sum(language_of(t) == "ru" for t in texts) / len(texts)
        assert (ratio >= 0.65) if russian else (0.1 <= ratio <= 0.4), (russian, ratio)


def test_hostile_texts_are_planted_verbatim(demo: DemoData) -> None:
    texts = {p.text for p in demo.pain_points}
    assert set(HOSTILE_TEXTS) <= texts
    assert any(len(t) >= 3000 for t in texts)
    assert HOSTILE_NAME in {w.name for w in demo.walkers}
    assert HOSTILE_COMMENT in {w.closing_comment for w in demo.walks}
    assert any(p.suggested_fix.startswith("=HYPERLINK") for p in demo.pain_points)


def test_records_follow_the_export_format(demo: DemoData) -> None:
    records = [r.to_json() for r in demo_records(demo)]
    kinds = Counter(r["type"] for r in records)
    assert kinds == {
        "walker": len(demo.walkers),
        "journey": 7,
        "walk": len(demo.walks),
        "pain_point": len(demo.pain_points),
        "praise": len(demo.praise),
    }
    walk = next(r for r in records if r["type"] == "walk")
    assert datetime.fromisoformat(walk["started_at"]).tzinfo is not None
    assert {"step_id", "outcome", "ease", "seconds_spent"} <= set(walk["visits"][0])


def test_small_demo_and_bad_arguments(catalog: Catalog) -> None:
    tiny = build_demo(catalog, seed=1, walkers=2, walks=3, now=NOW)
    assert len(tiny.walks) == 3 and 1 <= len(tiny.walkers) <= 2
    with pytest.raises(InvalidInput):
        build_demo(catalog, walkers=0)
    foreign = load_catalog(BUNDLED).model_copy(
        update={"journeys": [j.model_copy(update={"id": "other"}) for j in catalog.journeys]}
    )
    with pytest.raises(InvalidInput, match="bundled journeys"):
        build_demo(foreign)


def test_the_hour_moves_the_times_not_the_content(catalog: Catalog, demo: DemoData) -> None:
    later = build_demo(catalog, seed=7, now=NOW + timedelta(days=3, hours=5))
    assert [p.text for p in later.pain_points] != []
    assert sorted(p.uuid for p in later.pain_points) == sorted(p.uuid for p in demo.pain_points)
    assert Counter(p.text for p in later.pain_points) == Counter(p.text for p in demo.pain_points)


def test_steps_the_bank_does_not_know_still_get_consistent_visits(catalog: Catalog) -> None:
    journey = catalog.journey("weekly-gift")
    renamed = [s.model_copy(update={"id": f"new-{s.id}"}) for s in journey.steps]
    edited = catalog.model_copy(
        update={"journeys": [journey.model_copy(update={"steps": [journey.steps[0], *renamed]})]}
    )
    data = build_demo(edited, seed=2, walkers=10, walks=40, now=NOW)
    severities: dict[tuple[str, str], list[int]] = defaultdict(list)
    for p in data.pain_points:
        severities[(p.walk_uuid, p.step_id)].append(int(p.severity))
    blocked = [
        (w.uuid, v.step_id) for w in data.walks for v in w.visits if v.outcome is Outcome.BLOCKED
    ]
    assert blocked and all(max(severities[key]) >= 3 for key in blocked)
    assert any(p.step_id.startswith("new-") for p in data.pain_points)  # one-offs land there


def test_anonymous_demo_walks_share_no_walker(demo: DemoData) -> None:
    """As in the app (issue 9 §7): each anonymous walk has a walker record of its own."""
    anonymous = [w for w in demo.walks if w.walker.anonymous]
    assert len(anonymous) >= 2
    assert len({w.walker.uuid for w in anonymous}) == len(anonymous)
    assert all(w.walker.department == "" for w in anonymous)
