"""The plans module's part of a person's data (see core/privacy.py): goals they own,
measures they are responsible for, status reports they submitted or reviewed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from masterplan.core.privacy import DataSubject, PersonalData, detach, register_personal_data, row
from masterplan.plans.models import Goal, Measure, StatusReport


@register_personal_data
class PlanPeople(PersonalData):
    key = "plans.people"
    covers = (Goal, Measure, StatusReport)

    def export(self, subject: DataSubject) -> list[dict[str, Any]]:
        people, users = subject.person_ids, subject.user_ids
        reports = StatusReport.all_objects.filter(
            Q(submitted_by__in=users) | Q(reviewed_by__in=users)
        )
        return [
            *(
                row(goal, ("masterplan_id", "statement", "owner_id"))
                for goal in Goal.all_objects.filter(owner__in=people).order_by("pk")
            ),
            *(
                row(measure, ("masterplan_id", "title", "responsible_person_id"))
                for measure in Measure.all_objects.filter(responsible_person__in=people).order_by(
                    "pk"
                )
            ),
            *(
                row(
                    report,
                    (
                        "measure_id",
                        "period_start",
                        "period_end",
                        "submitted_by_id",
                        "submitted_at",
                        "reviewed_by_id",
                        "reviewed_at",
                        "review_comment",
                    ),
                )
                for report in reports.order_by("pk")
            ),
        ]

    def erase(self, subject: DataSubject, *, actor: Any) -> int:
        """The plan keeps its goals, measures and reports; the links to the person go."""
        people, users = subject.person_ids, subject.user_ids
        return (
            detach(actor=actor, rows=Goal.all_objects.filter(owner__in=people), field="owner")
            + detach(
                actor=actor,
                rows=Measure.all_objects.filter(responsible_person__in=people),
                field="responsible_person",
            )
            + detach(
                actor=actor,
                rows=StatusReport.all_objects.filter(submitted_by__in=users),
                field="submitted_by",
            )
            + detach(
                actor=actor,
                rows=StatusReport.all_objects.filter(reviewed_by__in=users),
                field="reviewed_by",
            )
        )
