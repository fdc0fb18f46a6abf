"""Form pieces shared by every module: the version field and the list filter base."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masterplan.core.lists import PER_PAGE_CHOICES


def style_widgets(form: forms.BaseForm, *, with_errors: bool = False) -> None:
    """KERN UX classes and ARIA links from each input to its hint and error texts."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "kern-form-check__checkbox"
        elif isinstance(widget, forms.Select):
            css = "kern-form-input__select"
        else:
            css = "kern-form-input__input"
        described = [f"{form.add_prefix(name)}-hint"] if field.help_text else []
        if with_errors and name in form.errors:
            css += " kern-form-input__input--error"
            widget.attrs["aria-invalid"] = "true"
            described.append(f"{form.add_prefix(name)}-error")
        widget.attrs["class"] = css
        if described:
            widget.attrs["aria-describedby"] = " ".join(described)


def model_formfield(field: Any, **kwargs: Any) -> Any:
    """Form fields for model fields: web addresses without a scheme mean https."""
    from django.db import models

    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the version it was read at, for optimistic locking."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict[str, Any]:
        """The model fields of the form, as keyword arguments for a service."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}

    def take_version(self, version: int) -> None:
        """After a conflict: keep the user's input but accept the current version on resubmit."""
        data = self.data.copy()  # type: ignore[attr-defined]
        data["version"] = str(version)
        self.data = data

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            style_widgets(self, with_errors=True)


class ListFilterForm(forms.Form):
    """Search, sort and page size; modules add their own filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sort = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    per_page = forms.TypedChoiceField(
        label=_("Rows per page"),
        choices=[(n, n) for n in PER_PAGE_CHOICES],
        coerce=int,
        required=False,
        empty_value=str(PER_PAGE_CHOICES[0]),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def values(self) -> dict[str, Any]:
        """Cleaned filter values; invalid input falls back to no filter, never to an error."""
        if not self.is_valid():
            return {name: f.initial for name, f in self.fields.items() if name in self.cleaned_data}
        return dict(self.cleaned_data)
