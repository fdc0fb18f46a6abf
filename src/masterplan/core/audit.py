"""The append-only, hash-chained audit trail.

Each entry's hash is SHA-256 over the previous entry's hash and a canonical form of the entry
in which every value that may hold personal data (the actor's name, the object's label and
each changed value) is represented by its own digest. Redaction on erasure replaces such a
value by a marker that keeps the digest, so verification still succeeds; any other change,
insertion or removal of an entry breaks the chain and is reported by `audit_verify`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from masterplan.core.actors import Actor
from masterplan.core.bulk import insert_rows
from masterplan.core.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
REDACTED = "__redacted__"


PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """A JSON-serialisable form of a model field value, stable across databases."""
    if type(value) in PLAIN_TYPES:  # most values: spares the checks below
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (bytes, memoryview)):
        return hashlib.sha256(bytes(value)).hexdigest()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# One encoder for all: json.dumps with these options would build a new one for every value,
# which was a third of the cost of hashing an import's entries.
CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(value: Any) -> str:
    kind = type(value)
    if value is None:  # the common values, as the encoder writes them, without its overhead
        return "null"
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    return CANONICAL.encode(value)


def value_digest(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {REDACTED}:
        return str(value[REDACTED])
    if type(value) in PLAIN_TYPES:
        return plain_digest(type(value).__name__, value)
    return hashlib.sha256(canonical(value).encode()).hexdigest()


@lru_cache(maxsize=256)
def plain_digest(kind: str, value: Any) -> str:
    """The digest of a plain value, kept for values that recur (None, codes, years); `kind`
    (the type's name) keeps apart values that compare equal (1, 1.0 and True)."""
    return hashlib.sha256(canonical(value).encode()).hexdigest()


def entry_content(entry: AuditEntry) -> dict[str, Any]:
    """The canonical form that is hashed (see the module docstring)."""
    changes = {
        field: [value_digest(v) for v in pair] if isinstance(pair, list) else value_digest(pair)
        for field, pair in entry.changes.items()
    }
    return {
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.redactions.get("actor_label") or value_digest(entry.actor_label),
        "action": entry.action,
        "masterplan_id": entry.masterplan_id,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.redactions.get("object_repr") or value_digest(entry.object_repr),
        "changes": changes,
    }


def chain_hash(previous_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((previous_hash + canonical(entry_content(entry))).encode()).hexdigest()


def object_type_of(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def actor_label_of(actor: Actor | None) -> str:
    if actor is None or not actor.is_authenticated:
        return "system"
    return actor.get_username()


def build_entry(
    *, actor: Actor | None, action: str, obj: models.Model, changes: dict[str, Any] | None = None
) -> AuditEntry:
    """An unsaved entry; `append_entries` chains and stores it."""
    return AuditEntry(
        created_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label_of(actor),
        action=action,
        masterplan_id=getattr(obj, "masterplan_id", None)
        or (obj.pk if object_type_of(obj) == "core.masterplan" else None),
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=jsonable(changes or {}),
    )


@transaction.atomic
def append_entries(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Chain and store entries in order. The chain head row is locked for the duration."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditChainHead.objects.create(pk=1, last_hash=GENESIS)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    previous = head.last_hash
    chained = []
    for entry in entries:
        entry.previous_hash = previous
        entry.entry_hash = chain_hash(previous, entry)
        previous = entry.entry_hash
        chained.append(entry)
    if not chained:
        return chained
    insert_rows(AuditEntry, chained)
    head.last_hash = previous
    head.last_entry_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True)[0]
    head.save(update_fields=["last_hash", "last_entry_id"])
    return chained


def audit_record(
    *, actor: Actor | None, action: str, obj: models.Model, changes: dict[str, Any] | None = None
) -> AuditEntry:
    """Record one write. Call it inside the service's transaction."""
    return append_entries([build_entry(actor=actor, action=action, obj=obj, changes=changes)])[0]


@dataclass(frozen=True)
class VerifyResult:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def iter_entries(batch: int = 5000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def audit_verify() -> VerifyResult:
    """Walk the chain; report altered entries, broken links and a missing tail."""
    problems: list[str] = []
    previous = GENESIS
    count = 0
    last_id = 0
    for entry in iter_entries():
        count += 1
        if entry.previous_hash != previous:
            problems.append(
                f"entry #{entry.pk}: does not follow the previous entry "
                f"(an entry before it was removed or reordered)"
            )
        if chain_hash(entry.previous_hash, entry) != entry.entry_hash:
            problems.append(f"entry #{entry.pk}: content was changed after it was recorded")
        previous = entry.entry_hash
        last_id = entry.pk
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != previous or head.last_entry_id != last_id):
        problems.append(
            f"the chain ends at #{last_id} but the last recorded entry was "
            f"#{head.last_entry_id}: entries at the end were removed"
        )
    return VerifyResult(entries=count, problems=problems)


def redact_value(value: Any) -> dict[str, str]:
    return {REDACTED: value_digest(value)}


@transaction.atomic
def audit_redact(*, object_type: str, object_id: str, placeholder: str = "[redacted]") -> int:
    """Remove personal data from the entries about one object; the chain stays verifiable."""
    count = 0
    for entry in AuditEntry.objects.select_for_update().filter(
        object_type=object_type, object_id=object_id
    ):
        if "object_repr" not in entry.redactions:
            entry.redactions["object_repr"] = value_digest(entry.object_repr)
            entry.object_repr = placeholder
        entry.changes = {
            field: [redact_value(v) for v in pair] if isinstance(pair, list) else redact_value(pair)
            for field, pair in entry.changes.items()
        }
        entry.save(update_fields=["object_repr", "redactions", "changes"])
        count += 1
    return count


@transaction.atomic
def audit_redact_actor(*, actor_id: int, placeholder: str = "[redacted]") -> int:
    """Remove a user's name from the entries they made; the chain stays verifiable."""
    count = 0
    for entry in AuditEntry.objects.select_for_update().filter(actor_id=actor_id):
        if "actor_label" not in entry.redactions:
            entry.redactions["actor_label"] = value_digest(entry.actor_label)
            entry.actor_label = placeholder
            entry.save(update_fields=["actor_label", "redactions"])
            count += 1
    return count
