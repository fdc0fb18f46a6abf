"""Template helpers for lists: query strings that keep the current filters."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

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
