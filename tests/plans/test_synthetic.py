from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser

from masterplan.directory.models import Organization
from masterplan.plans.models import Measure, Milestone
from masterplan.plans.queries import plan_tree
from masterplan.plans.synthetic import delete_plan_content, write_plan_content
from tests.factories import OrganizationFactory


def test_synthetic_content_is_complete_and_removable(plan: Any) -> None:
    ids = [OrganizationFactory(masterplan=plan).pk for _ in range(3)]
    result = write_plan_content(
        plan,
        organization_ids=ids,
        rng=random.Random(1),
        today=date(2026, 11, 22),
        measures=20,
        milestones_per_measure=3,
    )
    assert (result.measures, result.milestones) == (20, 60)
    assert Measure.objects.filter(masterplan=plan, is_sample=True).count() == 20
    assert not Milestone.objects.filter(achieved_on__isnull=False, due__gt=date(2026, 11, 22))
    tree = plan_tree(user=AnonymousUser(), masterplan=plan, today=date(2026, 11, 22))
    assert tree.measures_total == 20
    assert tree.progress is not None and 0 <= tree.progress <= 1
    delete_plan_content(plan)
    assert not Measure.all_objects.filter(masterplan=plan).exists()
    assert Organization.objects.filter(masterplan=plan).count() == 3
