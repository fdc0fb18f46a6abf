"""Issue 10, points 17 and 24: a company's own CO2 figures reach the public only with its
consent (the network total always), charts state their unit and keep their labels apart, and
the details of the CO2 page: signed recalculation log, the target method's base in the yearly
table, "not reported" employee counts, incomplete years in the balance API, and one exit that
cannot be recorded twice."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from masterplan.climate import figures as f
from masterplan.climate import services
from masterplan.climate.models import (
    ClimatePolicy,
    EnergyReport,
    NetworkMembership,
    StructuralChange,
)
from masterplan.core.charts import ColumnGroup, grouped_columns
from masterplan.core.models import AuditEntry
from tests.climate import worked_example as ex
from tests.climate.helpers import load_worked_example

API = "/api/plans/{slug}/climate"


def section(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</table>", start)]


def agree(plan, organization, actor) -> NetworkMembership:
    membership = NetworkMembership.objects.get(masterplan=plan, organization=organization)
    return services.membership_update(
        actor=actor, membership=membership, version=membership.version, figures_public=True
    )


# --- 17: consent -------------------------------------------------------------------------


def test_the_public_sees_a_company_figures_only_with_its_consent(plan, coordinator, client_as):
    organizations = load_worked_example(plan)
    agree(plan, organizations[ex.A], coordinator)  # Rheinwerk agrees, Chemie and C do not
    url = reverse("climate:overview", args=[plan.slug])
    public = client_as(None).get(url).content.decode()
    members = section(public, "climate-members-heading")
    assert "610,3" in members  # A, 2023 market-based
    assert "799,6" not in members and "174,5" not in members  # B and C
    assert "1.584,4" in public  # the network total is always shown
    assert "Chemie Beispiel AG" in members  # the membership itself is public
    log = section(public, 'id="climate-log"')
    assert "−200,0" not in log  # B's divestment: a figure of B
    inside = client_as(coordinator).get(url).content.decode()
    assert "799,6" in section(inside, "climate-members-heading")
    assert "−200,0" in section(inside, 'id="climate-log"')


def test_reports_of_companies_without_consent_stay_out_of_api_and_detail_pages(
    plan, coordinator, viewer, client_as
):
    organizations = load_worked_example(plan)
    agree(plan, organizations[ex.A], coordinator)
    url = API.format(slug=plan.slug) + "/energy-reports"
    public = client_as(None).get(url).json()
    assert {r["organization_id"] for r in public["items"]} == {organizations[ex.A].pk}
    assert client_as(viewer).get(url).json()["count"] == 6  # members of the plan see all
    hidden = EnergyReport.objects.get(organization=organizations[ex.B], year=2023)
    detail = reverse("climate:report_detail", args=[plan.slug, hidden.pk])
    hidden_page = client_as(None).get(detail)  # as for a draft: to the login, nothing shown
    assert hidden_page.status_code == 302 and "/accounts/login/" in hidden_page["Location"]
    assert client_as(None).get(f"{url}/{hidden.pk}").status_code == 404
    assert client_as(viewer).get(f"{url}/{hidden.pk}").status_code == 200
    membership = NetworkMembership.objects.get(organization=organizations[ex.B])
    page = client_as(None).get(reverse("climate:member_detail", args=[plan.slug, membership.pk]))
    assert page.status_code == 200 and "799,6" not in page.content.decode()
    assert "nicht zugestimmt" in page.content.decode()
    balance = client_as(None).get(API.format(slug=plan.slug) + "/balance").json()
    latest = next(y for y in balance["years"] if y["year"] == 2023)
    assert Decimal(latest["scope1"]) + Decimal(latest["scope2_market"]) == Decimal("1584.4")


def test_the_pdf_shows_the_public_what_the_page_shows(plan, coordinator, client_as, monkeypatch):
    organizations = load_worked_example(plan)
    agree(plan, organizations[ex.A], coordinator)
    printed: list[str] = []

    def capture(html: str) -> bytes:
        printed.append(html)
        return b"%PDF-1.7"

    monkeypatch.setattr("masterplan.climate.views.html_to_pdf", capture)
    response = client_as(None).get(reverse("climate:overview_pdf", args=[plan.slug]))
    assert response.status_code == 200
    members = section(printed[0], "climate-members-heading")
    assert "610,3" in members and "799,6" not in members and "1.584,4" in printed[0]


def test_consent_is_stamped_and_audited(plan, coordinator):
    organizations = load_worked_example(plan)
    membership = NetworkMembership.objects.get(organization=organizations[ex.B])
    assert membership.figures_public is False and membership.figures_public_since is None
    membership = agree(plan, organizations[ex.B], coordinator)
    assert membership.figures_public and membership.figures_public_since is not None
    entry = AuditEntry.objects.filter(action="climate.membership.updated").latest("id")
    assert "figures_public" in entry.changes
    withdrawn = services.membership_update(
        actor=coordinator, membership=membership, version=membership.version, figures_public=False
    )
    assert withdrawn.figures_public_since is None


def test_the_membership_form_records_consent(plan, own_org, coordinator, client_as):
    response = client_as(coordinator).post(
        reverse("climate:membership_create", args=[plan.slug]),
        {
            "organization": own_org.pk,
            "joined_year": "2018",
            "figures_public": "on",
            "publication": "published",
        },
    )
    assert response.status_code == 302
    membership = NetworkMembership.objects.get(organization=own_org)
    assert membership.figures_public and membership.figures_public_since is not None


# --- 17: charts ---------------------------------------------------------------------------

TEXT = re.compile(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>')


def test_equal_column_labels_are_not_drawn_over_each_other():
    """The reported "553553": two equal columns side by side, too narrow for their labels."""
    svg = grouped_columns(
        chart_id="c",
        title="t",
        description="d",
        groups=[ColumnGroup(str(year), (200, 553, 553)) for year in range(2016, 2025)],
        series=[("Scope 1", "#000"), ("Scope 2 location", "#111"), ("Scope 2 market", "#222")],
    )
    labels = [
        (float(x), float(y), content)
        for x, y, content in TEXT.findall(svg)
        if content in ("200", "553")
    ]
    assert len(labels) >= 9 * 2  # at most one of each pair of equal labels is left out
    legend_row = 10 + 12  # core.charts.TOP and the legend's squares
    assert all(y - 12 > legend_row for _x, y, _c in labels), "a label runs into the legend"
    for i, (x1, y1, a) in enumerate(labels):
        for x2, y2, b in labels[i + 1 :]:
            apart = abs(x1 - x2) >= 3.5 * (len(a) + len(b)) or abs(y1 - y2) >= 12
            assert apart, (x1, y1, a, x2, y2, b)


def test_climate_charts_and_tables_state_the_unit(plan, coordinator, client_as):
    load_worked_example(plan)
    html = client_as(coordinator).get(reverse("climate:overview", args=[plan.slug])).content
    html = html.decode()
    for chart_id in ("climate-by-year", "climate-decomposition"):
        chart = html[html.index(f'id="{chart_id}"') : html.index("</svg>", html.index(chart_id))]
        visible = [content for _x, _y, content in TEXT.findall(chart)]
        assert any("t\u00a0CO2" in content or "t CO2" in content for content in visible), chart_id
    log = section(html, 'id="climate-log"')
    assert "(t CO2)" in log


# --- 24: the CO2 page's details -----------------------------------------------------------


def test_a_removal_shows_as_a_minus_in_the_recalculation_log(plan, coordinator, client_as):
    load_worked_example(plan)
    log = section(
        client_as(coordinator).get(reverse("climate:overview", args=[plan.slug])).content.decode(),
        'id="climate-log"',
    )
    assert "−8,1\u00a0%" in log  # B's divestment: −200 t of 2,484 t
    assert "+10,6\u00a0%" in log  # C joining: +263.5 t


def test_signed_share_of_the_log():
    balances = f.compute_balances(ex.REPORTS, ex.FACTORS)
    log = f.base_year_changes(
        balances=balances,
        members=ex.MEMBERS,
        changes=ex.CHANGES,
        base_year=2016,
        threshold=Decimal("0.05"),
        deciding_method=f.MARKET,
    )
    divestment = next(c for c in log if c.kind == "divestment")
    joined = next(c for c in log if c.kind == "joined")
    assert divestment.signed_share < 0 < joined.signed_share
    assert divestment.signed_share == -divestment.share


def test_the_yearly_table_shows_the_base_of_the_target_method(plan, coordinator, client_as):
    organizations = load_worked_example(plan)
    # C's 2016 electricity partly on a green-power contract: its base-year emissions differ by
    # method (location 600,000 × 0.000527 = 316.2 t; market 500,000 × 0.000527 = 263.5 t)
    EnergyReport.objects.filter(organization=organizations[ex.C], year=2016).update(
        green_power_kwh=100_000, green_power_factor=0
    )
    ClimatePolicy.objects.filter(masterplan=plan).update(target_method="location")
    html = client_as(coordinator).get(reverse("climate:overview", args=[plan.slug])).content
    table = section(html.decode(), 'id="climate-years-table"')
    assert "2.600,2" in table  # 2,484 − 200 + 316.2, location-based
    assert "2.547,5" not in table  # the market-based base


def test_a_missing_employee_count_reads_not_reported(plan, coordinator, client_as):
    organizations = load_worked_example(plan)
    EnergyReport.objects.filter(organization=organizations[ex.B], year=2023).update(employees=None)
    html = client_as(coordinator).get(reverse("climate:overview", args=[plan.slug])).content
    members = section(html.decode(), "climate-members-heading")
    row = members[members.index("Chemie Beispiel AG") :]
    row = row[: row.index("</tr>")]
    assert "nicht gemeldet" in row and ">0<" not in row


def test_employment_without_any_count_is_not_zero():
    reports = f.group_reports([f.Report(1, 2016, electricity_grid_kwh=Decimal(1))])
    (year,) = f.employment(reports, [f.Member(1, "Rheinwerk Beispiel GmbH", 2010)], [2016])
    assert year.employees is None and year.reporting == 0


def test_the_balance_api_flags_incomplete_years(plan, viewer, client_as):
    load_worked_example(plan)
    years = client_as(viewer).get(API.format(slug=plan.slug) + "/balance").json()["years"]
    by_year = {y["year"]: y for y in years}
    assert by_year[2020]["complete"] is False
    assert by_year[2020]["scope1"] is None and by_year[2020]["scope2_market"] is None
    assert by_year[2023]["complete"] is True
    assert Decimal(by_year[2023]["scope1"]) == Decimal("542.2")  # 301.5 + 220.6 + 20.1


def test_leaving_after_a_divestment_of_the_same_exit_is_refused(plan, coordinator):
    organizations = load_worked_example(plan)  # B: divestment in 2020
    membership = NetworkMembership.objects.get(organization=organizations[ex.B])
    with pytest.raises(ValidationError) as refused:
        services.membership_update(
            actor=coordinator, membership=membership, version=membership.version, left_year=2020
        )
    assert "left_year" in refused.value.message_dict
    assert "zweimal" in refused.value.message_dict["left_year"][0]
    membership.refresh_from_db()
    assert membership.left_year is None


def test_a_divestment_after_leaving_is_refused(plan, coordinator, client_as):
    organizations = load_worked_example(plan)
    membership = NetworkMembership.objects.get(organization=organizations[ex.A])
    services.membership_update(
        actor=coordinator, membership=membership, version=membership.version, left_year=2022
    )
    with pytest.raises(ValidationError) as refused:
        services.structural_change_create(
            actor=coordinator,
            masterplan=plan,
            organization=organizations[ex.A],
            year=2022,
            kind="divestment",
            base_year_effect_t=Decimal(-929),
        )
    assert "kind" in refused.value.message_dict
    response = client_as(coordinator).post(
        reverse("climate:change_create", args=[plan.slug]),
        {
            "organization": organizations[ex.A].pk,
            "year": "2023",
            "kind": "divestment",
            "base_year_effect_t": "-929",
        },
    )
    assert response.status_code == 400
    assert StructuralChange.objects.filter(organization=organizations[ex.A]).count() == 1
