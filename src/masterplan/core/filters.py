"""One filter definition per list: the page's filter form, the API's query schema, the export.

A module declares a `FilterSpec` for each of its lists in its queries.py: the model and the
filters, each of which knows
- its field in the page's filter form (`form_field`; drop-downs are filled from the rows the
  user may see, see `visible` and `referenced`),
- its parameter in the API's query schema (`api_field`: type, default, limits, description),
- its condition on the rows (`where`: a Q, or None when the value means "no filter").

Then
- the page builds its form with `spec.form(request.GET, context)` and reads `form.values()`,
- the API declares its query schema by decorating an empty `Schema` class in api.py with
  `@spec.schema` (the class keeps its name in the OpenAPI document; the spec gives the fields),
- the query (`queries.py`) filters with `spec.apply(rows, values, context)` and sorts with
  `spec.order(rows, values)`,
- the export reads the page's form from the export link, which carries the page's query, so the
  file holds exactly the rows on screen.

A filter that only the API knows (or only the page) says so with `form=False` (`api=False`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, ClassVar, TypeVar, cast

from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from ninja import Field, Schema
from pydantic import create_model

from masterplan.core.actors import Actor
from masterplan.core.forms import style_widgets
from masterplan.core.lists import PER_PAGE_CHOICES, SortOption, apply_sort, search_condition
from masterplan.core.models import Masterplan, PlanScopedModel

ALL = _("All")  # the empty choice of a drop-down

M = TypeVar("M", bound=Model)
S = TypeVar("S", bound=Schema)


@dataclass(frozen=True)
class ListContext:
    """Whom a list is for (visibility, choices) and the day its date conditions refer to."""

    user: Actor
    masterplan: Masterplan
    today: date = field(default_factory=timezone.localdate)


Condition = Callable[[Any, ListContext], Q]
Choices = Callable[[QuerySet[Any], ListContext], Iterable[tuple[Any, StrOrPromise]]]


@dataclass(frozen=True)
class Filter:
    """One filter of a list; `name` is the query parameter and the form field's name."""

    name: str
    _: KW_ONLY
    label: StrOrPromise = ""
    lookup: str = ""  # the lookup the value is compared with; default: the name
    condition: Condition | None = None  # instead of the lookup: (value, context) -> Q
    form: bool = True  # a field of the page's filter form (which the export reads too)
    api: bool = True  # a parameter of the API's query schema
    description: str = ""  # in the API document

    def is_blank(self, value: Any) -> bool:
        """Values that mean "no filter"."""
        return value is None or value == "" or value is False

    def where(self, value: Any, context: ListContext) -> Q | None:
        if self.is_blank(value):
            return None
        if self.condition is not None:
            return self.condition(value, context)
        return Q(**{self.lookup or self.name: value})

    def api_field(self) -> tuple[Any, Any]:
        raise NotImplementedError

    def form_field(self) -> forms.Field:
        raise NotImplementedError

    def prepare(self, form_field: forms.Field, rows: QuerySet[Any], context: ListContext) -> None:
        """Fill the form field's choices for this user (most filters have none)."""

    def api_default(self, default: Any, **extra: Any) -> Any:
        """The default, as a pydantic Field when the API document says more about it."""
        extra = {k: v for k, v in extra.items() if v}
        if self.description:
            extra["description"] = self.description
        return Field(default, **extra) if extra else default


@dataclass(frozen=True)
class Search(Filter):
    """Every word (up to eight) occurs in at least one of the fields, case-insensitive."""

    fields: tuple[str, ...] = ()
    max_length: int = 200

    def where(self, value: Any, context: ListContext) -> Q | None:
        return None if self.is_blank(value) else search_condition(value, self.fields)

    def api_field(self) -> tuple[Any, Any]:
        return str, self.api_default("", max_length=self.max_length)

    def form_field(self) -> forms.Field:
        return forms.CharField(
            label=self.label or _("Search"), required=False, max_length=self.max_length
        )


@dataclass(frozen=True)
class Text(Filter):
    """A text compared with the lookup (`city__iexact`, `sector_wz__startswith`, …)."""

    max_length: int | None = None  # of the form field
    api_max_length: int | None = None

    def api_field(self) -> tuple[Any, Any]:
        return str, self.api_default("", max_length=self.api_max_length)

    def form_field(self) -> forms.Field:
        return forms.CharField(label=self.label, required=False, max_length=self.max_length)


@dataclass(frozen=True)
class Choice(Filter):
    """One of fixed choices; `api_type` an enumeration makes the API parameter one too."""

    choices: Sequence[tuple[str, StrOrPromise]] = ()
    empty: StrOrPromise = ALL
    api_type: Any = str

    def api_field(self) -> tuple[Any, Any]:
        if self.api_type is str:
            return str, self.api_default("")
        return self.api_type | None, self.api_default(None)

    def form_field(self) -> forms.Field:
        return forms.ChoiceField(
            label=self.label, required=False, choices=[("", self.empty), *self.choices]
        )


