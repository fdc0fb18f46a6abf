"""Synthetic plan content for benchmarks (`masterplan generate`).

Each synthetic masterplan gets the default status catalogue, fields of action, goals with key
results, measures (200 by default: state scale with 100 plans holds 20,000) and milestones
(5 per measure: 100,000 at state scale), written with bulk inserts and marked as sample data.
No audit entries are written for synthetic data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from masterplan.core.models import Masterplan, Publication
from masterplan.core.references import create_named
from masterplan.core.synthetic import SyntheticPlan, register_synthetic
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    Health,
    KeyResult,
    Measure,
    MeasureStatus,
    Milestone,
    operational_unit_model,
)
from masterplan.plans.services import DEFAULT_STATUSES

MEASURES_PER_PLAN = 200
MILESTONES_PER_MEASURE = 5
FIELDS = (
    "Industrielle Kernzonen sichern und entwickeln",
    "Strategisches Flächenmanagement",
    "Schnellere Genehmigungsverfahren",
    "Start-ups und Innovation",
    "Fachkräfte und Ausbildung",
    "Klimaschutz in der Industrie",
)
GOAL_TEMPLATES = (
    "Verfahrensdauer für Baugenehmigungen halbieren",
    "Flächenreserven für produzierendes Gewerbe sichern",
    "CO2-Emissionen der Mitgliedsunternehmen gegenüber 2016 senken",
    "Gründungen am Standort verdoppeln",
    "Ausbildungsplätze in MINT-Berufen ausbauen",
    "Industrieakzeptanz in der Stadtgesellschaft stärken",
)
MEASURE_TOPICS = (
    "Workshop Kernzone",
    "Entwicklungsleitlinie",
    "Lotsenstelle Genehmigungen",
    "Digitaler Bauantrag",
    "Gründerstammtisch",
    "Flächenbörse",
    "Energieeffizienz-Netzwerk",
    "Ausbildungsbörse",
    "Wirtschaftsdialog",
    "Brachflächen-Kataster",
    "Mentoring-Programm",
)
MILESTONE_TOPICS = (
    "Auftaktveranstaltung",
    "Bestandsaufnahme abgeschlossen",
    "Konzept beschlossen",
    "Pilotphase gestartet",
    "Zwischenbericht im Lenkungskreis",
    "Abschlussbericht",
)


@dataclass
class PlanContentResult:
    measures: int = 0
    milestones: int = 0


def write_plan_content(
    masterplan: Masterplan,
    *,
    organization_ids: list[int],
    rng: random.Random,
    today: date,
    measures: int = MEASURES_PER_PLAN,
    milestones_per_measure: int = MILESTONES_PER_MEASURE,
    batch_size: int = 2000,
) -> PlanContentResult:
    """Bulk-write one plan's content; call inside the transaction that created the plan."""
    published = Publication.PUBLISHED
    statuses = MeasureStatus.objects.bulk_create(
        MeasureStatus(
            masterplan=masterplan,
            name=name,
            phase=phase,
            default_progress=progress,
            position=position,
            publication=published,
            is_sample=True,
        )
        for position, (name, phase, progress) in enumerate(DEFAULT_STATUSES)
    )
    fields = FieldOfAction.objects.bulk_create(
        FieldOfAction(
            masterplan=masterplan,
            name=name,
            position=position,
            publication=published,
            is_sample=True,
            lead_organization_id=rng.choice(organization_ids),
        )
        for position, name in enumerate(rng.sample(FIELDS, 4))
    )
    goals = Goal.objects.bulk_create(
        Goal(
            masterplan=masterplan,
            field=field,
            statement=f"{rng.choice(GOAL_TEMPLATES)} ({n})",
            responsible_organization_id=rng.choice(organization_ids),
            due_date=today + timedelta(days=rng.randint(180, 1800)),
            is_focus=n == 0,
            position=n,
            publication=published,
            is_sample=True,
        )
        for field in fields
        for n in range(3)
    )
    key_results = []
    for goal in goals:
        baseline = rng.randint(50, 150)
        target = baseline + rng.choice((-1, 1)) * rng.randint(10, 40)
        key_results.append(
            KeyResult(
                masterplan=masterplan,
                goal=goal,
                name=f"Kennzahl zu {goal.statement[:60]}",
                unit="Index",
                baseline_value=baseline,
                baseline_date=date(2020, 1, 1),
                target_value=target,
                target_date=date(2030, 12, 31),
                current_value=baseline + (target - baseline) * rng.random(),
                current_as_of=today,
                publication=published,
                is_sample=True,
            )
        )
    KeyResult.objects.bulk_create(key_results, batch_size=batch_size)
    # Working groups as operational units, made by governance's service (core.references).
    body_ids = list(
        create_named(
            operational_unit_model(),
            actor=None,
            masterplan=masterplan,
            names={f"AG {name.split()[0]}": published == Publication.PUBLISHED for name in FIELDS},
            is_sample=True,
        ).values()
    )
    measure_objects, starts = [], []
    for n in range(measures):
        status = rng.choice(statuses)
        health = rng.choices(list(Health), weights=(7, 2, 1))[0]
        start = today - timedelta(days=rng.randint(0, 900))
        starts.append(start)
        measure_objects.append(
            Measure(
                masterplan=masterplan,
                goal=rng.choice(goals),
                title=f"{rng.choice(MEASURE_TOPICS)} {n + 1}",
                lead_organization_id=rng.choice(organization_ids),
                status=status,
                health=health,
                health_reason="" if health == Health.GREEN else "Verzögerung bei Zulieferungen",
                planned_start=start,
                planned_end=start + timedelta(days=rng.randint(90, 900)),
                actual_start=start if status.phase != MeasureStatus.Phase.NOT_STARTED else None,
                operational_body_id=rng.choice(body_ids),
                publication=published,
                is_sample=True,
            )
        )
    Measure.objects.bulk_create(measure_objects, batch_size=batch_size)
    milestones = []
    for measure, start in zip(measure_objects, starts, strict=True):
        for k in range(milestones_per_measure):
            due = start + timedelta(days=60 * (k + 1))
            achieved = None
            if due < today and rng.random() < 0.8:
                achieved = due + timedelta(days=rng.randint(-10, 30))
            milestones.append(
                Milestone(
                    masterplan=masterplan,
                    measure=measure,
                    title=f"{rng.choice(MILESTONE_TOPICS)} ({k + 1})",
                    due=due,
                    achieved_on=achieved,
                    publication=published,
                    is_sample=True,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=batch_size)
    return PlanContentResult(measures=len(measure_objects), milestones=len(milestones))


def delete_plan_content(masterplan: Masterplan) -> None:
    """Everything write_plan_content wrote, children first (measures protect organisations)."""
    for model in (Milestone, Measure, KeyResult, Goal, FieldOfAction, MeasureStatus):
        model.all_objects.filter(masterplan=masterplan).delete()


def write(plan: SyntheticPlan) -> dict[str, int]:
    """The plan content of one generated masterplan, led by the directory's organisations."""
    result = write_plan_content(
        plan.masterplan,
        organization_ids=plan.ids["organizations"],
        rng=plan.rng,
        today=plan.today,
        measures=plan.amount("measures", MEASURES_PER_PLAN),
        batch_size=plan.batch_size,
    )
    return {"measures": result.measures, "milestones": result.milestones}


register_synthetic("plans", write=write, delete=delete_plan_content)
