"""The demo: the two seed partnerships, filled in by every app that has demo data.

The masterplans themselves (the tenants) are defined here, at the bottom, so that every app
can name them; each app adds its part from `<app>/demo.py`:

    from masterplan.core.demo import DemoContext, register_demo

    @register_demo("governance")
    def load(context: DemoContext) -> None: ...

`load_demo` runs the loaders in the order of INSTALLED_APPS (the layers), so an app finds the
rows of the apps below it in the database. `masterplan demo` (site) calls it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from masterplan.core.models import Masterplan, Publication
from masterplan.core.registry import Registry

DUESSELDORF = "duesseldorf"
DUISBURG = "duisburg"


@dataclass(frozen=True)
class DemoPlan:
    """One seed partnership as a tenant (see ../shared/seeds/)."""

    slug: str
    name: str
    city: str
    ags: str
    description: str
    signed_on: date | None = None

    def fields(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "name": self.name,
            "slug": self.slug,
            "city": self.city,
            "ags": self.ags,
            "description": self.description,
            "publication": Publication.PUBLISHED,
        }
        if self.signed_on is not None:
            values["signed_on"] = self.signed_on
        return values


DEMO_PLANS = (
    DemoPlan(
        slug=DUESSELDORF,
        name="Masterplan Industrie Düsseldorf",
        city="Düsseldorf",
        ags="05111000",
        description=(
            "Initiative von Stadt, IHK, Industrieunternehmen, Verbänden und Vereinen zur "
            "Sicherung und Weiterentwicklung des Industriestandortes Düsseldorf: Qualifizierung "
            "der Kernzonen, strategisches Flächenmanagement, Industrieakzeptanz und Klimaschutz."
        ),
    ),
    DemoPlan(
        slug=DUISBURG,
        name="Masterplan Wirtschaft für Duisburg",
        city="Duisburg",
        ags="05112000",
        signed_on=date(2017, 3, 1),
        description=(
            "Im März 2017 von Stadt, IHK und Unternehmerverband unterzeichnet; die Großzahl der "
            "Projekte ist umgesetzt. Jetzt mit klarem Fokus auf zentrale Themen: schnellere "
            "Genehmigungsverfahren, Start-ups und der Wirtschaftsdialog."
        ),
    ),
)


@dataclass
class DemoContext:
    """What every demo loader gets: who writes, the day invented dates count from, the plans."""

    actor: Any
    today: date
    plans: dict[str, Masterplan] = field(default_factory=dict)

    @classmethod
    def start(
        cls, *, actor: Any, today: date, create_plan: Callable[[DemoPlan], Masterplan]
    ) -> DemoContext:
        """A context with the demo masterplans created by `create_plan` (the service that
        creates a tenant with everything a new masterplan starts with)."""
        return cls(
            actor=actor, today=today, plans={plan.slug: create_plan(plan) for plan in DEMO_PLANS}
        )


DemoLoader = Callable[[DemoContext], None]

demo_loaders: Registry[DemoLoader] = Registry("demo")


def register_demo(app_label: str) -> Callable[[DemoLoader], DemoLoader]:
    """Decorator for the demo loader of an app's demo.py (one per app)."""

    def decorator(loader: DemoLoader) -> DemoLoader:
        return demo_loaders.add(loader, key=f"{app_label}.demo")

    return decorator


def demo_exists() -> bool:
    return Masterplan.all_objects.filter(slug__in=[plan.slug for plan in DEMO_PLANS]).exists()


def load_demo(
    *, actor: Any, today: date, create_plan: Callable[[DemoPlan], Masterplan]
) -> Mapping[str, Masterplan]:
    """Create the demo masterplans and let every app's loader fill them in; call inside a
    transaction (the demo is all or nothing)."""
    context = DemoContext.start(actor=actor, today=today, create_plan=create_plan)
    for loader in demo_loaders:
        loader(context)
    return context.plans
