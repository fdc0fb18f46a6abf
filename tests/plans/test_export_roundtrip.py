"""Export every kind of the plan, import the same file: nothing changes; queries stay constant."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization
from masterplan.plans.models import Measure
from tests.factories import MeasureFactory, MilestoneFactory
from tests.plans.test_import_helpers import (
    FILES,
    URL_PREFIXES,
    import_plan,
    prepare_plan,
    run_import,
    versions,
)


@pytest.fixture
def imported(
    plan: Masterplan, own_org: Organization, other_org: Organization, coordinator: Any
) -> Masterplan:
    prepare_plan(plan, own_org, other_org)
    import_plan(plan, coordinator)
    return plan


def export(client: Client, plan: Masterplan, importer: str, fmt: str) -> bytes:
    response = client.get(f"/p/{plan.slug}/plan/{URL_PREFIXES[importer]}/export.{fmt}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("importer", list(FILES))
def test_importing_an_export_changes_nothing(
    importer: str, fmt: str, imported: Masterplan, coordinator: Any, client_as: Any
) -> None:
    content = export(client_as(coordinator), imported, importer, fmt)
    before, entries = versions(), AuditEntry.objects.count()
    report = run_import(imported, coordinator, importer, content, filename=f"export.{fmt}")
    assert report.ok, [str(e) for e in report.errors]
    assert (report.created, report.updated) == (0, 0), report.changes
    assert report.unchanged >= 3
    assert (versions(), AuditEntry.objects.count()) == (before, entries)


def test_the_measure_export_has_the_import_columns_and_german_values(
    imported: Masterplan, coordinator: Any, client_as: Any
) -> None:
    text = export(client_as(coordinator), imported, "plans.measures", "csv").decode("utf-8-sig")
    header, *rows = text.splitlines()
    assert header.startswith("external_id;goal;title;description;lead_organization;")
    portal = next(r for r in rows if r.startswith("M-PORTAL;"))
    assert ";Idee;" in portal and "M-BBB | M-KERNZONE" in portal
    assert ";01.04.2025;31.03.2026;" in portal


@pytest.mark.parametrize("importer", list(FILES))
def test_export_runs_a_constant_number_of_queries(
    importer: str, imported: Masterplan, own_org: Organization, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    with CaptureQueriesContext(connection) as small:
        export(client, imported, importer, "csv")
    goal = Measure.objects.get(external_id="M-BBB").goal
    for number in range(5):
        measure = MeasureFactory(
            goal=goal, lead_organization=own_org, external_id=f"M-EXTRA-{number}"
        )
        measure.depends_on.set(Measure.objects.filter(external_id__in=["M-BBB", "M-PORTAL"]))
        MilestoneFactory(measure=measure, external_id=f"MS-EXTRA-{number}")
    with CaptureQueriesContext(connection) as large:
        export(client, imported, importer, "csv")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_members_may_export_and_anonymous_visitors_may_not(
    imported: Masterplan, viewer: Any, client_as: Any
) -> None:
    assert b"M-BBB" in export(client_as(viewer), imported, "plans.measures", "csv")
    response = client_as(None).get(f"/p/{imported.slug}/plan/measures/export.csv")
    assert response.status_code == 302
