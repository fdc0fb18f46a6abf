"""Land figures an indicator can follow (see core/figure_sources.py): the plan's reserve,
take-up and reach as the data stood on a day (all parcels of the plan, drafts included: the
indicator is the plan's own measurement; what it publishes follows the indicator)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from masterplan.core.figure_sources import register_figure_source
from masterplan.core.models import Masterplan
from masterplan.land import queries
from masterplan.land.figures import LandFigures, land_figures


def figures_on(masterplan: Masterplan, day: date) -> LandFigures:
    settings = queries.land_settings(masterplan)
    return land_figures(
        queries.all_parcels_table(masterplan=masterplan),
        queries.take_up_table(masterplan=masterplan),
        as_of=day,
        years=settings.take_up_years,
    )


def rounded(value: float | None, places: str = "0.01") -> Decimal | None:
    return None if value is None else Decimal(repr(value)).quantize(Decimal(places))


@register_figure_source(
    "land.reach_net_years", label=_("Land: reach of the net reserve N / Ā (years)"), unit="a"
)
def reach_net(masterplan: Masterplan, day: date) -> Decimal | None:
    return rounded(figures_on(masterplan, day).reach_net_years)


@register_figure_source(
    "land.reach_gross_years", label=_("Land: reach of the gross reserve G / Ā (years)"), unit="a"
)
def reach_gross(masterplan: Masterplan, day: date) -> Decimal | None:
    return rounded(figures_on(masterplan, day).reach_gross_years)


@register_figure_source(
    "land.net_reserve_ha", label=_("Land: reserve free of restrictions N (ha)"), unit="ha"
)
def net_reserve(masterplan: Masterplan, day: date) -> Decimal | None:
    return rounded(figures_on(masterplan, day).net_reserve_ha)


@register_figure_source(
    "land.annual_take_up_ha", label=_("Land: average annual take-up Ā (ha)"), unit="ha"
)
def annual_take_up(masterplan: Masterplan, day: date) -> Decimal | None:
    return rounded(figures_on(masterplan, day).annual_take_up_ha)
