"""Template filters of the land pages: areas and distances in the interface's number format."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import number_format

register = template.Library()


def rounded(value: float, decimals: int) -> str:
    """Rounded half away from zero (number_format alone cuts the digits off: 16.67 → 16.6),
    in the interface's number format with grouping."""
    quantum = Decimal(1).scaleb(-decimals)
    exact = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return number_format(exact, decimals, force_grouping=True)


@register.filter
def hectares(square_metres: Any, decimals: int = 2) -> str:
    """12,345 m² → "1,23" (German) / "1.23" (English): hectares with grouping."""
    if square_metres in (None, ""):
        return ""
    return rounded(float(square_metres) / 10_000, decimals)


@register.filter
def square_metres(value: Any) -> str:
    """12345.6 → "12.346" (German): whole square metres with grouping."""
    if value in (None, ""):
        return ""
    return rounded(float(value), 0)


@register.filter
def decimal(value: Any, decimals: int = 1) -> str:
    if value in (None, ""):
        return ""
    return rounded(float(value), decimals)


@register.filter
def stale(parcel: Any, months: int = 12) -> bool:
    """Whether the parcel's data was last confirmed more than `months` months ago."""
    return bool(parcel.is_stale(timezone.localdate(), int(months)))


@register.filter
def percent(share: Any, decimals: int = 1) -> str:
    """0.3 → "30,0 %" (German) / "30.0 %"."""
    if share in (None, ""):
        return ""
    return f"{rounded(float(share) * 100, decimals)} %"
