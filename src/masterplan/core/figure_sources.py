"""Figures a module computes that an indicator of the plan can follow.

Land's reserve and reach, say, are computed from parcels and take-up as of any day; an
indicator "reach of the net reserve (years)" with a key result "≥ 8 years" should follow them
without anyone typing the numbers in. A module registers its figures in `<app>/figure_sources.py`:

    @register_figure_source("land.reach_net_years", label=_("Reach of the net reserve"),
                            unit="Jahre")
    def reach(masterplan: Masterplan, day: date) -> Decimal | None: ...

The function gives the figure as the data stood on `day` (None: not meaningful then), and the
indicators module records it per period (indicators.services.indicator_follow_source).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django_stubs_ext import StrOrPromise

from masterplan.core.models import Masterplan
from masterplan.core.registry import Registry

FigureFunction = Callable[[Masterplan, date], Decimal | None]


@dataclass(frozen=True)
class FigureSource:
    key: str
    label: StrOrPromise
    unit: str
    value: FigureFunction


figure_sources: Registry[FigureSource] = Registry("figure_sources")


def register_figure_source(
    key: str, *, label: StrOrPromise, unit: str
) -> Callable[[FigureFunction], FigureFunction]:
    def decorator(value: FigureFunction) -> FigureFunction:
        figure_sources.add(FigureSource(key, label, unit, value), key=key)
        return value

    return decorator


def source_choices() -> list[tuple[str, StrOrPromise]]:
    return [(source.key, source.label) for source in figure_sources]


def figure_source(key: str) -> FigureSource | None:
    return next((source for source in figure_sources if source.key == key), None)
