"""Permit monitor pages: thin views over queries.py and services.py.

The dashboard, the benchmark and the method are public (aggregate figures only); single
procedures name companies and projects, so their list, pages and the overdue list are for the
plan's members.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from masterplan.core import permissions as perms
from masterplan.core.access import object_view, plan_view
from masterplan.core.charts import ColumnGroup, grouped_columns
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
from masterplan.core.pdf import pdf_cache_key, pdf_for, preparing_response, reader
from masterplan.core.permissions import Level
from masterplan.core.review_report import data_state
from masterplan.core.views import render_list
from masterplan.permits import queries, services
from masterplan.permits.charts import Curve, DayBar, day_bars, km_curves
from masterplan.permits.durations import ExtensionProblem, FictionKind
from masterplan.permits.forms import (
    EVENT_LABELS,
    AuthorityForm,
    EventForm,
    ExtensionForm,
    PeerFigureForm,
    ProcedureForm,
    ProcedureTypeForm,
)
from masterplan.permits.models import (
    Authority,
    ClockEnd,
    ClockStart,
    PeerFigure,
    Procedure,
    ProcedureEvent,
    ProcedureExtension,
    ProcedureType,
    Statistic,
)
from masterplan.permits.queries import GroupFigures


def url(name: str, masterplan: Masterplan, *args: Any) -> str:
    return reverse(f"permits:{name}", args=[masterplan.slug, *args])


# --- The as-of day ------------------------------------------------------------------------------


class BadDay(ValueError):
    """An `as_of` that is not a day the figures can be computed for."""


def as_of_day(value: str | None, today: date) -> date:
    """The day of `?as_of=YYYY-MM-DD`: today when not given, today at the latest (the data
    know nothing of later days); BadDay with a message for anything else."""
    if not value:
        return today
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadDay(
            _("“%(value)s” is not a day: give the day as YYYY-MM-DD, e.g. 2026-06-30.")
            % {"value": value[:40]}
        ) from None
    if day.year < 1990:
        raise BadDay(_("Figures are available from 1990 on."))
    return min(day, today)


def bad_day(request: HttpRequest, masterplan: Masterplan, error: BadDay) -> HttpResponse:
    return render(
        request,
        "permits/bad_day.html",
        {"masterplan": masterplan, "message": str(error)},
        status=400,
    )


# --- Dashboard ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BothClocks:
    """One group's figures on the net clock (from the complete application) beside the gross
    clock (from receipt): publishers differ on which they use, so both are shown."""

    label: str
    net: GroupFigures | None
    gross: GroupFigures | None
    year: int | None = None
    authority: Authority | None = None


def paired(
    rows: Mapping[queries.Clock, list[GroupFigures]], key: Callable[[GroupFigures], Any]
) -> list[BothClocks]:
    """The net and gross figures of the same group side by side, in the order of the gross
    list (every procedure received has a gross clock)."""
    net = {key(row): row for row in rows.get("net", [])}
    result = []
    for gross in rows.get("gross", []):
        result.append(
            BothClocks(
                label=gross.label,
                net=net.get(key(gross)),
                gross=gross,
                year=gross.year,
                authority=gross.authority,
            )
        )
    return result


def type_key(row: GroupFigures) -> Any:
    return row.procedure_type.pk if row.procedure_type else None


def authority_key(row: GroupFigures) -> Any:
    return (row.authority.pk if row.authority else None, type_key(row))


def year_key(row: GroupFigures) -> Any:
    return (type_key(row), row.year)


def km_chart(board: queries.Dashboard) -> SafeString | None:
    curves = [
        Curve(label=row.label, survival=row.km.survival.tolist())
        for row in board.overall.get("net", [])
        if row.km.n
    ]
    if not curves:
        return None
    deadlines = [
        queries.statutory_days(row.procedure_type)
        for row in board.overall.get("net", [])
        if row.procedure_type is not None
    ]
    marker = next((day for day in deadlines if day), None) if len(curves) == 1 else None
    return km_curves(
        chart_id="km-curves",
        title=_("Share of procedures decided, by days since the complete application"),
        description=_(
            "Kaplan–Meier estimate per procedure type: open procedures count until the day "
            "of the figures. The table below the chart gives the same figures."
        ),
        curves=curves,
        days_label=_("days since the complete application"),
        marker_day=marker,
        marker_label=_("statutory deadline"),
    )


CURVE_DAYS = (30, 60, 90, 120, 180, 270, 365)


def curve_table(board: queries.Dashboard) -> list[tuple[str, list[float]]]:
    """The curves' values at fixed days: the chart's table alternative."""
    return [
        (row.label, [1.0 - row.km.survival_at(day) for day in CURVE_DAYS])
        for row in board.overall.get("net", [])
        if row.km.n
    ]


def trend_chart(board: queries.Dashboard) -> SafeString | None:
    if not board.trend:
        return None
    return day_bars(
        chart_id="trend",
        title=_("Median days from the complete application, by quarter of receipt"),
        description=_(
            "Kaplan–Meier median per quarter with its 95 per cent interval as a line below the "
            "bar; the table below gives the same figures."
        ),
        bars=[
            DayBar(
                label=row.label,
                days=row.km.median.days,
                lower=row.km.median.lower,
                upper=row.km.median.upper,
            )
            for row in board.trend
        ],
        not_reached=_("not reached"),
    )


def bottleneck_chart(board: queries.Dashboard) -> SafeString | None:
    if not board.bottlenecks:
        return None
    return day_bars(
        chart_id="bottlenecks",
        title=_("Where the days go: median days per stage and consulted body"),
        description=_(
            "Kaplan–Meier median of each stage's duration, stages still running censored; "
            "the table below gives the same figures."
        ),
        bars=[
            DayBar(
                label=f"{row.label}: {row.party}" if row.party else row.label,
                days=row.km.median.days,
                lower=row.km.median.lower,
                upper=row.km.median.upper,
            )
            for row in board.bottlenecks
        ],
        not_reached=_("not reached"),
    )


def counts_chart(board: queries.Dashboard) -> SafeString | None:
    """Procedures received per quarter, decided and still open (a second view of the trend)."""
    if not board.trend:
        return None
    return grouped_columns(
        chart_id="trend-counts",
        title=_("Procedures per quarter of receipt"),
        description=_("Decided and open procedures per quarter; the table gives the figures."),
        groups=[ColumnGroup(row.label, (row.km.decided, row.km.open)) for row in board.trend],
        series=[(_("decided"), "#1f3f77"), (_("open"), "#a35200")],
    )


@plan_view(Level.PLAN_VIEW)
def dashboard(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """Permit durations of the plan's own authorities as of a day (`?as_of=2026-06-30`)."""
    today = timezone.localdate()
    try:
        as_of = as_of_day(request.GET.get("as_of"), today)
    except BadDay as error:
        return bad_day(request, masterplan, error)
    return dashboard_page(request, masterplan, as_of, today)


