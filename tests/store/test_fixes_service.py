"""Fix-list service on a real SQLite lab, with a fake clustering engine so the numbers are known.

The fake groups texts by the word before the first ':' ("pay: card rejected" -> cluster "c-pay");
a group of one is left unclustered, as the engine does with one-offs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from qualitylab import services
from qualitylab.domain import Cluster, Clustering, FixStatus, Outcome
from qualitylab.errors import InvalidInput, NotFound
from qualitylab.fixlist.score import Weights
from qualitylab.services import Lab
from qualitylab.services.fixes import (
    build_fix_list,
    compare_releases,
    list_fix_records,
    scope_key,
    set_fix_status,
)


class FakeEngine:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(
        self,
        texts: Sequence[str],
        *,
        ids: Sequence[str],
        suggestions: Sequence[str],
        previous: Mapping[str, Collection[str]] | None,
        context: Sequence[str] | None,
        authors: Sequence[str] | None = None,
        seed: int,
        progress: Callable[[str, float], None] | None,
    ) -> Clustering:
        self.calls.append(
            {"ids": list(ids), "previous": previous, "seed": seed, "context": context}
        )
        groups: dict[str, list[int]] = {}
        for n, text in enumerate(texts):
            groups.setdefault(text.split(":")[0], []).append(n)
        clusters = tuple(
            Cluster(
                id=f"c-{key}",
                title=key,
                terms=(key,),
                members=tuple(ids[n] for n in rows),
                quotes=tuple(texts[n] for n in rows[:3]),
                cohesion=1.0,
            )
            for key, rows in sorted(groups.items())
            if len(rows) > 1
        )
        unclustered = tuple(ids[rows[0]] for rows in groups.values() if len(rows) == 1)
        labels: dict[str, str | None] = {m: c.id for c in clusters for m in c.members}
        labels.update(dict.fromkeys(unclustered))
        return Clustering(clusters=clusters, unclustered=unclustered, labels=labels)


@pytest.fixture
def lab(db_url: str, fixes_catalog: Path) -> Iterator[Lab]:
    """A lab on SQLite and (when CI provides one) PostgreSQL."""
    opened = Lab.open(db=db_url, journeys=fixes_catalog)
    yield opened
    opened.close()


def walk(
    lab: Lab,
    walker: str,
    release: str,
    visits: dict[str, tuple[Outcome, int]],
    pains: list[tuple[str, str, int]],
) -> None:
    """One walker's walk: step visits (outcome, ease) and pain points (step, text, severity)."""
    who = services.get_or_create_walker(lab, name=walker)
    w = services.start_or_resume_walk(lab, journey_id="shop", walker=who, release=release)
    for step, (outcome, ease) in visits.items():
        services.enter_step(lab, w.uuid, step)
        services.record_step(lab, w.uuid, step, outcome=outcome, ease=ease)
    for step, text, severity in pains:
        services.log_pain_point(
            lab, walk_uuid=w.uuid, step_id=step, text=text, severity=severity, category="bug"
        )
    services.finish_walk(lab, w.uuid, nps=5)


def release_10(lab: Lab) -> None:
    walk(lab, "w1", "1.0", {"a": (Outcome.BLOCKED, 1)}, [("a", "pay: card rejected", 4)])
    walk(
        lab,
        "w2",
        "1.0",
        {"a": (Outcome.FRICTION, 3)},
        [("a", "pay: button grey", 2), ("a", "solo: app crashed", 4)],
    )
    walk(
        lab,
        "w3",
        "1.0",
        {"a": (Outcome.DONE, 7), "b": (Outcome.DONE, 6)},
        [("b", "menu: hidden", 1), ("b", "menu: hidden again", 1)],
    )


