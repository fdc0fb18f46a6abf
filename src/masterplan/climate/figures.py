"""The CO2 balance of a network of member companies: pure functions on plain data.

Everything is computed with Decimal so that the sums and the decomposition add up exactly and
can be checked by hand (docs/climate.md walks through a worked example). Emissions are in
tonnes of CO2 (t). The GHG Protocol Corporate Standard is followed:

- Scope 1 = Σ fuel use (kWh) × combustion factor + process emissions.
- Scope 2, location-based = (grid electricity + green-power contracts) × grid-mix factor of the
  year + district heat × its factor: contracts do not change the physical grid mix.
- Scope 2, market-based = green-power contracts × the supplier's factor + grid electricity ×
  residual-mix factor of the year (the grid-mix factor where no residual mix is on record; the
  page says so) + district heat × its factor.
- Own renewable electricity consumed on site has no Scope 2 emissions.
- A factor that is needed but missing raises MissingFactor naming carrier and year: never zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

LOCATION = "location"
MARKET = "market"
METHODS = (LOCATION, MARKET)

# Net calorific values (Heizwert) used to turn litres into kWh; typical values of the German
# energy statistics, stated on the page. A report can give the fuels in kWh instead.
NET_CALORIFIC_KWH_PER_LITRE: dict[str, Decimal] = {
    "heating_oil": Decimal("10.0"),
    "diesel": Decimal("9.8"),
    "petrol": Decimal("8.9"),
}
GRAMS_PER_TONNE = Decimal(1_000_000)
# Data quality: a member's total moving by more than this share against its previous reported
# year is flagged as a possible error (not removed).
OUTLIER_SHARE = Decimal("0.5")


class MissingFactor(Exception):
    """A balance needs an emission factor that is not on record."""

    def __init__(self, carrier: str, year: int) -> None:
        from masterplan.climate.models import Carrier

        self.carrier = carrier
        self.year = year
        named = f"{Carrier(carrier).label} ({carrier})" if carrier in Carrier.values else carrier
        super().__init__(
            _("Emission factor missing: %(carrier)s for %(year)s.")
            % {"carrier": named, "year": year}
        )


@dataclass(frozen=True)
class FactorTable:
    """Tonnes of CO2 per kWh by (carrier, year); year None = valid for every year."""

    values: Mapping[tuple[str, int | None], Decimal]

    def find(self, carrier: str, year: int) -> Decimal | None:
        exact = self.values.get((carrier, year))
        return exact if exact is not None else self.values.get((carrier, None))

    def get(self, carrier: str, year: int) -> Decimal:
        found = self.find(carrier, year)
        if found is None:
            raise MissingFactor(carrier, year)
        return found


@dataclass(frozen=True)
class Report:
    """One organisation's energy report for one year, in the units of models.EnergyReport."""

    organization_id: int
    year: int
    electricity_grid_kwh: Decimal = Decimal(0)
    own_renewables_kwh: Decimal = Decimal(0)
    green_power_kwh: Decimal = Decimal(0)
    green_power_factor: Decimal | None = None  # g CO2/kWh
    natural_gas_kwh: Decimal = Decimal(0)
    heating_oil: Decimal = Decimal(0)
    heating_oil_unit: str = "l"
    district_heat_kwh: Decimal = Decimal(0)
    diesel: Decimal = Decimal(0)
    diesel_unit: str = "l"
    petrol: Decimal = Decimal(0)
    petrol_unit: str = "l"
    process_t_co2: Decimal = Decimal(0)
    employees: int | None = None
    estimated: bool = False


def fuel_kwh(amount: Decimal, unit: str, fuel: str) -> Decimal:
    """kWh of a fuel: litres × net calorific value, or the kWh as given."""
    return amount * NET_CALORIFIC_KWH_PER_LITRE[fuel] if unit == "l" else amount


@dataclass(frozen=True)
class Line:
    """One activity × factor term of a balance: activity in kWh (or t for process emissions)."""

    scope: int
    key: str
    activity: Decimal
    factor: Decimal  # t CO2 per unit of activity

    @property
    def emissions(self) -> Decimal:
        return self.activity * self.factor