def dashboard_page(
    request: HttpRequest,
    masterplan: Masterplan,
    as_of: date,
    today: date,
    *,
    pdf_unavailable: bool = False,
) -> HttpResponse:
    context = {
        "masterplan": masterplan,
        "as_of": as_of,
        "today": today,
        "body": dashboard_body(request, masterplan, as_of, today),
        "pdf_unavailable": pdf_unavailable,
        **nav_context(request, masterplan),
    }
    return render(
        request, "permits/dashboard.html", context, status=503 if pdf_unavailable else 200
    )


def dashboard_body(request: HttpRequest, masterplan: Masterplan, as_of: date, today: date) -> str:
    """The dashboard's tables and charts as HTML, kept in the cache beside the figures (under
    the same key, which names the language): they depend on nothing else, and rendering them
    costs more than computing the figures does once they are cached."""
    key = queries.dashboard_key(masterplan=masterplan, as_of=as_of, user=request.user)
    html_key = f"{key}:html"
    body: str | None = cache.get(html_key)
    if body is None:
        context = dashboard_context(request, masterplan, as_of, today, key=key)
        body = render_to_string("permits/_dashboard_body.html", context, request=request)
        cache.set(html_key, body, queries.DASHBOARD_CACHE_SECONDS)
    return mark_safe(body)


def nav_context(request: HttpRequest, masterplan: Masterplan) -> dict[str, bool]:
    return {
        "is_member": perms.is_plan_member(request.user, masterplan),
        "can_manage": perms.can_manage(request.user, masterplan),
        "can_create": perms.can_create_in(request.user, masterplan),
    }