def test_fix_list_worked_example(lab: Lab) -> None:
    release_10(lab)
    items = build_fix_list(lab, cluster_fn=FakeEngine())
    assert [i.cluster.id for i in items][0] == "c-pay"
    pay, solo, menu = items
    # pay: reach 2 of 3 visitors of step a; severity mean 3 worst 4 -> 0.875;
    # impact: 1 of 2 visits blocked (0.5), SEQ hit mean 2 vs others 7 -> drop 5/6;
    # impact (0.5 + 0.8333)/2 = 0.6667 -> factor 0.8333; one release -> 0.5.
    # score = 100 * 2/3 * 0.875 * 0.8333 * 0.5 = 24.31
    assert pay.priority.reach == pytest.approx(0.6667)
    assert (pay.priority.severity_mean, pay.priority.severity_max) == (3.0, 4)
    assert pay.priority.impact == pytest.approx(0.6667)
    assert pay.priority.score == pytest.approx(24.31)
    assert (pay.walkers, pay.pain_points, pay.steps, pay.releases) == (
        2,
        2,
        (("shop", "a"),),
        ("1.0",),
    )
    # The lone blocker is not dropped as a one-off: reach 1/3, severity 1.0,
    # impact (0 + (4-3)/6)/2 = 1/12 -> factor 0.5417; score = 100/3 * 0.5417 * 0.5 = 9.03
    assert solo.cluster.id.startswith("one-off-") and solo.cluster.quotes == ("solo: app crashed",)
    assert solo.priority.score == pytest.approx(9.03)
    # menu: one walker (twice, one visit), the only visitor of b: 100 * 1 * 0.25 * 0.5 * 0.5
    assert menu.priority.score == pytest.approx(6.25)
    assert (menu.walkers, menu.pain_points) == (1, 2)
    assert [i.rank for i in items] == [1, 2, 3]


def test_weights_and_top(lab: Lab) -> None:
    release_10(lab)
    items = build_fix_list(
        lab,
        top=1,
        weights=Weights(reach=0, severity=0, impact=0, persistence=0),
        cluster_fn=FakeEngine(),
    )
    assert len(items) == 1 and items[0].priority.score == 100.0
    with pytest.raises(InvalidInput):
        build_fix_list(lab, top=0, cluster_fn=FakeEngine())


def test_runs_are_reused_until_input_changes_then_passed_back(lab: Lab) -> None:
    release_10(lab)
    engine = FakeEngine()
    first = build_fix_list(lab, cluster_fn=engine)
    assert len(engine.calls) == 1 and engine.calls[0]["previous"] is None
    # each pain point's step goes to the engine as its context, in the same order as the ids
    points = {p.uuid: p.step_id for p in services.list_pain_points(lab)}
    assert engine.calls[0]["context"] == [points[i] for i in engine.calls[0]["ids"]]
    assert set(engine.calls[0]["context"]) == {"a", "b"}
    # Same pain points: the stored run is reused, for the lab and for the journey alike.
    assert build_fix_list(lab, cluster_fn=engine) == first
    by_journey = build_fix_list(lab, journey="shop", cluster_fn=engine)
    assert [i.cluster for i in by_journey] == [i.cluster for i in first]
    assert len(engine.calls) == 1
    # New feedback: the engine runs again and gets last run's members to keep ids.
    walk(lab, "w9", "1.0", {"a": (Outcome.DONE, 5)}, [("a", "pay: slow", 2)])
    build_fix_list(lab, cluster_fn=engine)
    assert len(engine.calls) == 2
    previous = engine.calls[1]["previous"]
    assert {cid: len(members) for cid, members in previous.items()} == {"c-pay": 2, "c-menu": 2}
    assert scope_key(journey="shop") == "journey=shop" and scope_key() == "all"