def lines(report: Report, factors: FactorTable, method: str) -> list[Line]:
    """The activity lines of a report under one Scope 2 method (only lines with activity)."""
    y = report.year
    result: list[Line] = []

    def add(scope: int, key: str, activity: Decimal, carrier: str | None) -> None:
        if activity:
            factor = Decimal(1) if carrier is None else factors.get(carrier, y)
            result.append(Line(scope, key, activity, factor))

    add(1, "natural_gas", report.natural_gas_kwh, "natural_gas")
    add(
        1,
        "heating_oil",
        fuel_kwh(report.heating_oil, report.heating_oil_unit, "heating_oil"),
        "heating_oil",
    )
    add(1, "diesel", fuel_kwh(report.diesel, report.diesel_unit, "diesel"), "diesel")
    add(1, "petrol", fuel_kwh(report.petrol, report.petrol_unit, "petrol"), "petrol")
    add(1, "process", report.process_t_co2, None)
    if method == LOCATION:
        grid = report.electricity_grid_kwh + report.green_power_kwh
        add(2, "electricity", grid, "electricity_grid_mix")
    else:
        if report.electricity_grid_kwh:
            residual = factors.find("electricity_residual_mix", y)
            factor = residual if residual is not None else factors.get("electricity_grid_mix", y)
            result.append(Line(2, "electricity", report.electricity_grid_kwh, factor))
        if report.green_power_kwh:
            if report.green_power_factor is None:
                raise MissingFactor(_("green-power supplier factor"), y)
            supplier = report.green_power_factor / GRAMS_PER_TONNE
            result.append(Line(2, "green_power", report.green_power_kwh, supplier))
    add(2, "district_heat", report.district_heat_kwh, "district_heat")
    return result


@dataclass(frozen=True)
class Balance:
    """Scope 1 and both Scope 2 results of one report, in t CO2."""

    organization_id: int
    year: int
    scope1: Decimal
    scope2_location: Decimal
    scope2_market: Decimal

    def total(self, method: str) -> Decimal:
        return self.scope1 + (self.scope2_location if method == LOCATION else self.scope2_market)


def balance(report: Report, factors: FactorTable) -> Balance:
    """Scope 1 = Σ fuel × factor + process; Scope 2 under both methods (see module docstring)."""
    location = lines(report, factors, LOCATION)
    market = lines(report, factors, MARKET)
    return Balance(
        organization_id=report.organization_id,
        year=report.year,
        scope1=sum((x.emissions for x in location if x.scope == 1), Decimal(0)),
        scope2_location=sum((x.emissions for x in location if x.scope == 2), Decimal(0)),
        scope2_market=sum((x.emissions for x in market if x.scope == 2), Decimal(0)),
    )


@dataclass(frozen=True)
class Member:
    """Membership of the network: member in year y when joined_year ≤ y < left_year."""

    organization_id: int
    name: str
    joined_year: int
    left_year: int | None = None

    def is_member_in(self, year: int) -> bool:
        return self.joined_year <= year and (self.left_year is None or year < self.left_year)


@dataclass(frozen=True)
class Change:
    """A structural change of a member with its effect on the base year (t CO2, signed)."""

    organization_id: int
    name: str
    year: int
    kind: str
    effect_t: Decimal
    description: str = ""


@dataclass(frozen=True)
class YearTotal:
    year: int
    members: int
    reports: int
    scope1: Decimal
    scope2_location: Decimal
    scope2_market: Decimal
    errors: tuple[str, ...] = ()

    def total(self, method: str) -> Decimal:
        return self.scope1 + (self.scope2_location if method == LOCATION else self.scope2_market)

    @property
    def computable(self) -> bool:
        """Every report of the year has its factors (no error)."""
        return not self.errors

    @property
    def complete(self) -> bool:
        """Computable, and every member of the year reported: only then is it compared."""
        return not self.errors and self.members > 0 and self.reports == self.members


@dataclass
class Balances:
    """All reports of a network turned into balances; reports with a missing factor are kept
    aside with their error (their year is then incomplete, never silently lower)."""

    by_member_year: dict[tuple[int, int], Balance] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    _years: dict[int, list[int]] = field(default_factory=dict, repr=False)

    def total(self, organization_id: int, year: int, method: str) -> Decimal | None:
        found = self.by_member_year.get((organization_id, year))
        return None if found is None else found.total(method)

    def years_of(self, organization_id: int) -> list[int]:
        """The years an organisation has a computable report for, in order."""
        if not self._years:
            for org, year in sorted(self.by_member_year):
                self._years.setdefault(org, []).append(year)
        return self._years.get(organization_id, [])


