"""Template helpers: query strings that keep the current filters, sort headers, periods."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from masterplan.core.wz2008 import sector_label

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (None or "" removes them)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.inclusion_tag("core/_sort_header.html", takes_context=True)
def sort_header(
    context: dict[str, Any], key: str, label: str, numeric: bool = False
) -> dict[str, Any]:
    """A column header that sorts the list, with aria-sort for screen readers."""
    current = context.get("sort", "")
    active = current.lstrip("-") == key
    descending = active and current.startswith("-")
    next_sort = key if not active or descending else f"-{key}"
    return {
        "request": context["request"],
        "key": key,
        "label": label,
        "numeric": numeric,
        "next_sort": next_sort,
        "aria_sort": ("descending" if descending else "ascending") if active else "none",
        "active": active,
    }


@register.simple_tag
def period(start: date | None, end: date | None) -> str:
    """A span of dates as people say it: "01.03.2025 – 30.06.2026", "from 01.03.2025",
    "until 30.06.2026", or "no dates yet" when neither is known (never "? – ?")."""

    def short(day: date) -> str:
        return date_format(day, "SHORT_DATE_FORMAT")

    if start and end:
        return f"{short(start)} – {short(end)}"
    if start:
        return _("from %(start)s") % {"start": short(start)}
    if end:
        return _("until %(end)s") % {"end": short(end)}
    return _("no dates yet")


@register.filter
def wz(code: str | None) -> str:
    """A WZ 2008 code with the title of its division in the interface language."""
    return sector_label(code) if code else ""
