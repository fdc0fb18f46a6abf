"""Synthetic land data for the bench: the issue's state scale per 100 plans, consistent with
the figures (parcels inside their zones, take-up over ten years)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.utils import timezone

from masterplan.core.models import Masterplan
from masterplan.land import queries
from masterplan.land.models import CoreZone, Parcel, TakeUp
from masterplan.land.synthetic import delete_content, write_content

pytestmark = pytest.mark.django_db


def test_one_plan_of_synthetic_land_gives_figures_and_is_removed_again(
    plan: Masterplan, admin: Any
) -> None:
    today = timezone.localdate()
    counts = write_content(
        plan,
        organization_ids=[],
        person_ids=[],
        rng=random.Random(1),
        today=today,
        batch_size=500,
        size=0.2,
    )
    assert counts == {"core zones": 4, "parcels": 100, "take-ups": 400}
    for parcel in Parcel.objects.filter(masterplan=plan).select_related("core_zone")[:20]:
        zone = parcel.core_zone
        assert zone is not None and zone.min_x is not None and parcel.min_x is not None
        assert zone.min_x <= parcel.min_x and parcel.max_x <= zone.max_x  # type: ignore[operator]
    board = queries.land_dashboard(user=admin, masterplan=plan, as_of=today)
    assert board.figures.gross_reserve_m2 > 0 and board.figures.annual_take_up_m2 > 0
    assert len(board.zones) == 4
    delete_content(plan)
    assert not CoreZone.all_objects.filter(masterplan=plan).exists()
    assert not TakeUp.all_objects.filter(masterplan=plan).exists()
