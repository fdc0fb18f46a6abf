"""Personal data: what is stored about one natural person, exported and erased on request.

Like pretix's data shredders, every module that stores personal data contributes a handler
from its `<app>/privacy.py` that knows its own rows:

    @register_personal_data
    class MeetingPeople(PersonalData):
        key = "governance.people"
        covers = (BodyMembership, Attendance, …)   # the models whose personal data it handles
        def identify(self, email: str) -> DataSubject: ...   # optional
        def export(self, subject: DataSubject) -> list[dict[str, Any]]: ...
        def erase(self, subject: DataSubject, *, actor: Actor) -> int: ...

`find_subject` collects a person's user accounts and directory entries by e-mail address;
`export_personal_data` asks every handler (GDPR Art. 15 and 20); `erase_personal_data` exports
first and then erases, higher modules before lower ones (their rows point to the lower ones'),
in one transaction (Art. 17). A model with personal fields (see `personal_fields`) that no
handler covers fails tests/core/test_privacy.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from masterplan.core.accounts import api_token_delete, role_revoke
from masterplan.core.actors import Actor
from masterplan.core.audit import (
    audit_record,
    audit_redact,
    audit_redact_actor,
    jsonable,
    object_type_of,
)
from masterplan.core.models import (
    ApiToken,
    AuditEntry,
    ImportJob,
    LoginFailure,
    PlanRole,
    TrackedModel,
)
from masterplan.core.permissions import ensure, is_admin
from masterplan.core.registry import Registry
from masterplan.core.services import update_tracked

ERASED = "[erased]"

# Field names that hold a person's name, address or account name wherever they appear.
PERSONAL_FIELD_NAMES = frozenset(
    {
        "username",
        "first_name",
        "last_name",
        "given_name",
        "family_name",
        "email",
        "phone",
        "actor_label",
        "recipient",
    }
)


def is_about_a_person(model: type[models.Model]) -> bool:
    """A model that describes a person: it has a name, e-mail or phone field."""
    return any(f.name in PERSONAL_FIELD_NAMES for f in model._meta.get_fields())


def personal_fields(model: type[models.Model]) -> list[str]:
    """The fields of `model` that hold personal data: names, e-mail addresses, phone numbers,
    and references to a user account or to another model that describes a person."""
    names = []
    for f in model._meta.get_fields():
        if f.auto_created and not f.concrete:
            continue  # reverse relations: the other model's business
        target = f.related_model if f.is_relation and f.many_to_one else None
        if (
            f.name in PERSONAL_FIELD_NAMES
            or isinstance(f, models.EmailField)
            or (
                isinstance(target, type)
                and target is not model
                and (target is get_user_model() or is_about_a_person(target))
            )
        ):
            names.append(f.name)
    return names


@dataclass(frozen=True)
class DataSubject:
    """One natural person: their user accounts and their entries in the directory (one per
    masterplan they appear in), by primary key."""

    user_ids: frozenset[int] = frozenset()
    person_ids: frozenset[int] = frozenset()

    def __or__(self, other: DataSubject) -> DataSubject:
        return DataSubject(self.user_ids | other.user_ids, self.person_ids | other.person_ids)

    def __bool__(self) -> bool:
        return bool(self.user_ids or self.person_ids)


class PersonalData:
    """A module's part of a person's data; subclasses set `key` and `covers`."""

    key: ClassVar[str]
    covers: ClassVar[tuple[type[models.Model], ...]]

    def identify(self, email: str) -> DataSubject:
        """This module's records of the person with this e-mail address (if it can tell)."""
        return DataSubject()

    def export(self, subject: DataSubject) -> list[dict[str, Any]]:
        raise NotImplementedError

    def erase(self, subject: DataSubject, *, actor: Actor) -> int:
        """Remove or anonymise the subject's data; returns the number of rows changed."""
        raise NotImplementedError


personal_data: Registry[PersonalData] = Registry("privacy")

P = TypeVar("P", bound=type[PersonalData])


def register_personal_data(cls: P) -> P:
    """Class decorator for a handler in an app's privacy.py."""
    personal_data.add(cls(), key=cls.key)
    return cls


def covered_models() -> set[type[models.Model]]:
    return {model for handler in personal_data for model in handler.covers}


def models_with_personal_fields() -> list[type[models.Model]]:
    """Every model of the project's apps, and the user model, that holds personal data."""
    found = [
        model
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("masterplan.") and personal_fields(model)
    ]
    return [get_user_model(), *found]


def find_subject(*, email: str) -> DataSubject:
    """The accounts and directory entries that carry this e-mail address."""
    subject = DataSubject()
    for handler in personal_data:
        subject = subject | handler.identify(email.strip())
    return subject


def export_personal_data(subject: DataSubject) -> dict[str, list[dict[str, Any]]]:
    """Everything stored about the subject, by handler key, as JSON-ready rows."""
    return {handler.key: handler.export(subject) for handler in personal_data}


