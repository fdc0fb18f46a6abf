"""The filter spec: one definition makes the page's form, the API's query schema and the rows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from ninja import Schema

from masterplan.core.filters import (
    Choice,
    FilterSpec,
    ListContext,
    Ref,
    Search,
    Text,
    Year,
    visible,
)
from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization, OrganizationKind
from tests.factories import OrganizationFactory

SPEC = FilterSpec(
    Organization,
    Search("q", fields=("name", "city")),
    Choice("kind", label="Kind", choices=OrganizationKind.choices),
    Text("city", lookup="city__iexact", max_length=20, form=False),
    Ref("parent", lookup="parent_id", label="Parent", empty="All", choices=visible(Organization)),
)


@SPEC.schema
class ExampleFilter(Schema):
    pass


def names(rows: Any) -> list[str]:
    return sorted(o.name for o in rows)


def test_the_schema_keeps_the_class_name_and_takes_the_api_filters() -> None:
    schema = ExampleFilter.model_json_schema()
    assert ExampleFilter.__name__ == "ExampleFilter"
    assert list(schema["properties"]) == ["q", "kind", "city", "parent"]
    assert schema["properties"]["q"] == {
        "default": "",
        "maxLength": 200,
        "title": "Q",
        "type": "string",
    }
    assert ExampleFilter(parent=3).dict() == {"q": "", "kind": "", "city": "", "parent": 3}


def test_the_form_has_the_page_filters_only(plan: Masterplan, viewer: Any) -> None:
    form = SPEC.form({}, ListContext(viewer, plan))
    assert list(form.fields) == ["q", "kind", "parent"]


def test_an_invalid_value_counts_as_not_given(plan: Masterplan, viewer: Any) -> None:
    form = SPEC.form({"q": "hafen", "kind": "<script>", "parent": "x"}, ListContext(viewer, plan))
    assert form.values() == {"q": "hafen"}


def test_drop_downs_offer_only_rows_the_user_may_see(plan: Masterplan, viewer: Any) -> None:
    OrganizationFactory(masterplan=plan, name="Öffentlich GmbH")
    OrganizationFactory(masterplan=plan, name="Entwurf GmbH", publication=Publication.DRAFT)

    def offered(user: Any) -> list[str]:
        field = SPEC.form({}, ListContext(user, plan)).fields["parent"]
        return [str(label) for value, label in field.choices if value]

    assert offered(AnonymousUser()) == ["Öffentlich GmbH"]
    assert offered(viewer) == ["Entwurf GmbH", "Öffentlich GmbH"]


def test_apply_filters_the_visible_rows(plan: Masterplan) -> None:
    OrganizationFactory(masterplan=plan, name="Hafen Logistik", city="Duisburg")
    OrganizationFactory(masterplan=plan, name="Hafen Kammer", kind=OrganizationKind.CHAMBER)
    OrganizationFactory(masterplan=plan, name="Rhein Logistik", city="Moers")
    context = ListContext(AnonymousUser(), plan)
    rows = SPEC.rows(context)
    assert names(SPEC.apply(rows, {"q": "hafen"}, context)) == ["Hafen Kammer", "Hafen Logistik"]
    assert names(SPEC.apply(rows, {"q": "logistik moers"}, context)) == ["Rhein Logistik"]
    assert names(SPEC.apply(rows, {"kind": "chamber", "q": ""}, context)) == ["Hafen Kammer"]
    assert names(SPEC.apply(rows, {"city": "MOERS"}, context)) == ["Rhein Logistik"]


def test_an_unknown_filter_is_an_error_not_ignored(plan: Masterplan) -> None:
    context = ListContext(AnonymousUser(), plan)
    with pytest.raises(TypeError, match="no filter"):
        SPEC.apply(SPEC.rows(context), {"colour": "red"}, context)


def test_is_filtered_ignores_blank_values() -> None:
    assert not SPEC.is_filtered({"q": "", "kind": "", "parent": None})
    assert SPEC.is_filtered({"parent": 4})


def test_two_filters_of_one_name_are_refused() -> None:
    with pytest.raises(ValueError, match="same name"):
        FilterSpec(Organization, Text("city"), Text("city"))


def test_a_year_is_its_calendar_days_and_one_out_of_range_matches_nothing() -> None:
    received = Year("year", lookup="received")
    context = ListContext(AnonymousUser(), Masterplan(name="Duisburg"))
    assert received.where(2026, context) == Q(
        received__gte=date(2026, 1, 1), received__lte=date(2026, 12, 31)
    )
    assert received.where(99999, context) == Q(pk__in=[])  # no date out of range, no 500
    assert received.where(None, context) is None
    in_1990 = Q(on__gte=date(1990, 1, 1), on__lte=date(1990, 12, 31))
    assert Year("on").where(1990, context) == in_1990  # the lookup defaults to the name