@dataclass(frozen=True)
class Ref(Filter):
    """The id of a related row. With `choices` the page offers a drop-down of the rows the
    user may see; without, the form field is a hidden number (set by links)."""

    empty: StrOrPromise = ""
    choices: Choices | None = None

    def api_field(self) -> tuple[Any, Any]:
        return int | None, self.api_default(None)

    def form_field(self) -> forms.Field:
        if self.choices is None:
            return forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
        return forms.TypedChoiceField(
            label=self.label, required=False, coerce=int, empty_value=None
        )

    def prepare(self, form_field: forms.Field, rows: QuerySet[Any], context: ListContext) -> None:
        if self.choices is not None and isinstance(form_field, forms.ChoiceField):
            found = ((str(pk), label) for pk, label in self.choices(rows, context))
            form_field.choices = [("", self.empty), *found]


@dataclass(frozen=True)
class Number(Filter):
    """A whole number compared with the lookup (a year)."""

    value_type: ClassVar[Any] = int
    form_class: ClassVar[type[forms.Field]] = forms.IntegerField

    def api_field(self) -> tuple[Any, Any]:
        return self.value_type | None, self.api_default(None)

    def form_field(self) -> forms.Field:
        return self.form_class(label=self.label, required=False)


def in_year(lookup: str, year: int) -> Q:
    """The rows whose date `lookup` ("received", "on") falls in a calendar year; a year outside
    1900–2100 matches nothing (never a 500 for a date out of range)."""
    if not 1900 <= year <= 2100:
        return Q(pk__in=[])
    return Q(**{f"{lookup}__gte": date(year, 1, 1), f"{lookup}__lte": date(year, 12, 31)})


@dataclass(frozen=True)
class Year(Number):
    """A calendar year of the date field `lookup` (default: the name); see `in_year`."""

    def where(self, value: Any, context: ListContext) -> Q | None:
        return None if self.is_blank(value) else in_year(self.lookup or self.name, value)


@dataclass(frozen=True)
class Day(Number):
    """A date compared with the lookup (`due__gte`)."""

    value_type: ClassVar[Any] = date
    form_class: ClassVar[type[forms.Field]] = forms.DateField


@dataclass(frozen=True)
class Flag(Filter):
    """A check box: when set, only the rows that meet the condition."""

    def api_field(self) -> tuple[Any, Any]:
        return bool, self.api_default(False)

    def form_field(self) -> forms.Field:
        return forms.BooleanField(label=self.label, required=False)


@dataclass(frozen=True)
class YesNo(Filter):
    """Yes, no or either: the condition (`value` True or False), or no filter."""

    yes: StrOrPromise = ""
    no: StrOrPromise = ""
    empty: StrOrPromise = ALL

    def is_blank(self, value: Any) -> bool:
        return value is None

    def api_field(self) -> tuple[Any, Any]:
        return bool | None, self.api_default(None)

    def form_field(self) -> forms.Field:
        return forms.TypedChoiceField(
            label=self.label,
            required=False,
            choices=[("", self.empty), ("1", self.yes), ("0", self.no)],
            coerce=lambda v: v == "1",
            empty_value=None,
        )


@dataclass(frozen=True)
class Sort(Filter):
    """The order of a list (`-key` reverses it); the page keeps it in a hidden field."""

    options: tuple[SortOption, ...] = ()
    default: str = ""

    def where(self, value: Any, context: ListContext) -> Q | None:
        return None

    def api_field(self) -> tuple[Any, Any]:
        return str, self.api_default(self.default or self.options[0].key)

    def form_field(self) -> forms.Field:
        return forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)


@dataclass(frozen=True)
class PerPage(Filter):
    """Rows per page of the page's list (the API pages with its own parameters)."""

    def where(self, value: Any, context: ListContext) -> Q | None:
        return None

    def form_field(self) -> forms.Field:
        return forms.TypedChoiceField(
            label=_("Rows per page"),
            choices=[(n, n) for n in PER_PAGE_CHOICES],
            coerce=int,
            required=False,
            empty_value=str(PER_PAGE_CHOICES[0]),
        )


def sort(options: tuple[SortOption, ...], *, api: bool = True) -> Sort:
    return Sort("sort", options=options, default=options[0].key, api=api)


def per_page() -> PerPage:
    return PerPage("per_page", api=False)


# --- Choices of drop-downs: only what the user may see ------------------------------------------


Label = str | Callable[[Any], StrOrPromise]  # a field's name, or a function of the row


def pairs(
    found: QuerySet[Any], label: Label, order: tuple[str, ...]
) -> Iterable[tuple[Any, StrOrPromise]]:
    """(id, label) of the rows, in `order` (or the model's own order)."""
    if order:
        found = found.order_by(*order)
    if isinstance(label, str):
        return cast("Iterable[tuple[Any, StrOrPromise]]", found.values_list("pk", label))
    return ((row.pk, label(row)) for row in found)


