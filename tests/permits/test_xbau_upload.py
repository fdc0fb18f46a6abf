"""The XBau upload in the browser asks what the messages do not say, as `masterplan
import_xbau --authority --type` does: the authority and the type of a procedure that an
application (0200) creates. The options are kept from the preview to the import, a value that
is not one of the plan's is refused by the form, and only the plan's coordinators upload."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from masterplan.core.models import ImportJob, Masterplan
from masterplan.permits import services
from masterplan.permits.models import Authority, Procedure, ProcedureEvent

pytestmark = pytest.mark.django_db

UPLOAD = "/p/duisburg/permits/procedures/import-xbau/"
JOBS = "/p/duisburg/permits/imports/"
XBAU = Path(__file__).resolve().parent.parent / "data" / "permits" / "xbau"
NORD = "Stadt Duisburg – Bauaufsicht Nord"
SUED = "Stadt Duisburg – Bauaufsicht Süd"


def application_zip() -> bytes:
    """The application (0200) for a procedure the plan does not have and its formal check
    (0201), which gives it the file reference 63-BG-2025-01234."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("0200_antrag.xml", "0201_formelle_pruefung.xml"):
            archive.writestr(name, (XBAU / name).read_bytes())
    return buffer.getvalue()


def upload(client: Client, *, dry_run: bool = False, **options: str) -> Any:
    """The form as a browser sends it: the type select always has a value."""
    data: dict[str, Any] = {"file": SimpleUploadedFile("postfach.zip", application_zip())}
    options = {"authority": "", "procedure_type": "bauo-nrw-64", **options}
    data.update({f"options-{name}": value for name, value in options.items()})
    if dry_run:
        data["dry_run"] = "on"
    return client.post(UPLOAD, data, follow=True)


@pytest.fixture
def client(coordinator: Any, client_as: Any) -> Client:
    client: Client = client_as(coordinator)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def two_offices(plan: Masterplan, coordinator: Any) -> list[Authority]:
    """Duisburg's building authority in two offices, so that no single one is the default."""
    return [
        services.authority_create(actor=coordinator, masterplan=plan, name=name, city="Duisburg")
        for name in (NORD, SUED)
    ]


@pytest.fixture
def duesseldorf(other_plan: Masterplan, other_coordinator: Any) -> Authority:
    return services.authority_create(
        actor=other_coordinator,
        masterplan=other_plan,
        name="Landeshauptstadt Düsseldorf – Bauaufsichtsamt",
        city="Düsseldorf",
    )


def test_the_form_offers_the_plans_authorities_and_types(
    client: Client, two_offices: list[Authority], duesseldorf: Authority
) -> None:
    page = client.get(UPLOAD).content.decode()
    assert f'<option value="{NORD}">{NORD}</option>' in page
    assert f'<option value="{SUED}">{SUED}</option>' in page
    assert duesseldorf.name not in page  # another plan's authority
    # the statutory types, which an import creates where the plan lacks them
    assert '<option value="bauo-nrw-64" selected>' in page
    assert '<option value="bimschg-19">' in page
    assert 'name="options-authority"' in page and 'id="id_options-authority"' in page


def test_a_new_procedure_gets_the_chosen_authority_and_type_after_the_preview(
    client: Client, two_offices: list[Authority]
) -> None:
    preview = upload(client, dry_run=True, authority=SUED, procedure_type="bauo-nrw-65")
    page = preview.content.decode()
    assert "Dry run: 2 new, 0 changed, 0 unchanged. Nothing was saved." in page
    for label, value in (
        ("Authority of new procedures", SUED),
        ("Procedure type of new procedures", "Building permit procedure (NRW)"),
    ):  # the preview says with which options the file will be imported
        assert (
            f'<dt class="kern-description-list-item__key">{label}</dt>'
            f'<dd class="kern-description-list-item__value">{value}</dd>'
        ) in page
    assert not Procedure.objects.exists()
    job = ImportJob.objects.get()
    assert job.options == {"authority": SUED, "procedure_type": "bauo-nrw-65"}
    imported = client.post(JOBS, {"job": job.pk}, follow=True).content.decode()
    assert "Imported: 2 new, 0 changed, 0 unchanged." in imported
    procedure = Procedure.objects.get()
    assert procedure.reference == "63-BG-2025-01234"
    assert procedure.authority == two_offices[1]
    assert procedure.procedure_type.code == "bauo-nrw-65"


def test_without_a_choice_the_plans_only_building_authority_gets_the_procedure(
    plan: Masterplan, coordinator: Any, client: Client
) -> None:
    office = services.authority_create(
        actor=coordinator, masterplan=plan, name=NORD, city="Duisburg"
    )
    page = client.get(UPLOAD).content.decode()
    assert f"The plan&#x27;s own building authority: {NORD}" in page
    response = upload(client)
    assert "Imported: 2 new" in response.content.decode()
    procedure = Procedure.objects.get()
    assert procedure.authority == office and procedure.procedure_type.code == "bauo-nrw-64"


def test_the_authority_is_required_when_the_plan_has_no_single_building_authority(
    client: Client, two_offices: list[Authority]
) -> None:
    response = upload(client)
    assert response.status_code == 400
    assert "Choose the authority: this masterplan has no single own building authority" in (
        response.content.decode()
    )
    assert not ImportJob.objects.exists() and not Procedure.objects.exists()


def test_another_plans_authority_is_refused_by_the_form(
    client: Client, two_offices: list[Authority], duesseldorf: Authority
) -> None:
    response = client.post(
        UPLOAD,
        {
            "file": SimpleUploadedFile("postfach.zip", application_zip()),
            "options-authority": duesseldorf.name,
            "options-procedure_type": "bauo-nrw-64",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose one of this masterplan&#x27;s authorities." in page
    assert 'aria-invalid="true"' in page
    assert not ImportJob.objects.exists() and not ProcedureEvent.objects.exists()


def test_an_unknown_procedure_type_is_refused_by_the_form(
    client: Client, two_offices: list[Authority]
) -> None:
    response = client.post(
        UPLOAD,
        {
            "file": SimpleUploadedFile("postfach.zip", application_zip()),
            "options-authority": NORD,
            "options-procedure_type": "bauvoranfrage",
        },
    )
    assert response.status_code == 400
    assert "Choose one of this masterplan&#x27;s procedure types." in response.content.decode()
    assert not ImportJob.objects.exists() and not Procedure.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "contributor", "other_coordinator"])
def test_only_the_plans_coordinators_upload_messages(
    role: str,
    client_as: Any,
    two_offices: list[Authority],
    request: pytest.FixtureRequest,
) -> None:
    someone = client_as(request.getfixturevalue(role))
    assert someone.get(UPLOAD).status_code in (403, 404)
    response = upload(someone, authority=NORD, procedure_type="bauo-nrw-64")
    assert response.status_code in (403, 404)
    assert not ImportJob.objects.exists() and not Procedure.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(
    client_as: Any, two_offices: list[Authority]
) -> None:
    anonymous = client_as(None)
    for response in (
        anonymous.get(UPLOAD),
        anonymous.post(UPLOAD, {"options-authority": NORD}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not ImportJob.objects.exists()


def test_the_upload_page_says_how_an_xbau_file_must_look_not_a_tables_rules(
    client: Client, plan: Masterplan
) -> None:
    html = client.get(UPLOAD).content.decode()
    assert "Each message becomes a stage of its procedure" in html
    assert "What is read from the file" in html
    assert "The first row holds the column names" not in html  # a table's rules
    table = client.get("/p/duisburg/permits/procedures/import/").content.decode()
    assert "The first row holds the column names" in table and "Columns" in table
