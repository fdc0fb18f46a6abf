"""A second import updates by external ID: versions, audit trail, dry run, permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from masterplan.core.audit import audit_verify
from masterplan.core.imports.report import ImportReport
from masterplan.core.imports.runner import import_file
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization
from tests.factories import OrganizationFactory

HEADER = "Externe ID;Name;Art;Stadt;Beschäftigte"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


def run(plan: Masterplan, actor: Any, content: bytes, *, dry_run: bool = False) -> ImportReport:
    with translation.override("en"):
        return import_file(
            importer="directory.organizations",
            masterplan=plan,
            actor=actor,
            content=content,
            filename="organisationen.csv",
            dry_run=dry_run,
        )


FIRST = csv(
    "DU-STARTPORT;startport;startup;Duisburg;25",
    "DU-HAFEN;duisport;company;Duisburg;1500",
)


def test_second_import_updates_by_external_id_and_bumps_the_version(
    plan: Masterplan, coordinator: Any
) -> None:
    run(plan, coordinator, FIRST)
    report = run(
        plan,
        coordinator,
        csv(
            "DU-STARTPORT;startport;startup;Duisburg;40", "DU-HAFEN;duisport;company;Duisburg;1500"
        ),
    )
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    startport = Organization.objects.get(external_id="DU-STARTPORT")
    assert (startport.employees, startport.version) == (40, 2)
    assert Organization.objects.get(external_id="DU-HAFEN").version == 1
    assert report.changes[0].diff == {"employees": ("25", "40")}


def test_every_created_and_changed_record_gets_an_audit_entry(
    plan: Masterplan, coordinator: Any
) -> None:
    run(plan, coordinator, FIRST)
    run(plan, coordinator, csv("DU-STARTPORT;startport;startup;Duisburg;40"))
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == [
        "directory.organization.imported",
        "directory.organization.imported",
        "directory.organization.import_updated",
    ]
    assert entries[0].changes["name"] == [None, "startport"]
    assert entries[2].changes == {"employees": [25, 40]}
    assert {e.actor_label for e in entries} == {"koordination"}
    assert {e.masterplan_id for e in entries} == {plan.pk}
    assert audit_verify().ok


def test_rows_without_external_id_are_always_created(plan: Masterplan, coordinator: Any) -> None:
    content = csv(";Wirtschaftsförderung Duisburg;city_department;Duisburg;")
    run(plan, coordinator, content)
    report = run(plan, coordinator, content)
    assert report.created == 1
    assert Organization.objects.filter(name="Wirtschaftsförderung Duisburg").count() == 2


def test_columns_left_out_are_not_changed(plan: Masterplan, coordinator: Any) -> None:
    run(plan, coordinator, FIRST)
    report = run(
        plan, coordinator, csv("DU-HAFEN;Duisburger Hafen AG;company", header="Externe ID;Name;Art")
    )
    assert report.updated == 1
    hafen = Organization.objects.get(external_id="DU-HAFEN")
    assert (hafen.name, hafen.city, hafen.employees) == ("Duisburger Hafen AG", "Duisburg", 1500)


def test_empty_cells_clear_values_but_keep_values_that_cannot_be_empty(
    plan: Masterplan, coordinator: Any
) -> None:
    header = HEADER + ";Veröffentlichung"
    run(plan, coordinator, csv("DU-HAFEN;duisport;company;Duisburg;1500;published", header=header))
    run(plan, coordinator, csv("DU-HAFEN;duisport;company;;;", header=header))
    hafen = Organization.objects.get(external_id="DU-HAFEN")
    assert (hafen.publication, hafen.city, hafen.employees) == ("published", "", None)


def test_dry_run_reports_the_changes_and_writes_nothing(plan: Masterplan, coordinator: Any) -> None:
    run(plan, coordinator, FIRST)
    entries = AuditEntry.objects.count()
    report = run(
        plan,
        coordinator,
        csv(
            "DU-STARTPORT;startport;startup;Duisburg;40", "DU-KRUPP;thyssenkrupp;company;Duisburg;"
        ),
        dry_run=True,
    )
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    with translation.override("en"):
        assert "Dry run" in report.summary()
    assert {c.external_id: c.created for c in report.changes} == {
        "DU-STARTPORT": False,
        "DU-KRUPP": True,
    }
    assert Organization.objects.get(external_id="DU-STARTPORT").employees == 25
    assert not Organization.objects.filter(external_id="DU-KRUPP").exists()
    assert AuditEntry.objects.count() == entries


def test_parent_by_external_id_of_an_organisation_already_in_the_plan(
    plan: Masterplan, coordinator: Any, own_org: Organization
) -> None:
    report = run(
        plan,
        coordinator,
        csv("DU-STARTPORT;startport;startup;DU-WFD", header="Externe ID;Name;Art;Dachorganisation"),
    )
    assert report.ok
    assert Organization.objects.get(external_id="DU-STARTPORT").parent == own_org


def test_parent_in_another_masterplan_is_unknown(
    plan: Masterplan, other_plan: Masterplan, coordinator: Any
) -> None:
    OrganizationFactory(masterplan=other_plan, external_id="DUS-IHK")
    report = run(
        plan,
        coordinator,
        csv(
            "DU-X;Ruhrort Logistik GmbH;company;DUS-IHK",
            header="Externe ID;Name;Art;Dachorganisation",
        ),
    )
    assert "Unknown reference" in report.errors[0].reason


def test_a_cycle_through_records_already_in_the_plan_is_refused(
    plan: Masterplan, coordinator: Any
) -> None:
    duisport = OrganizationFactory(masterplan=plan, external_id="DU-HAFEN")
    OrganizationFactory(masterplan=plan, external_id="DU-LOGPORT", parent=duisport)
    report = run(
        plan,
        coordinator,
        csv("DU-HAFEN;duisport;company;DU-LOGPORT", header="Externe ID;Name;Art;Dachorganisation"),
    )
    assert [(e.row, e.reason) for e in report.errors] == [
        (2, "This reference would make the record its own ancestor (a cycle).")
    ]
    assert Organization.objects.get(pk=duisport.pk).parent is None


def test_external_id_of_a_deleted_record_cannot_be_used_again(
    plan: Masterplan, coordinator: Any
) -> None:
    OrganizationFactory(masterplan=plan, external_id="DU-ALT", deleted_at=timezone.now())
    report = run(plan, coordinator, csv("DU-ALT;Neue Firma GmbH;company;Duisburg;"))
    assert "A deleted record has this external ID" in report.errors[0].reason


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_only_coordinators_may_import(
    role: str, plan: Masterplan, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        run(plan, user, FIRST)
    assert not Organization.objects.filter(external_id="DU-HAFEN").exists()


def test_coordinator_of_another_plan_may_not_import(
    plan: Masterplan, other_coordinator: Any
) -> None:
    with pytest.raises(PermissionDenied):
        run(plan, other_coordinator, FIRST)