def test_status_marks_and_regression(lab: Lab) -> None:
    release_10(lab)
    engine = FakeEngine()
    build_fix_list(lab, cluster_fn=engine)
    with pytest.raises(NotFound):
        set_fix_status(lab, "c-nope", "planned")
    with pytest.raises(InvalidInput):
        set_fix_status(lab, "c-pay", "fixed")
    record = set_fix_status(lab, "c-pay", "fixed", release="1.0", note="new gateway").record
    assert (record.status, record.release, record.title) == (FixStatus.FIXED, "1.0", "pay")
    set_fix_status(lab, "c-menu", "wont_fix", note="by design")

    items = {i.cluster.id: i for i in build_fix_list(lab, cluster_fn=engine)}
    assert items["c-pay"].status is FixStatus.FIXED and not items["c-pay"].regressed
    assert items["c-menu"].status_note == "by design"
    # Settled items go below the open one-off blocker.
    assert items["c-pay"].rank > items[next(k for k in items if k.startswith("one-off"))].rank

    walk(lab, "w4", "1.1", {"a": (Outcome.BLOCKED, 2)}, [("a", "pay: rejected again", 4)])
    items = {i.cluster.id: i for i in build_fix_list(lab, cluster_fn=engine)}
    assert items["c-pay"].regressed and items["c-pay"].rank == 1
    assert items["c-pay"].releases == ("1.0", "1.1")
    assert items["c-pay"].priority.persistence == 1.0


class IdentityEngine:
    """Groups texts by the word before ":" like FakeEngine, but names clusters with the real
    ``identity.match`` (so splits are what the engine would report); with ``split`` set, "pay"
    texts that mention "grey" form a group of their own."""

    def __init__(self) -> None:
        self.split = False

    def __call__(self, texts: Sequence[str], **kwargs: Any) -> Clustering:
        from qualitylab.clustering import identity

        ids = kwargs["ids"]
        groups: dict[str, list[int]] = {}
        for n, text in enumerate(texts):
            key = text.split(":")[0]
            if self.split and key == "pay" and "grey" in text:
                key = "pay-grey"
            groups.setdefault(key, []).append(n)
        keys = sorted(k for k, rows in groups.items() if len(rows) > 1)
        members = [[ids[n] for n in groups[k]] for k in keys]
        cids, changes = identity.match(members, kwargs.get("previous"))
        clusters = tuple(
            Cluster(
                id=cid,
                title=key,
                terms=(key,),
                members=tuple(group),
                quotes=tuple(texts[n] for n in groups[key][:3]),
                cohesion=1.0,
            )
            for cid, key, group in zip(cids, keys, members, strict=True)
        )
        unclustered = tuple(ids[rows[0]] for rows in groups.values() if len(rows) == 1)
        labels: dict[str, str | None] = {m: c.id for c in clusters for m in c.members}
        labels.update(dict.fromkeys(unclustered))
        return Clustering(clusters, unclustered, labels, changes=tuple(changes))


def test_a_decision_follows_the_part_that_split_off(lab: Lab) -> None:
    """Review finding: new feedback split a fixed problem and the new part came back as open."""
    release_10(lab)
    walk(lab, "w5", "1.0", {"a": (Outcome.FRICTION, 3)}, [("a", "pay: grey button again", 2)])
    walk(lab, "w6", "1.0", {"a": (Outcome.BLOCKED, 1)}, [("a", "pay: rejected once more", 4)])
    engine = IdentityEngine()
    (pay,) = [i for i in build_fix_list(lab, cluster_fn=engine) if i.cluster.title == "pay"]
    assert pay.pain_points == 4
    set_fix_status(lab, pay.cluster.id, "fixed", release="1.0", note="new gateway")
    walk(lab, "w7", "1.1", {"a": (Outcome.FRICTION, 2)}, [("a", "pay: still grey", 2)])
    engine.split = True
    items = {i.cluster.title: i for i in build_fix_list(lab, cluster_fn=engine)}
    kept, split = sorted(
        (items["pay"], items["pay-grey"]), key=lambda i: i.cluster.id != pay.cluster.id
    )
    assert kept.cluster.id == pay.cluster.id and split.cluster.id != pay.cluster.id
    assert (split.status, split.status_release) == (FixStatus.FIXED, "1.0")
    assert split.status_note == f"split from {pay.cluster.id}: new gateway"
    assert items["pay-grey"].regressed  # "still grey" comes from 1.1, after the fix
    # the inherited decision is stored: it stays when the run is reused, and the team can change it
    again = {i.cluster.id: i for i in build_fix_list(lab, cluster_fn=engine)}
    assert again[split.cluster.id].status is FixStatus.FIXED
    assert split.cluster.id in {r.cluster_id for r in list_fix_records(lab)}


