"""Pages of the climate module: thin views over queries.py and services.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    ClimatePolicy,
    EmissionFactor,
    EnergyReport,
    NetworkMembership,
    StructuralChange,
)
from masterplan.core import permissions as perms
from masterplan.core.access import object_view, plan_view
from masterplan.core.charts import ColumnGroup, grouped_columns
from masterplan.core.forms import VersionedModelForm
from masterplan.core.generic_views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectFormView,
    PlanFormView,
)
from masterplan.core.models import Masterplan
from masterplan.core.pdf import html_to_pdf
from masterplan.core.permissions import Level
from masterplan.directory.models import Organization

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
        unit=unit,
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
            "figures_hidden": bool(queries.hidden_organizations(request.user, [obj])),
            "can_edit": perms.can_edit(request.user, obj),
            "can_manage": perms.can_manage(request.user, masterplan),
        },
    )


class ReportCreate(ObjectFormView[NetworkMembership]):
    model, level = NetworkMembership, Level.OBJECT_EDIT
    form_class = EnergyReportForm
    success_message = gettext_lazy("The energy report has been saved.")
    to_object = True

    def get_title(self) -> str:
        return _("New energy report: %(name)s") % {"name": self.obj.organization}

    def form_kwargs(self) -> dict[str, Any]:
        report = EnergyReport(masterplan=self.masterplan, organization=self.obj.organization)
        return {"instance": report}

    def save(self, form: VersionedModelForm[Any]) -> EnergyReport:
        return services.energy_report_create(
            actor=self.user,
            masterplan=self.masterplan,
            organization=self.obj.organization,
            **form.changes(),
        )


@object_view(EnergyReport, Level.OBJECT_VIEW)
def report_detail(request: HttpRequest, masterplan: Masterplan, obj: EnergyReport) -> HttpResponse:
    ensure_organization_visible(request, obj.organization)
    # a company's own figures reach the public only with its consent (EnergyReport.public_filter)
    if not EnergyReport.objects.visible_to(request.user, masterplan).filter(pk=obj.pk).exists():
        raise Http404
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


class ReportEdit(ObjectEditView[EnergyReport]):
    model, level = EnergyReport, Level.OBJECT_EDIT
    form_class = EnergyReportForm
    title = gettext_lazy("Edit energy report")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.energy_report_update(
            actor=self.user, report=self.obj, version=form.cleaned_data["version"], **form.changes()
        )


class ReportDelete(ObjectDeleteView[EnergyReport]):
    model, level = EnergyReport, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.energy_report_delete(actor=self.user, report=self.obj, version=version)

    def done_url(self) -> str:
        return reverse("climate:overview", args=[self.masterplan.slug])


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


class FactorCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    back = "climate:factor_list"
    form_class = FactorForm
    title = gettext_lazy("New emission factor of this plan")
    success_message = gettext_lazy("The emission factor has been saved.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": EmissionFactor(masterplan=self.masterplan)}

    def save(self, form: VersionedModelForm[Any]) -> EmissionFactor:
        return services.factor_create(actor=self.user, masterplan=self.masterplan, **form.changes())


class FactorEdit(ObjectEditView[EmissionFactor]):
    model, level = EmissionFactor, Level.PLAN_MANAGE
    form_class = FactorForm
    title = gettext_lazy("Edit emission factor")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.factor_update(
            actor=self.user, factor=self.obj, version=form.cleaned_data["version"], **form.changes()
        )


class MembershipCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    back = "climate:overview"
    to_object = True
    form_class = MembershipForm
    title = gettext_lazy("New member of the network")
    success_message = gettext_lazy("The membership has been saved.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> NetworkMembership:
        return services.membership_create(
            actor=self.user, masterplan=self.masterplan, **form.changes()
        )


class MembershipEdit(ObjectEditView[NetworkMembership]):
    model, level = NetworkMembership, Level.PLAN_MANAGE
    form_class = MembershipForm
    title = gettext_lazy("Edit membership")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.membership_update(
            actor=self.user,
            membership=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class ChangeCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    back = "climate:overview"
    form_class = StructuralChangeForm
    title = gettext_lazy("New structural change")
    success_message = gettext_lazy("The structural change has been saved.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> StructuralChange:
        return services.structural_change_create(
            actor=self.user, masterplan=self.masterplan, **form.changes()
        )


class ChangeEdit(ObjectEditView[StructuralChange]):
    model, level = StructuralChange, Level.PLAN_MANAGE
    form_class = StructuralChangeForm
    title = gettext_lazy("Edit structural change")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.structural_change_update(
            actor=self.user, change=self.obj, version=form.cleaned_data["version"], **form.changes()
        )


class PolicyEdit(PlanFormView):
    """The plan's one climate policy (base year, targets): made on its first save."""

    level = Level.PLAN_MANAGE
    back = "climate:overview"
    form_class = PolicyForm
    title = gettext_lazy("Climate policy")
    success_message = gettext_lazy("The climate policy has been saved.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": queries.policy_for(self.masterplan), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> ClimatePolicy:
        return services.policy_save(
            actor=self.user,
            masterplan=self.masterplan,
            version=form.cleaned_data["version"],
            **form.changes(),
        )
