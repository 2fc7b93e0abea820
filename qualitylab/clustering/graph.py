"""Community detection on a similarity graph (Louvain with a refinement step), numpy + Python.

The number of communities falls out of modularity, so nobody has to give k. Written here because
the lab ships no graph library; it only ever runs on at most a few tens of thousands of nodes
(large inputs are clustered on a sample, see ``engine``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from scipy import sparse

    IntArray = npt.NDArray[np.int64]


def _local_moves(
    neighbours: list[list[tuple[int, float]]],
    node_weight: list[float],
    resolution: float,
    total: float,
) -> tuple[list[int], bool]:
    """One Louvain level: move nodes to the neighbouring community with the best gain.

    ``neighbours[i]`` lists ``(j, weight)`` for every other node linked to ``i``.
    """
    n = len(node_weight)
    community = list(range(n))
    tot = list(node_weight)
    improved = False
    scale = resolution / total
    # stop once a sweep moves almost nobody: the last few moves barely change the partition
    settle = max(1, n // 500)
    moved = settle + 1
    sweeps = 0
    while moved > settle and sweeps < 20:
        moved = 0
        sweeps += 1
        for i in range(n):
            ci = community[i]
            ki = node_weight[i]
            links: dict[int, float] = {}
            get = links.get
            for j, w in neighbours[i]:
                cj = community[j]
                links[cj] = get(cj, 0.0) + w
            tot[ci] -= ki
            penalty = scale * ki
            best = ci
            best_gain = get(ci, 0.0) - penalty * tot[ci]
            for c, w in links.items():
                gain = w - penalty * tot[c]
                if gain > best_gain + 1e-12:
                    best, best_gain = c, gain
                elif gain >= best_gain - 1e-12 and c < best:
                    best, best_gain = c, gain
            tot[best] += ki
            if best != ci:
                community[i] = best
                moved += 1
                improved = True
    return community, improved


def _neighbour_lists(g: sparse.csr_matrix) -> list[list[tuple[int, float]]]:
    indptr = g.indptr.tolist()
    indices = g.indices.tolist()
    weights = g.data.tolist()
    pairs = list(zip(indices, weights, strict=True))
    return [
        [pair for pair in pairs[indptr[i] : indptr[i + 1]] if pair[0] != i]
        for i in range(g.shape[0])
    ]


def louvain(graph: sparse.csr_matrix, *, resolution: float = 1.0, max_levels: int = 10) -> IntArray:
    """Community label per node of a symmetric weighted graph; deterministic for a given graph.

    Nodes are visited in index order (callers sort their inputs canonically first), ties go to
    the lowest community, so the same graph always gives the same partition.
    """
    import numpy as np
    from scipy import sparse as sp

    n = graph.shape[0]
    labels = np.arange(n, dtype=np.int64)
    if n == 0:
        return labels
    g = sp.csr_matrix(graph, dtype=np.float64)
    total = float(g.sum())
    if total <= 0:
        return labels
    for _ in range(max_levels):
        g.sum_duplicates()
        g.sort_indices()
        node_weight = np.asarray(g.sum(axis=1)).ravel().tolist()
        community, improved = _local_moves(_neighbour_lists(g), node_weight, resolution, total)
        if not improved:
            break
        _, compact = np.unique(np.asarray(community, dtype=np.int64), return_inverse=True)
        compact = compact.astype(np.int64)
        labels = compact[labels]
        k = int(compact.max()) + 1
        agg = sp.csr_matrix(
            (np.ones(len(compact)), (compact, np.arange(len(compact)))), shape=(k, len(compact))
        )
        g = sp.csr_matrix(agg @ g @ agg.T)
        if k == 1:
            break
    return labels
