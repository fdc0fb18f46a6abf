"""The benchmarks' shared tools: the rolled-back transaction and the peak memory."""

from __future__ import annotations

import sys

import pytest

from masterplan.core.benchtools import best_of, peak_memory_mb, reset_peak_memory, rolled_back
from masterplan.core.models import Masterplan

pytestmark = pytest.mark.django_db


def test_rolled_back_undoes_what_the_work_wrote():
    with rolled_back():
        Masterplan.objects.create(name="Masterplan Wirtschaft Duisburg", slug="bench-du")
        assert Masterplan.objects.filter(slug="bench-du").exists()
    assert not Masterplan.objects.filter(slug="bench-du").exists()


def test_an_error_of_the_work_passes_through_and_is_rolled_back_too():
    with pytest.raises(ZeroDivisionError), rolled_back():
        Masterplan.objects.create(name="Masterplan Industrie Düsseldorf", slug="bench-d")
        _ = 1 / 0
    assert not Masterplan.objects.filter(slug="bench-d").exists()


def test_best_of_is_the_shortest_run():
    calls = []
    assert best_of(3, lambda: calls.append(1)) >= 0
    assert len(calls) == 3


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="VmHWM and clear_refs are Linux")
def test_the_peak_starts_over_at_the_current_memory():
    block = bytearray(64 * 2**20)
    for i in range(0, len(block), 4096):  # touch every page, so it is resident
        block[i] = 1
    high = peak_memory_mb()
    del block
    assert reset_peak_memory()
    assert peak_memory_mb() < high - 48  # the 64 MiB are gone from the peak
