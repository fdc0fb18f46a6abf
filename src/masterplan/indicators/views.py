"""Pages of the indicators: list, indicator page with chart and forecast, forms — thin views.

Reads go through queries.py, writes through services.py; every view declares its permission.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masterplan.core import permissions as perms
from masterplan.core.access import object_view, plan_view
from masterplan.core.filters import ListContext
from masterplan.core.forms import VersionedModelForm
from masterplan.core.generic_views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectFormView,
    PlanFormView,
)
from masterplan.core.lists import paginate
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level
from masterplan.core.views import as_int, render_list
from masterplan.indicators import charts, queries, services
from masterplan.indicators.figures import METHODS
from masterplan.indicators.forms import (
    IndicatorForm,
    ObservationForm,
    TargetForm,
)
from masterplan.indicators.models import Indicator, Observation, Target


def list_url(masterplan: Masterplan) -> str:
    return reverse("indicators:list", args=[masterplan.slug])


def detail_url(masterplan: Masterplan, indicator_id: int, anchor: str = "") -> str:
    url = reverse("indicators:detail", args=[masterplan.slug, indicator_id])
    return url + (f"#{anchor}" if anchor else "")


# --- List and page -----------------------------------------------------------------------------


@plan_view(Level.PLAN_VIEW)
def indicator_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    filters = queries.INDICATORS.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    qs, sort = queries.indicator_list(user=request.user, masterplan=masterplan, **values)
    page = paginate(qs, request.GET.get("page"), values.get("per_page") or 25)
    rows = queries.indicator_rows(
        user=request.user,
        masterplan=masterplan,
        indicators=list(page.object_list),
        today=timezone.localdate(),
    )
    return render_list(
        request,
        template="indicators/list.html",
        partial="indicators/_table.html",
        context={
            "masterplan": masterplan,
            "page": page,
            "rows": rows,
            "filters": filters,
            "sort": sort,
            "methods": METHODS,
            "can_manage": perms.can_manage(request.user, masterplan),
            "can_create": perms.can_create_in(request.user, masterplan),
        },
    )


@object_view(Indicator, Level.OBJECT_VIEW)
def indicator_detail(request: HttpRequest, masterplan: Masterplan, obj: Indicator) -> HttpResponse:
    today = timezone.localdate()
    detail = queries.indicator_detail(
        user=request.user, masterplan=masterplan, indicator_id=obj.pk, today=today
    )
    can_record = perms.can_create_in(request.user, masterplan)
    for observation in detail.observations:
        # A flag for the template only, set on the instance the page shows.
        observation.editable = perms.can_edit(request.user, observation)  # type: ignore[attr-defined]
    return render(
        request,
        "indicators/detail.html",
        {
            "masterplan": masterplan,
            "detail": detail,
            "indicator": detail.indicator,
            "chart": charts.indicator_chart(detail),
            "methods": METHODS,
            "today": today,
            "can_edit": perms.can_edit(request.user, obj),
            "can_manage": perms.can_manage(request.user, masterplan),
            "observation_form": ObservationForm(masterplan=masterplan, indicator=obj)
            if can_record
            else None,
        },
    )


# --- Indicators --------------------------------------------------------------------------------


@object_view(Indicator, Level.OBJECT_EDIT)
def indicator_follow(request: HttpRequest, masterplan: Masterplan, obj: Indicator) -> HttpResponse:
    """Record the computed figure the indicator follows for its recent periods (POST only)."""
    if request.method == "POST":
        try:
            recorded, updated = services.indicator_follow_source(actor=request.user, indicator=obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(recorded)d values recorded, %(updated)d updated from the computed figure.")
                % {"recorded": recorded, "updated": updated},
            )
    return HttpResponseRedirect(detail_url(masterplan, obj.pk))


class IndicatorCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    form_class = IndicatorForm
    title = gettext_lazy("New indicator")
    success_message = gettext_lazy("The indicator has been created.")
    to_object = True

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def back_url(self) -> str:
        return list_url(self.masterplan)

    def save(self, form: VersionedModelForm[Any]) -> Indicator:
        return services.indicator_create(
            actor=self.user, masterplan=self.masterplan, **form.changes()
        )


class IndicatorEdit(ObjectEditView[Indicator]):
    model, level = Indicator, Level.OBJECT_EDIT
    form_class = IndicatorForm
    title = gettext_lazy("Edit indicator")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.indicator_update(
            actor=self.user,
            indicator=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class IndicatorDelete(ObjectDeleteView[Indicator]):
    model, level = Indicator, Level.PLAN_MANAGE

    def delete(self, *, version: int) -> None:
        services.indicator_delete(actor=self.user, indicator=self.obj, version=version)

    def done_url(self) -> str:
        return list_url(self.masterplan)


# --- Observations ------------------------------------------------------------------------------


class ObservationCreate(PlanFormView):
    """Enter a value; `?indicator=<id>` preselects the indicator (the indicator page's form)."""

    level = Level.PLAN_CREATE
    form_class = ObservationForm
    title = gettext_lazy("Enter a value")
    success_message = gettext_lazy("The value has been recorded.")

    @cached_property
    def preselected(self) -> Indicator | None:
        chosen = as_int(self.request.GET.get("indicator"))
        if not chosen:
            return None
        return Indicator.objects.filter(masterplan=self.masterplan, pk=chosen).first()

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan, "indicator": self.preselected}

    def back_url(self) -> str:
        if self.preselected is None:
            return list_url(self.masterplan)
        return detail_url(self.masterplan, self.preselected.pk)

    def save(self, form: VersionedModelForm[Any]) -> Observation:
        return services.observation_record(
            actor=self.user,
            indicator=form.cleaned_data["indicator"],
            period=form.cleaned_data["period"],
            **form.changes(),
        )

    def success_url(self, saved: Any) -> str:
        return detail_url(self.masterplan, saved.indicator_id, "observations")


