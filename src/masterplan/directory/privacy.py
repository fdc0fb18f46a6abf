"""The directory's part of a person's data (see core/privacy.py): their entries as contact
persons, one per masterplan, with their affiliations."""

from __future__ import annotations

from typing import Any

from masterplan.core.privacy import DataSubject, PersonalData, register_personal_data, row
from masterplan.directory.models import Affiliation, Person
from masterplan.directory.services import person_erase

PERSON_FIELDS = (
    "masterplan_id",
    "external_id",
    "title",
    "given_name",
    "family_name",
    "function",
    "email",
    "phone",
    "consent_to_publish",
    "consent_given_at",
    "consent_text_version",
    "publication",
    "created_at",
    "modified_at",
)
AFFILIATION_FIELDS = ("person_id", "organization_id", "role", "start", "end")


@register_personal_data
class DirectoryPeople(PersonalData):
    key = "directory.people"
    covers = (Person, Affiliation)

    def identify(self, email: str) -> DataSubject:
        people = Person.all_objects.filter(email__iexact=email) if email else Person.objects.none()
        return DataSubject(person_ids=frozenset(people.values_list("pk", flat=True)))

    def export(self, subject: DataSubject) -> list[dict[str, Any]]:
        people = Person.all_objects.filter(pk__in=subject.person_ids).order_by("pk")
        affiliations = (
            Affiliation.all_objects.filter(person__in=people)
            .select_related("organization")
            .order_by("pk")
        )
        return [
            *(row(person, PERSON_FIELDS) for person in people),
            *(
                {**row(a, AFFILIATION_FIELDS), "organization": a.organization.name}
                for a in affiliations
            ),
        ]

    def erase(self, subject: DataSubject, *, actor: Any) -> int:
        return sum(
            person_erase(actor=actor, person=person)
            for person in Person.all_objects.filter(pk__in=subject.person_ids).order_by("pk")
        )
