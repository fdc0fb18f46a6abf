"""The audit trail as people read it, in the interface language.

The trail stores what a write did in machine terms: `plans.measure.updated`, field names,
ids, ISO dates, choice keys and `true`. Pages, the history of a record and the trail's export
show instead "Maßnahme geändert", the field's label, the referenced record's name, a German
date, the choice's label and "ja". `describe(entries)` does that for any model, with one query
per kind of referenced record however many entries there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from masterplan.core.audit import REDACTED
from masterplan.core.models import AuditEntry

# What a write did, by the last part of its action ("plans.measure.updated" → updated).
VERBS = {
    "created": pgettext_lazy("audit", "created"),
    "updated": pgettext_lazy("audit", "changed"),
    "deleted": pgettext_lazy("audit", "deleted"),
    "imported": pgettext_lazy("audit", "imported"),
    "import_updated": pgettext_lazy("audit", "changed by an import"),
    "recorded": pgettext_lazy("audit", "recorded"),
    "submitted": pgettext_lazy("audit", "submitted"),
    "reviewed": pgettext_lazy("audit", "reviewed"),
    "revoked": pgettext_lazy("audit", "revoked"),
    "granted": pgettext_lazy("audit", "granted"),
    "moved": pgettext_lazy("audit", "moved"),
    "dependencies_changed": pgettext_lazy("audit", "dependencies changed"),
    "updated_from_indicator": pgettext_lazy("audit", "updated from its indicator"),
    "released": pgettext_lazy("audit", "released"),
    "invited": pgettext_lazy("audit", "invitation sent"),
    "invitation_resent": pgettext_lazy("audit", "invitation sent again"),
    "sso_created": pgettext_lazy("audit", "created at single sign-on"),
    "held": pgettext_lazy("audit", "held"),
    "cancelled": pgettext_lazy("audit", "cancelled"),
    "approved": pgettext_lazy("audit", "approved"),
    "reopened": pgettext_lazy("audit", "reopened"),
    "minutes_corrected": pgettext_lazy("audit", "minutes reopened for correction"),
}
REDACTED_TEXT = gettext_lazy("(removed for data protection)")


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class DescribedEntry:
    entry: AuditEntry
    action: str  # "Maßnahme geändert"
    kind: str  # "Maßnahme"
    changes: list[Change]


def model_of(object_type: str) -> type[models.Model] | None:
    """The model an object type ("plans.measure") names, if it still exists."""
    app_label, _sep, model_name = object_type.partition(".")
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        if model_name == "masterplan":  # kept under its former app's name in old entries
            return apps.get_model("core", "masterplan")
        return None


def kind_of(object_type: str) -> str:
    model = model_of(object_type)
    return str(model._meta.verbose_name) if model else object_type


def action_label(entry: AuditEntry) -> str:
    """ "Maßnahme geändert": the kind of record and what happened to it."""
    verb_key = entry.action.rsplit(".", 1)[-1]
    verb = VERBS.get(verb_key, verb_key.replace("_", " "))
    kind = kind_of(entry.object_type)
    return _("%(kind)s %(verb)s") % {"kind": kind[:1].upper() + kind[1:], "verb": verb}


def field_of(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def pairs(changes: dict[str, Any]) -> Iterable[tuple[str, Any, Any]]:
    """(field, old, new) of an entry: updates store [old, new], creations [None, value]."""
    for name, pair in changes.items():
        if isinstance(pair, list) and len(pair) == 2:
            yield name, pair[0], pair[1]
        else:
            yield name, None, pair


def ids_in(value: Any) -> list[int]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, int)]
    return [value] if isinstance(value, int) and not isinstance(value, bool) else []


def describe(entries: Iterable[AuditEntry]) -> list[DescribedEntry]:
    """The entries with action, field labels and values as the interface shows them."""
    entries = list(entries)
    wanted: dict[type[models.Model], set[int]] = {}
    for entry in entries:
        model = model_of(entry.object_type)
        for name, old, new in pairs(entry.changes):
            field = field_of(model, name)
            if field is not None and field.is_relation and field.related_model is not None:
                for value in (old, new):
                    wanted.setdefault(field.related_model, set()).update(ids_in(value))
    names: dict[type[models.Model], dict[int, str]] = {}
    for related, ids in wanted.items():
        manager = getattr(related, "all_objects", related._default_manager)
        names[related] = {pk: str(obj) for pk, obj in manager.in_bulk(list(ids)).items()}
    described = []
    for entry in entries:
        model = model_of(entry.object_type)
        changes = []
        for name, old, new in pairs(entry.changes):
            field = field_of(model, name)
            label = str(field.verbose_name) if field is not None else name
            changes.append(Change(label, shown(field, old, names), shown(field, new, names)))
        kind = kind_of(entry.object_type)
        described.append(DescribedEntry(entry, action_label(entry), kind, changes))
    return described


def shown(field: Any, value: Any, names: dict[type[models.Model], dict[int, str]]) -> str | None:
    """A stored value as the interface shows it; None for "no value"."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, dict) and REDACTED in value:
        return str(REDACTED_TEXT)
    if field is None:
        return str(value)
    if field.is_relation and field.related_model is not None:
        known = names.get(field.related_model, {})
        return ", ".join(known.get(pk, f"#{pk}") for pk in ids_in(value)) or str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = timezone.localtime(datetime.fromisoformat(value))
        except ValueError:
            return value
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    if isinstance(field, (models.DecimalField, models.FloatField)):
        try:
            return formats.number_format(Decimal(str(value)), use_l10n=True)
        except (InvalidOperation, ValueError):
            return str(value)
    if isinstance(field, models.IntegerField) and isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)