@transaction.atomic
def erase_personal_data(*, actor: Actor, subject: DataSubject) -> dict[str, int]:
    """Erase the subject's data everywhere (global admins only); rows changed by handler.

    Higher modules go first: their rows refer to the lower modules' people and accounts.
    """
    ensure(is_admin(actor))
    return {
        handler.key: handler.erase(subject, actor=actor)
        for handler in reversed(personal_data.items())
    }


def row(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """One exported record: its type, id and the given fields' values."""
    values = {name: jsonable(getattr(obj, name)) for name in fields}
    return {"type": object_type_of(obj), "id": obj.pk, **values}


T = TypeVar("T", bound=TrackedModel)


def detach(*, actor: Actor, rows: QuerySet[T], field: str) -> int:
    """Clear a reference to the subject on each row, as an audited, versioned update (the
    earlier entries hold only the referenced id, which is no longer personal afterwards)."""
    for obj in rows:
        update_tracked(
            actor=actor,
            obj=obj,
            version=obj.version,
            action=f"{object_type_of(obj)}.updated",
            changes={field: None},
        )
    return len(rows)


def erase_tracked(*, actor: Actor, obj: T, values: dict[str, Any]) -> T:
    """Overwrite personal fields of a tracked row, bump its version, remove the personal data
    from its earlier audit entries (the chain still verifies) and record the erasure without
    the erased values."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj.version += 1
    obj.modified_at = timezone.now()
    obj.save()
    audit_redact(object_type=object_type_of(obj), object_id=str(obj.pk), placeholder=ERASED)
    audit_record(
        actor=actor,
        action=f"{object_type_of(obj)}.erased",
        obj=obj,
        changes={name: ERASED for name in values},
    )
    return obj


@register_personal_data
class Accounts(PersonalData):
    """User accounts and what core keeps about them: roles, API tokens, failed logins, the
    import jobs they started, and their name in the audit trail."""

    key = "core.accounts"
    covers = (get_user_model(), PlanRole, ApiToken, LoginFailure, AuditEntry, ImportJob)

    def identify(self, email: str) -> DataSubject:
        users = get_user_model().objects.filter(email__iexact=email) if email else []
        return DataSubject(user_ids=frozenset(user.pk for user in users))

    def export(self, subject: DataSubject) -> list[dict[str, Any]]:
        users = get_user_model().objects.filter(pk__in=subject.user_ids).order_by("pk")
        names = [user.get_username() for user in users]
        account_fields = ("username", "first_name", "last_name", "email", "date_joined")
        return [
            *(row(user, (*account_fields, "last_login")) for user in users),
            *(
                row(role, ("masterplan_id", "role", "organization_id"))
                for role in PlanRole.objects.filter(user__in=users).order_by("pk")
            ),
            *(
                row(token, ("name", "prefix", "created_at", "last_used_at", "revoked_at"))
                for token in ApiToken.objects.filter(user__in=users).order_by("pk")
            ),
            *(
                row(failure, ("username", "address", "created_at"))
                for failure in LoginFailure.objects.filter(username__in=names).order_by("pk")
            ),
            *(
                row(job, ("masterplan_id", "importer", "filename", "state", "created_at"))
                for job in ImportJob.objects.filter(actor__in=users).order_by("pk")
            ),
            *(
                row(entry, ("created_at", "action", "object_type", "object_id", "actor_label"))
                for entry in AuditEntry.objects.filter(actor__in=users).order_by("pk")
            ),
        ]

    def erase(self, subject: DataSubject, *, actor: Actor) -> int:
        """Anonymise and deactivate the accounts (the rows stay: records point to them),
        drop their roles, tokens, failed logins and finished import jobs (whose files may
        hold personal data), and take their names out of the audit trail."""
        changed = 0
        for user in get_user_model().objects.filter(pk__in=subject.user_ids):
            changed += LoginFailure.objects.filter(username=user.get_username()).delete()[0]
            # Roles and tokens go as the access page and the admin remove them: each with
            # its own audit entry (security-relevant writes are always recorded).
            # The entries about them name the account: their labels are redacted afterwards.
            for role in PlanRole.objects.filter(user=user):
                role_revoke(actor=actor, role=role)
                audit_redact(
                    object_type=object_type_of(role), object_id=str(role.pk), placeholder=ERASED
                )
                changed += 1
            for token in ApiToken.objects.filter(user=user):
                api_token_delete(actor=actor, token=token)
                audit_redact(
                    object_type=object_type_of(token), object_id=str(token.pk), placeholder=ERASED
                )
                changed += 1
            changed += (
                ImportJob.objects.filter(actor=user)
                .exclude(state=ImportJob.State.RUNNING)
                .delete()[0]
            )
            changed += audit_redact_actor(actor_id=user.pk, placeholder=ERASED)
            user.username = f"erased-{user.pk}"
            user.first_name = user.last_name = user.email = ""
            user.is_active = user.is_staff = user.is_superuser = False
            user.set_unusable_password()
            user.save()
            audit_redact(
                object_type=object_type_of(user), object_id=str(user.pk), placeholder=ERASED
            )
            audit_record(
                actor=actor,
                action="core.user.erased",
                obj=user,
                changes={name: ERASED for name in ("username", "name", "email", "password")},
            )
            changed += 1
        return changed