def test_a_release_list_shows_that_releases_suggestions(lab: Lab) -> None:
    """Final review: `fixes --release 1.1` showed suggestions made only in 1.0."""
    for n, text in enumerate(["card payment rejected", "my card was rejected", "card rejected"]):
        who = services.get_or_create_walker(lab, name=f"p{n}")
        w = services.start_or_resume_walk(lab, journey_id="shop", walker=who, release="1.0")
        services.enter_step(lab, w.uuid, "a")
        services.log_pain_point(
            lab, walk_uuid=w.uuid, step_id="a", text=text, severity=3, category="bug",
            suggested_fix="retry the payment",
        )  # fmt: skip
    walk(lab, "p9", "1.1", {"a": (Outcome.BLOCKED, 2)}, [("a", "card rejected at payment", 3)])
    (whole,) = [i for i in build_fix_list(lab) if i.pain_points == 4]
    assert whole.cluster.suggestions == (("retry the payment", 3),)
    (only_11,) = build_fix_list(lab, release="1.1")
    assert only_11.cluster.id == whole.cluster.id and only_11.cluster.suggestions == ()


def test_a_decided_one_off_keeps_its_decision_when_it_recurs(lab: Lab) -> None:
    """Review finding: a won't-fix one-off came back as open once a second walker wrote it."""
    text = "the terms page is in latin"
    walk(lab, "w1", "1.0", {"a": (Outcome.BLOCKED, 1)}, [("a", text, 4)])
    walk(lab, "w2", "1.0", {"b": (Outcome.DONE, 6)}, [("b", "the font on the menu is tiny", 1)])
    (line,) = [i for i in build_fix_list(lab) if i.cluster.title == text]
    assert line.cluster.id.startswith("one-off-")
    set_fix_status(lab, line.cluster.id, "wont_fix", note="legal text")
    walk(lab, "w3", "1.1", {"a": (Outcome.BLOCKED, 1)}, [("a", text, 4)])
    (grown,) = [i for i in build_fix_list(lab) if i.cluster.title == text]
    assert not grown.cluster.id.startswith("one-off-") and grown.pain_points == 2
    assert grown.status is FixStatus.WONT_FIX
    assert grown.status_note == f"grew from {line.cluster.id}: legal text"


def test_an_inherited_decision_never_replaces_a_persons(lab: Lab) -> None:
    """Review finding: a decision saved while the fix list was clustering was overwritten."""
    from qualitylab.store import fixes as store_fixes

    release_10(lab)
    with lab.store.unit() as unit:
        store_fixes.save_fix(
            unit, cluster_id="c-x", scope="", title="x", status="planned", release="2", note="mine"
        )
        assert (
            store_fixes.add_fix_if_absent(
                unit, cluster_id="c-x", scope="", title="x", status="fixed", release="1", note=""
            )
            is None
        )
    (record,) = [r for r in list_fix_records(lab) if r.cluster_id == "c-x"]
    assert (record.status, record.note) == (FixStatus.PLANNED, "mine")


