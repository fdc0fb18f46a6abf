"""Small tools the apps' benchmarks share: the best of several timings, a transaction that is
always rolled back, and the process's peak memory.

No model is imported here, so that `site/import_bench.py` can use it in a process that has not
set Django up yet.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The shortest wall time of `repeat` runs of `work`, in seconds."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


class RolledBack(Exception):
    """Raised inside `rolled_back()` to undo what the measured work wrote."""


@contextmanager
def rolled_back(using: str | None = None) -> Iterator[None]:
    """A transaction that is always rolled back: a benchmark writes for real, then leaves the
    database as it was. An error of the work itself passes through."""
    try:
        with transaction.atomic(using=using):
            yield
            raise RolledBack
    except RolledBack:
        pass


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MiB.

    On Linux from VmHWM in /proc/self/status: ru_maxrss starts a new program with the peak of
    the process that started it (Linux carries it over the exec), so that a child of a large
    parent would show no growth at all. Elsewhere ru_maxrss (KiB, on macOS bytes).
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def reset_peak_memory() -> bool:
    """Start the peak over at the current resident memory (Linux ≥ 4.0: `5` written to
    /proc/self/clear_refs), so that `peak_memory_mb()` after a step is that step's own peak
    even in a process that used more before. False where the system cannot: the peak then
    only shows a rise above the earlier one."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True
