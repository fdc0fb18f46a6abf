"""Reads of the climate module: the plan's data turned into the figures of figures.py.

The climate page runs a fixed number of queries whatever the number of members and reports:
policy, factors, memberships, reports and structural changes, one query each.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from masterplan.climate import figures as f
from masterplan.climate.models import (
    ClimatePolicy,
    EmissionFactor,
    EnergyReport,
    FactorBasis,
    NetworkMembership,
    StructuralChange,
    published_with_organization,
)
from masterplan.core.actors import Actor
from masterplan.core.filters import FilterSpec, ListContext, Number, Ref
from masterplan.core.models import Masterplan
from masterplan.core.roles import is_plan_member


def policy_for(masterplan: Masterplan) -> ClimatePolicy:
    """The plan's policy, or the defaults (base year 2016, 5 %, −33 %) when none is saved."""
    found = ClimatePolicy.objects.filter(masterplan=masterplan).first()
    return found or ClimatePolicy(masterplan=masterplan)


def factors_for(masterplan: Masterplan) -> QuerySet[EmissionFactor]:
    """Global defaults and the plan's own factors (all bases), plan rows last."""
    return EmissionFactor.objects.filter(
        Q(masterplan=masterplan) | Q(masterplan__isnull=True)
    ).order_by("carrier", "year", "masterplan_id", "id")


def factor_table(factors: list[EmissionFactor]) -> f.FactorTable:
    """Direct factors in t/kWh; a plan's own factor replaces the global one (same carrier and
    year)."""
    values: dict[tuple[str, int | None], Decimal] = {}
    for factor in sorted(factors, key=lambda x: x.masterplan_id is not None):
        if factor.basis == FactorBasis.DIRECT:
            values[(factor.carrier, factor.year)] = factor.tonnes_per_kwh
    return f.FactorTable(values)


def visible_reports(user: Actor, masterplan: Masterplan) -> QuerySet[EnergyReport]:
    return (
        EnergyReport.objects.visible_to(user, masterplan)
        .select_related("organization")
        .order_by("organization__name", "year", "id")
    )


ENERGY_REPORTS = FilterSpec(
    EnergyReport,
    Ref("organization", lookup="organization_id", form=False),
    Number("year"),
)