def test_a_status_change_keeps_the_note_and_warns_about_odd_releases(lab: Lab) -> None:
    """Review findings: a status change wiped the note; a typo'd or current release went unsaid."""
    release_10(lab)
    engine = FakeEngine()
    build_fix_list(lab, cluster_fn=engine)
    planned = set_fix_status(lab, "c-pay", "planned", release="1.1", note="sprint 12")
    assert planned.warnings == ()  # a planned release is normally one still to come
    typo = set_fix_status(lab, "c-pay", "fixed", release="1.1")
    assert typo.warnings == (
        "no walk of this journey used release '1.1' yet (known: 1.0); check it is not a typo, "
        "or a regression can never be flagged",
    )
    # review: a release walked without a report on this journey is known, not a typo
    walk(lab, "w9", "1.1", {"b": (Outcome.DONE, 6)}, [])
    assert set_fix_status(lab, "c-pay", "fixed", release="1.1").warnings == ()
    with pytest.raises(InvalidInput, match="longer than 64"):
        set_fix_status(lab, "c-pay", "fixed", release="9" * 65)
    second = set_fix_status(lab, "c-pay", "fixed", release="1.0")
    assert second.record.note == "sprint 12"  # no --note: the old note stays
    assert second.warnings == (
        "2 of its reports come from 1.0 itself; they do not count as a regression, only "
        "reports from a later release do",
    )
    assert set_fix_status(lab, "c-pay", "fixed", release="1.0", note="").record.note == ""
    # review: fixed in a release that later reports already contradict says so at once
    walk(lab, "w8", "1.1", {"a": (Outcome.BLOCKED, 1)}, [("a", "pay: rejected in 1.1", 4)])
    build_fix_list(lab, cluster_fn=engine)
    early = set_fix_status(lab, "c-pay", "fixed", release="1.0").warnings
    assert "it has reports from later releases (1.1), so it shows as REGRESSED at once" in early


def test_release_slice_and_compare(lab: Lab) -> None:
    release_10(lab)
    walk(
        lab, "w4", "1.1", {"a": (Outcome.DONE, 5)}, [("a", "pay: slow", 2), ("a", "pay: slower", 3)]
    )
    walk(
        lab,
        "w5",
        "1.1",
        {"b": (Outcome.DONE, 5)},
        [("b", "promo: spam", 2), ("b", "promo: ads", 2)],
    )
    engine = FakeEngine()
    everything = build_fix_list(lab, cluster_fn=engine)
    assert {i.cluster.id for i in everything} >= {"c-pay", "c-menu", "c-promo"}

    only_11 = build_fix_list(lab, release="1.1", cluster_fn=engine)
    assert {i.cluster.id for i in only_11} == {"c-pay", "c-promo"}

    pay = next(i for i in only_11 if i.cluster.id == "c-pay")
    assert (pay.walkers, pay.pain_points) == (1, 2)
    assert pay.priority.persistence == 1.0  # seen in 1.0 too

    set_fix_status(lab, "c-pay", "fixed", release="1.0")
    changes = {
        c.cluster_id: (c.kind, c.from_count, c.to_count)
        for c in compare_releases(lab, from_release="1.0", to_release="1.1", cluster_fn=engine)
    }
    assert changes["c-pay"] == ("regressed", 2, 2)
    assert changes["c-promo"] == ("new", 0, 2)
    assert changes["c-menu"] == ("not_seen_again", 2, 0)  # one walker's notes: no evidence

    with pytest.raises(NotFound):
        build_fix_list(lab, release="9.9", cluster_fn=engine)
    with pytest.raises(NotFound):
        compare_releases(lab, from_release="1.0", to_release="2.0", cluster_fn=engine)
    with pytest.raises(InvalidInput):
        compare_releases(lab, from_release="1.0", to_release="1.0", cluster_fn=engine)
    # release names are not always ordered ("2.0-rc1" sorts after "2.0"): the CLI notes a
    # reversed-looking pair, the service compares what it is given
    reversed_ = compare_releases(lab, from_release="1.1", to_release="1.0", cluster_fn=engine)
    assert {c.cluster_id: c.kind for c in reversed_}["c-promo"] == "not_seen_again"
    # a stray space in --release is not a different release
    spaced = build_fix_list(lab, release=" 1.1 ", cluster_fn=engine)
    assert {i.cluster.id for i in spaced} == {i.cluster.id for i in only_11}


SECOND_PRODUCT = (
    "  - id: web\n    name: The site\n    release: '2026.1'\njourneys:\n"
    "  - id: site\n    title: Browse\n    product: web\n    persona: A visitor\n"
    "    channel: web\n    goal: Look\n    estimated_minutes: 5\n    steps:\n"
    "      - id: a\n        title: Land\n        instructions: Open the site.\n"
)


