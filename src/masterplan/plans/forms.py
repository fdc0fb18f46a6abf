"""Forms of the plan pages: edits carry the version (optimistic locking); filters never fail."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masterplan.core.forms import VersionedModelForm, limit, model_formfield, style_widgets
from masterplan.core.models import Masterplan
from masterplan.core.widgets import DateInput
from masterplan.directory.models import Organization
from masterplan.directory.queries import organization_choices, person_choices
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    Health,
    KeyResult,
    Measure,
    MeasureStatus,
    Milestone,
    StatusReport,
    operational_unit_model,
)
from masterplan.plans.queries import MeasureFilter


class FieldOfActionForm(VersionedModelForm):
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


class GoalForm(VersionedModelForm):
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


class KeyResultForm(VersionedModelForm):
    """A new key result; its first value, if given, starts the recorded history."""

    class Meta:
        model = KeyResult
        fields = KEY_RESULT_FIELDS
        widgets = DATE_WIDGETS


class KeyResultEditForm(VersionedModelForm):
    """Master data only: a new value is entered with KeyResultValueForm, so it is recorded."""

    class Meta:
        model = KeyResult
        fields = tuple(f for f in KEY_RESULT_FIELDS if f not in ("current_value", "current_as_of"))
        widgets = DATE_WIDGETS


class KeyResultValueForm(VersionedModelForm):
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


class MeasureForm(VersionedModelForm):
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


class MilestoneForm(VersionedModelForm):
    class Meta:
        model = Milestone
        formfield_callback = model_formfield
        fields = ("title", "due", "achieved_on", "evidence_url", "external_id", "publication")
        widgets = {"due": DateInput(), "achieved_on": DateInput()}


class MilestoneAchieveForm(VersionedModelForm):
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


class StatusReportForm(VersionedModelForm):
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
            "Required in practice when the health is not green: it becomes the measure's "
            "reason for its health."
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


class StatusReviewForm(VersionedModelForm):
    class Meta:
        model = StatusReport
        fields = ("review_comment",)
        widgets = {"review_comment": forms.Textarea(attrs={"rows": 3})}


class FilterForm(forms.Form):
    """Filters of the plan pages: invalid input falls back to no filter, never to an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def values(self) -> dict[str, Any]:
        if self.is_valid():
            return dict(self.cleaned_data)
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


def id_choices(rows: Any, empty: Any) -> list[tuple[str, Any]]:
    return [("", empty), *((str(pk), label) for pk, label in rows)]


class MeasureFilterForm(FilterForm):
    organization = forms.TypedChoiceField(
        label=_("Lead organisation"), required=False, coerce=int, empty_value=None
    )
    owner = forms.TypedChoiceField(
        label=_("Responsible person"), required=False, coerce=int, empty_value=None
    )
    status = forms.TypedChoiceField(label=_("Status"), required=False, coerce=int, empty_value=None)
    health = forms.ChoiceField(
        label=_("Health (RAG)"), required=False, choices=[("", _("All")), *Health.choices]
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the organisations and people that lead a measure: a city's directory holds
        # thousands, and a select listing all of them made the overview slow to render.
        measures = Measure.objects.filter(masterplan=masterplan)
        self.fields["organization"].choices = id_choices(  # type: ignore[attr-defined]
            Organization.objects.filter(
                masterplan=masterplan, pk__in=measures.values("lead_organization_id")
            )
            .order_by("name")
            .values_list("id", "name"),
            _("All organisations"),
        )
        owners = person_choices(masterplan=masterplan).filter(
            pk__in=measures.values("responsible_person_id")
        )
        self.fields["owner"].choices = id_choices(  # type: ignore[attr-defined]
            ((p.pk, p.full_name) for p in owners.order_by("family_name", "given_name", "id")),
            _("All people"),
        )
        self.fields["status"].choices = id_choices(  # type: ignore[attr-defined]
            MeasureStatus.objects.filter(masterplan=masterplan).values_list("id", "name"),
            _("All statuses"),
        )

    def measure_filter(self) -> MeasureFilter:
        values = self.values()
        return MeasureFilter(
            organization=values.get("organization"),
            owner=values.get("owner"),
            status=values.get("status"),
            health=values.get("health") or "",
            overdue=bool(values.get("overdue")),
        )

    def is_filtered(self) -> bool:
        return self.measure_filter() != MeasureFilter()


class BoardFilterForm(FilterForm):
    unit = forms.TypedChoiceField(
        label=_("Working group"), required=False, coerce=int, empty_value=None
    )
    organization = forms.TypedChoiceField(
        label=_("Lead organisation"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, *args: Any, masterplan: Masterplan, units: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = id_choices(units, _("All working groups"))  # type: ignore[attr-defined]
        self.fields["organization"].choices = id_choices(  # type: ignore[attr-defined]
            Organization.objects.filter(masterplan=masterplan).values_list("id", "name"),
            _("All organisations"),
        )
