"""Synthetic permit data for the bench: per plan the statutory types, the city's authorities
and six peers', 10,000 procedures at size 1 with about five events each (1,000,000 and
5,000,000 at state scale), everything sample data and removed again."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest

from masterplan.core.models import Masterplan
from masterplan.permits import queries
from masterplan.permits.models import Authority, Procedure, ProcedureEvent, ProcedureType
from masterplan.permits.synthetic import (
    PROCEDURES_PER_PLAN,
    delete_content,
    plan_profiles,
    write_content,
)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 12, 31)  # core.synthetic's fixed day


def test_a_small_plan_of_synthetic_procedures(plan: Masterplan, admin: Any) -> None:
    counts = write_content(
        plan,
        organization_ids=[],
        person_ids=[],
        rng=random.Random(1),
        today=TODAY,
        batch_size=500,
        size=0.05,
    )
    assert counts["permit authorities"] == 14  # own + 6 peers, building and immission each
    assert 490 <= counts["procedures"] <= 510
    assert 4 * counts["procedures"] < counts["procedure events"] < 7 * counts["procedures"]
    assert Procedure.objects.filter(masterplan=plan).count() == counts["procedures"]
    assert not Procedure.objects.filter(masterplan=plan, is_sample=False).exists()
    assert ProcedureType.objects.filter(masterplan=plan).count() >= 8
    own = Authority.objects.filter(masterplan=plan, is_own=True)
    assert {a.city for a in own} == {"Duisburg"} and own.count() == 2
    board = queries.permit_dashboard(masterplan=plan, as_of=TODAY, user=admin)
    assert board.open > 0 and board.overall["net"]
    delete_content(plan)
    for model in (Procedure, ProcedureEvent, Authority, ProcedureType):
        assert not model.all_objects.filter(masterplan=plan).exists()


def test_a_full_plan_shares_its_procedures_among_seven_cities(plan: Masterplan) -> None:
    profiles = plan_profiles(plan, random.Random(2), PROCEDURES_PER_PLAN)
    assert len({p.city for p in profiles}) == 7 and "Duisburg" not in {
        p.city for p in profiles if not p.is_own
    }
    assert abs(sum(p.volume for p in profiles) - PROCEDURES_PER_PLAN) < 10
