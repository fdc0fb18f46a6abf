"""Every write of the permit monitor: typed, keyword-only, audited, in one transaction.

Authorities, procedure types and peer figures are the plan's reference data (coordinators);
procedures and their events are recorded by coordinators, or by contributors of the authority's
organisation for that authority's procedures.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from masterplan.core.actors import Actor
from masterplan.core.models import Masterplan, Publication
from masterplan.core.permissions import can_manage, contributor_organization_id, ensure
from masterplan.core.services import create_tracked, delete_tracked, update_tracked
from masterplan.permits.durations import DEFAULT_RULES, EventKind
from masterplan.permits.models import (
    DECIDED,
    WITHDRAWN,
    Authority,
    Outcome,
    PeerFigure,
    Procedure,
    ProcedureEvent,
    ProcedureExtension,
    ProcedureType,
)

# --- Reference data: authorities, procedure types, peer figures --------------------------------


def authority_create(*, actor: Actor, masterplan: Masterplan, **fields: Any) -> Authority:
    ensure(can_manage(actor, masterplan))
    contacts = fields.pop("contacts", None)
    fields.setdefault("publication", Publication.PUBLISHED)
    authority = create_tracked(
        actor=actor,
        model=Authority,
        action="permits.authority.created",
        masterplan=masterplan,
        **fields,
    )
    if contacts is not None:
        authority.contacts.set(same_plan(masterplan, contacts, "contacts"))
    return authority


def authority_update(
    *, actor: Actor, authority: Authority, version: int | None, **changes: Any
) -> Authority:
    ensure(can_manage(actor, authority.masterplan))
    contacts = changes.pop("contacts", None)
    authority = update_tracked(
        actor=actor,
        obj=authority,
        version=version,
        action="permits.authority.updated",
        changes=changes,
    )
    if contacts is not None:
        authority.contacts.set(same_plan(authority.masterplan, contacts, "contacts"))
    return authority


def authority_delete(*, actor: Actor, authority: Authority, version: int | None) -> None:
    ensure(can_manage(actor, authority.masterplan))
    if authority.procedures.filter(deleted_at__isnull=True).exists():
        raise ValidationError(_("The authority still has procedures; delete or move them first."))
    delete_tracked(actor=actor, obj=authority, version=version, action="permits.authority.deleted")


def same_plan(masterplan: Masterplan, objects: Any, field: str) -> list[Any]:
    chosen = list(objects)
    if any(obj.masterplan_id != masterplan.pk for obj in chosen):
        raise ValidationError({field: _("Choose from this masterplan only.")})
    return chosen


def type_create(*, actor: Actor, masterplan: Masterplan, **fields: Any) -> ProcedureType:
    ensure(can_manage(actor, masterplan))
    fields.setdefault("publication", Publication.PUBLISHED)
    return create_tracked(
        actor=actor,
        model=ProcedureType,
        action="permits.proceduretype.created",
        masterplan=masterplan,
        **fields,
    )


def type_update(
    *, actor: Actor, procedure_type: ProcedureType, version: int | None, **changes: Any
) -> ProcedureType:
    ensure(can_manage(actor, procedure_type.masterplan))
    return update_tracked(
        actor=actor,
        obj=procedure_type,
        version=version,
        action="permits.proceduretype.updated",
        changes=changes,
    )


def type_delete(*, actor: Actor, procedure_type: ProcedureType, version: int | None) -> None:
    ensure(can_manage(actor, procedure_type.masterplan))
    if procedure_type.procedures.filter(deleted_at__isnull=True).exists():
        raise ValidationError(_("Procedures of this type exist; it cannot be deleted."))
    delete_tracked(
        actor=actor, obj=procedure_type, version=version, action="permits.proceduretype.deleted"
    )


# The default types' names, in the installation's language when they are created (they are
# data afterwards, edited like any other).
TYPE_NAMES = {
    "bimschg-10": gettext_noop("Immission control permit with public participation"),
    "bimschg-19": gettext_noop("Immission control permit, simplified procedure"),
    "bimschg-16": gettext_noop("Immission control change permit with public participation"),
    "bimschg-16-2": gettext_noop("Immission control change permit without public participation"),
    "bimschg-15": gettext_noop("Notification of a change of an installation"),
    "bimschg-15-2a": gettext_noop("Notification of a change concerning major-accident risk"),
    "bauo-nrw-64": gettext_noop("Simplified building permit procedure (NRW)"),
    "bauo-nrw-65": gettext_noop("Building permit procedure (NRW)"),
    "hbo-65": gettext_noop("Building permit procedure (Hessen, for comparison)"),
}


def rule_fields(code: str) -> dict[str, Any]:
    """The model fields of a default rule of durations.py (statutory-deadlines.md), named in
    the installation's language."""
    rule = next(rule for rule in DEFAULT_RULES if rule.code == code)
    with translation.override(settings.LANGUAGE_CODE):
        name = _(TYPE_NAMES[code]) if code in TYPE_NAMES else rule.name

    def part(period: Any, name: str) -> int:
        return int(getattr(period, name)) if period is not None else 0

    return {
        "code": rule.code,
        "name": name,
        "legal_basis": rule.legal_basis,
        "completeness_months": part(rule.completeness_check, "months"),
        "completeness_days": part(rule.completeness_check, "days"),
        "completeness_extension_days": part(rule.completeness_check_extension, "days"),
        "decision_months": part(rule.decision, "months"),
        "decision_days": part(rule.decision, "days"),
        "extensions_without_consent": rule.extensions_without_consent,
        "extension_months": part(rule.extension, "months"),
        "extension_days": part(rule.extension, "days"),
        "further_extensions_with_consent": rule.further_extensions_with_consent,
        "completeness_fiction": rule.completeness_fiction,
        "deemed_approval": rule.deemed_approval,
        "deemed_withdrawal": rule.deemed_withdrawal,
        "source_note": rule.source_note,
    }


