"""The plan's import pages: links on the overview, upload page, template, dry run via upload."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from masterplan.core.models import ImportJob, Masterplan
from masterplan.directory.models import Organization
from masterplan.plans.models import FieldOfAction
from tests.plans.test_import_helpers import GOOD, prepare_plan


@pytest.fixture
def client(coordinator: Any, client_as: Any) -> Client:
    client: Client = client_as(coordinator)
    client.cookies["django_language"] = "en"
    return client


def test_overview_offers_import_and_export_to_coordinators_only(
    plan: Masterplan, client: Client, viewer: Any, client_as: Any
) -> None:
    page = client.get("/p/duisburg/plan/").content.decode()
    assert 'href="/p/duisburg/plan/measures/import/"' in page
    assert 'href="/p/duisburg/plan/milestones/export.xlsx"' in page
    viewer_page = client_as(viewer).get("/p/duisburg/plan/").content.decode()
    assert "/plan/measures/import/" not in viewer_page


def test_upload_page_explains_the_measure_columns(plan: Masterplan, client: Client) -> None:
    page = client.get("/p/duisburg/plan/measures/import/").content.decode()
    assert "<code>depends_on</code>" in page
    assert "Federführung" in page and "Ampel" in page
    assert "<code>amber</code> (At risk)" in page


def test_template_is_a_csv_with_the_header_row(plan: Masterplan, client: Client) -> None:
    response = client.get("/p/duisburg/plan/key-results/import/template.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="schluesselergebnisse-vorlage.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbfexternal_id;goal;name;unit;baseline_value;")


def test_an_upload_runs_as_a_job_of_the_plan(
    plan: Masterplan,
    client: Client,
    own_org: Organization,
    other_org: Organization,
) -> None:
    prepare_plan(plan, own_org, other_org)
    upload = SimpleUploadedFile("handlungsfelder.csv", (GOOD / "handlungsfelder.csv").read_bytes())
    response = client.post("/p/duisburg/plan/fields/import/", {"file": upload}, follow=True)
    assert "Imported: 3 new, 0 changed, 0 unchanged." in response.content.decode()
    job = ImportJob.objects.get()
    assert (job.importer, job.masterplan) == ("plans.fields", plan)
    assert FieldOfAction.objects.filter(masterplan=plan).count() == 3
    jobs = client.get("/p/duisburg/plan/imports/").content.decode()
    assert "handlungsfelder.csv" in jobs
