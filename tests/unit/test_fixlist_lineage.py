"""Ids and decisions that carry over from a scope's last run (pure, no store)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from qualitylab.domain import Cluster, Clustering
from qualitylab.fixlist.lineage import previous_runs, unique_ids


@dataclass(frozen=True)
class Run:
    scope: str
    clusters: Mapping[str, Sequence[str]]
    one_offs: Mapping[str, Sequence[str]] = field(default_factory=dict)


def test_previous_comes_from_the_same_scope_only() -> None:
    own = Run("journey=shop", {"c-a": ["1", "2", "gone"]})
    lab_wide = Run("all", {"c-b": ["2", "3", "9"], "c-c": ["4"]})
    previous = previous_runs([lab_wide, own], "journey=shop", ["1", "2", "3", "4"])
    assert previous == {"c-a": ["1", "2"]}
    assert previous_runs([lab_wide], "journey=shop", ["1"]) is None


def test_an_id_used_by_two_journeys_is_made_unique() -> None:
    one = Cluster("c-1", "t", (), ("a",), (), 1.0)
    clustering = Clustering((one,), (), {"a": "c-1"})
    taken: set[str] = set()
    assert unique_ids(clustering, "j1", taken) is clustering
    again = unique_ids(Clustering((one,), (), {"a": "c-1"}), "j2", taken)
    assert again.clusters[0].id.startswith("c-1-") and again.labels["a"] == again.clusters[0].id
    assert taken == {"c-1", again.clusters[0].id}
