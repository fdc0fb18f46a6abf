"""Form pieces shared by every module: the version field and the KERN widget classes.

The list filter form is made by a list's filter spec (core/filters.py).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms.models import model_to_dict
from django.http import QueryDict

from masterplan.core.audit import jsonable
from masterplan.core.models import TrackedModel

T = TypeVar("T", bound=TrackedModel)


def display_value(instance: Model, name: str) -> Any:
    """A model field's value as a person reads it (choice labels, related names)."""
    display = getattr(instance, f"get_{name}_display", None)
    if display is not None:
        return display()
    value = getattr(instance, name)
    if hasattr(value, "all"):
        return ", ".join(str(v) for v in value.all())
    return value


def put(data: QueryDict, key: str, value: Any) -> None:
    """Write a JSON-like value into form data the way a browser would submit it."""
    if isinstance(value, list):
        data.setlist(key, [str(v) for v in value])
    elif isinstance(value, bool):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif value is None:
        data[key] = ""
    else:
        data[key] = str(value)


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


def limit(
    form: forms.BaseForm, name: str, queryset: QuerySet[Any], *, label: str | None = None
) -> None:
    """Offer only `queryset` in a choice field (e.g. the rows of the form's masterplan).

    `label`: the column that is the records' name (what `str()` of one gives), so that the
    choices are read as (id, name) rows instead of as model instances: a field that offers the
    2,000 organisations of a city plan spent most of its time making them.
    """
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a choice of records")
    if label is not None:  # before the queryset, which hands the widget its choices
        field.iterator = functools.partial(NamedChoiceIterator, label=label)  # type: ignore[assignment]
    field.queryset = queryset


class NamedChoiceIterator(forms.models.ModelChoiceIterator):  # type: ignore[type-arg]
    """The choices of a ModelChoiceField as (id, name) rows; see `limit`."""

    def __init__(self, field: forms.ModelChoiceField[Any], *, label: str) -> None:
        super().__init__(field)
        self.label = label

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name in self.queryset.values_list("pk", self.label):
            yield (forms.models.ModelChoiceIteratorValue(pk, None), name)  # type: ignore[arg-type]


def model_formfield(field: Any, **kwargs: Any) -> Any:
    """Form fields for model fields: web addresses without a scheme mean https."""
    from django.db import models

    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


@dataclass(frozen=True)
class MergedField:
    """A field after a conflict: changed on both sides (a real conflict) or taken over."""

    label: str
    yours: Any
    theirs: Any
    conflicting: bool


class VersionedModelForm(forms.ModelForm[T]):
    """A model form that carries the version it was read at, for optimistic locking.

    It also carries the values it was read with (`original`), so that after a conflict the
    form can merge three ways: fields only the other person changed take their value, fields
    only you changed keep yours, and fields both changed are shown side by side.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    original = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["original"] = json.dumps(self.field_values(self.instance))

    def field_values(self, instance: Model) -> dict[str, Any]:
        values = model_to_dict(instance, fields=list(self._meta.fields or ()))
        return {name: jsonable(value) for name, value in values.items()}

    def user_changed(self, name: str, original: Any) -> bool:
        field = self.fields[name]
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        if isinstance(field, forms.ModelChoiceField):
            return field.has_changed(original, raw)
        try:
            return field.has_changed(field.to_python(original), raw)
        except ValidationError:
            return True

    def merge_after_conflict(self, current: Model) -> list[MergedField]:
        """Three-way merge of the submitted data with the values saved in the meantime."""
        try:
            original = json.loads(self.data.get("original") or "null")
        except ValueError:
            original = None
        theirs = self.field_values(current)
        data = QueryDict(mutable=True)
        data.update(self.data)
        merged = []
        for name in self._meta.fields or ():
            if name not in self.fields:
                continue
            if isinstance(original, dict):
                base = original.get(name)
                theirs_changed = theirs[name] != base
            else:  # a client that sent no original values: compare with the input only
                base = None
                theirs_changed = theirs[name] != jsonable(self.cleaned_data.get(name))
            if not theirs_changed:
                continue
            label = str(self.fields[name].label)
            shown = display_value(current, name)
            if isinstance(original, dict) and not self.user_changed(name, base):
                put(data, self.add_prefix(name), theirs[name])
                merged.append(MergedField(label, None, shown, conflicting=False))
            else:
                yours = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
                merged.append(MergedField(label, yours, shown, conflicting=True))
        data["original"] = json.dumps(theirs)
        data["version"] = str(getattr(current, "version", ""))
        self.data = data
        return merged

    def changes(self) -> dict[str, Any]:
        """The model fields of the form, as keyword arguments for a service."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            style_widgets(self, with_errors=True)
