"""The climate page shows the worked example's figures, with both Scope 2 methods."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.climate.helpers import extra_members, load_worked_example


def test_climate_page_shows_the_worked_example(plan, coordinator, client_as):
    load_worked_example(plan)
    response = client_as(coordinator).get(reverse("climate:overview", args=[plan.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    for figure in ("1.584,4", "1.661,6", "2.547,5", "−37,8\u00a0%", "−34,8\u00a0%", "1.528,5"):
        assert figure in html, figure
    assert "−782,4" in html and "−380,7" in html and "263,5" in html
    assert "<svg" in html and "climate-decomposition" in html
    like_for_like = html[html.index('id="climate-like-for-like"') :]
    assert "2.747,5" in like_for_like and "−42,3\u00a0%" in like_for_like  # −1,163.1 / 2,747.5


def test_anonymous_sees_the_published_figures(plan, client_as):
    load_worked_example(plan)
    response = client_as(None).get(reverse("climate:overview", args=[plan.slug]))
    assert response.status_code == 200
    assert "1.584,4" in response.content.decode()


def test_climate_page_runs_a_constant_number_of_queries(plan, coordinator, client_as):
    load_worked_example(plan)
    client = client_as(coordinator)
    url = reverse("climate:overview", args=[plan.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    extra_members(plan, 12)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)


def test_missing_factor_names_carrier_and_year(plan, coordinator, client_as):
    organizations = load_worked_example(plan)
    from masterplan.climate.models import EnergyReport

    EnergyReport.objects.create(
        masterplan=plan, organization=organizations[1], year=2020, electricity_grid_kwh=1000
    )
    html = client_as(coordinator).get(reverse("climate:overview", args=[plan.slug])).content
    assert "electricity_grid_mix" in html.decode() and "2020" in html.decode()


def test_pdf_uses_the_same_charts(plan, coordinator, client_as):
    load_worked_example(plan)
    response = client_as(coordinator).get(reverse("climate:overview_pdf", args=[plan.slug]))
    assert response.status_code in (200, 503)
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_intensity_per_employee_and_per_output(plan, coordinator, client_as):
    organizations = load_worked_example(plan)
    html = client_as(coordinator).get(reverse("climate:overview", args=[plan.slug])).content
    # market-based 2023 / employees: B 799.6 / 2,500 = 0.32; C 174.5 / 300 = 0.58
    assert "0,32" in html.decode() and "0,58" in html.decode()
    from masterplan.climate.models import EnergyReport

    report = EnergyReport.objects.get(organization=organizations[1], year=2023)
    EnergyReport.objects.filter(pk=report.pk).update(output_value=1000, output_unit="t Stahl")
    detail = client_as(coordinator).get(
        reverse("climate:report_detail", args=[plan.slug, report.pk])
    )
    assert "0,6103 t CO2 / t Stahl" in detail.content.decode()  # 610.3 t / 1,000 t


def test_the_public_does_not_see_members_whose_organisation_is_a_draft(plan, client_as):
    organizations = load_worked_example(plan)
    organizations[3].publication = "draft"
    organizations[3].save()
    html = client_as(None).get(reverse("climate:overview", args=[plan.slug])).content.decode()
    assert "Neuzugang Beispiel GmbH" not in html
    assert "Chemie Beispiel AG" in html


def test_an_unchanged_climate_pdf_comes_from_the_cache(plan, coordinator, client_as, monkeypatch):
    from masterplan.climate import views

    load_worked_example(plan)
    rendered = []

    def render(html):
        rendered.append(html)
        return b"%PDF-1.7 " + str(len(rendered)).encode()

    monkeypatch.setattr(views, "html_to_pdf", render)
    client = client_as(coordinator)
    address = reverse("climate:overview_pdf", args=[plan.slug])

    first, again = client.get(address), client.get(address)

    assert first.content == again.content == b"%PDF-1.7 1"
    assert len(rendered) == 1
    day = timezone.localdate()
    assert first["Content-Disposition"] in (
        f'inline; filename="co2-bilanz-{plan.slug}-{day:%Y%m%d}.pdf"',
        f'inline; filename="co2-balance-{plan.slug}-{day:%Y%m%d}.pdf"',
    )
