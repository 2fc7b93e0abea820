"""Community detection on a similarity graph: Leiden modularity via igraph (C).

The number of communities falls out of modularity, so nobody has to give k. igraph replaced a
pure-Python Louvain written here first: on the 5,000-node graphs the engine builds it is ~5x
faster (0.05 s instead of 0.25 s) at the same NMI/ARI (benchmarks/README.md), and Leiden's
refinement guarantees every community is connected, which Louvain does not.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from scipy import sparse

    IntArray = npt.NDArray[np.int64]

#: Leiden passes. Two (igraph's default) score the same NMI/ARI as running until no node moves
#: and take a quarter of the time (0.04 s vs 0.13 s on a 5,000-text graph).
LEIDEN_ITERATIONS = 2

#: igraph's random generator is process-wide; runs from two threads must not interleave seeds.
_RNG_LOCK = threading.Lock()


def communities(graph: sparse.csr_matrix, *, resolution: float = 1.0, seed: int = 0) -> IntArray:
    """Community label per node of a symmetric weighted graph.

    Deterministic for a given graph and seed: igraph visits nodes in an order drawn from its
    generator, which is seeded on every call. Callers sort their inputs canonically first, so
    the input order of the texts cannot change the graph either.
    """
    import random

    import igraph
    import numpy as np
    from scipy import sparse as sp

    n = graph.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    upper = sp.triu(sp.csr_matrix(graph, dtype=np.float64), k=1).tocoo()
    if upper.nnz == 0:
        return np.arange(n, dtype=np.int64)
    g = igraph.Graph(n=n, edges=np.column_stack([upper.row, upper.col]), directed=False)
    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            parts = g.community_leiden(
                objective_function="modularity",
                weights=upper.data.tolist(),
                resolution=resolution,
                n_iterations=LEIDEN_ITERATIONS,
            )
        finally:
            igraph.set_random_number_generator(random)  # igraph's default
    return np.asarray(parts.membership, dtype=np.int64)