def visible(model: type[PlanScopedModel], label: Label = "name", *order: str) -> Choices:
    """The rows of `model` the user may see."""

    def choices(rows: QuerySet[Any], context: ListContext) -> Iterable[tuple[Any, StrOrPromise]]:
        return pairs(model.objects.visible_to(context.user, context.masterplan), label, order)

    return choices


def referenced(path: str, label: Label = "name", *order: str) -> Choices:
    """The rows the visible rows of the list refer to through `path` ("lead_organization")
    that the user may see themselves (a published measure may name a draft organisation):
    for lists whose related tables are large (a city's directory)."""

    def choices(rows: QuerySet[Any], context: ListContext) -> Iterable[tuple[Any, StrOrPromise]]:
        related = related_model(rows.model, path)
        found = related._default_manager.filter(pk__in=rows.values(path))
        if issubclass(related, PlanScopedModel):
            found = found.filter(related.visibility_filter(context.user, context.masterplan))
        return pairs(found, label, order)

    return choices


def related_model(model: type[Model], path: str) -> type[Model]:
    for part in path.split("__"):
        model = cast("type[Model]", model._meta.get_field(part).related_model)
    return model


# --- The spec -----------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """A list's filter form: invalid input falls back to no filter, never to an error."""

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        filters: Sequence[Filter],
        rows: QuerySet[Any],
        context: ListContext,
    ) -> None:
        super().__init__(data)
        for spec_filter in filters:
            form_field = spec_filter.form_field()
            spec_filter.prepare(form_field, rows, context)
            self.fields[spec_filter.name] = form_field
        style_widgets(self)

    def values(self) -> dict[str, Any]:
        """The cleaned filter values; a value that is not valid counts as not given."""
        if self.is_valid():
            return dict(self.cleaned_data)
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


class FilterSpec:
    """The filters of one list of `model` (see the module's docstring)."""

    def __init__(self, model: type[PlanScopedModel], *filters: Filter) -> None:
        self.model = model
        self.filters = filters
        self.by_name = {f.name: f for f in filters}
        if len(self.by_name) != len(filters):
            raise ValueError(f"{model.__name__}: two filters with the same name")

    def __repr__(self) -> str:
        return f"FilterSpec({self.model.__name__}: {', '.join(self.by_name)})"

    def rows(self, context: ListContext) -> QuerySet[Any]:
        """The list's rows before filtering: those the user may see."""
        return self.model.objects.visible_to(context.user, context.masterplan)

    def only(self, *names: str) -> FilterSpec:
        """The same filters, fewer of them (a page that offers only some)."""
        return FilterSpec(self.model, *(self.by_name[name] for name in names))

    # --- the page (and the export)

    def form(self, data: Mapping[str, Any] | None, context: ListContext) -> FilterForm:
        return FilterForm(
            data,
            filters=[f for f in self.filters if f.form],
            rows=self.rows(context),
            context=context,
        )

    def values(self, data: Mapping[str, Any], context: ListContext) -> dict[str, Any]:
        """The filters given in a query string, read as the page's form reads them."""
        return self.form(data, context).values()

    # --- the API

    @cached_property
    def api_fields(self) -> dict[str, Any]:
        return {f.name: f.api_field() for f in self.filters if f.api}

    def schema(self, cls: type[S]) -> type[S]:
        """Class decorator: the API's query schema, named as the decorated (empty) class."""
        return cast("type[S]", self.query_schema(cls.__name__, cls.__module__))

    def query_schema(self, name: str, module: str) -> type[Schema]:
        """The API's query schema: one parameter per filter, as on the page."""
        made: type[Schema] = create_model(
            name, __base__=Schema, __module__=module, **self.api_fields
        )
        return made

    def is_filtered(self, values: Mapping[str, Any]) -> bool:
        """Whether any filter is given (sorting and paging do not count)."""
        return any(
            not f.is_blank(values.get(f.name))
            for f in self.filters
            if not isinstance(f, (Sort, PerPage))
        )

    # --- the rows

    def condition(self, values: Mapping[str, Any], context: ListContext) -> Q:
        """All given filters as one condition (Q() when none is given)."""
        unknown = set(values) - set(self.by_name)
        if unknown:
            raise TypeError(f"{self.model.__name__} lists have no filter {sorted(unknown)}")
        condition = Q()
        for spec_filter in self.filters:
            where = spec_filter.where(values.get(spec_filter.name), context)
            if where is not None:
                condition &= where
        return condition

    def apply(
        self, rows: QuerySet[M], values: Mapping[str, Any], context: ListContext
    ) -> QuerySet[M]:
        condition = self.condition(values, context)
        return rows.filter(condition) if condition else rows

    def order(self, rows: QuerySet[M], values: Mapping[str, Any]) -> tuple[QuerySet[M], str]:
        """Sorted by the `sort` value (or the first option); also returns the key applied."""
        sorting = self.by_name["sort"]
        assert isinstance(sorting, Sort)
        return apply_sort(rows, sorting.options, values.get("sort") or sorting.default)
