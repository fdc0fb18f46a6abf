"""Coordinators keep the plan's factors, members, structural changes and policy."""

from django.urls import reverse

from masterplan.climate import queries
from masterplan.climate.models import (
    ClimatePolicy,
    EmissionFactor,
    NetworkMembership,
    StructuralChange,
)
from tests.climate.helpers import load_worked_example


def test_plan_factor_overrides_the_global_default(plan, coordinator, client_as):
    url = reverse("climate:factor_create", args=[plan.slug])
    response = client_as(coordinator).post(
        url,
        {
            "carrier": "electricity_grid_mix",
            "year": "2023",
            "value": "400",
            "unit": "g CO2/kWh",
            "basis": "direct",
            "source": "Stadtwerke Düsseldorf, Stromkennzeichnung 2023",
        },
    )
    assert response.status_code == 302
    table = queries.factor_table(list(queries.factors_for(plan)))
    assert table.get("electricity_grid_mix", 2023) * 1_000_000 == 400
    assert table.get("electricity_grid_mix", 2016) * 1_000_000 == 527  # global default
    html = client_as(coordinator).get(reverse("climate:factor_list", args=[plan.slug])).content
    assert "Umweltbundesamt" in html.decode() and "Stadtwerke Düsseldorf" in html.decode()


def test_contributor_may_not_add_factors(plan, contributor, client_as):
    url = reverse("climate:factor_create", args=[plan.slug])
    assert client_as(contributor).post(url, {"carrier": "diesel"}).status_code == 403
    assert not EmissionFactor.objects.filter(masterplan=plan).exists()


def test_membership_and_structural_change(plan, own_org, coordinator, client_as):
    client = client_as(coordinator)
    response = client.post(
        reverse("climate:membership_create", args=[plan.slug]),
        {"organization": own_org.pk, "joined_year": "2018", "publication": "published"},
    )
    assert response.status_code == 302
    assert NetworkMembership.objects.get(organization=own_org).joined_year == 2018
    wrong_sign = client.post(
        reverse("climate:change_create", args=[plan.slug]),
        {
            "organization": own_org.pk,
            "year": "2020",
            "kind": "divestment",
            "base_year_effect_t": "120",
        },
    )
    assert wrong_sign.status_code == 400
    assert not StructuralChange.objects.exists()


def test_leaving_before_joining_is_refused(plan, own_org, coordinator, client_as):
    response = client_as(coordinator).post(
        reverse("climate:membership_create", args=[plan.slug]),
        {"organization": own_org.pk, "joined_year": "2018", "left_year": "2017"},
    )
    assert response.status_code == 400
    assert not NetworkMembership.objects.exists()


def test_policy_threshold_changes_what_is_recalculated(plan, coordinator, client_as):
    load_worked_example(plan)
    policy = ClimatePolicy.objects.get(masterplan=plan)
    response = client_as(coordinator).post(
        reverse("climate:policy_edit", args=[plan.slug]),
        {
            "version": policy.version,
            "base_year": "2016",
            "significance_percent": "1",
            "target_reduction_percent": "40",
            "target_year": "2030",
            "target_method": "market",
            "publication": "published",
        },
    )
    assert response.status_code == 302
    overview = queries.climate_overview(user=coordinator, masterplan=plan)
    assert all(change.applied for change in overview.log)  # the 2 % outsourcing too
    assert overview.target is not None and overview.target.base == 2497.5  # 2547.5 − 50