class ObservationEdit(ObjectEditView[Observation]):
    model, level = Observation, Level.OBJECT_EDIT
    form_class = ObservationForm
    title = gettext_lazy("Edit value")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def back_url(self) -> str:
        return detail_url(self.masterplan, self.obj.indicator_id, "observations")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.observation_update(
            actor=self.user,
            observation=self.obj,
            version=form.cleaned_data["version"],
            period=form.cleaned_data["period"],
            **form.changes(),
        )


class ObservationDelete(ObjectDeleteView[Observation]):
    model, level = Observation, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.observation_delete(actor=self.user, observation=self.obj, version=version)

    def back_url(self) -> str:
        return detail_url(self.masterplan, self.obj.indicator_id, "observations")


# --- Targets -----------------------------------------------------------------------------------


class TargetCreate(ObjectFormView[Indicator]):
    model, level = Indicator, Level.OBJECT_EDIT
    form_class = TargetForm
    success_message = gettext_lazy("The target has been added.")

    def get_title(self) -> str:
        return _("New target for “%(indicator)s”") % {"indicator": self.obj}

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def back_url(self) -> str:
        return detail_url(self.masterplan, self.obj.pk, "targets")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.target_create(actor=self.user, indicator=self.obj, **form.changes())


class TargetEdit(ObjectEditView[Target]):
    model, level = Target, Level.OBJECT_EDIT
    form_class = TargetForm
    title = gettext_lazy("Edit target")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def back_url(self) -> str:
        return detail_url(self.masterplan, self.obj.indicator_id, "targets")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.target_update(
            actor=self.user, target=self.obj, version=form.cleaned_data["version"], **form.changes()
        )


class TargetDelete(ObjectDeleteView[Target]):
    model, level = Target, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.target_delete(actor=self.user, target=self.obj, version=version)

    def back_url(self) -> str:
        return detail_url(self.masterplan, self.obj.indicator_id, "targets")
