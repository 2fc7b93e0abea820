"""Priority score: worked examples computed by hand, blockers first, weight overrides."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualitylab.domain import Cluster, FixStatus, Outcome
from qualitylab.errors import InvalidInput
from qualitylab.fixlist.score import (
    PainFact,
    StepFacts,
    Weights,
    explain,
    factors_of,
    one_off_cluster,
    priority_parts,
    rank,
    score_clusters,
)


def cluster(cid: str, *members: str) -> Cluster:
    return Cluster(id=cid, title=cid, terms=(), members=tuple(members), quotes=(), cohesion=1.0)


def fact(
    uuid: str,
    walker: str,
    *,
    step: str = "s1",
    severity: int = 2,
    release: str = "1.0",
    outcome: Outcome | None = Outcome.DONE,
    ease: int | None = None,
    walk: str | None = None,
) -> PainFact:
    return PainFact(
        uuid=uuid,
        walker_uuid=walker,
        walk_uuid=walk or f"walk-{walker}",
        journey_id="j",
        step_id=step,
        severity=severity,
        release=release,
        outcome=outcome,
        ease=ease,
    )


# Step s1: four walkers visited it; their SEQ answers were 2, 4, 6 and 6 (sum 18, n 4).
S1 = StepFacts("j", "s1", frozenset({"w1", "w2", "w3", "w4"}), ease_sum=18, ease_count=4)
P1 = fact("p1", "w1", severity=4, outcome=Outcome.BLOCKED, ease=2, release="1.0")
P2 = fact("p2", "w2", severity=2, outcome=Outcome.DONE, ease=4, release="1.1")


def test_worked_example_default_weights() -> None:
    # reach       = 2 hitters / 4 visitors                                  = 0.5
    # severity    = mean (4+2)/2 = 3, worst 4 -> factor (3+4)/8             = 0.875
    # impact      = blocked share 1/2 = 0.5; SEQ hit mean 3 vs others (18-6)/2 = 6
    #               -> drop 3/6 = 0.5; impact (0.5+0.5)/2 = 0.5 -> factor 0.75
    # persistence = releases 1.0 and 1.1 -> 1 -> factor 1.0
    # score       = 100 * 0.5 * 0.875 * 0.75 * 1.0                          = 32.8125
    parts = priority_parts([P1, P2], {S1.key: S1})
    assert parts.reach == 0.5
    assert parts.severity_mean == 3.0
    assert parts.severity_max == 4
    assert parts.impact == 0.5
    assert parts.persistence == 1.0
    assert parts.score == pytest.approx(32.81)


def test_worked_example_single_release_halves_score() -> None:
    # Same as above but both in release 1.0: persistence factor (1+0)/2 = 0.5 -> 16.40625.
    p2 = fact("p2", "w2", severity=2, outcome=Outcome.DONE, ease=4, release="1.0")
    parts = priority_parts([P1, p2], {S1.key: S1})
    assert parts.persistence == 0.0
    assert parts.score == pytest.approx(16.40625, abs=0.01)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # severity weight 0 drops its factor: 100 * 0.5 * 0.75 * 1.0
        (["severity=0"], 37.5),
        # reach squared, severity dropped: 100 * 0.25 * 0.75
        (["reach=2", "severity=0"], 18.75),
        # one comma-separated argument works like two; impact dropped: 100 * 0.25 * 0.875
        (["reach=2,impact=0"], 21.875),
        # everything off: the score is the 100 ceiling
        (["reach=0", "severity=0", "impact=0", "persistence=0"], 100.0),
    ],
)
def test_weight_overrides_change_the_score(overrides: list[str], expected: float) -> None:
    weights = Weights().with_overrides(overrides)
    assert priority_parts([P1, P2], {S1.key: S1}, weights).score == pytest.approx(
        expected, abs=0.01
    )


def test_weights_from_environment() -> None:
    weights = Weights.from_env({"QUALITYLAB_WEIGHTS": "reach=2, severity=1.5"})
    assert (weights.reach, weights.severity, weights.impact) == (2.0, 1.5, 1.0)
    assert Weights.from_env({}) == Weights()


@pytest.mark.parametrize("bad", ["reach", "speed=2", "reach=abc", "reach=-1", "reach=nan"])
def test_bad_weight_is_invalid_input(bad: str) -> None:
    with pytest.raises(InvalidInput):
        Weights().with_overrides([bad])


def test_ease_drop_needs_a_baseline() -> None:
    # Only the hitter rated the step: no baseline, no SEQ drop; blocked share 1 -> impact 0.5.
    step = StepFacts("j", "s1", frozenset({"w1"}), ease_sum=2, ease_count=1)
    parts = priority_parts([P1], {step.key: step})
    assert parts.impact == 0.5
    assert parts.reach == 1.0


def test_ease_improvement_is_not_negative_impact() -> None:
    # Hit visit rated 6, the others 2 and 4: easier for the hitter -> drop 0, never negative.
    step = StepFacts("j", "s1", frozenset({"w1", "w2", "w3"}), ease_sum=12, ease_count=3)
    p = fact("p", "w1", ease=6, outcome=Outcome.DONE)
    assert priority_parts([p], {step.key: step}).impact == 0.0


def test_reach_uses_union_of_visitors_across_steps() -> None:
    # s1 visited by w1..w4, s2 by w4..w7: 7 distinct visitors; w1 and w5 hit it -> reach 2/7.
    s2 = StepFacts("j", "s2", frozenset({"w4", "w5", "w6", "w7"}))
    parts = priority_parts([fact("a", "w1"), fact("b", "w5", step="s2")], {S1.key: S1, s2.key: s2})
    assert parts.reach == pytest.approx(2 / 7, abs=1e-4)


def test_same_walker_twice_counts_once_and_same_visit_once() -> None:
    # w1 reported twice on the same visit (blocked), w2 once (done): visits 2, blocked share 1/2.
    facts = [
        fact("a", "w1", outcome=Outcome.BLOCKED),
        fact("b", "w1", outcome=Outcome.BLOCKED),
        fact("c", "w2", outcome=Outcome.DONE),
    ]
    items = score_clusters([cluster("c1", "a", "b", "c")], {f.uuid: f for f in facts}, [S1])
    assert items[0].walkers == 2
    assert items[0].pain_points == 3
    assert items[0].priority.reach == 0.5
    assert items[0].priority.impact == 0.25


def test_blockers_always_rank_above_non_blockers() -> None:
    # "wide": severity 3 hit by all 4 walkers, all blocked -> high score but no blocker.
    # "rare": blockers from two walkers -> lower score, still ranked first.
    wide = [
        fact(f"w{i}", f"w{i}", severity=3, outcome=Outcome.BLOCKED, release=r)
        for i, r in zip(range(1, 5), ["1.0", "1.1", "1.0", "1.1"], strict=True)
    ]
    rare = [fact(f"r{i}", f"w{i}", severity=4, outcome=Outcome.DONE) for i in (1, 2)]
    facts = {f.uuid: f for f in wide + rare}
    items = score_clusters(
        [cluster("wide", *[f.uuid for f in wide]), cluster("rare", "r1", "r2")], facts, [S1]
    )
    assert [i.cluster.id for i in items] == ["rare", "wide"]
    assert [i.rank for i in items] == [1, 2]
    assert items[1].priority.score > items[0].priority.score


def test_score_orders_non_blockers_and_settled_go_last() -> None:
    big = [fact(f"b{i}", f"w{i}", severity=3) for i in range(1, 5)]
    small = [fact("s", "w1", severity=2)]
    facts = {f.uuid: f for f in big + small}
    items = score_clusters(
        [cluster("small", "s"), cluster("big", *[f.uuid for f in big])], facts, [S1]
    )
    assert [i.cluster.id for i in items] == ["big", "small"]
    settled = rank([replace(items[0], status=FixStatus.WONT_FIX), items[1]])
    assert [i.cluster.id for i in settled] == ["small", "big"]
    regressed = rank([replace(items[0], status=FixStatus.FIXED, regressed=True), items[1]])
    assert [i.cluster.id for i in regressed] == ["big", "small"]


def test_fix_item_lists_steps_by_frequency_and_releases_naturally() -> None:
    facts = [
        fact("a", "w1", step="s2", release="5.10"),
        fact("b", "w2", step="s2", release="5.9"),
        fact("c", "w3", step="s1", release="5.9"),
    ]
    items = score_clusters([cluster("c", "a", "b", "c")], {f.uuid: f for f in facts}, [S1])
    assert items[0].steps == (("j", "s2"), ("j", "s1"))
    assert items[0].releases == ("5.9", "5.10")


def test_collapsed_duplicates_count_as_reports() -> None:
    facts = {f.uuid: f for f in [fact("a", "w1"), fact("a-copy", "w2")]}
    items = score_clusters([cluster("c", "a")], facts, [S1], duplicates={"a-copy": "a"})
    assert (items[0].walkers, items[0].pain_points) == (2, 2)


def test_clusters_without_facts_are_skipped() -> None:
    assert score_clusters([cluster("ghost", "nope")], {}, [S1]) == []
    with pytest.raises(ValueError):
        priority_parts([], {})


def test_one_off_cluster_keeps_the_quote() -> None:
    c = one_off_cluster("1234567890ab", "[bold]pay button[/bold] is dead " * 5, "fix it")
    assert c.id == "one-off-12345678"
    assert c.members == ("1234567890ab",)
    assert c.quotes[0].startswith("[bold]")
    assert len(c.title) <= 72 and c.title.startswith("[bold]pay button[/bold] is dead")
    assert c.title.endswith("…")  # cut at a word, like every cluster title
    assert c.suggestions == (("fix it", 1),)
    # the same title rules as clusters: the first sentence, not the first 60 characters
    assert one_off_cluster("x", "Payment hangs. I waited ten minutes and gave up").title == (
        "Payment hangs"
    )


def test_history_gives_persistence_for_a_one_release_slice() -> None:
    # Only release 1.0 facts are scored, but the cluster was also seen in 0.9: persistent.
    facts = {"a": fact("a", "w1", release="1.0")}
    items = score_clusters([cluster("c", "a")], facts, [S1], history={"c": ["0.9", "1.0"]})
    assert items[0].priority.persistence == 1.0
    assert items[0].releases == ("0.9", "1.0")
    alone = score_clusters([cluster("c", "a")], facts, [S1])
    assert alone[0].priority.persistence == 0.0
    assert alone[0].priority.score == pytest.approx(items[0].priority.score / 2, abs=0.01)


_facts = st.lists(
    st.builds(
        PainFact,
        uuid=st.uuids().map(str),
        walker_uuid=st.sampled_from(["w1", "w2", "w3", "w4", "w5"]),
        walk_uuid=st.sampled_from(["k1", "k2", "k3"]),
        journey_id=st.just("j"),
        step_id=st.sampled_from(["s1", "s2"]),
        severity=st.integers(1, 4),
        release=st.sampled_from(["", "1.0", "1.1"]),
        outcome=st.none() | st.sampled_from(list(Outcome)),
        ease=st.none() | st.integers(1, 7),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda f: f.uuid,
)


@settings(deadline=None)  # shared 2-core machine: time is not the property
@given(
    facts=_facts,
    ease=st.tuples(st.integers(0, 70), st.integers(0, 10)),
    weights=st.builds(Weights, *[st.floats(0, 3)] * 4),
)
def test_any_facts_give_parts_in_range(
    facts: list[PainFact], ease: tuple[int, int], weights: Weights
) -> None:
    steps = {
        ("j", s): StepFacts("j", s, frozenset({"w1", "w6"}), ease_sum=ease[0], ease_count=ease[1])
        for s in ("s1", "s2")
    }
    parts = priority_parts(facts, steps, weights)
    assert 0 < parts.reach <= 1
    assert 1 <= parts.severity_mean <= parts.severity_max <= 4
    assert 0 <= parts.impact <= 1
    assert parts.persistence in (0.0, 1.0)
    assert 0 <= parts.score <= 100


@settings(deadline=None)  # shared 2-core machine: time is not the property
@given(facts=_facts, order=st.randoms(use_true_random=False))
def test_ranking_ignores_input_order_and_keeps_blockers_first(
    facts: list[PainFact], order: Any
) -> None:
    clusters = [cluster(f"c{n}", f.uuid) for n, f in enumerate(facts)]
    by_uuid = {f.uuid: f for f in facts}
    items = score_clusters(clusters, by_uuid, [S1])
    shuffled = list(clusters)
    order.shuffle(shuffled)
    assert score_clusters(shuffled, by_uuid, [S1]) == items
    blockers = [i.blocker for i in items]
    assert blockers == sorted(blockers, reverse=True)
    assert all(i.priority.severity_max == 4 for i in items if i.blocker)


def test_a_stray_blocker_does_not_make_a_blocker_cluster() -> None:
    # 1 of 5 walkers (20%) rated "slow" a blocker: below the 25% default, so the 3-walker
    # cluster where 2 of 3 said blocker ranks first despite its lower score.
    walkers = ["w1", "w2", "w3", "w4", "w5"]
    steps = StepFacts("j", "s1", frozenset(walkers))
    slow = [fact(f"s{i}", w, severity=4 if i == 0 else 3) for i, w in enumerate(walkers)]
    crash = [fact("c1", "w1", severity=4), fact("c2", "w2", severity=4), fact("c3", "w3")]
    facts = {f.uuid: f for f in slow + crash}
    clusters = [cluster("slow", *[f.uuid for f in slow]), cluster("crash", "c1", "c2", "c3")]
    items = score_clusters(clusters, facts, [steps])
    assert [(i.cluster.id, i.blocker, i.priority.blockers) for i in items] == [
        ("crash", True, 0.6667),
        ("slow", False, 0.2),
    ]
    assert items[1].priority.score > items[0].priority.score
    # blocker_share=0 and blocker_reach=0 is the literal rule: any blocker report.
    literal = Weights(blocker_share=0, blocker_reach=0)
    strict = score_clusters(clusters, facts, [steps], weights=literal)
    # (both blockers then; crash stopped 2 of 5 walkers, slow 1 of 5)
    assert [(i.cluster.id, i.blocker) for i in strict] == [("crash", True), ("slow", True)]


def test_the_blocker_bar_scales_with_the_walkers_who_reached_the_step() -> None:
    """Issue 11: 69 of 302 demo problems were "blockers" (29 of them one person's), so the top
    of the list was all BLOCKER. Now: at least max(2, 10% of the step's visitors)."""
    visitors = frozenset(f"w{i}" for i in range(30))
    steps = [StepFacts("j", "s1", visitors)]
    one = [fact("o1", "w0", severity=4)]  # one person's blocker
    two = [fact(f"t{i}", f"w{i}", severity=4) for i in range(2)]  # 2 of 30: under 10%
    three = [fact(f"h{i}", f"w{i}", severity=4) for i in range(3)]  # 3 of 30: the bar
    five = [fact(f"f{i}", f"w{i}", severity=4) for i in range(5)]
    facts = {f.uuid: f for f in one + two + three + five}
    clusters = [
        cluster(name, *[f.uuid for f in group])
        for name, group in (("one", one), ("two", two), ("three", three), ("five", five))
    ]
    items = score_clusters(clusters, facts, steps)
    assert [(i.cluster.id, i.blocker) for i in items] == [
        ("five", True),  # blockers first, most walkers stopped first
        ("three", True),
        ("two", False),
        ("one", False),
    ]
    assert items[0].priority.blocked == pytest.approx(5 / 30, abs=1e-4)
    assert Weights().blockers_needed(30) == 3 and Weights().blockers_needed(5) == 2
    assert Weights().blockers_needed(100) == 10 and Weights(blocker_reach=0).blockers_needed(9) == 1
    small_lab = score_clusters(clusters[:2], facts, [StepFacts("j", "s1", frozenset({"w0", "w1"}))])
    assert [(i.cluster.id, i.blocker) for i in small_lab] == [("two", True), ("one", False)]


def test_blocker_share_counts_walkers_not_reports() -> None:
    # w1 filed three blocker reports, w2..w4 one minor each: 1 of 4 walkers -> 0.25.
    facts = [fact(f"b{i}", "w1", severity=4) for i in range(3)]
    facts += [fact(f"m{i}", f"w{i}", severity=2) for i in range(2, 5)]
    parts = priority_parts(facts, {S1.key: S1})
    assert parts.blockers == 0.25


def test_explanation_spells_out_the_worked_example() -> None:
    why = explain([P1, P2], {S1.key: S1})
    assert (why.walkers, why.visitors, why.visits, why.bad_visits) == (2, 4, 2, 1)
    assert (why.hit_ease, why.other_ease, why.ease_drop) == (3.0, 6.0, 0.5)
    assert why.severities == {4: 1, 2: 1} and why.blocking_walkers == 1
    assert [round(f, 4) for _, f, _ in why.factors] == [0.5, 0.875, 0.75, 1.0]
    text = "\n".join(why.lines())
    assert "reach 0.50 = 2 walkers hit it / 4 walkers visited its steps" in text
    assert "1x4, 1x2 -> mean 3.00, worst 4" in text
    assert "1/2 visits blocked or skipped + ease 3.0/7 on 2 of their visits vs 6.0" in text
    assert "SEQ" not in text  # the reports' word (QA: a product owner did not know "SEQ")
    assert "seen in 1.0, 1.1" in text
    assert "score = 100 x 0.500 x 0.875 x 0.750 x 1.000 = 32.81" in text
    weighted = explain([P1, P2], {S1.key: S1}, Weights(reach=2))
    assert "100 x 0.500^2 x 0.875" in "\n".join(weighted.lines())
    no_baseline = explain([P1], {})
    assert "no ease baseline" in "\n".join(no_baseline.lines())


@settings(max_examples=50, deadline=None)
@given(
    severities=st.lists(st.integers(1, 4), min_size=1, max_size=6),
    releases=st.lists(st.sampled_from(["1.0", "1.1"]), min_size=1, max_size=6),
)
def test_the_factors_shown_multiply_to_the_score(
    severities: list[int], releases: list[str]
) -> None:
    """Review finding: the table showed raw parts that did not multiply to the score."""
    members = [
        fact(f"p{i}", f"w{i % 3}", severity=s, release=releases[i % len(releases)])
        for i, s in enumerate(severities)
    ]
    parts = explain(members, {S1.key: S1}).parts
    product = 100.0
    for value in factors_of(parts).values():
        assert 0.0 <= value <= 1.0
        product *= value
    assert product == pytest.approx(parts.score, abs=0.01)


def test_a_regression_ranks_right_after_the_blockers() -> None:
    big = [fact(f"b{i}", f"w{i}", severity=3) for i in range(1, 5)]
    small = [fact("s", "w1", severity=2)]
    rare = [fact("r", "w2", severity=4), fact("r2", "w3", severity=4)]
    facts = {f.uuid: f for f in big + small + rare}
    items = score_clusters(
        [cluster("small", "s"), cluster("big", *[f.uuid for f in big]), cluster("rare", "r", "r2")],
        facts,
        [S1],
    )
    assert [i.cluster.id for i in items] == ["rare", "big", "small"]
    back = [
        replace(i, status=FixStatus.FIXED, regressed=True) if i.cluster.id == "small" else i
        for i in items
    ]
    assert [i.cluster.id for i in rank(back)] == ["rare", "small", "big"]


def test_blocker_share_is_a_share() -> None:
    with pytest.raises(InvalidInput, match="0..1"):
        Weights().with_overrides(["blocker_share=5"])
    assert Weights().with_overrides(["blocker_share=1"]).blocker_share == 1.0


def test_explanation_says_when_the_reporters_gave_no_ease_answer() -> None:
    """Reports logged outside a walk (or with the ease question skipped) on a step that many
    others rated: `fix explain` said "nobody else rated these steps", which was false and sent
    a product owner looking for missing data in the wrong place."""
    unrated = fact("p9", "w9", severity=4, outcome=None, ease=None)
    text = "\n".join(explain([unrated], {S1.key: S1}).lines())
    assert "nobody else rated" not in text
    assert "no ease answer on their visits" in text