def ensure_default_types(*, actor: Actor | None, masterplan: Masterplan) -> list[ProcedureType]:
    """The statutory procedure types of reference/statutory-deadlines.md, created where the
    plan has no type of that code yet (editable data afterwards)."""
    if actor is not None:
        ensure(can_manage(actor, masterplan))
    existing = set(
        ProcedureType.objects.filter(masterplan=masterplan, deleted_at__isnull=True).values_list(
            "code", flat=True
        )
    )
    created = []
    with transaction.atomic():
        for rule in DEFAULT_RULES:
            if rule.code in existing:
                continue
            created.append(
                create_tracked(
                    actor=actor,
                    model=ProcedureType,
                    action="permits.proceduretype.created",
                    masterplan=masterplan,
                    publication=Publication.PUBLISHED,
                    **rule_fields(rule.code),
                )
            )
    return created


def peer_figure_create(*, actor: Actor, masterplan: Masterplan, **fields: Any) -> PeerFigure:
    ensure(can_manage(actor, masterplan))
    fields.setdefault("publication", Publication.PUBLISHED)
    return create_tracked(
        actor=actor,
        model=PeerFigure,
        action="permits.peerfigure.created",
        masterplan=masterplan,
        **fields,
    )


def peer_figure_update(
    *, actor: Actor, figure: PeerFigure, version: int | None, **changes: Any
) -> PeerFigure:
    ensure(can_manage(actor, figure.masterplan))
    return update_tracked(
        actor=actor,
        obj=figure,
        version=version,
        action="permits.peerfigure.updated",
        changes=changes,
    )


def peer_figure_delete(*, actor: Actor, figure: PeerFigure, version: int | None) -> None:
    ensure(can_manage(actor, figure.masterplan))
    delete_tracked(actor=actor, obj=figure, version=version, action="permits.peerfigure.deleted")


# --- Procedures ---------------------------------------------------------------------------------


def ensure_can_record(actor: Actor, masterplan: Masterplan, authority: Authority | None) -> None:
    """Coordinators record any procedure; a contributor those of their organisation's
    authority."""
    if can_manage(actor, masterplan):
        return
    own = contributor_organization_id(actor, masterplan)
    ensure(own is not None and authority is not None and authority.organization_id == own)


def check_plan(masterplan: Masterplan, **related: Any) -> None:
    for field, obj in related.items():
        if obj is not None and obj.masterplan_id != masterplan.pk:
            raise ValidationError({field: _("Choose from this masterplan only.")})


def procedure_create(
    *,
    actor: Actor,
    masterplan: Masterplan,
    authority: Authority,
    procedure_type: ProcedureType,
    **fields: Any,
) -> Procedure:
    ensure_can_record(actor, masterplan, authority)
    check_plan(
        masterplan,
        authority=authority,
        procedure_type=procedure_type,
        applicant=fields.get("applicant"),
        measure=fields.get("measure"),
        site_request=fields.get("site_request"),
    )
    fields.setdefault("outcome", default_outcome(fields))
    fields.setdefault("publication", Publication.PUBLISHED)
    return create_tracked(
        actor=actor,
        model=Procedure,
        action="permits.procedure.created",
        masterplan=masterplan,
        authority=authority,
        procedure_type=procedure_type,
        **fields,
    )


def default_outcome(fields: dict[str, Any]) -> str:
    """An ended procedure without an outcome given: approved when decided, withdrawn when
    withdrawn (the model refuses contradictions)."""
    if fields.get("decided"):
        return Outcome.APPROVED
    if fields.get("withdrawn"):
        return Outcome.WITHDRAWN
    return Outcome.OPEN


