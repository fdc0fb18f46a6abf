"""A coordinator uploads XBau messages in the browser and chooses what the messages do not say:
the authority and the type of the procedure that the application (0200) creates. The preview
names the choice, "Import now" keeps it, and the form and the preview are clean for axe-core.

Texts are asserted by data (names, references), since the German catalogue is filled later.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from masterplan.core.models import Masterplan
from masterplan.permits import services
from masterplan.permits.models import Authority, Procedure
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import blocking_violations, broken_references

pytestmark = pytest.mark.browser

XBAU = Path(__file__).resolve().parents[1] / "data" / "permits" / "xbau"
NORD = "Stadt Duisburg – Bauaufsicht Nord"
SUED = "Stadt Duisburg – Bauaufsicht Süd"


def mailbox_zip() -> bytes:
    """The application (0200) for a procedure Duisburg's plan does not have yet and its formal
    check (0201), which gives it the file reference 63-BG-2025-01234."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("0200_antrag.xml", "0201_formelle_pruefung.xml"):
            archive.writestr(name, (XBAU / name).read_bytes())
    return buffer.getvalue()


@pytest.fixture
def offices(plan: Masterplan, coordinator: Any) -> dict[str, Authority]:
    """Duisburg's building authority in two offices (no single default) and a peer."""
    services.ensure_default_types(actor=coordinator, masterplan=plan)
    found = {
        name: services.authority_create(
            actor=coordinator, masterplan=plan, name=name, city="Duisburg"
        )
        for name in (NORD, SUED)
    }
    services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Landeshauptstadt Düsseldorf – Bauaufsicht",
        city="Düsseldorf",
        is_own=False,
    )
    return found


def test_coordinator_uploads_messages_choosing_the_authority_and_type(
    page_as: Any, plan: Masterplan, coordinator: Any, offices: dict[str, Authority]
) -> None:
    page = page_as(coordinator)
    page.goto(f"/p/{plan.slug}/permits/procedures/import-xbau/")
    assert blocking_violations(page) + broken_references(page) == []
    page.set_input_files(
        "#id_file",
        files=[{"name": "postfach.zip", "mimeType": "application/zip", "buffer": mailbox_zip()}],
    )
    page.select_option("#id_options-authority", SUED)
    page.select_option("#id_options-procedure_type", "bauo-nrw-65")
    expect(page.locator("#id_dry_run")).to_be_checked()
    screenshot(page, "permits-xbau-upload")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    options = page.locator("dl.kern-description-list")
    expect(options).to_contain_text(SUED)
    expect(options).to_contain_text("(NRW)")  # the type's name, in the page's language
    assert not Procedure.objects.exists()
    screenshot(page, "permits-xbau-preview")
    assert blocking_violations(page) + broken_references(page) == []
    page.locator("main form.form-actions button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main form.form-actions")).to_have_count(0)  # imported: no second time
    procedure = Procedure.objects.get(masterplan=plan)
    assert procedure.reference == "63-BG-2025-01234"
    assert procedure.authority == offices[SUED]
    assert procedure.procedure_type.code == "bauo-nrw-65"


def test_an_upload_without_the_needed_authority_is_refused_with_the_field_marked(
    page_as: Any, plan: Masterplan, coordinator: Any, offices: dict[str, Authority]
) -> None:
    page = page_as(coordinator)
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(f"/p/{plan.slug}/permits/procedures/import-xbau/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "postfach.zip", "mimeType": "application/zip", "buffer": mailbox_zip()}],
    )
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#id_options-authority")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#options-authority-error")).to_be_visible()
    screenshot(page, "permits-xbau-upload-error-375")
    assert blocking_violations(page) + broken_references(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not Procedure.objects.exists()