def energy_report_list(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> QuerySet[EnergyReport]:
    """The energy reports the user may see (ENERGY_REPORTS), by organisation and year."""
    context = ListContext(user=user, masterplan=masterplan)
    return ENERGY_REPORTS.apply(visible_reports(user, masterplan), filters, context)


def visible_members(user: Actor, masterplan: Masterplan) -> QuerySet[NetworkMembership]:
    return (
        NetworkMembership.objects.visible_to(user, masterplan)
        .select_related("organization")
        .order_by("organization__name", "id")
    )


def as_report(report: EnergyReport) -> f.Report:
    return f.Report(
        organization_id=report.organization_id,
        year=report.year,
        electricity_grid_kwh=report.electricity_grid_kwh,
        own_renewables_kwh=report.own_renewables_kwh,
        green_power_kwh=report.green_power_kwh,
        green_power_factor=report.green_power_factor,
        natural_gas_kwh=report.natural_gas_kwh,
        heating_oil=report.heating_oil,
        heating_oil_unit=report.heating_oil_unit,
        district_heat_kwh=report.district_heat_kwh,
        diesel=report.diesel,
        diesel_unit=report.diesel_unit,
        petrol=report.petrol,
        petrol_unit=report.petrol_unit,
        process_t_co2=report.process_t_co2,
        employees=report.employees,
        estimated=report.estimated,
    )


REPORT_FIGURE_FIELDS = tuple(f.Report.__dataclass_fields__)


def network_report_figures(user: Actor, masterplan: Masterplan) -> list[f.Report]:
    """The reports that enter the network total, as plain figures, read as values (no model
    instances: the balance of a large network spends most of its time building them otherwise).

    Members of the plan count every report; the public the published reports of published
    organisations, also of companies that did not agree to publish their own figures: these
    count in the network total, but are never shown one by one (`hidden_organizations`)."""
    found = EnergyReport.objects.filter(masterplan=masterplan)
    if not is_plan_member(user, masterplan):
        found = found.filter(published_with_organization())
    rows = found.order_by("organization_id", "year").values_list(*REPORT_FIGURE_FIELDS)
    return [f.Report(*row) for row in rows]


def as_member(membership: NetworkMembership) -> f.Member:
    return f.Member(
        organization_id=membership.organization_id,
        name=membership.organization.name,
        joined_year=membership.joined_year,
        left_year=membership.left_year,
    )


@dataclass(frozen=True)
class YearRow:
    """A year of the network with its recalculated base under both methods."""

    total: f.YearTotal
    bases: dict[str, Decimal]

    @property
    def location(self) -> Decimal:
        return self.total.total(f.LOCATION)

    def reported(self, value: Decimal) -> Decimal | None:
        """A total as reported, None where nothing can be summed: no report at all, or a
        report whose factor is missing (never zero emissions)."""
        return value if self.total.reports and self.total.computable else None

    @property
    def reported_scope1(self) -> Decimal | None:
        return self.reported(self.total.scope1)

    @property
    def reported_scope2_location(self) -> Decimal | None:
        return self.reported(self.total.scope2_location)

    @property
    def reported_scope2_market(self) -> Decimal | None:
        return self.reported(self.total.scope2_market)

    @property
    def market(self) -> Decimal:
        return self.total.total(f.MARKET)

    @property
    def base_location(self) -> Decimal:
        return self.bases[f.LOCATION]

    @property
    def base_market(self) -> Decimal:
        return self.bases[f.MARKET]

    @property
    def change_location(self) -> Decimal | None:
        return f.change_share(self.location, self.base_location)

    @property
    def change_market(self) -> Decimal | None:
        return f.change_share(self.market, self.base_market)


def hidden_organizations(user: Actor, memberships: list[NetworkMembership]) -> set[int]:
    """Members whose own figures this user may not see: for the public, every company that
    has not agreed to publish them (members of the plan see every company)."""
    if not memberships or is_plan_member(user, memberships[0].masterplan):
        return set()
    return {m.organization_id for m in memberships if not m.figures_public}


@dataclass
class MemberRow:
    membership: NetworkMembership
    base: Decimal | None
    current: Decimal | None
    change: Decimal | None
    employees: int | None
    figures_shown: bool = True

    @property
    def per_employee(self) -> Decimal | None:
        """Intensity: t CO2 per employee in the year shown."""
        if self.current is None or not self.employees:
            return None
        return self.current / self.employees


@dataclass
class ClimateOverview:
    """Everything the climate page and its PDF show; computed once per request."""

    policy: ClimatePolicy
    years: list[int]
    totals: list[f.YearTotal]
    log: list[f.BaseYearChange]
    rows: list[YearRow]
    members: list[MemberRow]
    latest: int | None
    target: f.TargetTest | None
    like_for_like: f.LikeForLike | None
    like_for_like_years: list[f.LikeForLike]
    decomposition: f.Decomposition | None
    decomposition_error: str
    employment: list[f.Employment]
    findings: list[f.Finding]
    residual_mix_used: bool
    reach_members: int = 0
    reach_employees: int = 0
    reach_from_directory: int = 0
    names: dict[int, str] = field(default_factory=dict)


def climate_overview(*, user: Actor, masterplan: Masterplan) -> ClimateOverview:
    """The network's balance by year, recalculated base, target test, decomposition, quality."""
    policy = policy_for(masterplan)
    factor_rows = list(factors_for(masterplan))
    factors = factor_table(factor_rows)
    memberships = list(visible_members(user, masterplan))
    for membership in memberships:
        membership.masterplan = masterplan  # links without a query per row
    reports = network_report_figures(user, masterplan)
    hidden = hidden_organizations(user, memberships)
    changes = [
        f.Change(
            organization_id=c.organization_id,
            name=c.organization.name,
            year=c.year,
            kind=c.kind,
            effect_t=c.base_year_effect_t,
            description=c.description,
        )
        for c in StructuralChange.objects.visible_to(user, masterplan)
        .select_related("organization")
        .order_by("year", "id")
    ]
    members = [as_member(m) for m in memberships]
    by_key = f.group_reports(reports)
    balances = f.compute_balances(reports, factors)
    method = policy.target_method
    base_year = policy.base_year
    report_years = [r.year for r in reports if r.year >= base_year]
    last = max(report_years) if report_years else base_year
    years = f.years_between(base_year, last)
    totals = f.network_totals(balances, members, years)
    threshold = policy.significance_percent / 100
    log = f.base_year_changes(
        balances=balances,
        members=members,
        changes=changes,
        base_year=base_year,
        threshold=threshold,
        deciding_method=method,
    )
    originals = {m: f.original_base(balances, members, base_year, m) for m in f.METHODS}
    rows = [
        YearRow(
            total=total,
            bases={m: f.recalculated_base(originals[m], log, total.year, m) for m in f.METHODS},
        )
        for total in totals
    ]
    complete = [row for row in rows if row.total.complete]
    latest_row = complete[-1] if complete and complete[-1].total.year > base_year else None
    latest = latest_row.total.year if latest_row else None
    target = lfl = decomposition = None
    decomposition_error = ""
    if latest_row is not None and latest is not None:
        base = latest_row.bases[method]
        target = f.target_test(
            base=base,
            current=latest_row.total.total(method),
            year=latest,
            target_reduction=policy.target_reduction_percent / 100,
            target_year=policy.target_year,
            method=method,
        )
        lfl = f.like_for_like(balances, members, base_year, latest, method)
        try:
            decomposition = f.decompose(
                reports=by_key,
                factors=factors,
                organization_ids=lfl.organization_ids,
                base_year=base_year,
                year=latest,
                method=method,
                network_change=latest_row.total.total(method) - originals[method],
            )
        except f.MissingFactor as error:
            decomposition_error = str(error)
    like_for_like_years = [
        f.like_for_like(balances, members, base_year, row.total.year, method)
        for row in rows
        if row.total.year > base_year and row.total.reports and row.total.computable
    ]
    shown_year = latest or last
    member_rows = []
    for membership in memberships:
        current = balances.total(membership.organization_id, shown_year, method)
        base_value = balances.total(membership.organization_id, base_year, method)
        report = by_key.get((membership.organization_id, shown_year))
        if membership.organization_id in hidden:
            member_rows.append(MemberRow(membership, None, None, None, None, figures_shown=False))
            continue
        member_rows.append(
            MemberRow(
                membership=membership,
                base=base_value,
                current=current,
                change=f.change_share(current, base_value)
                if current is not None and base_value
                else None,
                employees=report.employees if report else None,
            )
        )
    current_members = [m for m in memberships if m.is_member_in(shown_year)]
    reach_employees = reach_from_directory = 0
    for membership in current_members:
        report = by_key.get((membership.organization_id, shown_year))
        if report is not None and report.employees is not None:
            reach_employees += report.employees
        elif membership.organization.employees:
            reach_employees += membership.organization.employees
            reach_from_directory += 1
    return ClimateOverview(
        policy=policy,
        years=years,
        totals=totals,
        log=[replace(c, figures_shown=c.organization_id not in hidden) for c in log],
        rows=rows,
        members=member_rows,
        latest=latest,
        target=target,
        like_for_like=lfl,
        like_for_like_years=like_for_like_years,
        decomposition=decomposition,
        decomposition_error=decomposition_error,
        employment=f.employment(by_key, members, years),
        findings=[
            finding
            for finding in f.data_quality(
                reports=by_key, balances=balances, members=members, years=years
            )
            # an outlier's share is a company's own figure
            if not (finding.kind == "outlier" and finding.organization_id in hidden)
        ],
        residual_mix_used=any(key[0] == "electricity_residual_mix" for key in factors.values),
        reach_members=len(current_members),
        reach_employees=reach_employees,
        reach_from_directory=reach_from_directory,
        names={m.organization_id: m.organization.name for m in memberships},
    )


def member_reports(*, user: Actor, membership: NetworkMembership) -> list[dict[str, Any]]:
    """A member's reports by year with their balance (or the missing factor)."""
    masterplan = membership.masterplan
    factors = factor_table(list(factors_for(masterplan)))
    found = visible_reports(user, masterplan).filter(organization=membership.organization)
    rows = []
    for report in found:
        report.masterplan = masterplan
        try:
            balance: f.Balance | None = f.balance(as_report(report), factors)
            error = ""
        except f.MissingFactor as missing:
            balance, error = None, str(missing)
        per_output = None
        if balance is not None and report.output_value:
            per_output = balance.total(f.MARKET) / report.output_value
        rows.append(
            {"report": report, "balance": balance, "error": error, "per_output": per_output}
        )
    return rows