def test_filters_and_releases_of_different_products_are_refused(
    db_url: str, tmp_path: Path, fixes_catalog: Path
) -> None:
    """Review findings: a journey outside the product said 'no pain points yet'; two products'
    releases were compared as if one came after the other."""
    catalog = tmp_path / "two.yaml"
    text = fixes_catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("journeys:\n", SECOND_PRODUCT, 1), encoding="utf-8")
    with Lab.open(db=db_url, journeys=catalog) as lab:
        walk(lab, "w1", "1.0", {"a": (Outcome.DONE, 5)}, [("a", "pay: slow", 2)])
        who = services.get_or_create_walker(lab, name="w2")
        w = services.start_or_resume_walk(lab, journey_id="site", walker=who, release="2026.1")
        services.enter_step(lab, w.uuid, "a")
        services.log_pain_point(
            lab, walk_uuid=w.uuid, step_id="a", text="promo: ads", severity=2, category="bug"
        )
        engine = FakeEngine()
        with pytest.raises(
            InvalidInput, match="journey 'shop' is part of product 'app', not 'web'"
        ):
            build_fix_list(lab, journey="shop", product="web", cluster_fn=engine)
        with pytest.raises(InvalidInput, match="belong to different products"):
            compare_releases(lab, from_release="1.0", to_release="2026.1", cluster_fn=engine)
        # final review: a release known only from logged feedback (no step visits) compares
        from qualitylab.services.feedback import log_feedback

        log_feedback(lab, {"journey": "shop", "step": "a", "text": "pay: slow", "release": "1.3"})
        assert compare_releases(lab, from_release="1.0", to_release="1.3", cluster_fn=engine)


def test_unknown_filters_and_empty_lab(lab: Lab) -> None:
    assert build_fix_list(lab, cluster_fn=FakeEngine()) == []
    with pytest.raises(NotFound):
        build_fix_list(lab, journey="nope", cluster_fn=FakeEngine())
    with pytest.raises(NotFound):
        build_fix_list(lab, product="nope", cluster_fn=FakeEngine())


def test_real_engine_fix_list_keeps_ids_when_feedback_grows(lab: Lab) -> None:
    pay = ["card payment rejected", "my card was rejected at payment", "payment rejected, card"]
    menu = ["cannot find the menu", "the menu is hidden", "menu hidden, cannot find it"]
    for n, text in enumerate(pay):
        walk(lab, f"p{n}", "1.0", {"a": (Outcome.BLOCKED, 1)}, [("a", text, 4)])
    for n, text in enumerate(menu):
        walk(lab, f"m{n}", "1.0", {"b": (Outcome.DONE, 5)}, [("b", text, 2)])
    first = build_fix_list(lab)
    assert first and first[0].blocker and first[0].steps == (("shop", "a"),)
    assert first[0].pain_points == 3
    walk(lab, "p9", "1.1", {"a": (Outcome.BLOCKED, 2)}, [("a", "card rejected on payment", 4)])
    second = build_fix_list(lab)
    assert second[0].cluster.id == first[0].cluster.id
    assert second[0].pain_points == 4 and second[0].priority.persistence == 1.0


def test_the_same_words_from_three_walkers_are_one_problem(lab: Lab) -> None:
    """Review finding: identical notes were one-offs, one line per blocker copy, one report lost."""
    same = "ноль не работает, бот возвращает в начало"
    for who, severity in (("w1", 4), ("w2", 4), ("w3", 3)):
        walk(lab, who, "1.0", {"a": (Outcome.BLOCKED, 2)}, [("a", same, severity)])
    walk(lab, "w4", "1.0", {"b": (Outcome.DONE, 6)}, [("b", "the font on the receipt is tiny", 1)])
    items = build_fix_list(lab)
    matching = [i for i in items if i.cluster.title == same]
    assert len(matching) == 1
    assert (matching[0].walkers, matching[0].pain_points) == (3, 3)
    assert not matching[0].cluster.id.startswith("one-off-")


