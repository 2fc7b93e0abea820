"""A person's merges and moves applied on top of a clustering (pure, table-driven)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from qualitylab.domain import Cluster, Clustering
from qualitylab.fixlist.corrections import MERGE, MOVE, Correction, apply_corrections

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def cluster(cid: str, *members: str) -> Cluster:
    return Cluster(cid, cid.upper(), (), members, tuple(f"text {m}" for m in members), 1.0)


def clustering(
    *clusters: Cluster, unclustered: tuple[str, ...] = (), dup: dict[str, str] | None = None
) -> Clustering:
    labels: dict[str, str | None] = dict.fromkeys(unclustered)
    labels.update({m: c.id for c in clusters for m in c.members})
    return Clustering(tuple(clusters), unclustered, labels, (), dup or {})


def corr(n: int, kind: str, subject: str, target: str = "", undone: bool = False) -> Correction:
    at = T0 + timedelta(minutes=n)
    return Correction(
        f"u{n}", kind, subject, target, created_at=at, undone_at=at if undone else None
    )


def members(result: Clustering) -> dict[str, tuple[str, ...]]:
    return {c.id: c.members for c in result.clusters}


BASE = clustering(
    cluster("a", "1", "2"), cluster("b", "3", "4"), cluster("c", "5", "6"), unclustered=("7",)
)


def test_no_corrections_changes_nothing() -> None:
    done = apply_corrections(BASE, (), [])
    assert members(done.clustering) == members(BASE) and done.applied == frozenset()


def test_merge_joins_members_and_records_what_was_merged() -> None:
    done = apply_corrections(BASE, (), [corr(1, MERGE, "b", "a")])
    assert members(done.clustering) == {"a": ("1", "2", "3", "4"), "c": ("5", "6")}
    assert done.merged == {"a": (("b", "B"),)} and done.alias == {"b": "a"}


def test_merges_chain_and_a_merge_into_a_merged_problem_follows_it() -> None:
    done = apply_corrections(BASE, (), [corr(1, MERGE, "b", "a"), corr(2, MERGE, "c", "b")])
    assert members(done.clustering) == {"a": ("1", "2", "3", "4", "5", "6")}
    assert [cid for cid, _ in done.merged["a"]] == ["b", "c"]
    # merged the other way round: a into c after b into a -> everything in c, history kept
    done = apply_corrections(BASE, (), [corr(1, MERGE, "b", "a"), corr(2, MERGE, "a", "c")])
    assert members(done.clustering) == {"c": ("5", "6", "1", "2", "3", "4")}
    assert [cid for cid, _ in done.merged["c"]] == ["a", "b"]


def test_undone_and_dormant_corrections_change_nothing() -> None:
    gone = corr(2, MERGE, "zzz", "a")  # the problem dissolved under new feedback
    done = apply_corrections(BASE, (), [corr(1, MERGE, "b", "a", undone=True), gone])
    assert members(done.clustering) == members(BASE) and done.applied == frozenset()


def test_moves_into_a_problem_and_out_of_every_problem() -> None:
    done = apply_corrections(BASE, (), [corr(1, MOVE, "2", "b"), corr(2, MOVE, "5", "")])
    assert members(done.clustering) == {"a": ("1",), "b": ("3", "4", "2"), "c": ("6",)}
    assert "5" in done.clustering.unclustered and done.moved_from == {"5": "c"}
    assert done.moved_in == {"b": ("2",)} and done.moved_out == {"a": ("2",), "c": ("5",)}
    # the quotes of a problem that lost a report stop saying it
    texts = {m: f"text {m}" for m in "1234567"}
    done = apply_corrections(BASE, (), [corr(1, MOVE, "2", "b")], texts)
    assert {c.id: c.quotes for c in done.clustering.clusters}["a"] == ("text 1",)


def test_a_one_off_can_be_moved_in_and_an_emptied_problem_disappears() -> None:
    moves = [corr(1, MOVE, "7", "a"), corr(2, MOVE, "5", "a"), corr(3, MOVE, "6", "a")]
    done = apply_corrections(BASE, (), moves)
    assert members(done.clustering) == {"a": ("1", "2", "7", "5", "6"), "b": ("3", "4")}
    assert done.clustering.unclustered == ()


def test_one_off_lines_merge_into_problems_and_untouched_lines_stay_unclustered() -> None:
    line = Cluster("one-off-7", "seven", (), ("7",), ("seven",), 1.0)
    base = clustering(cluster("a", "1", "2"), unclustered=("7", "8"))
    other = Cluster("one-off-8", "eight", (), ("8",), ("eight",), 1.0)
    done = apply_corrections(base, (line, other), [corr(1, MERGE, "one-off-7", "a")])
    assert members(done.clustering) == {"a": ("1", "2", "7")}
    assert done.clustering.unclustered == ("8",)  # the caller lists it again as a line


def test_a_collapsed_copy_moves_alone_and_an_original_takes_its_copies() -> None:
    base = clustering(cluster("a", "1", "2"), cluster("b", "3"), dup={"1c": "1"})
    done = apply_corrections(base, (), [corr(1, MOVE, "1c", "b")])
    assert members(done.clustering) == {"a": ("1", "2"), "b": ("3", "1c")}
    assert "1c" not in done.clustering.duplicates
    done = apply_corrections(base, (), [corr(1, MOVE, "1", "b")])
    assert members(done.clustering)["b"] == ("3", "1") and done.clustering.duplicates == {"1c": "1"}


def test_corrections_apply_in_the_order_they_were_made() -> None:
    later_first = [corr(2, MOVE, "1", "c"), corr(1, MOVE, "1", "b")]
    done = apply_corrections(BASE, (), later_first)
    assert "1" in members(done.clustering)["c"] and "1" not in members(done.clustering)["b"]


def test_a_sentence_reads_as_what_was_done() -> None:
    assert corr(1, MERGE, "b", "a").sentence({"a": "Code never comes"}) == (
        "merged b into a (Code never comes)"
    )
    assert (
        corr(1, MOVE, "12345678abcd", "").sentence() == "moved report 12345678 out of its problem"
    )
    assert corr(1, MOVE, "x", "a", undone=True).sentence().endswith("(undone)")


def test_a_move_into_a_split_id_creates_that_problem_titled_after_its_first_report() -> None:
    texts = {m: f"text {m}" for m in "1234567"}
    moves = [corr(1, MOVE, "3", "s-abc"), corr(2, MOVE, "7", "s-abc")]
    done = apply_corrections(BASE, (), moves, texts)
    assert members(done.clustering)["s-abc"] == ("3", "7")
    split = next(c for c in done.clustering.clusters if c.id == "s-abc")
    assert split.title == "text 3" and split.quotes == ("text 3",)
    assert members(done.clustering)["b"] == ("4",) and "7" not in done.clustering.unclustered
    # an ordinary id no clustering holds stays dormant
    assert apply_corrections(BASE, (), [corr(1, MOVE, "3", "c-gone")]).applied == frozenset()
