"""How the engine uses the machine's cores: BLAS threads and independent row blocks.

Most of the engine's products are small or sparse; on the lab's shared 2-core machines the
default (one BLAS thread per core) made whole runs slower, not faster: 1M texts took 65 s
instead of 41 s, 100k 9.2 s instead of 6.0 s (benchmarks/README.md). So BLAS runs on one
thread, and the stages whose row blocks are independent and run in numpy/scipy code that
releases the GIL (the kNN graph, the LSA's sparse products) spread the blocks over
``WORKERS`` threads instead: the kNN graph of 5,000 texts took 0.13 s instead of 0.25 s.
Each block is computed exactly as it would be alone, so results do not depend on the count.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: BLAS threads for a whole clustering run. ``None`` = leave as configured.
BLAS_THREADS: int | None = 1
#: Threads for independent row blocks (capped at the number of cores).
WORKERS = 2


def available_cores() -> int:
    """Cores this process may run on (CPU affinity and container limits included)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def workers() -> int:
    """``WORKERS``, never more than the cores this process may use."""
    return max(1, min(WORKERS, available_cores()))


def map_in_order(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``[fn(x) for x in items]`` on up to ``WORKERS`` threads, results in input order."""
    count = workers()
    if count == 1:
        return [fn(x) for x in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="qualitylab-rows") as pool:
        return list(pool.map(fn, items))


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
        limits=max(1, min(limit, available_cores())), user_api="blas"
    )
    return limits
