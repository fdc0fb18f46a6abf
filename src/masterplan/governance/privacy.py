"""The governance module's part of a person's data (see core/privacy.py): bodies they chair,
their memberships and attendance, action items they own, their calendar feed tokens and
the reminders sent to them, their answers to invitations and the invitations and minutes
sent to them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from masterplan.core.actors import Actor
from masterplan.core.audit import audit_redact, object_type_of
from masterplan.core.privacy import (
    ERASED,
    DataSubject,
    PersonalData,
    detach,
    register_personal_data,
    row,
)
from masterplan.directory.models import Person
from masterplan.governance.models import (
    ActionItem,
    Attendance,
    Body,
    BodyMembership,
    FeedToken,
    MeetingMailing,
    MeetingRsvp,
    ReminderLog,
)

MAILING_LISTS = ("recipients", "unreachable", "failed")


@register_personal_data
class GovernancePeople(PersonalData):
    key = "governance.people"
    covers = (
        Body,
        BodyMembership,
        Attendance,
        ActionItem,
        FeedToken,
        ReminderLog,
        MeetingRsvp,
        MeetingMailing,
    )

    def export(self, subject: DataSubject) -> list[dict[str, Any]]:
        people, users = subject.person_ids, subject.user_ids
        memberships = BodyMembership.all_objects.filter(person__in=people).order_by("pk")
        attendance = Attendance.all_objects.filter(person__in=people).select_related("meeting")
        return [
            *(
                row(body, ("masterplan_id", "name", "chair_id"))
                for body in Body.all_objects.filter(chair__in=people).order_by("pk")
            ),
            *(
                row(m, ("body_id", "person_id", "organization_id", "role", "start", "end"))
                for m in memberships
            ),
            *(
                {**row(a, ("meeting_id", "person_id", "status")), "meeting": a.meeting.title}
                for a in attendance.order_by("pk")
            ),
            *(
                row(item, ("masterplan_id", "title", "owner_person_id", "due", "status"))
                for item in ActionItem.all_objects.filter(owner_person__in=people).order_by("pk")
            ),
            *(
                row(token, ("masterplan_id", "body_id", "label", "created_at", "revoked_at"))
                for token in FeedToken.objects.filter(user__in=users).order_by("pk")
            ),
            *(
                row(log, ("kind", "object_type", "object_id", "recipient", "sent_at"))
                for log in self.reminders(subject).order_by("pk")
            ),
            *(
                row(rsvp, ("meeting_id", "person_id", "answer", "answered_at"))
                for rsvp in MeetingRsvp.objects.filter(person__in=people).order_by("pk")
            ),
            *(
                {
                    **row(mailing, ("meeting_id", "kind", "sent_at")),
                    "entries": [e for e in entries if e.get("person_id") in people],
                }
                for mailing, entries in self.mailings(subject)
            ),
        ]

    def mailings(self, subject: DataSubject) -> list[tuple[MeetingMailing, list[dict[str, Any]]]]:
        """The invitations and minutes sent to (or meant for) the subject's directory entries,
        with all entries of each mailing."""
        people = set(subject.person_ids)
        found = []
        plans = Person.all_objects.filter(pk__in=people).values("masterplan_id")
        for mailing in MeetingMailing.objects.filter(masterplan__in=plans).order_by("pk"):
            entries = [e for name in MAILING_LISTS for e in getattr(mailing, name)]
            if any(e.get("person_id") in people for e in entries):
                found.append((mailing, entries))
        return found

    def reminders(self, subject: DataSubject) -> QuerySet[ReminderLog]:
        """Reminders sent to the subject's accounts or to their addresses."""
        emails = get_user_model().objects.filter(pk__in=subject.user_ids).values("email")
        return ReminderLog.objects.filter(
            Q(user__in=subject.user_ids) | Q(recipient__in=emails.exclude(email=""))
        )

    def erase(self, subject: DataSubject, *, actor: Actor) -> int:
        """Memberships and attendance stay (they now name the anonymous directory entry) but
        their audit entries lose the name; the chair and action-item owner links go; feed
        tokens are deleted; reminder logs lose the address and the account."""
        people = subject.person_ids
        changed = detach(actor=actor, rows=Body.all_objects.filter(chair__in=people), field="chair")
        changed += detach(
            actor=actor,
            rows=ActionItem.all_objects.filter(owner_person__in=people),
            field="owner_person",
        )
        for obj in [
            *BodyMembership.all_objects.filter(person__in=people),
            *Attendance.all_objects.filter(person__in=people),
        ]:
            changed += audit_redact(
                object_type=object_type_of(obj), object_id=str(obj.pk), placeholder=ERASED
            )
        changed += FeedToken.objects.filter(user__in=subject.user_ids).delete()[0]
        for log in self.reminders(subject):
            log.recipient, log.user = f"{ERASED} #{log.pk}", None
            log.save(update_fields=["recipient", "user"])
            changed += 1
        for rsvp in MeetingRsvp.objects.filter(person__in=people):  # the audit names the person
            changed += audit_redact(
                object_type=object_type_of(rsvp), object_id=str(rsvp.pk), placeholder=ERASED
            )
        changed += MeetingRsvp.objects.filter(person__in=people).delete()[0]
        people_set = set(people)
        for mailing, _entries in self.mailings(subject):
            for name in MAILING_LISTS:
                setattr(
                    mailing,
                    name,
                    [
                        {"person_id": None, "name": ERASED}
                        if entry.get("person_id") in people_set
                        else entry
                        for entry in getattr(mailing, name)
                    ],
                )
            mailing.save(update_fields=list(MAILING_LISTS))
            changed += 1
        changed += MeetingMailing.objects.filter(sent_by__in=subject.user_ids).update(sent_by=None)
        return changed
