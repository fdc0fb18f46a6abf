"""Number formats of the climate pages: tonnes and signed percentages, localised."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def tonnes(value: Decimal | None, places: int = 1) -> str:
    """1234.56 → "1.234,6" (German) — t CO2 with grouping; "–" for no value."""
    if value is None:
        return "–"
    shown = number_format(round(Decimal(value), places), places, force_grouping=True)
    return shown.replace("-", "\u2212")


@register.filter
def percent(value: Decimal | float | None, places: int = 1) -> str:
    """A share as a signed percentage: -0.3478 → "−34,8 %"."""
    if value is None:
        return "–"
    shown = number_format(round(Decimal(str(value)) * 100, places), places)
    sign = "+" if value > 0 else ""
    return f"{sign}{shown}\u00a0%".replace("-", "\u2212")


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str:
    return mapping.get(key, key)


@register.filter
def rate(value: float | None, places: int = 2) -> str:
    """An unsigned rate: 0.005118 → "0,51 %"."""
    if value is None:
        return "–"
    return f"{number_format(round(Decimal(str(value)) * 100, places), places)}\u00a0%"


@register.filter
def headcount(value: int | None) -> str:
    """An employee count with grouping; "not reported" where none was given (never 0)."""
    if value is None:
        return _("not reported")
    return number_format(value, 0, force_grouping=True)
