"""Pages of the climate module: thin views over queries.py and services.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from masterplan.climate import charts, queries, services
from masterplan.climate.figures import LOCATION, MARKET, NET_CALORIFIC_KWH_PER_LITRE
from masterplan.climate.forms import (
    EnergyReportForm,
    FactorForm,
    MembershipForm,
    PolicyForm,
    StructuralChangeForm,
)
from masterplan.climate.models import (
    EmissionFactor,
    EnergyReport,
    NetworkMembership,
    StructuralChange,
)
from masterplan.core import permissions as perms
from masterplan.core.access import object_view, plan_view
from masterplan.core.charts import ColumnGroup, grouped_columns
from masterplan.core.models import Masterplan
from masterplan.core.pdf import html_to_pdf
from masterplan.core.permissions import Level
from masterplan.core.views import handle_form
from masterplan.directory.models import Organization
from masterplan.directory.views import confirm_delete

SCOPE_COLOURS = ("#6b7280", "#1f3f77", "#1a7f4b")


def overview_charts(overview: queries.ClimateOverview) -> dict[str, Any]:
    shown = [row for row in overview.rows if row.total.reports and row.total.computable]
    peak = max([row.total.scope2_location for row in shown] + [Decimal(0)])
    # Large networks in thousands of tonnes, so that the column labels stay readable.
    divisor, unit = (Decimal(1000), "kt CO2") if peak >= 10_000 else (Decimal(1), "t CO2")
    by_year = grouped_columns(
        chart_id="climate-by-year",
        title=_("Network emissions by year (%(unit)s)") % {"unit": unit},
        description=_(
            "Columns per year: Scope 1, Scope 2 location-based and Scope 2 market-based, in "
            "%(unit)s. The table below lists the same figures in tonnes."
        )
        % {"unit": unit},
        groups=[
            ColumnGroup(
                str(row.total.year),
                (
                    round(row.total.scope1 / divisor),
                    round(row.total.scope2_location / divisor),
                    round(row.total.scope2_market / divisor),
                ),
            )
            for row in shown
        ],
        series=[
            (_("Scope 1"), SCOPE_COLOURS[0]),
            (_("Scope 2 location-based"), SCOPE_COLOURS[1]),
            (_("Scope 2 market-based"), SCOPE_COLOURS[2]),
        ],
    )
    decomposition = None
    if overview.decomposition is not None:
        d = overview.decomposition
        decomposition = charts.signed_bars(
            chart_id="climate-decomposition",
            title=_("Change since the base year, by cause (t CO2)"),
            description=_(
                "Members' own effect, factor effect and membership effect add up to the change "
                "of the network since the base year. The table below lists the same figures."
            ),
            bars=[
                charts.SignedBar(_("Members' own effect (activity)"), d.own),
                charts.SignedBar(_("Factor effect (e.g. grid mix)"), d.factor),
                charts.SignedBar(_("Membership effect (joined and left)"), d.membership),
                charts.SignedBar(_("Change of the network"), d.network_change),
            ],
        )
    return {"by_year": by_year, "decomposition": decomposition}


def overview_context(request: HttpRequest, masterplan: Masterplan) -> dict[str, Any]:
    overview = queries.climate_overview(user=request.user, masterplan=masterplan)
    return {
        "masterplan": masterplan,
        "overview": overview,
        "charts": overview_charts(overview),
        "method_label": {LOCATION: _("location-based"), MARKET: _("market-based")},
        "calorific": NET_CALORIFIC_KWH_PER_LITRE,
        "can_manage": perms.can_manage(request.user, masterplan),
        "own_organization": perms.contributor_organization_id(request.user, masterplan),
    }


def ensure_organization_visible(request: HttpRequest, organization: Organization) -> None:
    """A published membership or report of a draft organisation stays hidden from the public."""
    if not perms.can_view(request.user, organization):
        raise Http404


@plan_view(Level.PLAN_VIEW)
def overview(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    return render(request, "climate/overview.html", overview_context(request, masterplan))


@plan_view(Level.PLAN_VIEW)
def overview_pdf(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The climate page as a PDF, with the same SVG charts."""
    context = overview_context(request, masterplan)
    html = render_to_string("climate/overview_print.html", context, request=request)
    try:
        pdf = html_to_pdf(html)
    except OSError:  # WeasyPrint without the Pango libraries (see README, "PDF")
        return render(
            request, "climate/overview.html", {**context, "pdf_unavailable": True}, status=503
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="climate-{masterplan.slug}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@object_view(NetworkMembership, Level.OBJECT_VIEW)
def member_detail(
    request: HttpRequest, masterplan: Masterplan, obj: NetworkMembership
) -> HttpResponse:
    ensure_organization_visible(request, obj.organization)
    return render(
        request,
        "climate/member_detail.html",
        {
            "masterplan": masterplan,
            "membership": obj,
            "rows": queries.member_reports(user=request.user, membership=obj),
            "can_edit": perms.can_edit(request.user, obj),
            "can_manage": perms.can_manage(request.user, masterplan),
        },
    )


@object_view(NetworkMembership, Level.OBJECT_EDIT)
def report_create(
    request: HttpRequest, masterplan: Masterplan, obj: NetworkMembership
) -> HttpResponse:
    instance = EnergyReport(masterplan=masterplan, organization=obj.organization)
    form = EnergyReportForm(request.POST or None, instance=instance)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.energy_report_create(
            actor=request.user, masterplan=masterplan, organization=obj.organization, **f.changes()
        ),
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("New energy report: %(name)s") % {"name": obj.organization},
            "cancel_url": obj.get_absolute_url(),
        },
        success_message=_("The energy report has been saved."),
    )


