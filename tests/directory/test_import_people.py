"""People imports add affiliations by the organisation's external ID and never remove them."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from masterplan.core.audit import audit_verify
from masterplan.core.imports.report import ImportReport
from masterplan.core.imports.runner import import_file
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Affiliation, Organization, Person
from tests.factories import AffiliationFactory, PersonFactory

HEADER = "Externe ID;Vorname;Nachname;Organisation;Rolle"


def run(plan: Masterplan, actor: Any, *rows: str, header: str = HEADER) -> ImportReport:
    with translation.override("en"):
        return import_file(
            importer="directory.people",
            masterplan=plan,
            actor=actor,
            content=("\n".join([header, *rows]) + "\n").encode(),
            filename="personen.csv",
        )


def test_a_new_person_is_affiliated_with_the_organisation(
    plan: Masterplan, coordinator: Any, other_org: Organization
) -> None:
    report = run(plan, coordinator, "P-1;Stefan;Dietzfelbinger;DU-IHK;Hauptgeschäftsführer")
    assert report.created == 1
    affiliation = Affiliation.objects.get()
    assert (affiliation.person.external_id, affiliation.organization, affiliation.role) == (
        "P-1",
        other_org,
        "Hauptgeschäftsführer",
    )
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "directory.person.imported",
        "directory.affiliation.imported",
    ]
    assert AuditEntry.objects.last().object_repr == "Stefan Dietzfelbinger – Niederrheinische IHK"  # type: ignore[union-attr]


def test_a_changed_role_updates_the_affiliation_with_a_new_version(
    plan: Masterplan, coordinator: Any, own_org: Organization
) -> None:
    person = PersonFactory(
        masterplan=plan, external_id="P-2", given_name="Jennifer", family_name="Kleff"
    )
    affiliation = AffiliationFactory(person=person, organization=own_org, role="Referentin")
    report = run(plan, coordinator, "P-2;Jennifer;Kleff;DU-WFD;Geschäftsführerin")
    assert (report.created, report.updated) == (0, 1)
    assert report.changes[0].diff == {"role": ("Referentin", "Geschäftsführerin")}
    affiliation.refresh_from_db()
    person.refresh_from_db()
    assert (affiliation.role, affiliation.version) == ("Geschäftsführerin", 2)
    assert person.version == 1  # the person record itself did not change
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == (
        "directory.affiliation.import_updated",
        {"role": ["Referentin", "Geschäftsführerin"]},
    )
    assert audit_verify().ok


def test_a_second_organisation_adds_an_affiliation_and_keeps_the_first(
    plan: Masterplan, coordinator: Any, own_org: Organization, other_org: Organization
) -> None:
    person = PersonFactory(
        masterplan=plan, external_id="P-3", given_name="Peter", family_name="Ruhrort"
    )
    AffiliationFactory(person=person, organization=own_org)
    report = run(plan, coordinator, "P-3;Peter;Ruhrort;DU-IHK;")
    assert report.updated == 1
    assert set(person.affiliations.values_list("organization__external_id", flat=True)) == {
        "DU-WFD",
        "DU-IHK",
    }


def test_same_person_and_organisation_again_is_unchanged(
    plan: Masterplan, coordinator: Any, own_org: Organization
) -> None:
    run(plan, coordinator, "P-4;Avelina;Kleff;DU-WFD;Referentin")
    report = run(plan, coordinator, "P-4;Avelina;Kleff;DU-WFD;Referentin")
    assert (report.updated, report.unchanged) == (0, 1)
    assert Person.objects.get().version == 1
