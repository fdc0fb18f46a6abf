"""Pages of the indicators: list, indicator page with chart and forecast, forms — thin views.

Reads go through queries.py, writes through services.py; every view declares its permission.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from masterplan.core import permissions as perms
from masterplan.core.access import object_view, plan_view
from masterplan.core.filters import ListContext
from masterplan.core.forms import VersionedModelForm
from masterplan.core.lists import paginate
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level
from masterplan.core.views import handle_form, render_list
from masterplan.indicators import charts, queries, services
from masterplan.indicators.figures import METHODS
from masterplan.indicators.forms import (
    IndicatorForm,
    ObservationForm,
    TargetForm,
)
from masterplan.indicators.models import Indicator, Observation, Target
from masterplan.plans.views import Target as Destination
from masterplan.plans.views import as_int, confirm_delete_or_explain


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


@plan_view(Level.PLAN_MANAGE)
def indicator_create(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    form = IndicatorForm(request.POST or None, masterplan=masterplan)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.indicator_create(
            actor=request.user, masterplan=masterplan, **f.changes()
        ),
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("New indicator"),
            "cancel_url": list_url(masterplan),
        },
        success_message=_("The indicator has been created."),
    )


@object_view(Indicator, Level.OBJECT_EDIT)
def indicator_edit(request: HttpRequest, masterplan: Masterplan, obj: Indicator) -> HttpResponse:
    form = IndicatorForm(request.POST or None, instance=obj, masterplan=masterplan)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.indicator_update(
            actor=request.user, indicator=obj, version=f.cleaned_data["version"], **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "object": obj, "title": _("Edit indicator")},
        success_message=_("Your changes have been saved."),
    )


@object_view(Indicator, Level.PLAN_MANAGE)
def indicator_delete(request: HttpRequest, masterplan: Masterplan, obj: Indicator) -> HttpResponse:
    return confirm_delete_or_explain(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.indicator_delete(
            actor=request.user, indicator=obj, version=version
        ),
        back_url=obj.get_absolute_url(),
        done_url=list_url(masterplan),
    )


# --- Observations ------------------------------------------------------------------------------


@plan_view(Level.PLAN_CREATE)
def observation_create(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """Enter a value; `?indicator=<id>` preselects the indicator (the indicator page's form)."""
    chosen = as_int(request.GET.get("indicator"))
    preselected = (
        Indicator.objects.filter(masterplan=masterplan, pk=chosen).first() if chosen else None
    )
    form = ObservationForm(request.POST or None, masterplan=masterplan, indicator=preselected)

    def save(f: VersionedModelForm) -> Any:
        fields = f.changes()
        indicator = f.cleaned_data["indicator"]
        services.observation_record(
            actor=request.user, indicator=indicator, period=f.cleaned_data["period"], **fields
        )
        return Destination(detail_url(masterplan, indicator.pk, "observations"))

    back = detail_url(masterplan, preselected.pk) if preselected else list_url(masterplan)
    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("Enter a value"), "cancel_url": back},
        success_message=_("The value has been recorded."),
    )


@object_view(Observation, Level.OBJECT_EDIT)
def observation_edit(
    request: HttpRequest, masterplan: Masterplan, obj: Observation
) -> HttpResponse:
    form = ObservationForm(request.POST or None, instance=obj, masterplan=masterplan)
    back = detail_url(masterplan, obj.indicator_id, "observations")

    def save(f: VersionedModelForm) -> Any:
        services.observation_update(
            actor=request.user,
            observation=obj,
            version=f.cleaned_data["version"],
            period=f.cleaned_data["period"],
            **f.changes(),
        )
        return Destination(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("Edit value"), "cancel_url": back},
        success_message=_("Your changes have been saved."),
    )


@object_view(Observation, Level.OBJECT_EDIT)
def observation_delete(
    request: HttpRequest, masterplan: Masterplan, obj: Observation
) -> HttpResponse:
    back = detail_url(masterplan, obj.indicator_id, "observations")
    return confirm_delete_or_explain(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.observation_delete(
            actor=request.user, observation=obj, version=version
        ),
        back_url=back,
        done_url=back,
    )


# --- Targets -----------------------------------------------------------------------------------


@object_view(Indicator, Level.OBJECT_EDIT)
def target_create(request: HttpRequest, masterplan: Masterplan, obj: Indicator) -> HttpResponse:
    form = TargetForm(request.POST or None, masterplan=masterplan)
    back = detail_url(masterplan, obj.pk, "targets")

    def save(f: VersionedModelForm) -> Any:
        services.target_create(actor=request.user, indicator=obj, **f.changes())
        return Destination(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("New target for “%(indicator)s”") % {"indicator": obj},
            "cancel_url": back,
        },
        success_message=_("The target has been added."),
    )


@object_view(Target, Level.OBJECT_EDIT)
def target_edit(request: HttpRequest, masterplan: Masterplan, obj: Target) -> HttpResponse:
    form = TargetForm(request.POST or None, instance=obj, masterplan=masterplan)
    back = detail_url(masterplan, obj.indicator_id, "targets")

    def save(f: VersionedModelForm) -> Any:
        services.target_update(
            actor=request.user, target=obj, version=f.cleaned_data["version"], **f.changes()
        )
        return Destination(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("Edit target"), "cancel_url": back},
        success_message=_("Your changes have been saved."),
    )


@object_view(Target, Level.OBJECT_EDIT)
def target_delete(request: HttpRequest, masterplan: Masterplan, obj: Target) -> HttpResponse:
    back = detail_url(masterplan, obj.indicator_id, "targets")
    return confirm_delete_or_explain(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.target_delete(
            actor=request.user, target=obj, version=version
        ),
        back_url=back,
        done_url=back,
    )
