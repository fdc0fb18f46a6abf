"""Sorting, searching and paging shared by list pages, API lists and exports (see filters.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import F, Model, Q, QuerySet
from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound=Model)

PER_PAGE_CHOICES = (25, 50, 100)


@dataclass(frozen=True)
class SortOption:
    key: str
    label: StrOrPromise
    order_by: tuple[str, ...]


def search_condition(text: str, fields: tuple[str, ...]) -> Q:
    """Every word (up to eight) occurs in at least one of the fields (case-insensitive)."""
    condition = Q()
    for term in text.split()[:8]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__casefold_contains": term})
        condition &= any_field
    return condition


def apply_sort(
    qs: QuerySet[M], options: tuple[SortOption, ...], sort: str
) -> tuple[QuerySet[M], str]:
    """Order by a known option; `-key` reverses it. Unknown keys fall back to the first option."""
    key = sort.lstrip("-")
    option = next((o for o in options if o.key == key), options[0])
    descending = sort.startswith("-") and option.key == key
    ordering = []
    for name in option.order_by:
        reverse = name.startswith("-") != descending
        column = F(name.lstrip("-"))
        # Empty values last in both directions, the same on SQLite and PostgreSQL.
        ordering.append(column.desc(nulls_last=True) if reverse else column.asc(nulls_last=True))
    return qs.order_by(*ordering), ("-" if descending else "") + option.key


def paginate(qs: QuerySet[M], page: Any, per_page: Any = 25) -> Page[M]:
    try:
        size = int(per_page)
    except (TypeError, ValueError):
        size = PER_PAGE_CHOICES[0]
    if size not in PER_PAGE_CHOICES:
        size = PER_PAGE_CHOICES[0]
    return Paginator(qs, size).get_page(page)
