"""Export, then import the same file: nothing changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from masterplan.core.imports.runner import import_file
from masterplan.core.models import AuditEntry, Masterplan, Publication
from masterplan.directory.models import Organization
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


@pytest.fixture
def directory(plan: Masterplan, own_org: Organization, other_org: Organization) -> None:
    OrganizationFactory(
        masterplan=plan,
        external_id="DU-STARTPORT",
        name="startport",
        kind="startup",
        parent=own_org,
        website="https://www.startport.net",
        description="Start-up-Plattform im Hafen; Logistik,\nInnovation",
        employees=None,
        ags="05112000",
        publication=Publication.DRAFT,
    )
    person = PersonFactory(
        masterplan=plan,
        external_id="P-1",
        title="Dr.",
        given_name="Stefan",
        family_name="Dietzfelbinger",
        phone="+49 203 2821-0",
        email="s.dietzfelbinger@niederrhein.ihk.de",
        consent_to_publish=True,
        consent_given_at=timezone.make_aware(datetime(2025, 3, 15, 10, 30, 12, 345678)),
        consent_text_version="2025-01",
    )
    AffiliationFactory(person=person, organization=other_org, role="Hauptgeschäftsführer")
    PersonFactory(masterplan=plan, external_id="P-2", given_name="Jennifer", family_name="Kleff")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("kind", "importer"),
    [("organizations", "directory.organizations"), ("people", "directory.people")],
)
def test_importing_an_export_changes_nothing(
    fmt: str,
    kind: str,
    importer: str,
    directory: None,
    plan: Masterplan,
    coordinator: Any,
    client_as: Any,
) -> None:
    client: Client = client_as(coordinator)
    response = client.get(f"/p/{plan.slug}/directory/{kind}/export.{fmt}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    entries = AuditEntry.objects.count()
    with translation.override("en"):
        report = import_file(
            importer=importer,
            masterplan=plan,
            actor=coordinator,
            content=content,
            filename=f"export.{fmt}",
        )
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated) == (0, 0), report.changes
    assert report.unchanged >= 2
    assert AuditEntry.objects.count() == entries
