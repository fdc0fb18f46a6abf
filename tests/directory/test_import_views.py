"""The import pages: upload, dry-run result, importing it, errors, and who may do what."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from masterplan.core.models import ImportJob, Masterplan
from masterplan.directory.models import Organization

UPLOAD = "/p/duisburg/directory/organizations/import/"
JOBS = "/p/duisburg/directory/imports/"
GOOD = (
    b"Externe ID;Name;Art;Stadt\r\n"
    b"DU-STARTPORT;startport;startup;Duisburg\r\n"
    b"DU-HAFEN;duisport;company;Duisburg\r\n"
)


@pytest.fixture
def client(coordinator: Any, client_as: Any) -> Client:
    client: Client = client_as(coordinator)
    client.cookies["django_language"] = "en"
    return client


def upload(client: Client, content: bytes, *, dry_run: bool, follow: bool = True) -> Any:
    data: dict[str, Any] = {"file": SimpleUploadedFile("organisationen.csv", content)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(UPLOAD, data, follow=follow)


def test_upload_page_explains_the_columns_from_their_declarations(
    plan: Masterplan, client: Client
) -> None:
    page = client.get(UPLOAD).content.decode()
    assert "<code>external_id</code>" in page
    assert "Übergeordnete Organisation" in page  # an alias of parent
    assert "<code>chamber</code> (Chamber)" in page  # allowed values of kind
    assert 'name="dry_run"' in page and "checked" in page
    assert 'href="/p/duisburg/directory/organizations/import/template.csv"' in page


def test_template_is_a_csv_with_the_header_row(plan: Masterplan, client: Client) -> None:
    response = client.get(UPLOAD + "template.csv")
    assert response["Content-Disposition"] == 'attachment; filename="organisationen-vorlage.csv"'
    assert response.content.startswith(b"\xef\xbb\xbfexternal_id;name;legal_name;kind;")


def test_dry_run_shows_what_would_change_and_imports_on_request(
    plan: Masterplan, client: Client
) -> None:
    response = upload(client, GOOD, dry_run=True)
    page = response.content.decode()
    assert "Dry run: 2 new, 0 changed, 0 unchanged. Nothing was saved." in page
    assert "startport" in page and "Import now" in page
    assert not Organization.objects.exists()
    job = ImportJob.objects.get()
    response = client.post(JOBS, {"job": job.pk}, follow=True)
    assert "Imported: 2 new, 0 changed, 0 unchanged." in response.content.decode()
    assert Organization.objects.count() == 2
    job.refresh_from_db()
    assert (job.dry_run, job.state, bytes(job.content)) == (False, "done", b"")


def test_a_dry_run_can_be_imported_only_once(plan: Masterplan, client: Client) -> None:
    upload(client, GOOD, dry_run=True)
    job = ImportJob.objects.get()
    client.post(JOBS, {"job": job.pk})
    response = client.post(JOBS, {"job": job.pk}, follow=True)
    assert "This check cannot be imported (again)." in response.content.decode()
    assert Organization.objects.count() == 2


def test_errors_are_listed_with_row_column_value_and_reason(
    plan: Masterplan, client: Client
) -> None:
    content = GOOD + b'DU-X;=HYPERLINK("x");company;Duisburg\r\n'
    page = upload(client, content, dry_run=False).content.decode()
    assert "1 error(s) found in 3 row(s); nothing was saved." in page
    assert '<td class="kern-table__cell kern-table__cell--numeric">4</td>' in page
    assert "Looks like a spreadsheet formula" in page
    assert "Import now" not in page
    assert not Organization.objects.exists()


def test_a_direct_import_redirects_to_its_result(plan: Masterplan, client: Client) -> None:
    response = upload(client, GOOD, dry_run=False, follow=False)
    job = ImportJob.objects.get()
    assert response["Location"] == f"{JOBS}?job={job.pk}"
    assert Organization.objects.count() == 2


def test_a_file_over_the_limit_is_refused_by_the_form(
    plan: Masterplan, client: Client, settings: Any
) -> None:
    settings.IMPORT_MAX_BYTES = 20
    response = upload(client, GOOD, dry_run=True)
    assert response.status_code == 400
    assert "files up to 20\xa0bytes can be imported" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_recent_imports_are_listed(plan: Masterplan, client: Client) -> None:
    upload(client, GOOD, dry_run=True)
    page = client.get(JOBS).content.decode()
    assert f'href="?job={ImportJob.objects.get().pk}"' in page
    assert "organisationen.csv" in page


@pytest.mark.parametrize("role", ["viewer", "contributor", "other_coordinator"])
def test_only_coordinators_of_the_plan_reach_the_upload(
    role: str, plan: Masterplan, client_as: Any, request: pytest.FixtureRequest
) -> None:
    client = client_as(request.getfixturevalue(role))
    assert client.get(UPLOAD).status_code in (403, 404)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("x.csv", GOOD)})
    assert response.status_code in (403, 404)
    assert not Organization.objects.filter(external_id="DU-STARTPORT").exists()


def test_anonymous_users_are_sent_to_the_login(plan: Masterplan, client_as: Any) -> None:
    response = client_as(None).get(UPLOAD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_job_of_another_masterplan_is_not_found(
    plan: Masterplan, other_plan: Masterplan, other_coordinator: Any, client: Client, client_as: Any
) -> None:
    upload(client, GOOD, dry_run=True)
    job = ImportJob.objects.get()
    other = client_as(other_coordinator)
    assert other.get(f"/p/duesseldorf/directory/imports/?job={job.pk}").status_code == 404
    assert other.post("/p/duesseldorf/directory/imports/", {"job": job.pk}).status_code == 404
    assert not Organization.objects.exists()


def test_list_shows_import_to_coordinators_and_export_to_members(
    plan: Masterplan, client: Client, viewer: Any, client_as: Any
) -> None:
    url = "/p/duisburg/directory/organizations/?kind=chamber"
    page = client.get(url).content.decode()
    assert 'href="/p/duisburg/directory/organizations/import/"' in page
    assert 'href="/p/duisburg/directory/organizations/export.csv?kind=chamber"' in page
    viewer_page = client_as(viewer).get(url).content.decode()
    assert "/organizations/import/" not in viewer_page
    assert "/organizations/export.xlsx?kind=chamber" in viewer_page
    anonymous_page = client_as(None).get(url).content.decode()
    assert "/export." not in anonymous_page


def test_the_preview_names_columns_as_people_read_them(
    plan: Masterplan, coordinator: Any, client_as: Any
) -> None:
    """The preview listed the changed fields by their keys (`employees`, `kind`)."""
    german: Client = client_as(coordinator)
    german.cookies["django_language"] = "de"
    page = upload(german, GOOD, dry_run=True).content.decode()
    preview = page[page.index('id="changes-heading"') :]
    assert "<strong>Name</strong>: startport" in preview
    assert "<strong>Art</strong>" in preview and "<code>kind</code>" not in preview
