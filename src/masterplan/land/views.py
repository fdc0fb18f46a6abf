"""Land pages: thin views over queries.py and services.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

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
from masterplan.core.panels import object_panels_for
from masterplan.core.pdf import pdf_cache_key, pdf_for, preparing_response, reader
from masterplan.core.permissions import Level
from masterplan.core.synthetic import ascii_slug
from masterplan.core.views import render_list
from masterplan.land import geometry as geo
from masterplan.land import queries, services
from masterplan.land.expose import svg_outline
from masterplan.land.forms import (
    CoreZoneForm,
    GuidelineForm,
    LandSettingsForm,
    OfferForm,
    ParcelForm,
    PublicSiteRequestForm,
    SiteRequestForm,
    TakeUpForm,
    polygon_text,
)
from masterplan.land.models import CoreZone, Guideline, Parcel, SiteRequest, TakeUp
from masterplan.land.templatetags.land import rounded


def url(name: str, masterplan: Masterplan, *args: Any) -> str:
    return reverse(f"land:{name}", args=[masterplan.slug, *args])


# --- Dashboard -----------------------------------------------------------------------------------


@plan_view(Level.PLAN_VIEW)
def dashboard(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """Land monitoring of the plan: reserve, take-up, reach, per core zone, as of a day
    (`?as_of=2024-12-31`: the figures as the data stood then)."""
    today = timezone.localdate()
    as_of = parse_day(request.GET.get("as_of")) or today
    if as_of > today:
        as_of = today
    board = queries.land_dashboard(user=request.user, masterplan=masterplan, as_of=as_of)
    return render(
        request,
        "land/dashboard.html",
        {
            "masterplan": masterplan,
            "board": board,
            "figures": board.figures,
            "as_of": as_of,
            "today": today,
            "is_member": perms.is_plan_member(request.user, masterplan),
            "can_manage": perms.can_manage(request.user, masterplan),
            "max_trend": max((area for _year, area in board.take_up_by_year), default=0) or 1,
        },
    )


def parse_day(value: str | None) -> date | None:
    """A day from a query parameter (ISO); anything else counts as not given."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if day.year >= 1990 else None


# --- Core zones -------------------------------------------------------------------------------


@plan_view(Level.PLAN_VIEW)
def zone_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    filters = queries.ZONES.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    qs, sort = queries.zone_list(user=request.user, masterplan=masterplan, **values)
    return render_list(
        request,
        template="land/zone_list.html",
        partial="land/_zone_table.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "page": paginate(qs, request.GET.get("page"), values.get("per_page")),
            "sort": sort,
            "sorts": queries.ZONE_SORTS,
            "can_create": perms.can_manage(request.user, masterplan),
        },
    )


@object_view(CoreZone, Level.OBJECT_VIEW)
def zone_detail(request: HttpRequest, masterplan: Masterplan, obj: CoreZone) -> HttpResponse:
    user = request.user
    return render(
        request,
        "land/zone_detail.html",
        {
            "masterplan": masterplan,
            "zone": obj,
            "priorities": queries.zone_priorities(obj),
            "guidelines": queries.zone_guidelines(user=user, zone=obj),
            "parcels": queries.zone_parcels(user=user, zone=obj),
            "measure_sites": queries.zone_measures(user=user, zone=obj),
            "panels": object_panels_for(obj, request=request, masterplan=masterplan),
            "polygon": polygon_text(obj),
            "lead_organization": visible_or_none(request, obj.lead_organization),
            "can_edit": perms.can_edit(user, obj),
            "can_delete": perms.can_manage(user, masterplan),
        },
    )


class ZoneCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    back, to_object = "land:zone_list", True
    form_class = CoreZoneForm
    template_name = "land/located_form.html"
    title = gettext_lazy("New core zone")
    success_message = gettext_lazy("The core zone has been created.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> CoreZone:
        return services.zone_create(actor=self.user, masterplan=self.masterplan, **form.changes())


class ZoneEdit(ObjectEditView[CoreZone]):
    model, level = CoreZone, Level.OBJECT_EDIT
    form_class = CoreZoneForm
    template_name = "land/located_form.html"
    title = gettext_lazy("Edit core zone")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> CoreZone:
        return services.zone_update(
            actor=self.user, zone=self.obj, version=form.cleaned_data["version"], **form.changes()
        )


class ZoneDelete(ObjectDeleteView[CoreZone]):
    model, level = CoreZone, Level.PLAN_MANAGE

    def delete(self, *, version: int) -> None:
        services.zone_delete(actor=self.user, zone=self.obj, version=version)

    def done_url(self) -> str:
        return url("zone_list", self.masterplan)


class GuidelineCreate(ObjectFormView[CoreZone]):
    model, level = CoreZone, Level.OBJECT_EDIT
    form_class = GuidelineForm
    success_message = gettext_lazy("The guideline has been added.")

    def get_title(self) -> str:
        return _("New guideline for “%(zone)s”") % {"zone": self.obj}

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan, "initial": {"publication": self.obj.publication}}

    def save(self, form: VersionedModelForm[Any]) -> Guideline:
        changes = form.changes()
        return services.guideline_create(
            actor=self.user, zone=self.obj, measures=changes.pop("measures"), **changes
        )


