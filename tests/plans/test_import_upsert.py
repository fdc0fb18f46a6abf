"""A second import updates by external ID: versions, audit trail, history, dependencies."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from masterplan.core.audit import audit_verify
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization
from masterplan.plans.models import KeyResult, KeyResultReading, Measure
from tests.plans.test_import_helpers import import_plan, prepare_plan, run_import, versions


def csv(*rows: str) -> bytes:
    return ("\r\n".join(rows) + "\r\n").encode()


@pytest.fixture
def imported(
    plan: Masterplan, own_org: Organization, other_org: Organization, coordinator: Any
) -> Masterplan:
    prepare_plan(plan, own_org, other_org)
    import_plan(plan, coordinator)
    return plan


def test_a_changed_row_bumps_only_its_version_and_is_audited(
    imported: Masterplan, coordinator: Any
) -> None:
    before = versions()
    report = run_import(
        imported,
        coordinator,
        "plans.measures",
        csv(
            "Externe ID;Ziel;Maßnahme;Federführung;Status;Fortschritt",
            "M-BBB;Z-DIALOG-1;Business beim Brötchen – der Wirtschaftsdialog;DU-IHK;Abschluss;90",
            "M-KERNZONE;Z-FLAECHE-1;Kernzonen-Workshops;DU-WFD;In Vorbereitung;",
        ),
    )
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert report.changes[0].diff == {
        "progress": ("40", "90"),
        "status": ("In Umsetzung", "Abschluss"),
    }
    after = versions()
    assert after["M-BBB"] == before["M-BBB"] + 1
    assert {k: v for k, v in after.items() if k != "M-BBB"} == {
        k: v for k, v in before.items() if k != "M-BBB"
    }
    bbb = Measure.objects.get(external_id="M-BBB")
    assert (bbb.status.name, bbb.progress) == ("Abschluss", 90)
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None and entry.action == "plans.measure.import_updated"
    assert entry.changes["progress"] == [40, 90]
    assert audit_verify().ok


def test_the_first_import_writes_one_audit_entry_per_record(imported: Masterplan) -> None:
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("plans.fieldofaction.imported") == 3
    assert actions.count("plans.goal.imported") == 3
    assert actions.count("plans.keyresult.imported") == 3
    assert actions.count("plans.measure.imported") == 4
    assert actions.count("plans.measure.dependencies_changed") == 2
    assert actions.count("plans.milestone.imported") == 3


def test_a_new_current_value_adds_a_reading_and_an_unchanged_one_does_not(
    imported: Masterplan, coordinator: Any
) -> None:
    header = (
        "Externe ID;Ziel;Schlüsselergebnis;Ausgangswert;Ausgangsdatum;Zielwert;Zieldatum;Istwert"
    )
    row = "KR-GEN-1;Z-GEN-1;Median-Verfahrensdauer Baugenehmigung;120;01.01.2022;60;31.12.2025;{}"
    readings = KeyResultReading.objects.filter(key_result__external_id="KR-GEN-1")
    assert readings.count() == 1
    report = run_import(imported, coordinator, "plans.key_results", csv(header, row.format("85")))
    assert (report.updated, readings.count()) == (0, 1)
    report = run_import(imported, coordinator, "plans.key_results", csv(header, row.format("72")))
    assert report.updated == 1
    kr = KeyResult.objects.get(external_id="KR-GEN-1")
    # without a column "as of", the new value counts from today, as in the form
    assert (kr.current_value, kr.current_as_of) == (Decimal(72), timezone.localdate())
    assert readings.count() == 2
    newest = readings.order_by("-id").first()
    assert newest is not None and (newest.value, newest.measured_on) == (72, timezone.localdate())


def test_changed_dependencies_alone_make_a_new_version(
    imported: Masterplan, coordinator: Any
) -> None:
    before = versions()["M-PORTAL"]
    report = run_import(
        imported,
        coordinator,
        "plans.measures",
        csv(
            "Externe ID;Ziel;Maßnahme;Federführung;Abhängig von",
            "M-PORTAL;Z-GEN-1;Digitales Bauantragsportal;DU-WFD;M-BBB",
        ),
    )
    assert report.updated == 1
    assert report.changes[0].diff == {"depends_on": ("M-BBB | M-KERNZONE", "M-BBB")}
    portal = Measure.objects.get(external_id="M-PORTAL")
    assert [m.external_id for m in portal.depends_on.all()] == ["M-BBB"]
    assert portal.version == before + 1
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None and entry.action == "plans.measure.dependencies_changed"


def test_a_new_measure_may_depend_on_one_further_down_the_file(
    imported: Masterplan, coordinator: Any
) -> None:
    report = run_import(
        imported,
        coordinator,
        "plans.measures",
        csv(
            "Externe ID;Ziel;Maßnahme;Federführung;Abhängig von",
            "M-GRUENDER;Z-GEN-1;Gründerwoche Rhein-Ruhr;DU-WFD;M-LOTSENHANDBUCH|M-BBB",
            "M-LOTSENHANDBUCH;Z-GEN-1;Lotsen-Handbuch;DU-WFD;",
        ),
    )
    assert report.created == 2, [str(e) for e in report.errors]
    gruender = Measure.objects.get(external_id="M-GRUENDER")
    assert sorted(m.external_id for m in gruender.depends_on.all()) == [
        "M-BBB",
        "M-LOTSENHANDBUCH",
    ]
    assert gruender.status.name == "Idee"  # the first status of the catalogue


def test_dry_run_reports_changes_and_writes_nothing(imported: Masterplan, coordinator: Any) -> None:
    before = versions()
    entries = AuditEntry.objects.count()
    report = run_import(
        imported,
        coordinator,
        "plans.milestones",
        csv(
            "Externe ID;Maßnahme;Meilenstein;fällig am;erreicht am",
            "MS-KZ-1;M-KERNZONE;Workshop Kernzone Reisholz;15.05.2025;16.05.2025",
        ),
        dry_run=True,
    )
    assert (report.updated, report.changes[0].diff) == (
        1,
        {"achieved_on": ("", "16.05.2025")},
    )
    assert versions() == before
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("role", ["viewer", "contributor", "other_coordinator"])
def test_only_coordinators_of_the_plan_may_import(
    role: str, imported: Masterplan, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        run_import(
            imported,
            request.getfixturevalue(role),
            "plans.fields",
            csv("Externe ID;Handlungsfeld", "HF-NEU;Start-ups"),
        )
