"""Forms of the plan pages: edits carry the version (optimistic locking); filters never fail."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masterplan.core.forms import VersionedModelForm, limit, model_formfield
from masterplan.core.models import Masterplan
from masterplan.core.widgets import DateInput
from masterplan.directory.queries import organization_choices, person_choices
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    KeyResult,
    Measure,
    MeasureStatus,
    Milestone,
    StatusReport,
    operational_unit_model,
)


class FieldOfActionForm(VersionedModelForm[FieldOfAction]):
    class Meta:
        model = FieldOfAction
        formfield_callback = model_formfield
        fields = (
            "name",
            "description",
            "lead_organization",
            "position",
            "weight",
            "external_id",
            "publication",
        )

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "lead_organization", organization_choices(masterplan=masterplan))


class GoalForm(VersionedModelForm[Goal]):
    class Meta:
        model = Goal
        fields = (
            "field",
            "statement",
            "description",
            "owner",
            "responsible_organization",
            "due_date",
            "priority",
            "is_focus",
            "position",
            "weight",
            "external_id",
            "publication",
        )
        widgets = {"due_date": DateInput()}

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "field", FieldOfAction.objects.filter(masterplan=masterplan))
        limit(self, "owner", person_choices(masterplan=masterplan))
        limit(self, "responsible_organization", organization_choices(masterplan=masterplan))


KEY_RESULT_FIELDS = (
    "name",
    "unit",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "current_value",
    "current_as_of",
    "weight",
    "external_id",
    "publication",
)
DATE_WIDGETS = {
    "baseline_date": DateInput(),
    "target_date": DateInput(),
    "current_as_of": DateInput(),
}


class KeyResultForm(VersionedModelForm[KeyResult]):
    """A new key result; its first value, if given, starts the recorded history."""

    class Meta:
        model = KeyResult
        fields = KEY_RESULT_FIELDS
        widgets = DATE_WIDGETS


class KeyResultEditForm(VersionedModelForm[KeyResult]):
    """Master data only: a new value is entered with KeyResultValueForm, so it is recorded."""

    class Meta:
        model = KeyResult
        fields = tuple(f for f in KEY_RESULT_FIELDS if f not in ("current_value", "current_as_of"))
        widgets = DATE_WIDGETS


class KeyResultValueForm(VersionedModelForm[KeyResult]):
    class Meta:
        model = KeyResult
        fields = ("current_value", "current_as_of")
        widgets = DATE_WIDGETS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["current_value"].required = True
        self.fields["current_as_of"].required = True
        if not self.is_bound:
            self.initial["current_as_of"] = timezone.localdate()


class MeasureForm(VersionedModelForm[Measure]):
    class Meta:
        model = Measure
        formfield_callback = model_formfield
        fields = (
            "goal",
            "title",
            "description",
            "lead_organization",
            "responsible_person",
            "operational_body",
            "status",
            "progress",
            "health",
            "health_reason",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "weight",
            "depends_on",
            "external_id",
            "publication",
        )
        widgets = {
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "actual_start": DateInput(),
            "actual_end": DateInput(),
            "health_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self,
        *args: Any,
        masterplan: Masterplan,
        own_organization_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        leads = organization_choices(masterplan=masterplan)
        if own_organization_id is not None:
            # Contributors lead measures for their own organisation only.
            leads = leads.filter(pk=own_organization_id)
            self.fields["lead_organization"].initial = own_organization_id
        limit(self, "lead_organization", leads)
        limit(self, "goal", Goal.objects.filter(masterplan=masterplan).only("id", "statement"))
        limit(self, "responsible_person", person_choices(masterplan=masterplan))
        limit(
            self,
            "operational_body",
            operational_unit_model().objects.filter(masterplan=masterplan).only("id", "name"),
        )
        limit(self, "status", MeasureStatus.objects.filter(masterplan=masterplan))
        others = Measure.objects.filter(masterplan=masterplan).only("id", "title")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        limit(self, "depends_on", others)
        self.fields["depends_on"].help_text = _(
            "Measures that must make progress first. Hold Ctrl (or ⌘) to choose several."
        )

    def changes(self) -> dict[str, Any]:
        """The plain fields; dependencies are passed separately (see `dependencies`)."""
        fields = super().changes()
        fields.pop("depends_on", None)
        return fields

    def dependencies(self) -> list[Measure]:
        return list(self.cleaned_data.get("depends_on") or ())


class MilestoneForm(VersionedModelForm[Milestone]):
    class Meta:
        model = Milestone
        formfield_callback = model_formfield
        fields = ("title", "due", "achieved_on", "evidence_url", "external_id", "publication")
        widgets = {"due": DateInput(), "achieved_on": DateInput()}


class MilestoneAchieveForm(VersionedModelForm[Milestone]):
    class Meta:
        model = Milestone
        formfield_callback = model_formfield
        fields = ("achieved_on", "evidence_url")
        widgets = {"achieved_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["achieved_on"].required = True
        if not self.is_bound and not self.initial.get("achieved_on"):
            self.initial["achieved_on"] = timezone.localdate()


class StatusReportForm(VersionedModelForm[StatusReport]):
    class Meta:
        model = StatusReport
        fields = (
            "period_start",
            "period_end",
            "health",
            "progress",
            "narrative",
            "risks",
            "next_steps",
            "publication",
        )
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "risks": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self,
        *args: Any,
        measure: Measure | None = None,
        last_report_end: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risks"].help_text = _(
            "Required when the health is amber or red: it becomes the measure's reason for its "
            "health."
        )
        if measure is not None and not self.is_bound:
            self.initial.setdefault("health", measure.health)
            self.initial.setdefault("progress", measure.effective_progress)
            self.initial.setdefault("period_end", timezone.localdate())
            if last_report_end is not None:
                # A report usually covers the time since the last one.
                self.initial.setdefault("period_start", last_report_end + timedelta(days=1))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class StatusReturnForm(VersionedModelForm[StatusReport]):
    class Meta:
        model = StatusReport
        fields = ("questions",)
        widgets = {"questions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].required = True


class StatusReviewForm(VersionedModelForm[StatusReport]):
    class Meta:
        model = StatusReport
        fields = ("review_comment",)
        widgets = {"review_comment": forms.Textarea(attrs={"rows": 3})}
