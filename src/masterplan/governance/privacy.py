"""The governance module's part of a person's data (see core/privacy.py): bodies they chair,
their memberships and attendance, action items they own, their calendar feed tokens and
the reminders sent to them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from masterplan.core.audit import audit_redact, object_type_of
from masterplan.core.privacy import (
    ERASED,
    DataSubject,
    PersonalData,
    detach,
    register_personal_data,
    row,
)
from masterplan.governance.models import (
    ActionItem,
    Attendance,
    Body,
    BodyMembership,
    FeedToken,
    ReminderLog,
)


@register_personal_data
class GovernancePeople(PersonalData):
    key = "governance.people"
    covers = (Body, BodyMembership, Attendance, ActionItem, FeedToken, ReminderLog)

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
        ]

    def reminders(self, subject: DataSubject) -> QuerySet[ReminderLog]:
        """Reminders sent to the subject's accounts or to their addresses."""
        emails = get_user_model().objects.filter(pk__in=subject.user_ids).values("email")
        return ReminderLog.objects.filter(
            Q(user__in=subject.user_ids) | Q(recipient__in=emails.exclude(email=""))
        )

    def erase(self, subject: DataSubject, *, actor: Any) -> int:
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
        return changed
