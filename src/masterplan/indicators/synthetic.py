"""Synthetic indicators for benchmarks (`masterplan generate`): 100 indicators with 200 values
each (20,000 observations per plan; 2,000,000 at state scale with 100 plans) and one target
each, written with bulk inserts, marked as sample data, without audit entries.

Two kinds: monthly values for the whole plan (a random walk with a drift), and yearly values
per organisation, combined by sum or by a mean weighted with an employees indicator.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from masterplan.core.models import Masterplan, Publication
from masterplan.core.synthetic import register_content
from masterplan.indicators.models import Indicator, Observation, Target

INDICATORS_PER_PLAN = 100
VALUES_PER_INDICATOR = 200
ORGANIZATION_SHARE = 0.3  # of the indicators measured per organisation
YEARS_PER_ORGANIZATION_INDICATOR = 8
TOPICS = (
    ("Dauer der Baugenehmigungsverfahren", "Tage", "lower", 90.0),
    ("Gewerbeanmeldungen", "Anmeldungen", "higher", 300.0),
    ("Sofort verfügbare Gewerbeflächen", "ha", "higher", 35.0),
    ("Leerstand in Gewerbegebieten", "%", "lower", 6.0),
    ("Teilnehmende am Wirtschaftsdialog", "Personen", "higher", 80.0),
    ("Ausbildungsverträge", "Verträge", "higher", 120.0),
    ("Energieverbrauch je Beschäftigten", "MWh", "lower", 25.0),
)


def month_starts(count: int, last: date) -> list[date]:
    """The first days of the `count` months up to and including `last`'s month."""
    index = last.year * 12 + last.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def write_content(
    masterplan: Masterplan,
    *,
    organization_ids: list[int],
    person_ids: list[int],
    rng: random.Random,
    today: date,
    batch_size: int,
    size: float = 1.0,
) -> dict[str, int]:
    """Bulk-write one plan's indicators and values; `size` scales the number of indicators."""
    indicator_count = max(2, round(INDICATORS_PER_PLAN * size))
    published = Publication.PUBLISHED
    employees = Indicator.objects.create(
        masterplan=masterplan,
        code="SYN-BESCH",
        name="Beschäftigte der Partnerunternehmen",
        unit="Beschäftigte",
        direction="higher",
        aggregation="sum",
        method="Meldungen der Unternehmen zum 30. Juni.",
        source="synthetisch",
        publication=published,
        is_sample=True,
    )
    members = organization_ids[: VALUES_PER_INDICATOR // YEARS_PER_ORGANIZATION_INDICATOR]
    per_org_count = round(indicator_count * ORGANIZATION_SHARE) if members else 0
    indicators = [employees]
    for n in range(1, indicator_count):
        name, unit, direction, level = TOPICS[n % len(TOPICS)]
        per_org = n < per_org_count
        indicators.append(
            Indicator(
                masterplan=masterplan,
                code=f"SYN-{n:03d}",
                name=f"{name} ({n})",
                unit=unit,
                direction=direction,
                granularity="year" if per_org else "month",
                aggregation=("weighted_mean" if n % 2 else "sum") if per_org else "sum",
                weight_indicator=employees if per_org and n % 2 else None,
                method="Synthetische Werte für Lasttests.",
                source="synthetisch",
                publication=published if n % 10 else Publication.DRAFT,
                is_sample=True,
            )
        )
    Indicator.objects.bulk_create(indicators[1:], batch_size=batch_size)
    years = list(range(today.year - YEARS_PER_ORGANIZATION_INDICATOR + 1, today.year + 1))
    months = month_starts(VALUES_PER_INDICATOR, today)
    observations: list[Observation] = []
    targets: list[Target] = []
    written = 0
    for n, indicator in enumerate(indicators):
        level = TOPICS[n % len(TOPICS)][3] * (5 if indicator is employees else 1)
        drift = rng.uniform(-0.004, 0.006) * (-1 if indicator.direction == "lower" else 1)

        def value(step: int, level: float = level, drift: float = drift) -> Decimal:
            noise = rng.gauss(0, 0.03)
            return Decimal(str(round(max(0.0, level * (1 + drift * step + noise)), 2)))

        if indicator is employees or indicator.granularity == "year":
            for year_index, year in enumerate(years):
                for organization_id in members:
                    observations.append(
                        Observation(
                            masterplan=masterplan,
                            indicator=indicator,
                            granularity="year",
                            period_start=date(year, 1, 1),
                            value=value(year_index * 12),
                            scope="organization",
                            organization_id=organization_id,
                            publication=indicator.publication,
                            is_sample=True,
                        )
                    )
        else:
            observations.extend(
                Observation(
                    masterplan=masterplan,
                    indicator=indicator,
                    granularity="month",
                    period_start=start,
                    value=value(step),
                    scope="masterplan",
                    publication=indicator.publication,
                    is_sample=True,
                )
                for step, start in enumerate(months)
            )
        improve = -0.15 if indicator.direction == "lower" else 0.15
        targets.append(
            Target(
                masterplan=masterplan,
                indicator=indicator,
                value=Decimal(str(round(level * (1 + improve), 2))),
                target_date=date(today.year + 2, 12, 31),
                baseline_value=Decimal(str(level)),
                baseline_date=date(today.year - 5, 12, 31),
                publication=indicator.publication,
                is_sample=True,
            )
        )
        if len(observations) >= batch_size:
            Observation.objects.bulk_create(observations, batch_size=batch_size)
            written += len(observations)
            observations = []
    Observation.objects.bulk_create(observations, batch_size=batch_size)
    written += len(observations)
    Target.objects.bulk_create(targets, batch_size=batch_size)
    return {
        "indicators": len(indicators),
        "observations": written,
        "targets": len(targets),
    }


def delete_content(masterplan: Masterplan) -> None:
    Target.all_objects.filter(masterplan=masterplan).delete()
    Observation.all_objects.filter(masterplan=masterplan).delete()
    Indicator.all_objects.filter(masterplan=masterplan).update(weight_indicator=None)
    Indicator.all_objects.filter(masterplan=masterplan).delete()


register_content("indicators", write=write_content, delete=delete_content)