@plan_view(Level.PLAN_VIEW)
def dashboard_pdf(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The dashboard as a PDF with the same charts (SVG, each with its table), for the day
    asked; from the PDF cache while the plan's data, the reader and the day are unchanged."""
    today = timezone.localdate()
    try:
        as_of = as_of_day(request.GET.get("as_of"), today)
    except BadDay as error:
        return bad_day(request, masterplan, error)
    key = pdf_cache_key(
        "permits-dashboard",
        masterplan.pk,
        data_state(masterplan),
        reader(request.user, masterplan),
        get_language(),
        as_of,
        today,
    )

    def html() -> str:
        context = dashboard_context(request, masterplan, as_of, today)
        return render_to_string("permits/dashboard_print.html", context, request=request)

    outcome = pdf_for(key, html)
    if outcome.preparing:
        return preparing_response(request, title=_("Permit monitor"))
    if outcome.pdf is None:  # WeasyPrint without the Pango libraries (see README, "PDF")
        return dashboard_page(request, masterplan, as_of, today, pdf_unavailable=True)
    response = HttpResponse(outcome.pdf, content_type="application/pdf")
    filename = f"{_('permits')}-{masterplan.slug}-{as_of:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def dashboard_context(
    request: HttpRequest, masterplan: Masterplan, as_of: date, today: date, key: str | None = None
) -> dict[str, Any]:
    board = queries.permit_dashboard(masterplan=masterplan, as_of=as_of, user=request.user, key=key)
    nav = nav_context(request, masterplan)
    return {
        "masterplan": masterplan,
        "board": board,
        "as_of": as_of,
        "today": today,
        "types": paired(board.overall, type_key),
        "by_authority": paired(board.by_authority, authority_key),
        "by_year": paired(board.by_year, year_key),
        "km_chart": km_chart(board),
        "curve_days": CURVE_DAYS,
        "curve_table": curve_table(board),
        "trend_chart": trend_chart(board),
        "counts_chart": counts_chart(board),
        "bottleneck_chart": bottleneck_chart(board),
        "overdue": board.overdue if nav["is_member"] else None,
        **nav,
    }


# --- Method and benchmark -----------------------------------------------------------------------


