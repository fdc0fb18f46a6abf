"""Demo data: the Industriekreis Düsseldorf network with energy reports 2016–2024.

The seed reports that the members cut their CO2 emissions by 33 % against 2016 and that
nearly 100,000 people work in the network. The member companies and their figures are
invented (is_sample) so that the network reproduces about that: one member joins in 2019 and
one leaves in 2021 (both above the 5 % threshold, so the base year is recalculated), one
divestment is below it. Grid-mix factors for 2019–2021 are not in the reference table; the demo
adds placeholders interpolated between 2018 and 2022, marked as invented.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from masterplan.climate import services
from masterplan.climate.models import ChangeKind, ReportStatus
from masterplan.core.demo import DUESSELDORF, DemoContext, register_demo
from masterplan.core.models import Publication
from masterplan.directory.demo import organizations_by_external_id
from masterplan.directory.models import Organization, OrganizationKind
from masterplan.directory.services import organization_create

YEARS = range(2016, 2025)
PUBLISHED = Publication.PUBLISHED

# Invented member companies (name, WZ 2008, employees 2024), besides the directory's samples.
INVENTED_MEMBERS: list[tuple[str, str, int]] = [
    ("Rheinufer Fahrzeugwerke GmbH", "29.10", 14_800),
    ("Nordpark Konsumgüter AG", "20.41", 11_900),
    ("Lausward Energie- und Anlagenbau GmbH", "28.11", 9_600),
    ("Heerdter Röhrenwerke GmbH", "24.20", 8_700),
    ("Kö-Bogen Telekommunikationstechnik AG", "26.30", 8_200),
    ("Hafen Düsseldorf Logistikzentrum GmbH", "52.10", 7_400),
    ("Rath Maschinenbau AG", "28.22", 6_900),
    ("Golzheim Pharma GmbH", "21.20", 6_100),
    ("Eller Verpackungstechnik GmbH", "17.21", 5_200),
    ("Volmerswerth Nahrungsmittel GmbH", "10.89", 4_300),
    ("Wersten Kunststoffwerk GmbH", "22.29", 3_800),
    ("Grafenberg Elektronik GmbH", "26.11", 3_100),
    ("Oberkassel Spezialglas AG", "23.19", 2_300),
    ("Unterbilk Medizintechnik GmbH", "32.50", 8_600),
    ("Lörick Bauchemie GmbH", "20.30", 6_400),
]
JOINS_2019 = "Lausward Energie- und Anlagenbau GmbH"
LEAVES_2021 = "Heerdter Röhrenwerke GmbH"
DIRECTORY_MEMBERS = ("DUESSELDORF-SAMPLE-01", "DUESSELDORF-SAMPLE-02", "DUESSELDORF-SAMPLE-04")
# Placeholders for years the reference table lacks (linear between 2018 and 2022).
PLACEHOLDER_GRID = {2019: Decimal("459.25"), 2020: Decimal("450.5"), 2021: Decimal("441.75")}


def activity(employees: int, index: int, year: int) -> dict[str, Any]:
    """Invented, deterministic energy use: per employee in 2016, then efficiency gains, more
    green power and less process CO2 over the years."""
    t = year - 2016
    size = Decimal(employees)
    electricity = size * Decimal(9_000 + 700 * (index % 5))
    gas = size * Decimal(14_000 + 1_500 * (index % 4))
    process = size * Decimal(2 if index % 3 == 0 else 0)
    green_share = Decimal(min(t, 8)) * Decimal("0.045") if index % 2 == 0 else Decimal(0)
    used = electricity * (1 - Decimal("0.015") * t)
    return {
        "electricity_grid_kwh": round(used * (1 - green_share)),
        "green_power_kwh": round(used * green_share),
        "green_power_factor": Decimal(0) if green_share else None,
        "own_renewables_kwh": round(size * 150 * t),
        "natural_gas_kwh": round(gas * (1 - Decimal("0.026") * t)),
        "process_t_co2": round(process * (1 - Decimal("0.04") * t), 1),
        "employees": round(employees * (1 - Decimal("0.004") * (2024 - year))),
    }


@register_demo("climate")
def load(context: DemoContext) -> None:
    """The Industriekreis Düsseldorf's energy reports (Duisburg has no climate network)."""
    actor = context.actor
    masterplan = context.plans[DUESSELDORF]
    by_id = organizations_by_external_id(masterplan)
    members: list[tuple[Organization, int]] = [
        (by_id[key], by_id[key].employees or 100) for key in DIRECTORY_MEMBERS if key in by_id
    ]
    for number, (name, wz, employees) in enumerate(INVENTED_MEMBERS, start=1):
        organization = organization_create(
            actor=actor,
            masterplan=masterplan,
            external_id=f"DUS-IKD-M{number:02d}",
            name=name,
            kind=OrganizationKind.COMPANY,
            sector_wz=wz,
            employees=employees,
            employees_year=2024,
            city="Düsseldorf",
            is_sample=True,
            publication=PUBLISHED,
        )
        members.append((organization, employees))
    for year, value in PLACEHOLDER_GRID.items():
        services.factor_create(
            actor=actor,
            masterplan=masterplan,
            carrier="electricity_grid_mix",
            year=year,
            value=value,
            unit="g CO2/kWh",
            source="Platzhalter der Demo: linear zwischen UBA 2018 und 2022 – durch UBA-Wert ersetzen",
            is_sample=True,
            publication=PUBLISHED,
        )
    services.policy_save(
        actor=actor,
        masterplan=masterplan,
        version=None,
        network=by_id.get("DUS-IKD"),
        base_year=2016,
        significance_percent=Decimal(5),
        target_reduction_percent=Decimal(33),
        target_year=2030,
        target_method="market",
        publication=PUBLISHED,
    )
    for index, (organization, employees) in enumerate(members):
        joined = 2019 if organization.name == JOINS_2019 else 2008 + index % 6
        left = 2021 if organization.name == LEAVES_2021 else None
        services.membership_create(
            actor=actor,
            masterplan=masterplan,
            organization=organization,
            joined_year=joined,
            left_year=left,
            # two of three members agree to publish their own figures; the others are
            # counted in the network total only
            figures_public=index % 3 != 2,
            is_sample=True,
            publication=PUBLISHED,
        )
        for year in YEARS:
            if left is not None and year >= left:
                continue
            if year < joined and year != 2016:
                continue
            if index == 6 and year == 2018:
                continue  # a missing year, shown under data quality
            services.energy_report_create(
                actor=actor,
                masterplan=masterplan,
                organization=organization,
                year=year,
                status=ReportStatus.FINAL if year < 2024 else ReportStatus.SUBMITTED,
                estimated=index == 7 and year == 2024,
                is_sample=True,
                publication=PUBLISHED,
                **activity(employees, index, year),
            )
    services.structural_change_create(
        actor=actor,
        masterplan=masterplan,
        organization=members[4][0],
        year=2020,
        kind=ChangeKind.DIVESTMENT,
        base_year_effect_t=Decimal(-9_000),
        description="Verkauf des Werks Neuss (Beispiel)",
        is_sample=True,
        publication=PUBLISHED,
    )