def compute_balances(reports: Iterable[Report], factors: FactorTable) -> Balances:
    result = Balances()
    for report in reports:
        key = (report.organization_id, report.year)
        try:
            result.by_member_year[key] = balance(report, factors)
        except MissingFactor as error:
            result.errors[key] = str(error)
    return result


def network_totals(
    balances: Balances, members: Sequence[Member], years: Iterable[int]
) -> list[YearTotal]:
    """Network total per year: Σ of the balances of the organisations that are members that year."""
    totals = []
    for year in years:
        current = [m for m in members if m.is_member_in(year)]
        found = [
            balances.by_member_year[(m.organization_id, year)]
            for m in current
            if (m.organization_id, year) in balances.by_member_year
        ]
        errors = tuple(
            f"{m.name}: {balances.errors[(m.organization_id, year)]}"
            for m in current
            if (m.organization_id, year) in balances.errors
        )
        totals.append(
            YearTotal(
                year=year,
                members=len(current),
                reports=len(found) + len(errors),
                scope1=sum((b.scope1 for b in found), Decimal(0)),
                scope2_location=sum((b.scope2_location for b in found), Decimal(0)),
                scope2_market=sum((b.scope2_market for b in found), Decimal(0)),
                errors=errors,
            )
        )
    return totals


@dataclass(frozen=True)
class BaseYearChange:
    """One entry of the recalculation log: what changed, why, by how much, applied or not."""

    year: int
    organization_id: int
    name: str
    kind: str  # joined, left, or a structural change kind
    effect: dict[str, Decimal]  # t CO2 by Scope 2 method
    share: Decimal  # |effect| / original base total, under the deciding method
    applied: bool
    description: str = ""
    # Display only: False when the public may not see this company's own figures.
    figures_shown: bool = True

    @property
    def removes(self) -> bool:
        """The change takes emissions out of the base (a member leaving, a divestment)."""
        return any(value < 0 for value in self.effect.values()) and not any(
            value > 0 for value in self.effect.values()
        )

    @property
    def signed_share(self) -> Decimal:
        """The share with the direction of the change: negative for a removal."""
        return -self.share if self.removes else self.share


def base_contribution(
    balances: Balances, member: Member, base_year: int, method: str
) -> tuple[Decimal, int | None]:
    """A member's base-year emissions: its base-year report, else its first reported year as
    proxy (returned as the year used; None when it never reported)."""
    years = balances.years_of(member.organization_id)
    if base_year in years:
        return balances.by_member_year[(member.organization_id, base_year)].total(method), base_year
    later = [y for y in years if y >= member.joined_year]
    if not later:
        return Decimal(0), None
    return balances.by_member_year[(member.organization_id, later[0])].total(method), later[0]


def base_year_changes(
    *,
    balances: Balances,
    members: Sequence[Member],
    changes: Sequence[Change],
    base_year: int,
    threshold: Decimal,
    deciding_method: str,
) -> list[BaseYearChange]:
    """The recalculation log. Rule (per change, GHG Protocol ch. 5):

    - a member joining after the base year adds its base-year emissions (its first reported
      year where it has no base-year report); a member leaving after the base year removes
      them; a structural change adds or removes its stated base-year effect;
    - a change is applied when |effect| ≥ threshold × original base total, tested with the
      Scope 2 method of the target, and then applied to both methods alike;
    - changes below the threshold are listed but not applied.
    """
    original = {
        method: sum(
            (
                balances.total(m.organization_id, base_year, method) or Decimal(0)
                for m in members
                if m.is_member_in(base_year)
            ),
            Decimal(0),
        )
        for method in METHODS
    }
    found: list[tuple[int, int, str, str, dict[str, Decimal], str]] = []
    for member in members:
        contribution = {
            method: base_contribution(balances, member, base_year, method)[0] for method in METHODS
        }
        if member.joined_year > base_year:
            found.append(
                (
                    member.joined_year,
                    member.organization_id,
                    member.name,
                    "joined",
                    contribution,
                    "",
                )
            )
        if member.left_year is not None and member.left_year > base_year:
            negative = {method: -value for method, value in contribution.items()}
            found.append(
                (member.left_year, member.organization_id, member.name, "left", negative, "")
            )
    for change in changes:
        if change.year > base_year:
            effect = dict.fromkeys(METHODS, change.effect_t)
            found.append(
                (
                    change.year,
                    change.organization_id,
                    change.name,
                    change.kind,
                    effect,
                    change.description,
                )
            )
    log = []
    for year, organization_id, name, kind, effect, description in sorted(
        found, key=lambda item: (item[0], item[2], item[3])
    ):
        base = original[deciding_method]
        share = abs(effect[deciding_method]) / base if base else Decimal(0)
        log.append(
            BaseYearChange(
                year=year,
                organization_id=organization_id,
                name=name,
                kind=kind,
                effect=effect,
                share=share,
                applied=bool(base) and share >= threshold,
                description=description,
            )
        )
    return log