class GuidelineEdit(ObjectEditView[Guideline]):
    model, level = Guideline, Level.OBJECT_EDIT
    form_class = GuidelineForm
    title = gettext_lazy("Edit guideline")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> Guideline:
        changes = form.changes()
        return services.guideline_update(
            actor=self.user,
            guideline=self.obj,
            version=form.cleaned_data["version"],
            measures=changes.pop("measures"),
            **changes,
        )


# --- Parcels ----------------------------------------------------------------------------------


@plan_view(Level.PLAN_VIEW)
def parcel_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    filters = queries.PARCELS.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    qs, sort = queries.parcel_list(user=request.user, masterplan=masterplan, **values)
    settings = queries.land_settings(masterplan)
    return render_list(
        request,
        template="land/parcel_list.html",
        partial="land/_parcel_table.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "page": paginate(qs, request.GET.get("page"), values.get("per_page")),
            "sort": sort,
            "sorts": queries.PARCEL_SORTS,
            "can_create": perms.can_create_in(request.user, masterplan),
            "is_member": perms.is_plan_member(request.user, masterplan),
            "today": timezone.localdate(),
            "stale_after": settings.stale_after_months,
        },
    )


@object_view(Parcel, Level.OBJECT_VIEW)
def parcel_detail(request: HttpRequest, masterplan: Masterplan, obj: Parcel) -> HttpResponse:
    settings = queries.land_settings(masterplan)
    member = perms.is_plan_member(request.user, masterplan)
    return render(
        request,
        "land/parcel_detail.html",
        {
            "masterplan": masterplan,
            "parcel": obj,
            "zone_visible": obj.core_zone is not None
            and perms.can_view(request.user, obj.core_zone),
            "polygon": polygon_text(obj),
            "stale": obj.is_stale(timezone.localdate(), settings.stale_after_months),
            "take_ups": obj.take_ups.select_related("organization") if member else [],
            "can_edit": perms.can_edit(request.user, obj),
            "is_member": member,
        },
    )


class ParcelCreate(PlanFormView):
    level = Level.PLAN_CREATE
    back, to_object = "land:parcel_list", True
    form_class = ParcelForm
    template_name = "land/located_form.html"
    title = gettext_lazy("New parcel")
    success_message = gettext_lazy("The parcel has been recorded.")

    def form_kwargs(self) -> dict[str, Any]:
        own = perms.contributor_organization_id(self.user, self.masterplan)
        return {"masterplan": self.masterplan, "initial": {"marketing_organization": own}}

    def save(self, form: VersionedModelForm[Any]) -> Parcel:
        return services.parcel_create(actor=self.user, masterplan=self.masterplan, **form.changes())