def procedure_update(
    *, actor: Actor, procedure: Procedure, version: int | None, **changes: Any
) -> Procedure:
    ensure_can_record(actor, procedure.masterplan, procedure.authority)
    if "authority" in changes:
        ensure_can_record(actor, procedure.masterplan, changes["authority"])
    check_plan(
        procedure.masterplan,
        **{
            name: changes[name]
            for name in ("authority", "procedure_type", "applicant", "measure", "site_request")
            if name in changes
        },
    )
    return update_tracked(
        actor=actor,
        obj=procedure,
        version=version,
        action="permits.procedure.updated",
        changes=changes,
    )


def procedure_delete(*, actor: Actor, procedure: Procedure, version: int | None) -> None:
    ensure_can_record(actor, procedure.masterplan, procedure.authority)
    delete_tracked(actor=actor, obj=procedure, version=version, action="permits.procedure.deleted")


# --- Stage events and extensions ----------------------------------------------------------------


def check_event_day(procedure: Procedure, kind: str, on: Any) -> None:
    """Events lie on or after the receipt; nothing but a fee notice after the procedure ended."""
    if on < procedure.received:
        raise ValidationError(
            {
                "on": _("The event lies before the application was received (%(day)s).")
                % {"day": procedure.received.strftime("%d.%m.%Y")}
            }
        )
    ended = procedure.ended_on
    if ended and on > ended and kind not in (EventKind.FEE_NOTICE, EventKind.DECISION):
        raise ValidationError(
            {
                "on": _("The event lies after the procedure ended (%(day)s).")
                % {"day": ended.strftime("%d.%m.%Y")}
            }
        )


def event_add(*, actor: Actor, procedure: Procedure, **fields: Any) -> ProcedureEvent:
    """Record a stage. A decision or a withdrawal also ends the procedure, if it has not
    ended yet; a decision with an outcome sets it (approved by default)."""
    ensure_can_record(actor, procedure.masterplan, procedure.authority)
    outcome = fields.pop("outcome", "")
    kind = EventKind(fields["kind"])
    check_event_day(procedure, kind, fields["on"])
    with transaction.atomic():
        event = create_tracked(
            actor=actor,
            model=ProcedureEvent,
            action="permits.event.created",
            masterplan=procedure.masterplan,
            procedure=procedure,
            **fields,
        )
        end_by_event(actor=actor, procedure=procedure, event=event, outcome=outcome)
    return event


def end_by_event(
    *, actor: Actor | None, procedure: Procedure, event: ProcedureEvent, outcome: str
) -> None:
    changes: dict[str, Any] = {}
    if event.kind == EventKind.DECISION and not procedure.ended_on:
        changes = {"decided": event.on, "outcome": outcome or Outcome.APPROVED}
    elif event.kind == EventKind.WITHDRAWAL and not procedure.ended_on:
        changes = {"withdrawn": event.on, "outcome": outcome or Outcome.WITHDRAWN}
    if changes:
        if changes["outcome"] not in (*DECIDED, *WITHDRAWN):
            raise ValidationError({"outcome": _("Not an outcome of a decision or withdrawal.")})
        update_tracked(
            actor=actor,
            obj=procedure,
            version=procedure.version,
            action="permits.procedure.updated",
            changes=changes,
        )
        procedure.refresh_from_db()


def event_update(
    *, actor: Actor, event: ProcedureEvent, version: int | None, **changes: Any
) -> ProcedureEvent:
    procedure = event.procedure
    ensure_can_record(actor, procedure.masterplan, procedure.authority)
    check_event_day(procedure, changes.get("kind", event.kind), changes.get("on", event.on))
    return update_tracked(
        actor=actor, obj=event, version=version, action="permits.event.updated", changes=changes
    )


def event_delete(*, actor: Actor, event: ProcedureEvent, version: int | None) -> None:
    procedure = event.procedure
    ensure_can_record(actor, procedure.masterplan, procedure.authority)
    delete_tracked(actor=actor, obj=event, version=version, action="permits.event.deleted")


def extension_add(*, actor: Actor, procedure: Procedure, **fields: Any) -> ProcedureExtension:
    ensure_can_record(actor, procedure.masterplan, procedure.authority)
    check_event_day(procedure, "extension", fields["on"])
    return create_tracked(
        actor=actor,
        model=ProcedureExtension,
        action="permits.extension.created",
        masterplan=procedure.masterplan,
        procedure=procedure,
        **fields,
    )


def extension_delete(*, actor: Actor, extension: ProcedureExtension, version: int | None) -> None:
    procedure = extension.procedure
    ensure_can_record(actor, procedure.masterplan, procedure.authority)
    delete_tracked(actor=actor, obj=extension, version=version, action="permits.extension.deleted")
