"""The land module's part of a person's data (see core/privacy.py): core zones and parcels
naming them as contact, and site requests with their name and address (from staff or from the
public form, found by the e-mail address)."""

from __future__ import annotations

from typing import Any

from masterplan.core.actors import Actor
from masterplan.core.privacy import (
    ERASED,
    DataSubject,
    PersonalData,
    detach,
    erase_tracked,
    register_personal_data,
    row,
)
from masterplan.directory.models import Person
from masterplan.land.models import CoreZone, Parcel, SiteRequest


@register_personal_data
class LandPeople(PersonalData):
    key = "land.people"
    covers = (CoreZone, Parcel, SiteRequest)

    def requests(self, subject: DataSubject) -> list[SiteRequest]:
        emails = [
            email
            for email in Person.all_objects.filter(pk__in=subject.person_ids).values_list(
                "email", flat=True
            )
            if email
        ]
        return list(
            SiteRequest.all_objects.filter(contact_email__in=emails).order_by("pk")
            if emails
            else []
        )

    def identify(self, email: str) -> DataSubject:
        # Requests are found through the directory entries and accounts with the address
        # (the directory's handler); a request's own contact has no entry of its own.
        return DataSubject()

    def export(self, subject: DataSubject) -> list[dict[str, Any]]:
        people = subject.person_ids
        return [
            *(
                row(zone, ("masterplan_id", "name", "contact_id"))
                for zone in CoreZone.all_objects.filter(contact__in=people).order_by("pk")
            ),
            *(
                row(parcel, ("masterplan_id", "name", "contact_id"))
                for parcel in Parcel.all_objects.filter(contact__in=people).order_by("pk")
            ),
            *(
                row(
                    request,
                    ("masterplan_id", "title", "company_name", "contact_name", "contact_email"),
                )
                for request in self.requests(subject)
            ),
        ]

    def erase(self, subject: DataSubject, *, actor: Actor) -> int:
        """Contacts of zones and parcels are cleared; a request keeps the company's need but
        loses the person's name and address."""
        people = subject.person_ids
        changed = detach(
            actor=actor, rows=CoreZone.all_objects.filter(contact__in=people), field="contact"
        )
        changed += detach(
            actor=actor, rows=Parcel.all_objects.filter(contact__in=people), field="contact"
        )
        for request in self.requests(subject):
            erase_tracked(
                actor=actor,
                obj=request,
                values={"contact_name": ERASED, "contact_email": ""},
            )
            changed += 1
        return changed
