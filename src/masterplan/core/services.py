"""Write helpers every module's services build on: validation, optimistic locking, audit.

A module's service function checks permissions and domain rules and then calls one of
`create_tracked`, `update_tracked` or `delete_tracked`, which validate the model, bump the
version, and record the audit entry inside the same transaction.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masterplan.core.actors import Actor
from masterplan.core.audit import audit_record, jsonable
from masterplan.core.models import TrackedModel

M = TypeVar("M", bound=TrackedModel)


class StaleVersionError(Exception):
    """The object was changed by someone else since the form or API client read it."""

    def __init__(self, current: TrackedModel, submitted: int | None) -> None:
        self.current = current
        self.submitted = submitted
        super().__init__(
            _(
                "This record was changed by someone else in the meantime (your version %(mine)s, "
                "current version %(theirs)s). Nothing was saved. Their changes to fields you did "
                "not touch have been taken over; where you both changed a field, your input is "
                "kept: compare it with their value and save again."
            )
            % {"mine": submitted, "theirs": current.version}
        )


def lock_for_update(obj: M) -> M:
    """The current row, locked until the end of the transaction."""
    return type(obj).all_objects.select_for_update().get(pk=obj.pk)


def ensure_version(current: TrackedModel, version: int | None) -> None:
    if version is None or int(version) != current.version:
        raise StaleVersionError(current, version)


def apply_changes(obj: models.Model, changes: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields and return {field: [old, new]} for those that really changed."""
    diff: dict[str, list[Any]] = {}
    for name, new in changes.items():
        field = obj._meta.get_field(name)
        attname = name
        if isinstance(field, models.ForeignKey):
            attname = field.attname
            if isinstance(new, models.Model):
                new = new.pk
        old = getattr(obj, attname)
        if jsonable(old) != jsonable(new):
            diff[name] = [jsonable(old), jsonable(new)]
            setattr(obj, attname, new)
    return diff


def initial_values(obj: models.Model, names: list[str]) -> dict[str, list[Any]]:
    values = {}
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname if isinstance(field, models.ForeignKey) else name)
        if value not in (None, ""):
            values[name] = [None, jsonable(value)]
    return values


@transaction.atomic
def create_tracked(*, actor: Actor | None, model: type[M], action: str, **fields: Any) -> M:
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=action, obj=obj, changes=initial_values(obj, list(fields)))
    return obj


@transaction.atomic
def update_tracked(
    *, actor: Actor | None, obj: M, version: int | None, action: str, changes: dict[str, Any]
) -> M:
    current = lock_for_update(obj)
    ensure_version(current, version)
    diff = apply_changes(current, changes)
    if not diff:
        return current
    current.full_clean()
    current.version += 1
    current.modified_at = timezone.now()
    current.save()
    audit_record(actor=actor, action=action, obj=current, changes=diff)
    return current


@transaction.atomic
def delete_tracked(*, actor: Actor | None, obj: M, version: int | None, action: str) -> M:
    """Soft deletion: the row stays for the audit trail and for tombstones in feeds."""
    current = lock_for_update(obj)
    ensure_version(current, version)
    current.deleted_at = timezone.now()
    current.modified_at = current.deleted_at
    current.version += 1
    current.save(update_fields=["deleted_at", "modified_at", "version"])
    audit_record(actor=actor, action=action, obj=current, changes={})
    return current
