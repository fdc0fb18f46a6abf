"""Permit figures an indicator can follow (see core/figure_sources.py), as the data stood on a
day: the goal "among the top 10 Oberzentren with the fastest permitting procedures" as the
probability of the own city being in the top 10, and the own authorities' median duration.

Keys: `permits.p_top10` (simplified building permit, § 64 BauO NRW, the most common type and
the one peers publish), `permits.p_top10.<type code>` for every statutory type,
`permits.median_net_days` (all types together) and `permits.median_net_days.<type code>`.
An indicator finds them by key (`Indicator.follows`); nothing here imports the indicators.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from masterplan.core.figure_sources import FigureFunction, register_figure_source
from masterplan.core.models import Masterplan
from masterplan.permits import queries, survival
from masterplan.permits.durations import DEFAULT_RULES
from masterplan.permits.models import ClockStart, ProcedureType, Statistic

TOP = 10
RESAMPLES = 1000
BUILDING_PERMIT = "bauo-nrw-64"


def p_top(masterplan: Masterplan, day: date, code: str, top: int = TOP) -> Decimal | None:
    """P(own city in the top `top`) in percent: the share of bootstrap resamples (1,000, fixed
    seed) in which the own city's Kaplan–Meier median net duration (complete application →
    decision, open procedures censored at `day`) ranks among the `top` shortest of the cities
    measured the same way (records of peers, published KM medians from the complete
    application). None when the type is unknown, the own city has too few procedures or fewer
    than `top` + 1 cities are ranked (then everyone is in the top `top`)."""
    procedure_type = ProcedureType.objects.filter(
        masterplan=masterplan, code=code, deleted_at__isnull=True
    ).first()
    if procedure_type is None:
        return None
    board = queries.benchmark(masterplan=masterplan, as_of=day, top=top, resamples=RESAMPLES)
    for ranking in board.rankings:
        if not (
            ranking.bootstrapped
            and ranking.procedure_type == procedure_type.name
            and ranking.definition.statistic == Statistic.KM_MEDIAN
            and ranking.definition.start == ClockStart.COMPLETE
            and len(ranking.cities) > top
        ):
            continue
        own = [city.rank for city in ranking.cities if city.is_own and city.rank is not None]
        if own:
            return Decimal(repr(100 * own[0].p_top)).quantize(Decimal("0.1"))
    return None


def median_net_days(masterplan: Masterplan, day: date, code: str | None = None) -> Decimal | None:
    """Kaplan–Meier median of the net duration (complete application → decision; withdrawn
    and open procedures censored at their end or at `day`) of the own authorities' procedures
    received by `day`, of one type or of all. None when the median is not reached."""
    cols = queries.columns(masterplan=masterplan, as_of=day)
    days, events, started = cols.durations("net")
    if code is not None:
        wanted = [k for k, t in enumerate(cols.types) if t.code == code]
        if not wanted:
            return None
        chosen = cols.kind[started] == wanted[0]
        days, events = days[chosen], events[chosen]
    if days.size == 0:
        return None
    median = survival.kaplan_meier(days, events).median.days
    return None if median is None else Decimal(int(median))


@register_figure_source(
    "permits.p_top10",
    label=_("Permits: probability of being among the 10 fastest cities (building permits, %)"),
    unit="%",
)
def p_top10(masterplan: Masterplan, day: date) -> Decimal | None:
    return p_top(masterplan, day, BUILDING_PERMIT)


@register_figure_source(
    "permits.median_net_days",
    label=_("Permits: median net duration of the own authorities, all types (days)"),
    unit="Tage",
)
def median_net(masterplan: Masterplan, day: date) -> Decimal | None:
    return median_net_days(masterplan, day)


def per_type(code: str) -> tuple[FigureFunction, FigureFunction]:
    def top10(masterplan: Masterplan, day: date) -> Decimal | None:
        return p_top(masterplan, day, code)

    def median(masterplan: Masterplan, day: date) -> Decimal | None:
        return median_net_days(masterplan, day, code)

    return top10, median


def type_label(template: StrOrPromise, legal_basis: str) -> StrOrPromise:
    """The label of a per-type figure, translated when shown (not at import)."""
    basis = legal_basis.split(";")[0]
    return lazy(lambda: str(template) % {"type": basis}, str)()


for rule in DEFAULT_RULES:
    top10_of_type, median_of_type = per_type(rule.code)
    register_figure_source(
        f"permits.p_top10.{rule.code}",
        label=type_label(
            _("Permits: probability of being among the 10 fastest cities, %(type)s (%%)"),
            rule.legal_basis,
        ),
        unit="%",
    )(top10_of_type)
    register_figure_source(
        f"permits.median_net_days.{rule.code}",
        label=type_label(
            _("Permits: median net duration of the own authorities, %(type)s (days)"),
            rule.legal_basis,
        ),
        unit="Tage",
    )(median_of_type)
