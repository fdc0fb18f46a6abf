"""Forms of the indicator pages: edits carry the version (optimistic locking)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masterplan.core.figure_sources import source_choices
from masterplan.core.forms import VersionedModelForm, limit, model_formfield, style_widgets
from masterplan.core.models import Masterplan
from masterplan.core.widgets import DateInput
from masterplan.directory.queries import organization_choices
from masterplan.indicators.figures import period_label
from masterplan.indicators.models import Indicator, Observation, Target
from masterplan.plans.models import Goal, KeyResult


class IndicatorForm(VersionedModelForm[Indicator]):
    class Meta:
        model = Indicator
        formfield_callback = model_formfield
        fields = (
            "code",
            "name",
            "unit",
            "direction",
            "granularity",
            "aggregation",
            "weight_indicator",
            "method",
            "source",
            "follows",
            "responsible_organization",
            "external_id",
            "publication",
        )
        widgets = {"method": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Indicator.objects.filter(masterplan=masterplan).only("id", "code", "name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        limit(self, "weight_indicator", others)
        limit(self, "responsible_organization", organization_choices(masterplan=masterplan))
        self.fields["follows"] = forms.ChoiceField(
            label=_("Computed from"),
            choices=[("", _("Entered values")), *source_choices()],
            required=False,
            help_text=Indicator._meta.get_field("follows").help_text,
        )
        style_widgets(self)


PERIOD_HELP = _("A year (2024), a quarter (2024-Q3), a month (2024-05) or a date in the period.")


class ObservationForm(VersionedModelForm[Observation]):
    """One value. `period` is text, read by the service ("2024", "2024-Q3", "15.05.2024")."""

    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), label=_("Indicator"))
    period = forms.CharField(label=_("Period"), max_length=20, help_text=PERIOD_HELP)

    class Meta:
        model = Observation
        fields = (
            "value",
            "scope",
            "organization",
            "region_code",
            "region_name",
            "status",
            "source",
        )

    field_order = ("indicator", "period", *Meta.fields)

    def __init__(
        self, *args: Any, masterplan: Masterplan, indicator: Indicator | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "organization", organization_choices(masterplan=masterplan), label="name")
        if self.instance.pk:
            del self.fields["indicator"]
            if not self.is_bound:
                self.initial["period"] = period_label(
                    self.instance.granularity, self.instance.period_start
                )
        else:
            limit(
                self,
                "indicator",
                Indicator.objects.filter(masterplan=masterplan).only("id", "code", "name"),
            )
            if indicator is not None:
                self.initial["indicator"] = indicator.pk
        self.order_fields(self.field_order)


class TargetForm(VersionedModelForm[Target]):
    class Meta:
        model = Target
        fields = (
            "value",
            "target_date",
            "baseline_value",
            "baseline_date",
            "goal",
            "key_result",
            "note",
        )
        widgets = {"target_date": DateInput(), "baseline_date": DateInput()}

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "goal", Goal.objects.filter(masterplan=masterplan).only("id", "statement"))
        limit(
            self, "key_result", KeyResult.objects.filter(masterplan=masterplan).only("id", "name")
        )