def original_base(
    balances: Balances, members: Sequence[Member], base_year: int, method: str
) -> Decimal:
    """Σ base-year emissions of the members of the base year."""
    return sum(
        (
            balances.total(m.organization_id, base_year, method) or Decimal(0)
            for m in members
            if m.is_member_in(base_year)
        ),
        Decimal(0),
    )


def recalculated_base(
    original: Decimal, log: Sequence[BaseYearChange], year: int, method: str
) -> Decimal:
    """Base for comparing year y: original base + Σ applied effects of changes up to y."""
    return original + sum(
        (c.effect[method] for c in log if c.applied and c.year <= year), Decimal(0)
    )


def change_share(current: Decimal, base: Decimal) -> Decimal | None:
    """(current − base) / base; None without a base."""
    return (current - base) / base if base else None


@dataclass(frozen=True)
class LikeForLike:
    year: int
    organization_ids: tuple[int, ...]
    base: Decimal
    current: Decimal

    @property
    def change(self) -> Decimal:
        return self.current - self.base

    @property
    def share(self) -> Decimal | None:
        return change_share(self.current, self.base)


def like_for_like(
    balances: Balances, members: Sequence[Member], base_year: int, year: int, method: str
) -> LikeForLike:
    """Only the members of year y that reported in both the base year and y."""
    both = tuple(
        m.organization_id
        for m in members
        if m.is_member_in(year)
        and (m.organization_id, base_year) in balances.by_member_year
        and (m.organization_id, year) in balances.by_member_year
    )
    return LikeForLike(
        year=year,
        organization_ids=both,
        base=sum((balances.total(o, base_year, method) or Decimal(0) for o in both), Decimal(0)),
        current=sum((balances.total(o, year, method) or Decimal(0) for o in both), Decimal(0)),
    )


@dataclass(frozen=True)
class Decomposition:
    """Change of the like-for-like members from the base year b to year y:

    own (activity) effect  = Σ (Aᵧ − A_b) · EF_b
    factor effect          = Σ Aᵧ · (EFᵧ − EF_b)
    own + factor           = Σ Aᵧ·EFᵧ − Σ A_b·EF_b  (exactly the like-for-like change)
    membership effect      = network change − like-for-like change (joining/leaving members)
    """

    own: Decimal
    factor: Decimal
    membership: Decimal
    like_for_like_change: Decimal
    network_change: Decimal
    terms: tuple[tuple[int, str, Decimal, Decimal], ...]  # organisation, line, own, factor


def decompose(
    *,
    reports: Mapping[tuple[int, int], Report],
    factors: FactorTable,
    organization_ids: Iterable[int],
    base_year: int,
    year: int,
    method: str,
    network_change: Decimal,
) -> Decomposition:
    """The decomposition above, by member and line. A line used in only one of the two years
    takes the other year's factor for the missing side (its activity there is zero, so the
    choice does not change the sum but keeps the terms defined)."""
    own_total = factor_total = Decimal(0)
    terms = []
    for organization_id in organization_ids:
        base_lines = {
            x.key: x for x in lines(reports[(organization_id, base_year)], factors, method)
        }
        year_lines = {x.key: x for x in lines(reports[(organization_id, year)], factors, method)}
        for key in sorted(set(base_lines) | set(year_lines)):
            b, y = base_lines.get(key), year_lines.get(key)
            ef_b = b.factor if b else year_lines[key].factor
            ef_y = y.factor if y else ef_b
            a_b = b.activity if b else Decimal(0)
            a_y = y.activity if y else Decimal(0)
            own = (a_y - a_b) * ef_b
            factor = a_y * (ef_y - ef_b)
            own_total += own
            factor_total += factor
            terms.append((organization_id, key, own, factor))
    lfl = own_total + factor_total
    return Decomposition(
        own=own_total,
        factor=factor_total,
        membership=network_change - lfl,
        like_for_like_change=lfl,
        network_change=network_change,
        terms=tuple(terms),
    )


