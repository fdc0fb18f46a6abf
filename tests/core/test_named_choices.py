"""`limit(..., label=...)`: choices read as (id, name) rows give the same form as records."""

from __future__ import annotations

from typing import Any

from django import forms

from masterplan.core.forms import limit
from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.directory.queries import organization_choices
from tests.factories import OrganizationFactory


class LeadForm(forms.Form):
    lead = forms.ModelChoiceField(queryset=Organization.objects.none())


def lead_form(plan: Masterplan, data: dict[str, Any] | None, **named: Any) -> LeadForm:
    form = LeadForm(data=data)
    limit(form, "lead", organization_choices(masterplan=plan), **named)
    return form


def test_the_select_and_the_check_are_those_of_the_records(
    plan: Masterplan, other_plan: Masterplan
) -> None:
    chosen = OrganizationFactory(masterplan=plan, name='Weber & Schulze "PartG"')
    OrganizationFactory(masterplan=plan, name="Stadt Duisburg")
    elsewhere = OrganizationFactory(masterplan=other_plan, name="Stadt Düsseldorf")
    data = {"lead": str(chosen.pk)}

    assert str(lead_form(plan, data, label="name")["lead"]) == str(lead_form(plan, data)["lead"])
    assert "Stadt Düsseldorf" not in str(lead_form(plan, None, label="name")["lead"])
    valid = lead_form(plan, data, label="name")
    assert valid.is_valid() and valid.cleaned_data["lead"] == chosen
    assert not lead_form(plan, {"lead": str(elsewhere.pk)}, label="name").is_valid()
