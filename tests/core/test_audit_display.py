"""The audit trail in the interface language: actions, labels, names and dates, on the page,
in the history of a record and in the coordinators' export."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.urls import reverse
from django.utils import translation

from masterplan.core.audit_display import describe
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory import services
from masterplan.directory.models import Organization
from tests.factories import OrganizationFactory


def moved_to_ruhrort(plan: Masterplan, own_org: Organization, coordinator: Any) -> Organization:
    parent = OrganizationFactory(masterplan=plan, name="Niederrheinische IHK")
    return services.organization_update(
        actor=coordinator,
        organization=own_org,
        version=own_org.version,
        city="Duisburg-Ruhrort",
        parent=parent,
        employees=1250,
    )


def test_entries_read_as_people_say_them(
    plan: Masterplan, own_org: Organization, coordinator: Any
) -> None:
    moved_to_ruhrort(plan, own_org, coordinator)
    entry = AuditEntry.objects.filter(object_type="directory.organization").latest("id")
    with translation.override("de"):
        (row,) = describe([entry])
        changes = {c.label: (c.old, c.new) for c in row.changes}
    assert row.action == "Organisation geändert"
    assert changes["übergeordnete Organisation"] == (None, "Niederrheinische IHK")  # not an id
    assert changes["Beschäftigte"][1] == "1.250"


def test_the_trail_page_and_its_export_speak_german(
    plan: Masterplan, own_org: Organization, coordinator: Any, client_as: Any, viewer: Any
) -> None:
    moved_to_ruhrort(plan, own_org, coordinator)
    client = client_as(coordinator)
    page = client.get(reverse("audit_trail", args=[plan.slug]), HTTP_ACCEPT_LANGUAGE="de")
    html = page.content.decode()
    assert "Organisation geändert" in html and "directory.organization.updated" not in html
    export_url = reverse("audit_export", args=[plan.slug])
    assert export_url in html
    response = client.get(export_url + "?action=directory.organization.updated")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["#", "Zeitpunkt", "Wer", "Aktion"]
    assert [row[3] for row in rows[1:]] == ["Organisation geändert"]
    assert "Niederrheinische IHK" in rows[1][6]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    # The trail is for coordinators only.
    assert client_as(viewer).get(export_url).status_code == 403
