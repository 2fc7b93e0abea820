"""How many BLAS threads the engine's dense matrix products may use.

Most of the engine's products are small or sparse; on the lab's shared 2-core machines the
default (one BLAS thread per core) made whole runs slower, not faster: 1M texts took 65 s
instead of 41 s, 100k 9.2 s instead of 6.0 s (benchmarks/README.md). The one large dense
product, the kNN graph's similarity blocks, does gain from a second core (0.17 s -> 0.09 s on
5,000 texts), so it asks for ``GRAPH_BLAS_THREADS`` for its own duration.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager, nullcontext

#: BLAS threads for a whole clustering run. ``None`` = leave as configured.
BLAS_THREADS: int | None = 1
#: BLAS threads for the kNN similarity products (capped at the number of cores).
GRAPH_BLAS_THREADS = 2


def blas_threads(limit: int | None) -> AbstractContextManager[object]:
    """Limit BLAS threads while the block runs (threadpoolctl ships with scikit-learn)."""
    if limit is None:
        return nullcontext()
    try:
        import numpy  # noqa: F401  - threadpoolctl only limits libraries already loaded
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn always brings it
        return nullcontext()
    limits: AbstractContextManager[object] = threadpool_limits(
        limits=max(1, min(limit, os.cpu_count() or 1)), user_api="blas"
    )
    return limits
