"""A contributor of a member company enters its energy report; others may not."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from masterplan.climate import services
from masterplan.climate.models import EnergyReport, NetworkMembership
from masterplan.core.models import AuditEntry
from masterplan.core.services import StaleVersionError

FORM = {
    "year": "2024",
    "electricity_grid_kwh": "250000",
    "own_renewables_kwh": "0",
    "green_power_kwh": "0",
    "natural_gas_kwh": "400000",
    "heating_oil": "0",
    "heating_oil_unit": "l",
    "district_heat_kwh": "0",
    "diesel": "0",
    "diesel_unit": "l",
    "petrol": "0",
    "petrol_unit": "l",
    "process_t_co2": "0",
    "employees": "35",
    "status": "submitted",
    "publication": "published",
}


@pytest.fixture
def membership(plan, own_org):
    return NetworkMembership.objects.create(masterplan=plan, organization=own_org, joined_year=2015)


def test_contributor_enters_the_report_of_their_company(membership, contributor, client_as):
    url = reverse("climate:report_create", args=[membership.masterplan.slug, membership.pk])
    response = client_as(contributor).post(url, FORM)
    assert response.status_code == 302
    report = EnergyReport.objects.get(organization=membership.organization, year=2024)
    assert report.natural_gas_kwh == Decimal(400_000)
    assert AuditEntry.objects.filter(
        action="climate.energy_report.created", object_id=str(report.pk)
    ).exists()


def test_member_page_lists_the_reports_with_both_scope_2_methods(
    membership, contributor, client_as
):
    services.energy_report_create(
        actor=contributor,
        masterplan=membership.masterplan,
        organization=membership.organization,
        year=2023,
        electricity_grid_kwh=Decimal(100_000),
    )
    url = reverse("climate:member_detail", args=[membership.masterplan.slug, membership.pk])
    html = client_as(contributor).get(url).content.decode()
    assert "38,6" in html  # 100,000 kWh × 386 g/kWh = 38.6 t, both methods


def test_other_contributor_may_not_enter_it(membership, other_contributor, client_as):
    url = reverse("climate:report_create", args=[membership.masterplan.slug, membership.pk])
    assert client_as(other_contributor).post(url, FORM).status_code == 403
    with pytest.raises(PermissionDenied):
        services.energy_report_create(
            actor=other_contributor,
            masterplan=membership.masterplan,
            organization=membership.organization,
            year=2024,
        )
    assert not EnergyReport.objects.exists()


def test_a_second_report_for_the_same_year_is_refused(membership, contributor, client_as):
    url = reverse("climate:report_create", args=[membership.masterplan.slug, membership.pk])
    client_as(contributor).post(url, FORM)
    response = client_as(contributor).post(url, FORM)
    assert response.status_code == 400
    assert EnergyReport.objects.count() == 1


def test_negative_consumption_is_refused_in_the_form(membership, contributor, client_as):
    url = reverse("climate:report_create", args=[membership.masterplan.slug, membership.pk])
    response = client_as(contributor).post(url, {**FORM, "natural_gas_kwh": "-5"})
    assert response.status_code == 400
    assert not EnergyReport.objects.exists()


def test_stale_edit_is_refused_and_input_kept(membership, contributor, coordinator, client_as):
    report = services.energy_report_create(
        actor=contributor,
        masterplan=membership.masterplan,
        organization=membership.organization,
        year=2024,
    )
    services.energy_report_update(
        actor=coordinator, report=report, version=1, natural_gas_kwh=Decimal(10)
    )
    with pytest.raises(StaleVersionError):
        services.energy_report_update(
            actor=contributor, report=report, version=1, natural_gas_kwh=Decimal(20)
        )
    url = reverse("climate:report_edit", args=[membership.masterplan.slug, report.pk])
    response = client_as(contributor).post(url, {**FORM, "version": "1", "employees": "36"})
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.natural_gas_kwh == Decimal(10) and report.version == 2