@object_view(EnergyReport, Level.OBJECT_VIEW)
def report_detail(request: HttpRequest, masterplan: Masterplan, obj: EnergyReport) -> HttpResponse:
    ensure_organization_visible(request, obj.organization)
    membership = NetworkMembership.objects.filter(
        masterplan=masterplan, organization_id=obj.organization_id
    ).first()
    rows = [
        row
        for row in (
            queries.member_reports(user=request.user, membership=membership) if membership else []
        )
        if row["report"].pk == obj.pk
    ]
    return render(
        request,
        "climate/report_detail.html",
        {
            "masterplan": masterplan,
            "report": obj,
            "membership": membership,
            "row": rows[0] if rows else None,
            "can_edit": perms.can_edit(request.user, obj),
        },
    )


@object_view(EnergyReport, Level.OBJECT_EDIT)
def report_edit(request: HttpRequest, masterplan: Masterplan, obj: EnergyReport) -> HttpResponse:
    form = EnergyReportForm(request.POST or None, instance=obj)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.energy_report_update(
            actor=request.user, report=obj, version=f.cleaned_data["version"], **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "object": obj, "title": _("Edit energy report")},
        success_message=_("Your changes have been saved."),
    )


@object_view(EnergyReport, Level.OBJECT_EDIT)
def report_delete(request: HttpRequest, masterplan: Masterplan, obj: EnergyReport) -> HttpResponse:
    return confirm_delete(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.energy_report_delete(
            actor=request.user, report=obj, version=version
        ),
        back_url=obj.get_absolute_url(),
        done_url=reverse("climate:overview", args=[masterplan.slug]),
    )


@plan_view(Level.PLAN_VIEW)
def factor_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    return render(
        request,
        "climate/factor_list.html",
        {
            "masterplan": masterplan,
            "factors": list(queries.factors_for(masterplan)),
            "can_manage": perms.can_manage(request.user, masterplan),
        },
    )


@plan_view(Level.PLAN_MANAGE)
def factor_create(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    form = FactorForm(request.POST or None, instance=EmissionFactor(masterplan=masterplan))
    return handle_form(
        request,
        form=form,
        save=lambda f: services.factor_create(
            actor=request.user, masterplan=masterplan, **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("New emission factor of this plan")},
        success_message=_("The emission factor has been saved."),
    )


@object_view(EmissionFactor, Level.PLAN_MANAGE)
def factor_edit(request: HttpRequest, masterplan: Masterplan, obj: EmissionFactor) -> HttpResponse:
    form = FactorForm(request.POST or None, instance=obj)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.factor_update(
            actor=request.user, factor=obj, version=f.cleaned_data["version"], **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "object": obj, "title": _("Edit emission factor")},
        success_message=_("Your changes have been saved."),
    )


@plan_view(Level.PLAN_MANAGE)
def membership_create(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    form = MembershipForm(request.POST or None, masterplan=masterplan)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.membership_create(
            actor=request.user, masterplan=masterplan, **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("New member of the network")},
        success_message=_("The membership has been saved."),
    )


@object_view(NetworkMembership, Level.PLAN_MANAGE)
def membership_edit(
    request: HttpRequest, masterplan: Masterplan, obj: NetworkMembership
) -> HttpResponse:
    form = MembershipForm(request.POST or None, instance=obj, masterplan=masterplan)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.membership_update(
            actor=request.user, membership=obj, version=f.cleaned_data["version"], **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "object": obj, "title": _("Edit membership")},
        success_message=_("Your changes have been saved."),
    )


@plan_view(Level.PLAN_MANAGE)
def change_create(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    form = StructuralChangeForm(request.POST or None, masterplan=masterplan)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.structural_change_create(
            actor=request.user, masterplan=masterplan, **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("New structural change")},
        success_message=_("The structural change has been saved."),
    )


@object_view(StructuralChange, Level.PLAN_MANAGE)
def change_edit(
    request: HttpRequest, masterplan: Masterplan, obj: StructuralChange
) -> HttpResponse:
    form = StructuralChangeForm(request.POST or None, instance=obj, masterplan=masterplan)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.structural_change_update(
            actor=request.user, change=obj, version=f.cleaned_data["version"], **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "object": obj, "title": _("Edit structural change")},
        success_message=_("Your changes have been saved."),
    )


@plan_view(Level.PLAN_MANAGE)
def policy_edit(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    policy = queries.policy_for(masterplan)
    form = PolicyForm(request.POST or None, instance=policy, masterplan=masterplan)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.policy_save(
            actor=request.user,
            masterplan=masterplan,
            version=f.cleaned_data["version"],
            **f.changes(),
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("Climate policy")},
        success_message=_("The climate policy has been saved."),
    )
