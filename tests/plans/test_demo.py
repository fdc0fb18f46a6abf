"""`masterplan demo` on an empty database: both seed plans filled in, invented data flagged.

The demo is loaded once for the module inside a transaction that is rolled back at the end;
every test runs in a savepoint of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from masterplan.core.demo import DUESSELDORF, DUISBURG
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    Health,
    KeyResult,
    KeyResultReading,
    Measure,
    MeasureStatus,
    Milestone,
    PartnerRole,
    PlanPartner,
    StatusReport,
)
from masterplan.plans.queries import plan_tree
from tests.clock import clock_not_before

SLUGS = (DUESSELDORF, DUISBURG)
# The seeds' facts reach the end of 2025 (readings of 31 Dec 2025); the invented dates count
# from today.
SEEDS_UP_TO = date(2025, 12, 31)


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Masterplan]]:
    var_dir: Path = tmp_path_factory.mktemp("var")
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        clock_not_before(SEEDS_UP_TO + timedelta(days=1)),
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=var_dir, PASSWORD_HASHERS=fast_hashing),
        transaction.atomic(),
    ):
        try:
            call_command("demo", stdout=StringIO())
            yield {plan.slug: plan for plan in Masterplan.objects.all()}
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def plans(demo: dict[str, Masterplan], db: Any) -> dict[str, Masterplan]:
    return demo


def admin() -> Any:
    return get_user_model().objects.get(username="admin")


@pytest.mark.parametrize("slug", SLUGS)
def test_plan_has_fields_goals_key_results_and_measures(
    plans: dict[str, Masterplan], slug: str
) -> None:
    plan = plans[slug]
    assert FieldOfAction.objects.filter(masterplan=plan).count() == 4
    goals = Goal.objects.filter(masterplan=plan)
    assert goals.count() >= 4
    assert 2 <= goals.filter(is_focus=True).count() <= 3
    assert KeyResult.objects.filter(masterplan=plan).count() >= 5
    assert 8 <= Measure.objects.filter(masterplan=plan).count() <= 15
    assert Milestone.objects.filter(masterplan=plan).count() >= 2 * 8


@pytest.mark.parametrize("slug", SLUGS)
def test_initiators_are_plan_partners(plans: dict[str, Masterplan], slug: str) -> None:
    initiators = PlanPartner.objects.filter(masterplan=plans[slug], role=PartnerRole.INITIATOR)
    assert {p.organization.external_id.split("-")[1] for p in initiators} == {
        "STADT",
        "IHK",
        "UV" if slug == DUISBURG else "IKD",
    }
    assert not initiators.filter(is_sample=True).exists()


@pytest.mark.parametrize("slug", SLUGS)
def test_key_results_have_a_reading_history_ending_in_the_current_value(
    plans: dict[str, Masterplan], slug: str
) -> None:
    for key_result in KeyResult.objects.filter(masterplan=plans[slug]):
        readings = list(KeyResultReading.objects.filter(key_result=key_result))
        assert len(readings) >= 2, key_result
        assert readings[-1].value == key_result.current_value
        assert readings[-1].measured_on == key_result.current_as_of
        assert key_result.current_as_of <= timezone.localdate()


@pytest.mark.parametrize("slug", SLUGS)
def test_a_lower_is_better_key_result_is_included(plans: dict[str, Masterplan], slug: str) -> None:
    key_results = KeyResult.objects.filter(masterplan=plans[slug])
    assert any(kr.target_value < kr.baseline_value for kr in key_results)


@pytest.mark.parametrize("slug", SLUGS)
def test_measures_use_every_status_of_the_catalogue(
    plans: dict[str, Masterplan], slug: str
) -> None:
    plan = plans[slug]
    used = set(Measure.objects.filter(masterplan=plan).values_list("status__name", flat=True))
    catalogue = set(MeasureStatus.objects.filter(masterplan=plan).values_list("name", flat=True))
    assert used == catalogue


@pytest.mark.parametrize("slug", SLUGS)
def test_at_risk_and_off_track_measures_give_a_reason(
    plans: dict[str, Masterplan], slug: str
) -> None:
    measures = Measure.objects.filter(masterplan=plans[slug])
    assert measures.filter(health=Health.AMBER).exists()
    assert measures.filter(health=Health.RED).exists()
    assert all(m.health_reason.strip() for m in measures.exclude(health=Health.GREEN))


@pytest.mark.parametrize("slug", SLUGS)
def test_rag_changes_with_reasons_are_in_the_audit_trail(
    plans: dict[str, Masterplan], slug: str
) -> None:
    changes = AuditEntry.objects.filter(
        masterplan_id=plans[slug].pk, action="plans.measure.updated", changes__has_key="health"
    ).values_list("changes", flat=True)
    to_not_green = [c for c in changes if c["health"][1] != Health.GREEN]
    assert len(to_not_green) >= 3
    assert all(c["health_reason"][1] for c in to_not_green)


@pytest.mark.parametrize("slug", SLUGS)
def test_some_work_is_late_and_some_milestones_are_overdue_or_due_soon(
    plans: dict[str, Masterplan], slug: str
) -> None:
    tree = plan_tree(user=admin(), masterplan=plans[slug], today=timezone.localdate())
    nodes = [m for f in tree.fields for g in f.goals for m in g.measures]
    assert tree.counts["overdue"] >= 1
    assert tree.counts["milestones_overdue"] >= 1
    assert sum(n.milestones_due_soon for n in nodes) >= 1
    assert Milestone.objects.filter(masterplan=plans[slug], achieved_on__isnull=False).exists()


@pytest.mark.parametrize("slug", SLUGS)
def test_some_measures_depend_on_others(plans: dict[str, Masterplan], slug: str) -> None:
    assert Measure.objects.filter(masterplan=plans[slug], depends_on__isnull=False).exists()


@pytest.mark.parametrize("slug", SLUGS)
def test_status_reports_cover_recent_months_and_some_are_reviewed(
    plans: dict[str, Masterplan], slug: str
) -> None:
    reports = StatusReport.objects.filter(masterplan=plans[slug])
    today = timezone.localdate()
    assert reports.filter(reviewed_at__isnull=False).exists()
    assert reports.filter(reviewed_at__isnull=True).exists()
    # The last two complete quarters: at most about nine months back.
    assert all(
        today - timedelta(days=280) <= r.period_start <= r.period_end < today for r in reports
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_progress_is_a_fraction(plans: dict[str, Masterplan], slug: str) -> None:
    tree = plan_tree(user=admin(), masterplan=plans[slug], today=timezone.localdate())
    assert tree.progress is not None
    assert 0 < tree.progress < 1


def test_invented_records_are_flagged_as_sample(plans: dict[str, Masterplan]) -> None:
    assert not StatusReport.objects.filter(is_sample=False).exists()
    # Evidence links are made up, and so is every figure of the key results.
    assert not Milestone.objects.exclude(evidence_url="").filter(is_sample=False).exists()
    assert not KeyResult.objects.filter(is_sample=False).exists()
    sample_partners = PlanPartner.objects.filter(organization__is_sample=True)
    assert sample_partners.exists()
    assert not sample_partners.filter(is_sample=False).exists()


def test_seed_facts_are_facts(plans: dict[str, Masterplan]) -> None:
    duisburg = plans[DUISBURG]
    top10 = Goal.objects.get(masterplan=duisburg, statement__contains="Top 10")
    assert (top10.is_sample, top10.is_focus, top10.due_date) == (False, True, date(2025, 12, 31))
    dialogue = Measure.objects.get(masterplan=duisburg, title__contains="Business beim Brötchen")
    assert (dialogue.is_sample, dialogue.actual_start) == (False, date(2022, 11, 30))
    mou = Measure.objects.get(masterplan=duisburg, title__contains="Memorandum of Understanding")
    assert not mou.is_sample
    assert mou.milestones.filter(is_sample=False, achieved_on=date(2022, 3, 1)).exists()
    signed = PlanPartner.objects.filter(masterplan=duisburg, role=PartnerRole.INITIATOR)
    assert set(signed.values_list("joined_on", flat=True)) == {date(2017, 3, 1)}


def test_co2_key_result_runs_from_the_2016_baseline_to_minus_33_percent(
    plans: dict[str, Masterplan],
) -> None:
    co2 = KeyResult.objects.get(masterplan=plans[DUESSELDORF], name__startswith="CO2")
    assert (co2.baseline_value, co2.baseline_date.year, co2.current_value) == (100, 2016, 67)
    assert co2.target_value < 67  # lower is better; the target is invented
    assert co2.is_sample


def test_audit_trail_verifies(plans: dict[str, Masterplan]) -> None:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "chain intact" in out.getvalue()


def test_demo_is_not_loaded_twice(plans: dict[str, Masterplan]) -> None:
    before = Measure.objects.count()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "exist already" in out.getvalue()
    assert Measure.objects.count() == before
