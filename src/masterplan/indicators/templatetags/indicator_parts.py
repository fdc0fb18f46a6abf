"""The long tables of an indicator's page, written in Python: the series (one row per period)
and the recorded values (one row per observation, 200 and more for a monthly indicator).

In Django's template engine each row cost a `{% url %}` per link, a `floatformat`, choice
labels and translations, which made up most of the page's time. The markup is the one the
template had (see `plans/templatetags/plan_parts.py` for the plan's tables).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import template
from django.db.models import Field
from django.template.context import Context
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from masterplan.core.markup import escape, url_for_pk
from masterplan.indicators.figures import SeriesValue
from masterplan.indicators.models import Observation

register = template.Library()


def number(value: float | Decimal) -> str:
    return escape(floatformat(value, "-2g"))


def choice_labels(field_name: str) -> dict[Any, str]:
    """An observation field's choices with their labels, as get_<field>_display writes them."""
    field = Observation._meta.get_field(field_name)
    assert isinstance(field, Field)
    return {value: escape(label) for value, label in field.flatchoices}


@register.simple_tag(takes_context=True)
def series_rows(context: Context, values: Iterable[SeriesValue], basis: bool = True) -> SafeString:
    """The rows of a table of the series, one per period: the period, the value in the
    context's `indicator`'s unit and, with `basis`, what the value was made of."""
    unit = escape(context["indicator"].unit)
    whole_plan = escape(gettext("value for the whole masterplan"))
    combined: dict[int, str] = {}
    rows = []
    for v in values:
        row = (
            '<tr class="kern-table__row"><th scope="row" class="kern-table__cell">'
            f"{escape(v.label)}</th>"
            '<td class="kern-table__cell kern-table__cell--numeric">'
            f"{number(v.value)} {unit}</td>"
        )
        if not basis:
            rows.append(f"{row}</tr>")
            continue
        if v.basis == "masterplan":
            made_of = whole_plan
        else:
            if v.organizations not in combined:
                combined[v.organizations] = ngettext(
                    "combined from %(n)s organisation",
                    "combined from %(n)s organisations",
                    v.organizations,
                ) % {"n": escape(localize(v.organizations))}
            made_of = combined[v.organizations]
        rows.append(f'{row}<td class="kern-table__cell">{made_of}</td></tr>\n  ')
    return mark_safe("".join(rows))  # every value is escaped


@register.simple_tag(takes_context=True)
def observation_rows(context: Context, observations: Iterable[Observation]) -> SafeString:
    """The rows of the table of recorded values; `editable` is set on each by the view."""
    slug = context["masterplan"].slug
    edit_url = url_for_pk("indicators:observation_edit", slug)
    delete_url = url_for_pk("indicators:observation_delete", slug)
    unit = escape(context["indicator"].unit)
    scopes, statuses = choice_labels("scope"), choice_labels("status")
    sample = escape(gettext("sample data"))
    edit, delete = escape(gettext("Edit")), escape(gettext("Delete"))
    rows = []
    for o in observations:
        period = escape(o.period_label)
        if o.scope == "organization":
            scope = escape(o.organization.name) if o.organization else ""
        elif o.scope == "region":
            scope = escape(o.region_name or o.region_code)
        else:
            scope = scopes.get(o.scope, escape(o.scope))
        if getattr(o, "editable", False):
            actions = (
                f'<a class="kern-link" href="{edit_url(o.pk)}">{edit}<span class="visually-hidden"'
                f"> – {period}</span></a> "
                f'<a class="kern-link" href="{delete_url(o.pk)}">{delete}<span '
                f'class="visually-hidden"> – {period}</span></a>'
            )
        else:
            actions = "–"
        rows.append(
            '<tr class="kern-table__row">'
            f'\n    <td class="kern-table__cell">{period}</td>'
            f'\n    <td class="kern-table__cell">{scope}</td>'
            f'\n    <td class="kern-table__cell kern-table__cell--numeric">{number(o.value)} {unit}'
            "</td>"
            f'\n    <td class="kern-table__cell">{statuses.get(o.status, escape(o.status))}'
            + (f" ({sample})" if o.is_sample else "")
            + "</td>"
            f'\n    <td class="kern-table__cell">{escape(o.source or "–")}</td>'
            f'\n    <td class="kern-table__cell">{actions}</td>'
            "\n  </tr>\n  "
        )
    return mark_safe("".join(rows))  # every value is escaped
