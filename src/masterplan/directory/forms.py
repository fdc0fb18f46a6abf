from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masterplan.core.forms import VersionedModelForm, model_formfield
from masterplan.core.models import Masterplan
from masterplan.directory.models import Affiliation, Organization, Person


class OrganizationForm(VersionedModelForm):
    class Meta:
        model = Organization
        formfield_callback = model_formfield
        fields = (
            "name",
            "legal_name",
            "kind",
            "sector_wz",
            "employees",
            "employees_year",
            "street",
            "postcode",
            "city",
            "ags",
            "website",
            "parent",
            "description",
            "external_id",
            "publication",
        )

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Organization.objects.filter(masterplan=masterplan).only("id", "name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class PersonForm(VersionedModelForm):
    class Meta:
        model = Person
        fields = (
            "title",
            "given_name",
            "family_name",
            "function",
            "email",
            "phone",
            "consent_to_publish",
            "consent_text_version",
            "external_id",
            "publication",
        )


class AffiliationForm(VersionedModelForm):
    class Meta:
        model = Affiliation
        fields = ("organization", "role", "start", "end")
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            masterplan=masterplan
        ).only("id", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date lies before the start date."))
        return data