def test_identical_anonymous_feedback_is_one_problem(lab: Lab) -> None:
    """Review finding: anonymous `qualitylab log` feedback shares one walker record, so identical
    anonymous notes counted as one author and never became a problem."""
    from qualitylab.services.feedback import log_feedback

    note = {"journey": "shop", "step": "a", "text": "the receipt email never arrives"}
    for _ in range(3):
        log_feedback(lab, {**note, "severity": 2})
    walk(lab, "w2", "1.0", {"b": (Outcome.DONE, 6)}, [("b", "the font on the menu is tiny", 1)])
    lines = [i for i in build_fix_list(lab) if i.cluster.title == note["text"]]
    assert len(lines) == 1 and lines[0].pain_points == 3


def test_one_walker_pasting_a_blocker_twice_is_one_line(lab: Lab) -> None:
    text = "the app froze on the payment screen"
    walk(lab, "w1", "1.0", {"a": (Outcome.BLOCKED, 1)}, [("a", text, 4), ("a", text, 3)])
    walk(lab, "w2", "1.0", {"b": (Outcome.DONE, 6)}, [("b", "the font on the receipt is tiny", 1)])
    items = build_fix_list(lab)
    lines = [i for i in items if i.cluster.title == text]
    assert len(lines) == 1, [i.cluster for i in items]
    assert lines[0].cluster.id.startswith("one-off-")  # one person: not a recurring problem
    assert (lines[0].walkers, lines[0].pain_points) == (1, 2)


def test_weights_from_config_file_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualitylab.services.fixes import default_weights

    monkeypatch.setenv("QUALITYLAB_CONFIG_DIR", str(tmp_path))
    monkeypatch.delenv("QUALITYLAB_WEIGHTS", raising=False)
    assert default_weights() == Weights()
    (tmp_path / "config.toml").write_text("[weights]\nreach = 2\nseverity = 0.5\n")
    assert (default_weights().reach, default_weights().severity) == (2.0, 0.5)
    monkeypatch.setenv("QUALITYLAB_WEIGHTS", "reach=3")
    assert (default_weights().reach, default_weights().severity) == (3.0, 0.5)
    (tmp_path / "config.toml").write_text("[weights]\nspeed = 1\n")
    with pytest.raises(InvalidInput, match="config.toml: bad weight 'speed=1'"):
        default_weights()
    (tmp_path / "config.toml").write_text("[weights\n")
    with pytest.raises(InvalidInput, match="config.toml: cannot read"):
        default_weights()


def test_store_runs_and_fixes(lab: Lab) -> None:
    from qualitylab.store import fixes as store_fixes

    with lab.store.unit() as unit:
        assert store_fixes.latest_run(unit, "journey=shop") is None
        Run = store_fixes.ClusterRun
        run = Run(clusters={"c-1": ("a", "b")}, titles={"c-1": "T"})
        assert store_fixes.save_run(unit, scope="journey=shop", run=run)
        assert not store_fixes.save_run(unit, scope="journey=shop", run=run)  # same: skip
        assert store_fixes.save_run(unit, scope="journey=other", run=Run())
        newer = Run(clusters={"c-2": ("a",)}, titles={"c-2": "U"})
        assert store_fixes.save_run(unit, scope="journey=shop", run=newer)
    with lab.store.unit() as unit:
        latest = {r.scope: r for r in store_fixes.latest_runs(unit)}
        assert set(latest) == {"journey=shop", "journey=other"}
        assert latest["journey=shop"].clusters == {"c-2": ("a",)}
        assert latest["journey=shop"].titles == {"c-2": "U"}
        saved = store_fixes.save_fix(
            unit, cluster_id="c-2", scope="journey=shop", title="U", status="fixed",
            release="1.0", note="n",
        )  # fmt: skip
        assert saved.updated_at is not None
        store_fixes.save_fix(
            unit, cluster_id="c-2", scope="journey=shop", title="U", status="planned",
            release=None, note="",
        )  # fmt: skip
    with lab.store.unit() as unit:
        fix = store_fixes.get_fix(unit, "c-2")
        assert fix is not None and (fix.status, fix.release) == ("planned", None)
        assert list(store_fixes.fixes(unit)) == ["c-2"]
