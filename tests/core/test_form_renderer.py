"""The fast <select> writes exactly what Django's templates write."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from masterplan.core.form_renderer import Renderer


class OrganisationChoice(forms.Form):
    organization = forms.ChoiceField(
        choices=[
            ("", "---------"),
            (1, "Stadt Düsseldorf"),
            (2, 'Weber & Schulze Rechtsanwälte "PartG mbB"'),
            ("Mitglieder", [(3, "Hoffmann Metallbau GmbH"), (4, "<Rathaus-Apotheke e. K.>")]),
        ],
        required=False,
    )
    kinds = forms.MultipleChoiceField(
        choices=[("company", "Unternehmen"), ("association", "Verband")], required=False
    )
    public = forms.NullBooleanField(required=False)


def choice_form(renderer: DjangoTemplates) -> OrganisationChoice:
    form = OrganisationChoice(
        data={"organization": "4", "kinds": ["company", "association"], "public": "true"},
        renderer=renderer,
    )
    form.fields["organization"].widget.attrs.update(
        {"class": "kern-form-input__select", "aria-describedby": "id-hint", "disabled": False}
    )
    form.fields["kinds"].widget.attrs["autofocus"] = True
    return form


def test_the_select_is_written_as_django_writes_it() -> None:
    form, djangos = choice_form(Renderer()), choice_form(DjangoTemplates())

    for name in ("organization", "kinds", "public"):
        assert str(form[name]) == str(djangos[name])
    assert "&lt;Rathaus-Apotheke e. K.&gt;</option>" in str(form["organization"])
    assert '<option value="4" selected>' in str(form["organization"])