@plan_view(Level.PLAN_VIEW)
def method(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """How the figures are computed, in plain words, with the statutory deadlines as data."""
    types = queries.procedure_types(user=request.user, masterplan=masterplan)
    return render(request, "permits/method.html", {"masterplan": masterplan, "types": types})


def definition_text(definition: Any) -> dict[str, str]:
    """The statistic, the clock's start and end of a ranking, in words."""

    def label(choices: Any, value: str) -> str:
        try:
            return str(choices(value).label)
        except ValueError:
            return value

    return {
        "statistic": label(Statistic, definition.statistic),
        "start": label(ClockStart, definition.start),
        "end": label(ClockEnd, definition.end),
    }


@plan_view(Level.PLAN_VIEW)
def benchmark(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The plan's city among its peers, like with like, with rank intervals and P(top 10)."""
    today = timezone.localdate()
    try:
        as_of = as_of_day(request.GET.get("as_of"), today)
    except BadDay as error:
        return bad_day(request, masterplan, error)
    result = queries.benchmark(masterplan=masterplan, as_of=as_of, user=request.user)
    rankings = [
        {
            "ranking": ranking,
            "definition": definition_text(ranking.definition),
            "is_share": ranking.definition.statistic == Statistic.SHARE_WITHIN_DEADLINE,
        }
        for ranking in result.rankings
    ]
    return render(
        request,
        "permits/benchmark.html",
        {
            "masterplan": masterplan,
            "result": result,
            "rankings": rankings,
            "as_of": as_of,
            "today": today,
            "can_manage": perms.can_manage(request.user, masterplan),
        },
    )


# --- Procedures ---------------------------------------------------------------------------------


@plan_view(Level.PLAN_MEMBER)
def procedure_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    filters = queries.PROCEDURES.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    rows = queries.procedures(user=request.user, masterplan=masterplan, **values)
    return render_list(
        request,
        template="permits/procedure_list.html",
        partial="permits/_procedure_table.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "page": paginate(rows, request.GET.get("page"), values.get("per_page")),
            "sort": values.get("sort") or queries.PROCEDURE_SORTS[0].key,
            "can_create": perms.can_create_in(request.user, masterplan),
        },
    )


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    label: str
    detail: str = ""
    late: bool = False  # ★ a request for missing documents after the completeness window
    event: ProcedureEvent | None = None
    extension: ProcedureExtension | None = None


EXTENSION_PROBLEMS = {
    ExtensionProblem.NOT_PROVIDED: gettext_lazy("the law allows no (further) extension"),
    ExtensionProblem.NEEDS_CONSENT: gettext_lazy("needs the applicant's consent"),
    ExtensionProblem.TOO_LONG: gettext_lazy("longer than the law allows"),
    ExtensionProblem.AFTER_DEADLINE: gettext_lazy("granted after the deadline had passed"),
    ExtensionProblem.NO_DEADLINE: gettext_lazy("the procedure type has no statutory deadline"),
}


def timeline(detail: queries.ProcedureDetail) -> list[TimelineEntry]:
    """The procedure's stages, extensions and key dates in the order they happened, up to
    the day of the figures."""
    procedure = detail.procedure
    late_days = {late.requested_on for late in detail.figures.late_defect_requests}
    entries = [TimelineEntry(on=procedure.received, label=_("Application received"))]
    if procedure.complete:
        entries.append(TimelineEntry(on=procedure.complete, label=_("Application complete")))
    for event in detail.events:
        entries.append(
            TimelineEntry(
                on=event.on,
                label=str(EVENT_LABELS.get(event.kind, event.kind)),
                detail=" · ".join(
                    part
                    for part in (
                        event.party,
                        event.note,
                        _("due %(day)s") % {"day": date_format(event.deadline, "SHORT_DATE_FORMAT")}
                        if event.deadline
                        else "",
                    )
                    if part
                ),
                late=event.kind == "defects_requested" and event.on in late_days,
                event=event,
            )
        )
    rejected = {r.extension: r.problem for r in detail.figures.deadline.rejected_extensions}
    for extension in detail.extensions:
        problem = rejected.get(extension.as_extension())
        entries.append(
            TimelineEntry(
                on=extension.on,
                label=_("Deadline extended by %(months)s months %(days)s days")
                % {"months": extension.months, "days": extension.days},
                detail=" · ".join(
                    part
                    for part in (
                        extension.reason,
                        _("agreed by the applicant") if extension.agreed_by_applicant else "",
                        _("not applied: %(why)s") % {"why": EXTENSION_PROBLEMS[problem]}
                        if problem
                        else "",
                    )
                    if part
                ),
                extension=extension,
            )
        )
    if procedure.decided and not any(e.event and e.event.kind == "decision" for e in entries):
        entries.append(
            TimelineEntry(
                on=procedure.decided,
                label=_("Decided: %(outcome)s") % {"outcome": procedure.get_outcome_display()},
            )
        )
    if procedure.withdrawn and not any(e.event and e.event.kind == "withdrawal" for e in entries):
        entries.append(
            TimelineEntry(
                on=procedure.withdrawn,
                label=_("Ended: %(outcome)s") % {"outcome": procedure.get_outcome_display()},
            )
        )
    # as the procedure stood on the day of the figures: what came later is not shown
    return sorted(
        (entry for entry in entries if entry.on <= detail.figures.as_of),
        key=lambda entry: entry.on,
    )


FICTION_LABELS = {
    FictionKind.COMPLETENESS: gettext_lazy("Completeness deemed given (Vollständigkeitsfiktion)"),
    FictionKind.APPROVAL: gettext_lazy("Permit deemed granted (Genehmigungsfiktion)"),
}


@object_view(Procedure, Level.OBJECT_VIEW)
def procedure_detail(request: HttpRequest, masterplan: Masterplan, obj: Procedure) -> HttpResponse:
    """A procedure's timeline and every figure of it as of a day (`?as_of=`)."""
    today = timezone.localdate()
    try:
        as_of = as_of_day(request.GET.get("as_of"), today)
    except BadDay as error:
        return bad_day(request, masterplan, error)
    asked = as_of
    as_of = queries.figures_day(obj, as_of)  # before its receipt: the day of receipt
    detail = queries.procedure_detail(procedure=obj, as_of=as_of)
    figures = detail.figures
    fictions = [
        (FICTION_LABELS[point.kind], point)
        for point in (figures.completeness_fiction, figures.deemed_approval)
        if point is not None
    ]
    return render(
        request,
        "permits/procedure_detail.html",
        {
            "masterplan": masterplan,
            "procedure": obj,
            "detail": detail,
            "figures": figures,
            "timeline": timeline(detail),
            "fictions": fictions,
            "before_receipt": asked if asked < as_of else None,
            "as_of": as_of,
            "today": today,
            "can_edit": perms.can_edit(request.user, obj),
        },
    )


class ProcedureCreate(PlanFormView):
    level = Level.PLAN_CREATE
    back, to_object = "permits:procedure_list", True
    form_class = ProcedureForm
    title = gettext_lazy("New procedure")
    success_message = gettext_lazy("The procedure has been recorded.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> Procedure:
        changes = form.changes()
        return services.procedure_create(
            actor=self.user,
            masterplan=self.masterplan,
            authority=changes.pop("authority"),
            procedure_type=changes.pop("procedure_type"),
            **changes,
        )


class ProcedureEdit(ObjectEditView[Procedure]):
    model, level = Procedure, Level.OBJECT_EDIT
    form_class = ProcedureForm
    title = gettext_lazy("Edit procedure")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> Procedure:
        return services.procedure_update(
            actor=self.user,
            procedure=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class PermitDelete(ObjectDeleteView[Any]):
    """The delete page of a record of the permit monitor: `service` deletes it, called as
    `service(actor=…, <argument>=the record, version=…)`. Cancel leads to the list `back` or,
    without one, to the record's page; after deleting, the page leads to the list `done` or,
    without one, where Cancel leads (a stage's and an extension's: their procedure's page)."""

    service: Callable[..., None]
    argument: str
    back: str | None = None
    done: str | None = None

    def delete(self, *, version: int) -> None:
        delete = type(self).service  # a plain function, not bound to the page
        delete(actor=self.user, version=version, **{self.argument: self.obj})

    def back_url(self) -> str:
        return url(self.back, self.masterplan) if self.back else super().back_url()

    def done_url(self) -> str:
        return url(self.done, self.masterplan) if self.done else self.back_url()


class ProcedureDelete(PermitDelete):
    model, level = Procedure, Level.OBJECT_EDIT
    service, argument, done = services.procedure_delete, "procedure", "procedure_list"


class EventCreate(ObjectFormView[Procedure]):
    """Record a stage of the procedure (a decision or withdrawal also ends it)."""

    model, level = Procedure, Level.OBJECT_EDIT
    form_class = EventForm
    success_message = gettext_lazy("The stage has been recorded.")

    def get_title(self) -> str:
        return _("New stage of %(reference)s") % {"reference": self.obj.reference}

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "instance": ProcedureEvent(masterplan=self.masterplan, procedure=self.obj),
            "initial": {"on": timezone.localdate()},
        }

    def save(self, form: VersionedModelForm[Any]) -> ProcedureEvent:
        return services.event_add(actor=self.user, procedure=self.obj, **form.changes())


class ExtensionCreate(ObjectFormView[Procedure]):
    model, level = Procedure, Level.OBJECT_EDIT
    form_class = ExtensionForm
    success_message = gettext_lazy("The extension has been recorded.")

    def get_title(self) -> str:
        return _("Extend the deadline of %(reference)s") % {"reference": self.obj.reference}

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": ProcedureExtension(masterplan=self.masterplan, procedure=self.obj)}

    def save(self, form: VersionedModelForm[Any]) -> ProcedureExtension:
        return services.extension_add(actor=self.user, procedure=self.obj, **form.changes())


class EventDelete(PermitDelete):
    model, level = ProcedureEvent, Level.OBJECT_EDIT
    service, argument = services.event_delete, "event"


class ExtensionDelete(PermitDelete):
    model, level = ProcedureExtension, Level.OBJECT_EDIT
    service, argument = services.extension_delete, "extension"


# --- Authorities --------------------------------------------------------------------------------


@plan_view(Level.PLAN_VIEW)
def authority_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    filters = queries.AUTHORITIES.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    rows = queries.authorities(user=request.user, masterplan=masterplan, **values)
    return render_list(
        request,
        template="permits/authority_list.html",
        partial="permits/_authority_table.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "page": paginate(rows, request.GET.get("page"), values.get("per_page")),
            "can_create": perms.can_manage(request.user, masterplan),
        },
    )


@object_view(Authority, Level.OBJECT_VIEW)
def authority_detail(request: HttpRequest, masterplan: Masterplan, obj: Authority) -> HttpResponse:
    """An authority with its figures per procedure type (own authorities: as on the
    dashboard, today) and, for members, its contacts and a link to its procedures."""
    member = perms.is_plan_member(request.user, masterplan)
    figures: list[BothClocks] = []
    if obj.is_own:
        board = queries.permit_dashboard(
            masterplan=masterplan, as_of=timezone.localdate(), user=request.user
        )
        figures = [row for row in paired(board.by_authority, authority_key) if row.authority == obj]
    return render(
        request,
        "permits/authority_detail.html",
        {
            "masterplan": masterplan,
            "authority": obj,
            "figures": figures,
            "contacts": list(obj.contacts.all()) if member else [],
            "organization": obj.organization
            if obj.organization is not None and perms.can_view(request.user, obj.organization)
            else None,
            "is_member": member,
            "can_manage": perms.can_manage(request.user, masterplan),
        },
    )


class AuthorityCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    back, to_object = "permits:authority_list", True
    form_class = AuthorityForm
    title = gettext_lazy("New authority")
    success_message = gettext_lazy("The authority has been recorded.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan, "initial": {"city": self.masterplan.city}}

    def save(self, form: VersionedModelForm[Any]) -> Authority:
        return services.authority_create(
            actor=self.user, masterplan=self.masterplan, **form.changes()
        )


class AuthorityEdit(ObjectEditView[Authority]):
    model, level = Authority, Level.PLAN_MANAGE
    form_class = AuthorityForm
    title = gettext_lazy("Edit authority")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> Authority:
        return services.authority_update(
            actor=self.user,
            authority=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class AuthorityDelete(PermitDelete):
    model, level = Authority, Level.PLAN_MANAGE
    service, argument, done = services.authority_delete, "authority", "authority_list"


# --- Procedure types ----------------------------------------------------------------------------


@plan_view(Level.PLAN_VIEW)
def type_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    filters = queries.TYPES.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    rows = queries.procedure_types(user=request.user, masterplan=masterplan, **values)
    return render_list(
        request,
        template="permits/type_list.html",
        partial="permits/_type_table.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "page": paginate(rows, request.GET.get("page"), values.get("per_page")),
            "can_manage": perms.can_manage(request.user, masterplan),
        },
    )


@plan_view(Level.PLAN_MANAGE)
def type_defaults(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """Add the statutory procedure types the plan does not have yet (POST only)."""
    if request.method == "POST":
        created = services.ensure_default_types(actor=request.user, masterplan=masterplan)
        messages.success(
            request,
            _("%(count)s statutory procedure types have been added.") % {"count": len(created)},
        )
    return HttpResponseRedirect(url("type_list", masterplan))


class TypeCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    back = "permits:type_list"
    form_class = ProcedureTypeForm
    title = gettext_lazy("New procedure type")
    success_message = gettext_lazy("The procedure type has been recorded.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> ProcedureType:
        return services.type_create(actor=self.user, masterplan=self.masterplan, **form.changes())


class TypeEdit(ObjectEditView[ProcedureType]):
    model, level = ProcedureType, Level.PLAN_MANAGE
    form_class = ProcedureTypeForm
    title = gettext_lazy("Edit the statutory deadlines of a procedure type")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> ProcedureType:
        return services.type_update(
            actor=self.user,
            procedure_type=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class TypeDelete(PermitDelete):
    model, level = ProcedureType, Level.PLAN_MANAGE
    service, argument = services.type_delete, "procedure_type"


# --- Published figures of peers -----------------------------------------------------------------


@plan_view(Level.PLAN_VIEW)
def peer_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    filters = queries.PEER_FIGURES.form(request.GET, ListContext(request.user, masterplan))
    values = filters.values()
    rows = queries.peer_figures(user=request.user, masterplan=masterplan, **values)
    return render_list(
        request,
        template="permits/peer_list.html",
        partial="permits/_peer_table.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "page": paginate(rows, request.GET.get("page"), values.get("per_page")),
            "can_manage": perms.can_manage(request.user, masterplan),
        },
    )


class PeerCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    back = "permits:peer_list"
    form_class = PeerFigureForm
    title = gettext_lazy("New published figure of a peer")
    success_message = gettext_lazy("The figure has been recorded.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> PeerFigure:
        return services.peer_figure_create(
            actor=self.user, masterplan=self.masterplan, **form.changes()
        )


class PeerEdit(ObjectEditView[PeerFigure]):
    model, level = PeerFigure, Level.PLAN_MANAGE
    form_class = PeerFigureForm
    title = gettext_lazy("Edit published figure")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def back_url(self) -> str:
        return url("peer_list", self.masterplan)

    def save(self, form: VersionedModelForm[Any]) -> PeerFigure:
        return services.peer_figure_update(
            actor=self.user,
            figure=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class PeerDelete(PermitDelete):
    model, level = PeerFigure, Level.PLAN_MANAGE
    service, argument, back = services.peer_figure_delete, "figure", "peer_list"
