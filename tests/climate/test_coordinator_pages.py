"""Coordinators keep the plan's factors, members, structural changes and policy."""

import re

from django.urls import reverse

from masterplan.climate import queries
from masterplan.climate.models import (
    ClimatePolicy,
    EmissionFactor,
    EnergyReport,
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


def test_cancel_on_every_climate_form_leads_to_a_page(plan, coordinator, client_as):
    """ "Abbrechen" led to a 404 on the forms for a new member or structural change."""
    organizations = load_worked_example(plan)
    client = client_as(coordinator)
    membership = NetworkMembership.objects.filter(masterplan=plan).first()
    change = StructuralChange.objects.filter(masterplan=plan).first()
    factor = EmissionFactor.objects.create(
        masterplan=plan,
        carrier="electricity_grid_mix",
        year=2023,
        value=400,
        unit="g CO2/kWh",
        basis="direct",
        source="Stadtwerke Düsseldorf",
    )
    assert membership is not None and change is not None and organizations
    report = EnergyReport.objects.filter(masterplan=plan).first()
    assert report is not None
    membership = NetworkMembership.objects.get(masterplan=plan, organization=report.organization)
    forms = {
        ("climate:factor_create", ()): "climate:factor_list",
        ("climate:factor_edit", (factor.pk,)): "climate:factor_list",
        ("climate:membership_create", ()): "climate:overview",
        ("climate:membership_edit", (membership.pk,)): "climate:member_detail",
        ("climate:report_create", (membership.pk,)): "climate:member_detail",
        ("climate:report_edit", (report.pk,)): "climate:report_detail",
        ("climate:change_create", ()): "climate:overview",
        ("climate:change_edit", (change.pk,)): "climate:overview",
        ("climate:policy_edit", ()): "climate:overview",
    }
    for (name, args), back in forms.items():
        html = client.get(reverse(name, args=[plan.slug, *args])).content.decode()
        links = re.findall(r'<a class="kern-btn kern-btn--secondary" href="([^"]+)"><span', html)
        assert links, name
        cancel = links[-1]
        assert client.get(cancel).status_code == 200, (name, cancel)
        assert reverse(back, args=[plan.slug, *back_args(back, membership, report)]) == cancel


def back_args(back, membership, report):
    return {
        "climate:member_detail": (membership.pk,),
        "climate:report_detail": (report.pk,),
    }.get(back, ())


def test_the_reference_sources_read_german(plan, coordinator, client_as):
    """The emission-factor sources of the reference table were shown in English."""
    load_worked_example(plan)
    page = client_as(coordinator).get(
        reverse("climate:factor_list", args=[plan.slug]), HTTP_ACCEPT_LANGUAGE="de"
    )
    html = page.content.decode()
    assert "direktes CO2, deutscher Strommix" in html
    assert "German electricity mix" not in html and "(preliminary)" not in html
    assert "Umweltbundesamt" in html  # names stay as they are
