"""Every write of the climate module. Views, the API and the importer call these functions.

Energy reports belong to their organisation: a contributor of that company enters and edits
them; coordinators edit everything. Memberships, structural changes, the plan's factors and its
policy are kept by coordinators.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from masterplan.climate.models import (
    ChangeKind,
    ClimatePolicy,
    EmissionFactor,
    EnergyReport,
    NetworkMembership,
    StructuralChange,
)
from masterplan.core.actors import Actor
from masterplan.core.models import Masterplan
from masterplan.core.permissions import (
    can_create_in,
    can_manage,
    contributor_organization_id,
    ensure,
    ensure_can_edit,
)
from masterplan.core.services import create_tracked, delete_tracked, update_tracked
from masterplan.directory.models import Organization


def energy_report_create(
    *, actor: Actor, masterplan: Masterplan, organization: Organization, **fields: Any
) -> EnergyReport:
    """Add a report; a contributor only for their own organisation."""
    ensure(can_create_in(actor, masterplan))
    own = contributor_organization_id(actor, masterplan)
    if own is not None and own != organization.pk:
        raise PermissionDenied
    return create_tracked(
        actor=actor,
        model=EnergyReport,
        action="climate.energy_report.created",
        masterplan=masterplan,
        organization=organization,
        **fields,
    )


def energy_report_update(
    *, actor: Actor, report: EnergyReport, version: int | None, **changes: Any
) -> EnergyReport:
    """Change a report; refuses a stale version. The organisation cannot be changed."""
    ensure_can_edit(actor, report)
    changes.pop("organization", None)
    return update_tracked(
        actor=actor,
        obj=report,
        version=version,
        action="climate.energy_report.updated",
        changes=changes,
    )


def energy_report_delete(*, actor: Actor, report: EnergyReport, version: int | None) -> None:
    ensure_can_edit(actor, report)
    delete_tracked(actor=actor, obj=report, version=version, action="climate.energy_report.deleted")


def consent_changes(fields: dict[str, Any], before: bool = False) -> dict[str, Any]:
    """Stamp when a company agreed to publish its CO2 figures (cleared when it withdraws)."""
    if "figures_public" in fields and bool(fields["figures_public"]) != before:
        fields["figures_public_since"] = timezone.now() if fields["figures_public"] else None
    return fields


def ensure_single_exit_of_member(
    *, masterplan: Masterplan, organization_id: int, left_year: int | None
) -> None:
    """Refuse a left year when the member's exit is already recorded as a divestment."""
    if left_year is None:
        return
    clashing = (
        StructuralChange.objects.filter(
            masterplan=masterplan,
            organization_id=organization_id,
            kind=ChangeKind.DIVESTMENT,
            year__gte=left_year,
        )
        .order_by("year")
        .first()
    )
    if clashing is not None:
        raise ValidationError(
            {
                "left_year": _(
                    "This exit is already recorded as a divestment in %(year)s; recording it "
                    "as leaving the network too would remove the member from the base year "
                    "twice. Record it once: either as leaving or as the divestment."
                )
                % {"year": clashing.year}
            }
        )


def ensure_single_exit_of_change(
    *,
    masterplan: Masterplan,
    organization_id: int,
    kind: str,
    year: int,
) -> None:
    """Refuse a divestment in or after the year its company left the network."""
    if kind != ChangeKind.DIVESTMENT:
        return
    membership = NetworkMembership.objects.filter(
        masterplan=masterplan, organization_id=organization_id, left_year__lte=year
    ).first()
    if membership is not None:
        raise ValidationError(
            {
                "kind": _(
                    "The company left the network in %(year)s: that already removes it from "
                    "the base year, so a divestment of the same exit would remove it twice. "
                    "Record the exit once: either as leaving or as the divestment."
                )
                % {"year": membership.left_year}
            }
        )


