"""Clocks for tests built on fixed dates.

The suite may run with its clock moved (`--clock-offset-days`, see tests/conftest.py). A test
whose data carry fixed dates states the day it plays on instead of assuming today: the
clock then stands at noon of that day in the site's time zone and runs on from there. These
clocks nest inside the session's move.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

import pytest
import time_machine
from django.utils import timezone


def noon(day: date) -> datetime:
    """Noon of `day` in the site's time zone: far from both midnights, so the local date and
    the UTC date agree."""
    return datetime.combine(day, time(12), tzinfo=timezone.get_default_timezone())


def on_day(day: date) -> pytest.MarkDecorator:
    """Mark a test (or a module, as `pytestmark`) to run with the clock at noon of `day`."""
    return pytest.mark.time_machine(noon(day), tick=True)


@contextmanager
def clock_on(day: date) -> Iterator[None]:
    """The clock at noon of `day` for the block: for fixtures wider than one test."""
    with time_machine.travel(noon(day), tick=True):
        yield


@contextmanager
def clock_not_before(day: date) -> Iterator[None]:
    """Today's clock, but at least `day`: for data that is relative to today and also holds
    facts up to `day` (the demo's seeds), which a clock moved further back would put in the
    future."""
    if timezone.localdate() >= day:
        yield
        return
    with clock_on(day):
        yield
