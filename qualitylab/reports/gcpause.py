"""Pause the cyclic garbage collector while a report builds many small objects.

A report of 100,000 pain points makes millions of tuples and rows that hold no reference cycles;
the collector's passes over them cost 15-35 % of the work for nothing (benchmarks/README.md).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """The collector off inside the block, and back as it was after (also on an error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
