"""The indicators' part of a person's data (see core/privacy.py): the values a user entered."""

from __future__ import annotations

from typing import Any

from masterplan.core.privacy import DataSubject, PersonalData, detach, register_personal_data, row
from masterplan.indicators.models import Observation


@register_personal_data
class IndicatorEntries(PersonalData):
    key = "indicators.entries"
    covers = (Observation,)

    def export(self, subject: DataSubject) -> list[dict[str, Any]]:
        entered = Observation.all_objects.filter(entered_by__in=subject.user_ids)
        fields = ("masterplan_id", "indicator_id", "period_start", "value", "entered_by_id")
        return [row(observation, fields) for observation in entered.order_by("pk")]

    def erase(self, subject: DataSubject, *, actor: Any) -> int:
        """The values stay (they are the plan's statistics); who entered them goes."""
        entered = Observation.all_objects.filter(entered_by__in=subject.user_ids)
        return detach(actor=actor, rows=entered, field="entered_by")
