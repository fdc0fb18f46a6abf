"""`masterplan generate`: synthetic masterplans for load tests and benchmarks."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masterplan.core import synthetic
from masterplan.core.synthetic import GenerationResult, PlanSpec, SyntheticDataExists
from masterplan.directory.synthetic import ORGANIZATIONS_PER_PLAN, PEOPLE_PER_PLAN
from masterplan.plans.synthetic import MEASURES_PER_PLAN


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Create synthetic masterplans in the configured database: scale 1 is a city (one "
        "masterplan with 2,000 organisations and 5,000 people with affiliations, and its "
        "measures and milestones), scale 100 a state (100 masterplans, 200,000 organisations, "
        "500,000 people). Names are realistic "
        "and invented; every row is marked as sample data; the same seed gives the same data. "
        "Rows are written in bulk, without the services: there is no validation per row and "
        "no audit trail for synthetic data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=positive,
            default=1,
            help="Number of masterplans (1 = city, 100 = state). Default: 1.",
        )
        parser.add_argument(
            "--organizations",
            type=positive,
            default=ORGANIZATIONS_PER_PLAN,
            help="Organisations per masterplan (default: %(default)s).",
        )
        parser.add_argument(
            "--people",
            type=int,
            default=PEOPLE_PER_PLAN,
            help="People per masterplan (default: %(default)s).",
        )
        parser.add_argument(
            "--measures",
            type=int,
            default=MEASURES_PER_PLAN,
            help="Measures per masterplan, each with its milestones (default: %(default)s).",
        )
        parser.add_argument(
            "--content-size",
            type=synthetic.content_size,
            default=1.0,
            help="Share of the default governance, indicator and climate content per masterplan "
            "(1: 1,000 meetings, 100 indicators, 25 member companies; default: %(default)s).",
        )
        parser.add_argument(
            "--plan-prefix",
            default=synthetic.DEFAULT_PREFIX,
            help="Start of the generated plans' short names, e.g. gen-001-duesseldorf, so "
            "that they never collide with real or demo plans (default: %(default)s).",
        )
        parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED, help="Random seed.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the synthetic plans with this prefix first (otherwise the command "
            "refuses to run when they exist).",
        )

    def handle(
        self,
        *args: Any,
        scale: int,
        organizations: int,
        people: int,
        measures: int,
        content_size: float,
        plan_prefix: str,
        seed: int,
        replace: bool,
        **options: Any,
    ) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,19}", plan_prefix):
            raise CommandError("--plan-prefix: up to 20 lower-case letters, digits and dashes.")
        if people < 0 or measures < 0:
            raise CommandError("--people and --measures must not be negative.")
        verbosity = int(options.get("verbosity", 1))
        if replace:
            removed = synthetic.delete_synthetic(plan_prefix)
            if removed and verbosity:
                self.stdout.write(f"Deleted {removed} synthetic masterplan(s) “{plan_prefix}-…”.")
        every = max(1, scale // 10)

        def progress(spec: PlanSpec, result: GenerationResult) -> None:
            if verbosity >= 2 or (verbosity and (spec.number % every == 0)):
                self.stdout.write(f"  {spec.number:>4}/{scale}  {spec.slug:<40} {result.summary()}")

        try:
            result = synthetic.generate(
                scale=scale,
                amounts={"organizations": organizations, "people": people, "measures": measures},
                content_size=content_size,
                prefix=plan_prefix,
                seed=seed,
                progress=progress,
            )
        except SyntheticDataExists as error:
            raise CommandError(f"{error} (--replace deletes them.)") from error
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {result.masterplans:,} masterplan(s) with {result.summary()} "
                    f"in {result.seconds:.1f} s "
                    f"({result.rows / max(result.seconds, 1e-9):,.0f} rows/s)."
                )
            )