def membership_create(*, actor: Actor, masterplan: Masterplan, **fields: Any) -> NetworkMembership:
    ensure(can_manage(actor, masterplan))
    organization = fields.get("organization")
    if organization is not None:
        ensure_single_exit_of_member(
            masterplan=masterplan,
            organization_id=organization.pk,
            left_year=fields.get("left_year"),
        )
    return create_tracked(
        actor=actor,
        model=NetworkMembership,
        action="climate.membership.created",
        masterplan=masterplan,
        **consent_changes(fields),
    )


def membership_update(
    *, actor: Actor, membership: NetworkMembership, version: int | None, **changes: Any
) -> NetworkMembership:
    ensure(can_manage(actor, membership.masterplan))
    organization = changes.get("organization", membership.organization)
    ensure_single_exit_of_member(
        masterplan=membership.masterplan,
        organization_id=organization.pk,
        left_year=changes.get("left_year", membership.left_year),
    )
    return update_tracked(
        actor=actor,
        obj=membership,
        version=version,
        action="climate.membership.updated",
        changes=consent_changes(changes, membership.figures_public),
    )


def structural_change_create(
    *, actor: Actor, masterplan: Masterplan, **fields: Any
) -> StructuralChange:
    ensure(can_manage(actor, masterplan))
    organization = fields.get("organization")
    if organization is not None and fields.get("year") is not None:
        ensure_single_exit_of_change(
            masterplan=masterplan,
            organization_id=organization.pk,
            kind=fields.get("kind", ""),
            year=fields["year"],
        )
    return create_tracked(
        actor=actor,
        model=StructuralChange,
        action="climate.structural_change.created",
        masterplan=masterplan,
        **fields,
    )


def structural_change_update(
    *, actor: Actor, change: StructuralChange, version: int | None, **changes: Any
) -> StructuralChange:
    ensure(can_manage(actor, change.masterplan))
    organization = changes.get("organization", change.organization)
    ensure_single_exit_of_change(
        masterplan=change.masterplan,
        organization_id=organization.pk,
        kind=changes.get("kind", change.kind),
        year=changes.get("year", change.year),
    )
    return update_tracked(
        actor=actor,
        obj=change,
        version=version,
        action="climate.structural_change.updated",
        changes=changes,
    )


def factor_create(*, actor: Actor, masterplan: Masterplan, **fields: Any) -> EmissionFactor:
    """A plan's own factor; it replaces the global default of the same carrier and year."""
    ensure(can_manage(actor, masterplan))
    return create_tracked(
        actor=actor,
        model=EmissionFactor,
        action="climate.factor.created",
        masterplan=masterplan,
        **fields,
    )


def factor_update(
    *, actor: Actor, factor: EmissionFactor, version: int | None, **changes: Any
) -> EmissionFactor:
    """Change a plan's own factor (global defaults are kept by administrators)."""
    if factor.masterplan is None:
        raise PermissionDenied
    ensure(can_manage(actor, factor.masterplan))
    return update_tracked(
        actor=actor, obj=factor, version=version, action="climate.factor.updated", changes=changes
    )


def factor_delete(*, actor: Actor, factor: EmissionFactor, version: int | None) -> None:
    if factor.masterplan is None:
        raise PermissionDenied
    ensure(can_manage(actor, factor.masterplan))
    delete_tracked(actor=actor, obj=factor, version=version, action="climate.factor.deleted")


def policy_save(
    *, actor: Actor, masterplan: Masterplan, version: int | None, **fields: Any
) -> ClimatePolicy:
    """Create the plan's policy on first save, then update it (stale versions refused)."""
    ensure(can_manage(actor, masterplan))
    current = ClimatePolicy.objects.filter(masterplan=masterplan).first()
    if current is None:
        return create_tracked(
            actor=actor,
            model=ClimatePolicy,
            action="climate.policy.created",
            masterplan=masterplan,
            **fields,
        )
    return update_tracked(
        actor=actor, obj=current, version=version, action="climate.policy.updated", changes=fields
    )
