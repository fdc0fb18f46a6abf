"""Number formats of the climate pages: tonnes and signed percentages, localised."""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


# The reference table (shared/reference/emission-factors-de.csv) describes its sources in
# English; these phrases of it are shown in the interface language.
REFERENCE_PHRASES = {
    "direct CO2, German electricity mix": gettext_lazy("direct CO2, German electricity mix"),
    "including upstream chain": gettext_lazy("including upstream chain"),
    "net calorific value, combustion only": gettext_lazy("net calorific value, combustion only"),
    "estimate published May 2017": gettext_lazy("estimate published May 2017"),
    "press estimate": gettext_lazy("press estimate"),
    "fact sheet after UBA table of": gettext_lazy("fact sheet after UBA table of"),
    "as used by": gettext_lazy("as used by"),
    "preliminary": gettext_lazy("preliminary"),
    "estimate": gettext_lazy("estimate"),
    "final": gettext_lazy("final"),
}


@register.filter
def reference_text(text: str) -> str:
    """A source or status of the reference table with its English phrases translated (longest
    first, whole words only); other text as it was entered."""
    if not text:
        return text
    for phrase in sorted(REFERENCE_PHRASES, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(phrase)}\b", str(REFERENCE_PHRASES[phrase]), text)
    return text