class ParcelEdit(ObjectEditView[Parcel]):
    model, level = Parcel, Level.OBJECT_EDIT
    form_class = ParcelForm
    template_name = "land/located_form.html"
    title = gettext_lazy("Edit parcel")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> Parcel:
        return services.parcel_update(
            actor=self.user,
            parcel=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class ParcelDelete(ObjectDeleteView[Parcel]):
    model, level = Parcel, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.parcel_delete(actor=self.user, parcel=self.obj, version=version)

    def done_url(self) -> str:
        return url("parcel_list", self.masterplan)


@object_view(Parcel, Level.OBJECT_EDIT)
def parcel_confirm(request: HttpRequest, masterplan: Masterplan, obj: Parcel) -> HttpResponse:
    """ "Daten bestätigt": the parcel's data was checked today (POST only)."""
    if request.method != "POST":
        return HttpResponseRedirect(obj.get_absolute_url())
    try:
        services.parcel_confirm(
            actor=request.user, parcel=obj, version=int(request.POST.get("version") or 0)
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The parcel's data has been confirmed."))
    return HttpResponseRedirect(obj.get_absolute_url())


def visible_or_none(request: HttpRequest, obj: Any) -> Any:
    """The related record if the visitor may see it (a draft organisation stays unnamed)."""
    return obj if obj is not None and perms.can_view(request.user, obj) else None


def expose_context(request: HttpRequest, masterplan: Masterplan, parcel: Parcel) -> dict[str, Any]:
    zone = parcel.core_zone if parcel.core_zone_id else None
    zone_visible = zone is not None and perms.can_view(request.user, zone)
    contact = parcel.contact if parcel.contact_id else None
    return {
        "masterplan": masterplan,
        "parcel": parcel,
        "zone": zone if zone_visible else None,
        "outline": svg_outline(
            geo.from_wkb(parcel.geometry) if parcel.geometry is not None else None,
            geo.from_wkb(zone.geometry)
            if zone_visible and zone is not None and zone.geometry is not None
            else None,
        ),
        "contact": contact
        if contact is not None and perms.can_see_contact_details(request.user, contact)
        else None,
        "marketing": visible_or_none(request, parcel.marketing_organization),
        "today": timezone.localdate(),
    }


@object_view(Parcel, Level.OBJECT_VIEW)
def parcel_expose(request: HttpRequest, masterplan: Masterplan, obj: Parcel) -> HttpResponse:
    """The parcel's exposé as PDF: map, figures and a named contact; cached until the parcel
    or its zone changes."""
    zone_version = obj.core_zone.version if obj.core_zone_id and obj.core_zone else None
    key = pdf_cache_key(
        "land.expose",
        obj.pk,
        obj.version,
        zone_version,
        obj.contact_id,
        reader(request.user, masterplan),
        get_language(),
    )

    def html() -> str:
        return render_to_string(
            "land/parcel_expose.html", expose_context(request, masterplan, obj), request=request
        )

    outcome = pdf_for(key, html)
    if outcome.preparing:
        return preparing_response(request, title=_("Exposé"))
    if outcome.pdf is None:
        messages.error(request, _("PDFs cannot be made on this server."))
        return HttpResponseRedirect(obj.get_absolute_url())
    response = HttpResponse(outcome.pdf, content_type="application/pdf")
    filename = f"{_('expose')}-{ascii_slug(obj.name)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Take-up ----------------------------------------------------------------------------------


@plan_view(Level.PLAN_MEMBER)
def take_up_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    filters = queries.TAKE_UPS.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    qs, sort = queries.take_up_list(user=request.user, masterplan=masterplan, **values)
    return render_list(
        request,
        template="land/takeup_list.html",
        partial="land/_takeup_table.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "page": paginate(qs, request.GET.get("page"), values.get("per_page")),
            "sort": sort,
            "sorts": queries.TAKE_UP_SORTS,
            "can_create": perms.can_manage(request.user, masterplan),
        },
    )


class TakeUpCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    back = "land:takeup_list"
    form_class = TakeUpForm
    title = gettext_lazy("Record take-up")
    success_message = gettext_lazy("The take-up has been recorded.")

    def form_kwargs(self) -> dict[str, Any]:
        parcel = self.request.GET.get("parcel")
        return {
            "masterplan": self.masterplan,
            "initial": {"parcel": parcel, "on": timezone.localdate()},
        }

    def save(self, form: VersionedModelForm[Any]) -> TakeUp:
        return services.take_up_create(
            actor=self.user, masterplan=self.masterplan, **form.changes()
        )


class TakeUpEdit(ObjectEditView[TakeUp]):
    model, level = TakeUp, Level.PLAN_MANAGE
    form_class = TakeUpForm
    title = gettext_lazy("Edit take-up")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def back_url(self) -> str:
        return url("takeup_list", self.masterplan)

    def save(self, form: VersionedModelForm[Any]) -> TakeUp:
        return services.take_up_update(
            actor=self.user,
            take_up=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


# --- Site requests --------------------------------------------------------------------------------


@plan_view(Level.PLAN_MEMBER)
def request_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    filters = queries.REQUESTS.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    qs, sort = queries.request_list(user=request.user, masterplan=masterplan, **values)
    return render_list(
        request,
        template="land/request_list.html",
        partial="land/_request_table.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "page": paginate(qs, request.GET.get("page"), values.get("per_page")),
            "sort": sort,
            "sorts": queries.REQUEST_SORTS,
            "can_create": perms.can_create_in(request.user, masterplan),
        },
    )


def request_needs(site_request: SiteRequest) -> list[str]:
    """What the company needs besides the area, as short phrases for the request page."""
    needs = []
    if site_request.needs_rail:
        needs.append(_("rail siding"))
    if site_request.needs_port:
        needs.append(_("port"))
    if site_request.max_motorway_km is not None:
        needs.append(
            _("motorway within %(km)s km") % {"km": rounded(site_request.max_motorway_km, 1)}
        )
    if site_request.min_distance_to_housing_m is not None:
        needs.append(
            _("at least %(m)s m from housing")
            % {"m": rounded(site_request.min_distance_to_housing_m, 0)}
        )
    if site_request.max_price_per_m2 is not None:
        needs.append(
            _("at most %(price)s €/m²")
            % {"price": rounded(float(site_request.max_price_per_m2), 2)}
        )
    return needs


@object_view(SiteRequest, Level.OBJECT_VIEW)
def request_detail(request: HttpRequest, masterplan: Masterplan, obj: SiteRequest) -> HttpResponse:
    can_edit = perms.can_edit(request.user, obj)
    return render(
        request,
        "land/request_detail.html",
        {
            "masterplan": masterplan,
            "site_request": obj,
            "offers": queries.request_offers(request=obj),
            "found": queries.request_matches(user=request.user, request=obj),
            "needs": request_needs(obj),
            "offer_form": OfferForm(masterplan=masterplan) if can_edit else None,
            "can_edit": can_edit,
        },
    )


class RequestCreate(PlanFormView):
    level = Level.PLAN_CREATE
    back, to_object = "land:request_list", True
    form_class = SiteRequestForm
    title = gettext_lazy("New site request")
    success_message = gettext_lazy("The site request has been recorded.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> SiteRequest:
        return services.request_create(
            actor=self.user, masterplan=self.masterplan, **form.changes()
        )


class RequestEdit(ObjectEditView[SiteRequest]):
    model, level = SiteRequest, Level.OBJECT_EDIT
    form_class = SiteRequestForm
    title = gettext_lazy("Edit site request")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> SiteRequest:
        return services.request_update(
            actor=self.user,
            request=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class RequestDelete(ObjectDeleteView[SiteRequest]):
    model, level = SiteRequest, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.request_delete(actor=self.user, request=self.obj, version=version)

    def done_url(self) -> str:
        return url("request_list", self.masterplan)


def score_of(value: str | None) -> float | None:
    """The match's score sent with an offer (0 to 1); anything else is not recorded."""
    try:
        score = float(value or "")
    except ValueError:
        return None
    return score if 0 <= score <= 1 else None


@object_view(SiteRequest, Level.OBJECT_EDIT)
def request_offer(request: HttpRequest, masterplan: Masterplan, obj: SiteRequest) -> HttpResponse:
    """Record that a parcel was offered to the request (POST only)."""
    if request.method == "POST":
        form = OfferForm(request.POST, masterplan=masterplan)
        if form.is_valid():
            try:
                services.request_offer(
                    actor=request.user,
                    request=obj,
                    parcel=form.cleaned_data["parcel"],
                    score=score_of(request.POST.get("score")),
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, ValueError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("The offer has been recorded."))
        else:
            messages.error(request, _("Choose a parcel of this masterplan."))
    return HttpResponseRedirect(obj.get_absolute_url())


@plan_view(Level.PLAN_VIEW)
def public_request(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The public form on which a company describes the land it needs."""
    form = PublicSiteRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        consent = data.pop("consent")
        try:
            _saved, secret = services.request_submit(masterplan=masterplan, consent=consent, **data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return HttpResponseRedirect(url("public_request_status", masterplan, secret))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "land/public_request.html",
        {"masterplan": masterplan, "form": form},
        status=status,
    )


@plan_view(Level.PLAN_VIEW)
def public_request_status(
    request: HttpRequest, masterplan: Masterplan, secret: str
) -> HttpResponse:
    """What a company sees of its own request, on the link it received."""
    found = services.request_for_secret(masterplan, secret)
    if found is None:
        raise Http404
    return render(
        request,
        "land/public_request_status.html",
        {"masterplan": masterplan, "site_request": found, "link": request.build_absolute_uri()},
    )


# --- Settings -----------------------------------------------------------------------------------


class SettingsEdit(PlanFormView):
    level = Level.PLAN_MANAGE
    back = "land:parcel_list"
    form_class = LandSettingsForm
    title = gettext_lazy("Matching weights and monitoring")

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": queries.land_settings(self.masterplan)}

    def save(self, form: VersionedModelForm[Any]) -> Any:
        return services.settings_update(
            actor=self.user,
            masterplan=self.masterplan,
            version=form.cleaned_data.get("version"),
            **form.changes(),
        )
