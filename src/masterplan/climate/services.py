"""Every write of the climate module. Views, the API and the importer call these functions.

Energy reports belong to their organisation: a contributor of that company enters and edits
them; coordinators edit everything. Memberships, structural changes, the plan's factors and its
policy are kept by coordinators.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from masterplan.climate.models import (
    ClimatePolicy,
    EmissionFactor,
    EnergyReport,
    NetworkMembership,
    StructuralChange,
)
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
    *, actor: Any, masterplan: Masterplan, organization: Organization, **fields: Any
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
    *, actor: Any, report: EnergyReport, version: int | None, **changes: Any
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


def energy_report_delete(*, actor: Any, report: EnergyReport, version: int | None) -> None:
    ensure_can_edit(actor, report)
    delete_tracked(actor=actor, obj=report, version=version, action="climate.energy_report.deleted")


def membership_create(*, actor: Any, masterplan: Masterplan, **fields: Any) -> NetworkMembership:
    ensure(can_manage(actor, masterplan))
    return create_tracked(
        actor=actor,
        model=NetworkMembership,
        action="climate.membership.created",
        masterplan=masterplan,
        **fields,
    )


def membership_update(
    *, actor: Any, membership: NetworkMembership, version: int | None, **changes: Any
) -> NetworkMembership:
    ensure(can_manage(actor, membership.masterplan))
    return update_tracked(
        actor=actor,
        obj=membership,
        version=version,
        action="climate.membership.updated",
        changes=changes,
    )


def structural_change_create(
    *, actor: Any, masterplan: Masterplan, **fields: Any
) -> StructuralChange:
    ensure(can_manage(actor, masterplan))
    return create_tracked(
        actor=actor,
        model=StructuralChange,
        action="climate.structural_change.created",
        masterplan=masterplan,
        **fields,
    )


def structural_change_update(
    *, actor: Any, change: StructuralChange, version: int | None, **changes: Any
) -> StructuralChange:
    ensure(can_manage(actor, change.masterplan))
    return update_tracked(
        actor=actor,
        obj=change,
        version=version,
        action="climate.structural_change.updated",
        changes=changes,
    )


def factor_create(*, actor: Any, masterplan: Masterplan, **fields: Any) -> EmissionFactor:
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
    *, actor: Any, factor: EmissionFactor, version: int | None, **changes: Any
) -> EmissionFactor:
    """Change a plan's own factor (global defaults are kept by administrators)."""
    if factor.masterplan is None:
        raise PermissionDenied
    ensure(can_manage(actor, factor.masterplan))
    return update_tracked(
        actor=actor, obj=factor, version=version, action="climate.factor.updated", changes=changes
    )


def factor_delete(*, actor: Any, factor: EmissionFactor, version: int | None) -> None:
    if factor.masterplan is None:
        raise PermissionDenied
    ensure(can_manage(actor, factor.masterplan))
    delete_tracked(actor=actor, obj=factor, version=version, action="climate.factor.deleted")


def policy_save(
    *, actor: Any, masterplan: Masterplan, version: int | None, **fields: Any
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