@dataclass(frozen=True)
class TargetTest:
    """Target = recalculated base × (1 − target reduction); met when current ≤ target.

    Still needed per year: the constant annual rate r = 1 − (target/current)^(1/years left).
    """

    method: str
    base: Decimal
    target: Decimal
    current: Decimal
    year: int
    target_year: int
    reduction: Decimal | None  # achieved, as a positive share of the base
    met: bool
    required_annual_rate: float | None

    @property
    def change(self) -> Decimal | None:
        """(current − base) / base: the reduction as a signed change."""
        return -self.reduction if self.reduction is not None else None


def target_test(
    *,
    base: Decimal,
    current: Decimal,
    year: int,
    target_reduction: Decimal,
    target_year: int,
    method: str,
) -> TargetTest:
    target = base * (1 - target_reduction)
    met = current <= target
    years_left = target_year - year
    rate = None
    if not met and years_left > 0 and current > 0:
        rate = 1 - (float(target) / float(current)) ** (1 / years_left)
    return TargetTest(
        method=method,
        base=base,
        target=target,
        current=current,
        year=year,
        target_year=target_year,
        reduction=(base - current) / base if base else None,
        met=met,
        required_annual_rate=rate,
    )


@dataclass(frozen=True)
class Finding:
    organization_id: int
    name: str
    year: int
    kind: str  # missing, estimated, outlier, factor
    detail: str = ""


def data_quality(
    *,
    reports: Mapping[tuple[int, int], Report],
    balances: Balances,
    members: Sequence[Member],
    years: Sequence[int],
) -> list[Finding]:
    """Missing years (member that year, no report), estimated reports, missing factors and
    outliers: a total (location-based) more than 50 % above or below the member's previous
    reported year."""
    findings = []
    for member in members:
        previous: Decimal | None = None
        for year in years:
            key = (member.organization_id, year)
            if member.is_member_in(year) and key not in reports:
                findings.append(Finding(member.organization_id, member.name, year, "missing"))
            if key in reports and reports[key].estimated:
                findings.append(Finding(member.organization_id, member.name, year, "estimated"))
            if key in balances.errors:
                findings.append(
                    Finding(
                        member.organization_id, member.name, year, "factor", balances.errors[key]
                    )
                )
            current = balances.total(member.organization_id, year, LOCATION)
            if current is None:
                continue
            if previous and abs(current - previous) > OUTLIER_SHARE * previous:
                share = (current - previous) / previous
                findings.append(
                    Finding(
                        member.organization_id,
                        member.name,
                        year,
                        "outlier",
                        f"{share * 100:+.0f} %",
                    )
                )
            previous = current
    return findings


@dataclass(frozen=True)
class Employment:
    """Employees of the members in a year with coverage = members reporting / members."""

    year: int
    members: int
    reporting: int
    employees: int | None  # None: no member reported an employee count (not 0)

    @property
    def coverage(self) -> Decimal | None:
        return Decimal(self.reporting) / self.members if self.members else None


def employment(
    reports: Mapping[tuple[int, int], Report], members: Sequence[Member], years: Iterable[int]
) -> list[Employment]:
    result = []
    for year in years:
        current = [m for m in members if m.is_member_in(year)]
        counted = [
            reports[(m.organization_id, year)].employees
            for m in current
            if (m.organization_id, year) in reports
            and reports[(m.organization_id, year)].employees is not None
        ]
        result.append(
            Employment(
                year=year,
                members=len(current),
                reporting=len(counted),
                employees=sum(e for e in counted if e is not None) if counted else None,
            )
        )
    return result


def by_member(
    balances: Balances, members: Sequence[Member], year: int, method: str
) -> dict[int, Decimal | None]:
    """Each member's total in a year (None: no report or not computable)."""
    return {m.organization_id: balances.total(m.organization_id, year, method) for m in members}


def years_between(first: int, last: int) -> list[int]:
    return list(range(first, last + 1))


def group_reports(reports: Iterable[Report]) -> dict[tuple[int, int], Report]:
    return {(r.organization_id, r.year): r for r in reports}
