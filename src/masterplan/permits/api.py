"""REST API of the permit monitor (mounted at /api/plans): authorities, procedure types and
published figures of peers (reference data, following publication); procedures, their stage
events and extensions (the plan's members only); the dashboard's statistics as of a day and the
benchmark against peers. The same queries and services as the pages.

The statistics are aggregates only: counts, medians, shares and their intervals per authority,
procedure type and year of receipt. No procedure's reference, project or applicant appears in
them, so the public may read them as it reads the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from pydantic import create_model

from masterplan.core.api import Call, Crud, Operations, Rows, TrackedOut, patch_of
from masterplan.core.models import Masterplan, Publication
from masterplan.core.permissions import Level
from masterplan.directory.models import Organization, Person
from masterplan.land.models import SiteRequest
from masterplan.permits import queries, services, survival
from masterplan.permits.durations import EventKind, FictionPoint, ProcedureFigures, Span
from masterplan.permits.models import (
    Authority,
    AuthorityKind,
    ClockEnd,
    ClockStart,
    Outcome,
    PeerFigure,
    Procedure,
    ProcedureEvent,
    ProcedureExtension,
    ProcedureType,
    Statistic,
)
from masterplan.plans.models import Measure

ops = Operations(
    "permits",
    __name__,
    references={
        "authority_id": Authority,
        "procedure_type_id": ProcedureType,
        "applicant_id": Organization,
        "organization_id": Organization,
        "measure_id": Measure,
        "site_request_id": SiteRequest,
    },
)

# --- Authorities --------------------------------------------------------------------------------

CONTACTS = "Ids of people of the plan who receive the reminders of procedures near their deadline."


class AuthorityIn(Schema):
    name: str = Field(max_length=200)
    city: str = Field(max_length=120, description="For the benchmark: cities are ranked.")
    ags: str = Field("", max_length=8, description="Municipality key (AGS), 8 digits.")
    kind: AuthorityKind = AuthorityKind.BUILDING
    is_own: bool = Field(True, description="An authority of the plan's city; others are peers.")
    organization_id: int | None = Field(
        None, description="Its contributors record the authority's procedures."
    )
    contact_ids: list[int] | None = Field(None, description=CONTACTS)
    is_sample: bool = False
    external_id: str = Field("", max_length=200)
    publication: Publication = Publication.PUBLISHED


AuthorityPatch = patch_of(AuthorityIn)


class AuthorityOut(TrackedOut):
    name: str
    city: str
    ags: str
    kind: str
    is_own: bool
    organization_id: int | None
    contact_ids: list[int] = Field(description=CONTACTS)

    @staticmethod
    def resolve_contact_ids(obj: Authority) -> list[int]:
        return sorted(person.pk for person in obj.contacts.all())


def contacts_of(masterplan: Masterplan, data: dict[str, Any]) -> dict[str, Any]:
    """The payload with `contact_ids` replaced by the people (422 for ids of no person of the
    plan); a missing or null `contact_ids` leaves the contacts as they are."""
    ids = data.pop("contact_ids", None)
    if ids is None:
        return data
    people = list(Person.objects.filter(masterplan=masterplan, pk__in=ids))
    missing = sorted(set(ids) - {person.pk for person in people})
    if missing:
        raise ValidationError(
            {
                "contact_ids": [
                    _("There are no such people in this masterplan: %(ids)s.")
                    % {"ids": ", ".join(map(str, missing))}
                ]
            }
        )
    data["contacts"] = people
    return data


authorities = Crud(ops, "authority", Authority, "/{plan}/permits/authorities", AuthorityOut)
authorities.list(
    queries.AUTHORITIES,
    lambda call, filters: call.query(queries.authorities, filters).prefetch_related("contacts"),
    doc="Permitting authorities: the plan's own and those of peer cities (for the benchmark).",
)


@ops.post("/{plan}/permits/authorities", AuthorityOut, Level.PLAN_MANAGE, status=201)
def authority_create(call: Call, payload: AuthorityIn) -> Authority:
    """An authority, with the people who receive its reminders (coordinators)."""
    data = contacts_of(call.masterplan, payload.dict())
    return call.write(services.authority_create, data, masterplan=call.masterplan)


authorities.detail()


@ops.patch("/{plan}/permits/authorities/{pk}", AuthorityOut, Level.PLAN_MANAGE, Authority)
def authority_update(call: Call, payload: AuthorityPatch) -> Authority:  # type: ignore[valid-type]
    """Change an authority; `contact_ids` replaces all its contacts (coordinators)."""
    version, changes = call.changes(payload)
    data = contacts_of(call.masterplan, changes)
    return call.write(services.authority_update, data, authority=call.obj, version=version)


authorities.delete(
    services.authority_delete,
    Level.PLAN_MANAGE,
    doc="Delete an authority without procedures (coordinators).",
)

# --- Procedure types ----------------------------------------------------------------------------


class ProcedureTypeIn(Schema):
    code: str = Field(max_length=40, description="A slug, e.g. bimschg-19.")
    name: str = Field(max_length=200)
    legal_basis: str = Field(max_length=200, description="e.g. § 19 BImSchG, § 64 BauO NRW.")
    completeness_months: int = Field(0, ge=0, le=32767)
    completeness_days: int = Field(0, ge=0, le=32767)
    completeness_extension_days: int = Field(0, ge=0, le=32767)
    decision_months: int = Field(
        0, ge=0, le=32767, description="From the complete application; 0 and 0: no deadline."
    )
    decision_days: int = Field(0, ge=0, le=32767)
    extensions_without_consent: int = Field(0, ge=0, le=32767)
    extension_months: int = Field(0, ge=0, le=32767)
    extension_days: int = Field(0, ge=0, le=32767)
    further_extensions_with_consent: bool = False
    completeness_fiction: bool = False
    deemed_approval: bool = False
    deemed_withdrawal: bool = False
    source_note: str = ""
    is_sample: bool = False
    external_id: str = Field("", max_length=200)
    publication: Publication = Publication.PUBLISHED


ProcedureTypePatch = patch_of(ProcedureTypeIn)


class ProcedureTypeOut(TrackedOut):
    code: str
    name: str
    legal_basis: str
    completeness_months: int
    completeness_days: int
    completeness_extension_days: int
    decision_months: int
    decision_days: int
    extensions_without_consent: int
    extension_months: int
    extension_days: int
    further_extensions_with_consent: bool
    completeness_fiction: bool
    deemed_approval: bool
    deemed_withdrawal: bool
    source_note: str


types = Crud(ops, "procedure_type", ProcedureType, "/{plan}/permits/types", ProcedureTypeOut)
types.list(
    queries.TYPES,
    lambda call, filters: call.query(queries.procedure_types, filters),
    doc="Procedure types with their legal basis and statutory deadlines (as data).",
)
types.create(
    ProcedureTypeIn,
    services.type_create,
    Level.PLAN_MANAGE,
    doc="A procedure type with its statutory deadlines (coordinators).",
)
types.detail()
types.update(ProcedureTypePatch, services.type_update, Level.PLAN_MANAGE)
types.delete(
    services.type_delete, Level.PLAN_MANAGE, doc="Delete a type no procedure has (coordinators)."
)

# --- Procedures ---------------------------------------------------------------------------------


class ProcedureIn(Schema):
    reference: str = Field(max_length=60, description="The authority's file number.")
    procedure_type_id: int
    subject: str = Field("", max_length=300)
    applicant_id: int | None = Field(None, description="An organisation of the plan.")
    measure_id: int | None = None
    site_request_id: int | None = None
    received: date
    complete: date | None = None
    completeness_check_extended: bool = False
    decided: date | None = None
    withdrawn: date | None = None
    outcome: Outcome | None = Field(
        None, description="Default: approved when decided, withdrawn when withdrawn, else open."
    )
    is_sample: bool = False
    external_id: str = Field("", max_length=200)


ProcedurePatch = patch_of(ProcedureIn, extra={"authority_id": int}, after="reference")


class ProcedureOut(TrackedOut):
    reference: str
    authority_id: int
    procedure_type_id: int
    subject: str
    applicant_id: int | None
    measure_id: int | None
    site_request_id: int | None
    received: date
    complete: date | None
    completeness_check_extended: bool
    decided: date | None
    withdrawn: date | None
    outcome: str


# --- A procedure's figures (as on its page) ------------------------------------------------------

AS_OF = "Default: today; a later day reads as today. The procedure as it stood then."
FIGURES_METHOD = (
    "As on the procedure page (durations.py): days are calendar days end − start; an open "
    "procedure runs to as_of (reached: false). Net runs from the complete application, gross "
    "from receipt. The clock split gives the gross days to the applicant (defects requests "
    "and hearings until their answer), the consulted bodies (statement requests until the "
    "statement, on days not the applicant's) and the authority (the rest). The decision "
    "deadline runs from the complete application or the day completeness was deemed given, "
    "with the lawful extensions."
)


class ProcedureSpanOut(Schema):
    start: date
    end: date = Field(description="The end, or as_of (or the end of the procedure) if not reached.")
    days: int
    reached: bool = Field(description="false: still running on as_of (right-censored).")


class ClockSplitOut(Schema):
    gross_days: int
    applicant_days: int = Field(description="Remedying defects, answering hearings.")
    consulted_days: int = Field(description="Statements of consulted bodies.")
    authority_days: int


class RejectedExtensionOut(Schema):
    on: date
    months: int
    days: int
    problem: str = Field(
        description="not_provided, needs_consent, too_long, after_deadline, no_deadline."
    )


class DecisionDeadlineOut(Schema):
    clock_start: date | None = Field(
        description="The complete application, or the day completeness was deemed given."
    )
    deadline_without_extensions: date | None = Field(
        description="The statutory decision deadline; null: the law sets none, or the clock "
        "has not started."
    )
    deadline: date | None = Field(description="With the lawful extensions.")
    extensions_applied: int
    extensions_not_applied: list[RejectedExtensionOut]
    open: bool
    days_left: int | None = Field(
        description="deadline − as_of while open (0 on the last day, negative when passed)."
    )
    overdue: bool = Field(description="Open after the deadline day, or decided after it.")
    overdue_without_extensions: bool
    decided_within: bool | None
    decided_within_without_extensions: bool | None


class DeemedDateOut(Schema):
    takes_effect_on: date
    days_left: int = Field(description="Until then; negative once passed.")
    in_effect: bool


class LateDefectRequestOut(Schema):
    requested_on: date
    window_start: date
    window_end: date = Field(description="The completeness check's end (with its extension).")
    days_late: int
    after_amendment: bool


class ProcedureFiguresOut(Schema):
    as_of: date = Field(description="The day of the figures (the receipt if as_of was earlier).")
    completeness_check: ProcedureSpanOut = Field(description="Received → complete.")
    gross: ProcedureSpanOut = Field(description="Received → decision or withdrawal.")
    net: ProcedureSpanOut | None = Field(description="Complete → end; null: not complete yet.")
    clock: ClockSplitOut
    deadline: DecisionDeadlineOut
    deemed_completeness: DeemedDateOut | None = Field(
        description="Vollständigkeitsfiktion, where the law provides it."
    )
    deemed_approval: DeemedDateOut | None = Field(
        description="Genehmigungsfiktion, where the law provides it."
    )
    late_defect_request: bool = Field(
        description="★ A request for missing documents after the completeness check ended."
    )
    late_defect_requests: list[LateDefectRequestOut]
    method: str


def span_row(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "days": span.days, "reached": span.reached}


def deemed_row(point: FictionPoint | None) -> dict[str, Any] | None:
    if point is None:
        return None
    return {
        "takes_effect_on": point.takes_effect_on,
        "days_left": point.days_left,
        "in_effect": point.in_effect,
    }


def figures_row(figures: ProcedureFigures) -> dict[str, Any]:
    """A procedure's figures (queries.procedure_detail / procedures_figures) as answered."""
    clock, deadline = figures.clock, figures.deadline
    plain = figures.deadline_without_extensions
    return {
        "as_of": figures.as_of,
        "completeness_check": span_row(figures.completeness_check),
        "gross": span_row(figures.gross),
        "net": None if figures.net is None else span_row(figures.net),
        "clock": {
            "gross_days": clock.gross_days,
            "applicant_days": clock.applicant_days,
            "consulted_days": clock.consulted_days,
            "authority_days": clock.authority_days,
        },
        "deadline": {
            "clock_start": deadline.clock_start,
            "deadline_without_extensions": deadline.deadline_without_extensions,
            "deadline": deadline.deadline,
            "extensions_applied": len(deadline.applied_extensions),
            "extensions_not_applied": [
                {
                    "on": rejected.extension.on,
                    "months": rejected.extension.months,
                    "days": rejected.extension.days,
                    "problem": str(rejected.problem),
                }
                for rejected in deadline.rejected_extensions
            ],
            "open": deadline.open,
            "days_left": deadline.days_left,
            "overdue": deadline.overdue,
            "overdue_without_extensions": plain.overdue,
            "decided_within": deadline.decided_within,
            "decided_within_without_extensions": plain.decided_within,
        },
        "deemed_completeness": deemed_row(figures.completeness_fiction),
        "deemed_approval": deemed_row(figures.deemed_approval),
        "late_defect_request": bool(figures.late_defect_requests),
        "late_defect_requests": [late.__dict__ for late in figures.late_defect_requests],
        "method": FIGURES_METHOD,
    }


class ProcedureFiguresQuery(Schema):
    as_of: date | None = Field(None, description=AS_OF)


class ProcedureListExtras(Schema):
    figures: bool = Field(
        False, description="With each procedure's `figures` as of `as_of` (two queries more)."
    )
    as_of: date | None = Field(None, description=AS_OF)


ProcedureListQuery = create_model(
    "ProcedureFilter",
    __base__=ProcedureListExtras,
    __module__=__name__,
    **queries.PROCEDURES.api_fields,
)


class ProcedureListOut(ProcedureOut):
    figures: ProcedureFiguresOut | None = Field(None, description="With `figures=true` only.")


class ProcedureDetailOut(ProcedureOut):
    figures: ProcedureFiguresOut = Field(
        description="Every figure of the procedure page, as of `as_of`."
    )


def with_figures(as_of: date | None) -> Callable[[Call, list[Procedure]], list[Procedure]]:
    """A page of procedures, each with its figures as of `as_of` (None: without)."""

    def complete(call: Call, rows: list[Procedure]) -> list[Procedure]:
        found = (
            [None] * len(rows)
            if as_of is None
            else [figures_row(f) for f in queries.procedures_figures(rows, as_of)]
        )
        for procedure, figures in zip(rows, found, strict=True):
            setattr(procedure, "figures", figures)  # noqa: B010 (read by the schema)
        return rows

    return complete


def procedure_list(call: Call, filters: Any) -> Rows:
    """Procedures (members of the plan), with the filters of the list page; `figures=true`
    adds each one's figures as on its page, as of `as_of`."""
    values = filters.dict()
    figures, as_of = values.pop("figures"), values.pop("as_of")
    rows = queries.procedures(user=call.user, masterplan=call.masterplan, **values)
    ordered = queries.PROCEDURES.order(rows, values)[0]
    return Rows(call, ordered, with_figures(as_of_day(as_of) if figures else None))


# ninja reads the type made at run time from the annotation; mypy cannot check such a type.
procedure_list.__annotations__["filters"] = Query[ProcedureListQuery]  # type: ignore[misc,valid-type]
ops.get("/{plan}/permits/procedures", list[ProcedureListOut], Level.PLAN_MEMBER, page_size=50)(
    procedure_list
)

procedures = Crud(ops, "procedure", Procedure, "/{plan}/permits/procedures", ProcedureOut)


@ops.post(
    "/{plan}/permits/authorities/{pk}/procedures",
    ProcedureOut,
    Level.OBJECT_EDIT,
    Authority,
    status=201,
)
def procedure_create(call: Call, payload: ProcedureIn) -> Procedure:
    """A procedure of the authority: recorded by coordinators, and by contributors of the
    authority's organisation (who may edit the authority's records)."""
    data = payload.dict()
    if data["outcome"] is None:
        data.pop("outcome")
    return call.write(
        services.procedure_create, data, masterplan=call.masterplan, authority=call.obj
    )


@ops.get("/{plan}/permits/procedures/{pk}", ProcedureDetailOut, Level.OBJECT_VIEW, Procedure)
def procedure_detail(call: Call, filters: Query[ProcedureFiguresQuery]) -> Procedure:
    """A procedure with every figure of its page as of a day (`as_of`, default today):
    completeness check, gross and net days, who held the clock, the statutory decision
    deadline with and without the lawful extensions, days left, overdue, the days
    completeness or the permit is deemed given, and ★ late requests for missing documents."""
    detail = queries.procedure_detail(procedure=call.obj, as_of=as_of_day(filters.as_of))
    setattr(call.obj, "figures", figures_row(detail.figures))  # noqa: B010 (read by the schema)
    return call.obj  # type: ignore[no-any-return]


procedures.update(
    ProcedurePatch,
    services.procedure_update,
    doc="Change a procedure (coordinators; contributors for their organisation's authority).",
)
procedures.delete(services.procedure_delete)

# --- Stage events and extensions ----------------------------------------------------------------


class EventIn(Schema):
    kind: EventKind
    on: date
    deadline: date | None = Field(None, description="e.g. for remedying defects.")
    party: str = Field("", max_length=200, description="The consulted body, for statements.")
    note: str = Field("", max_length=300)
    outcome: Outcome | None = Field(
        None,
        description="For a decision or withdrawal that ends the procedure (default: approved, "
        "withdrawn).",
    )
    external_id: str = Field("", max_length=200)


EventPatch = patch_of(EventIn, exclude=("outcome",))


class EventOut(TrackedOut):
    procedure_id: int
    kind: str
    on: date
    deadline: date | None
    party: str
    note: str
    message_id: str
    message_number: str


events = Crud(ops, "event", ProcedureEvent, "/{plan}/permits/events", EventOut)
events.list(
    queries.EVENTS,
    lambda call, filters: call.query(queries.events, filters),
    doc="Stage events of the plan's procedures (members), `procedure` for one procedure's.",
    level=Level.PLAN_MEMBER,
)


@ops.post(
    "/{plan}/permits/procedures/{pk}/events", EventOut, Level.OBJECT_EDIT, Procedure, status=201
)
def event_create(call: Call, payload: EventIn) -> ProcedureEvent:
    """Record a stage of a procedure; a decision or withdrawal also ends it."""
    data = payload.dict()
    data["outcome"] = data["outcome"] or ""
    return call.write(services.event_add, data, procedure=call.obj)


events.detail()
events.update(EventPatch, services.event_update)
events.delete(services.event_delete)


class ExtensionIn(Schema):
    on: date = Field(description="The day the extension was granted.")
    months: int = Field(0, ge=0, le=32767)
    days: int = Field(0, ge=0, le=32767)
    agreed_by_applicant: bool = False
    reason: str = Field(max_length=300)
    external_id: str = Field("", max_length=200)


class ExtensionOut(TrackedOut):
    procedure_id: int
    on: date
    months: int
    days: int
    agreed_by_applicant: bool
    reason: str


extensions = Crud(ops, "extension", ProcedureExtension, "/{plan}/permits/extensions", ExtensionOut)
extensions.list(
    queries.EXTENSIONS,
    lambda call, filters: call.query(queries.extensions, filters),
    doc="Extensions of decision deadlines (members), `procedure` for one procedure's.",
    level=Level.PLAN_MEMBER,
)
extensions.create(
    ExtensionIn,
    services.extension_add,
    Level.OBJECT_EDIT,
    procedures,
    doc="Extend a procedure's decision deadline, with the reason.",
)
extensions.detail()
extensions.delete(services.extension_delete)

# --- Published figures of peers -----------------------------------------------------------------


class PeerFigureIn(Schema):
    city: str = Field(max_length=120)
    ags: str = Field("", max_length=8)
    year: int = Field(description="1990 to 2100.")
    procedure_type: str = Field(max_length=120, description="Code, name or legal basis.")
    statistic: Statistic
    value: float = Field(ge=0, le=1_000_000, description="Days; a share as a fraction 0–1.")
    n: int | None = Field(None, ge=0, le=2_147_483_647)
    start: ClockStart
    end: ClockEnd = ClockEnd.DECIDED
    source: str = Field(max_length=500)
    is_sample: bool = False
    external_id: str = Field("", max_length=200)
    publication: Publication = Publication.PUBLISHED


PeerFigurePatch = patch_of(PeerFigureIn)


class PeerFigureOut(TrackedOut):
    city: str
    ags: str
    year: int
    procedure_type: str
    statistic: str
    value: float
    n: int | None
    start: str
    end: str
    source: str


peer_figures = Crud(ops, "peer_figure", PeerFigure, "/{plan}/permits/peer-figures", PeerFigureOut)
peer_figures.list(
    queries.PEER_FIGURES,
    lambda call, filters: call.query(queries.peer_figures, filters),
    doc="Figures other cities published, with what they measured (statistic, start, end).",
)
peer_figures.create(
    PeerFigureIn,
    services.peer_figure_create,
    Level.PLAN_MANAGE,
    doc="A published figure of a peer city (coordinators).",
)
peer_figures.detail()
peer_figures.update(PeerFigurePatch, services.peer_figure_update, Level.PLAN_MANAGE)
peer_figures.delete(services.peer_figure_delete, Level.PLAN_MANAGE)

# --- Statistics ---------------------------------------------------------------------------------

STATISTICS_METHOD = (
    "Durations in days from the clock start to the decision: net from the complete "
    "application, gross from receipt (publishers differ on which they use). Procedures still "
    "open at as_of are right-censored there and withdrawals are censored at the withdrawal: "
    "Kaplan–Meier median with its 95 % interval (read off the exponential Greenwood band, "
    "as lifelines does), p75 and p90 (first day with S(t) ≤ 0.25, 0.10); null means not "
    "reached. The share decided within the "
    "statutory deadline (net clock only, types with a decision deadline) counts decided and "
    "withdrawn procedures and open ones already past the deadline, with a 95 % Wilson "
    "interval, once without and once with the agreed lawful extensions. The cumulative "
    "incidence of a decision by the deadline (Aalen–Johansen) treats withdrawal as a competing "
    "event, with a log(−log) 95 % interval. naive_mean_of_closed_days is the mean of the "
    "decided procedures only, as many cities publish it: it leaves out the open ones, which "
    "are the long ones, and so flatters; it is given for comparison only."
)


class StatisticsQuery(Schema):
    as_of: date | None = Field(None, description="Default: today. The data as it stood then.")
    clock: Literal["net", "gross"] = Field(
        "net", description="net: from the complete application; gross: from receipt."
    )


class MedianOut(Schema):
    days: int | None = Field(description="null: not reached (fewer than half decided).")
    lower: int | None
    upper: int | None


class ShareOut(Schema):
    successes: int
    n: int
    share: float | None
    lower: float | None
    upper: float | None


class IncidenceOut(Schema):
    day: int = Field(description="The statutory deadline in days (months as 30.44 days).")
    value: float | None
    lower: float | None
    upper: float | None


class GroupOut(Schema):
    label: str
    authority_id: int | None
    authority_name: str | None
    procedure_type_id: int | None
    procedure_type_code: str | None
    procedure_type_name: str | None
    year: int | None = Field(description="Year of receipt; null: all years.")
    quarter: str | None = Field(None, description="Quarter of receipt (trend only), e.g. 2/2026.")
    n: int
    decided: int
    withdrawn: int
    open: int
    median: MedianOut
    p75_days: int | None
    p90_days: int | None
    within_deadline: ShareOut | None = Field(
        description="Decided within the statutory deadline, without extensions (net clock)."
    )
    within_deadline_with_extensions: ShareOut | None = Field(
        description="The same with the agreed lawful extensions added (net clock)."
    )
    incidence_by_deadline: IncidenceOut | None = Field(
        description="Cumulative incidence of a decision by the deadline, withdrawal competing."
    )
    naive_mean_of_closed_days: float | None = Field(
        description="Mean of decided procedures only: flatters; for comparison only."
    )


class StatisticsOut(Schema):
    as_of: date
    clock: str
    clock_start: str
    n: int = Field(description="Procedures of the plan's own authorities received by as_of.")
    open: int
    by_type: list[GroupOut] = Field(description="Per procedure type, all own authorities.")
    by_authority: list[GroupOut] = Field(description="Per authority and procedure type.")
    by_year: list[GroupOut] = Field(description="Per procedure type and year of receipt.")
    trend: list[GroupOut] = Field(
        description="Net clock, per quarter of receipt (all types), the last 12 quarters."
    )
    method: str


def as_of_day(sent: date | None) -> date:
    """The day the figures stand on: the one sent, or today; never after today."""
    today = timezone.localdate()
    return min(sent or today, today)


def share(found: survival.Proportion | None) -> dict[str, Any] | None:
    return None if found is None else found.__dict__


def group_row(figures: queries.GroupFigures) -> dict[str, Any]:
    km = figures.km
    authority, kind = figures.authority, figures.procedure_type
    quarter = figures.label if authority is None and kind is None else None
    return {
        "label": figures.label,
        "authority_id": authority.pk if authority else None,
        "authority_name": authority.name if authority else None,
        "procedure_type_id": kind.pk if kind else None,
        "procedure_type_code": kind.code if kind else None,
        "procedure_type_name": kind.name if kind else None,
        "year": figures.year,
        "quarter": quarter,
        "n": km.n,
        "decided": km.decided,
        "withdrawn": km.withdrawn,
        "open": km.open,
        "median": km.median.__dict__,
        "p75_days": km.p75,
        "p90_days": km.p90,
        "within_deadline": share(figures.within_deadline),
        "within_deadline_with_extensions": share(figures.within_extended),
        "incidence_by_deadline": None if figures.incidence is None else figures.incidence.__dict__,
        "naive_mean_of_closed_days": figures.naive_mean,
    }


@ops.get("/{plan}/permits/statistics", StatisticsOut, Level.PLAN_VIEW)
def permit_statistics(call: Call, filters: Query[StatisticsQuery]) -> dict[str, Any]:
    """The dashboard's figures as of a day on one clock: per procedure type, per authority and
    type, per type and year of receipt, and the quarterly trend. Aggregates only; an authority
    the caller may not see is left out of `by_authority`."""
    as_of = as_of_day(filters.as_of)
    clock: queries.Clock = filters.clock
    board = queries.permit_dashboard(masterplan=call.masterplan, as_of=as_of, user=call.user)
    shown = set(
        call.query(queries.authorities, None).filter(is_own=True).values_list("pk", flat=True)
    )
    return {
        "as_of": as_of,
        "clock": clock,
        "clock_start": queries.CLOCK_START[clock],
        "n": board.n,
        "open": board.open,
        "by_type": [group_row(row) for row in board.overall[clock]],
        "by_authority": [
            group_row(row)
            for row in board.by_authority[clock]
            if row.authority is not None and row.authority.pk in shown
        ],
        "by_year": [group_row(row) for row in board.by_year[clock]],
        "trend": [group_row(row) for row in board.trend],
        "method": STATISTICS_METHOD,
    }


# --- Bottlenecks: where the days go --------------------------------------------------------------

BOTTLENECKS_METHOD = (
    "Per stage of the plan's own authorities' procedures, and for statements per consulted "
    "body (`party`): the days from the event that opens the stage to the one that closes it "
    "(applicant: defects requested → amended application; hearing: hearing → the applicant's "
    "response; statement: statement requested → statement of the same body). Stages still "
    "running at as_of are right-censored there: Kaplan–Meier median with its 95 % interval, "
    "p75 and p90 (null: not reached). The dashboard's chart and table show the same figures."
)


class PermitDayQuery(Schema):
    as_of: date | None = Field(None, description="Default: today. The data as it stood then.")


class BottleneckOut(Schema):
    stage: str = Field(description="applicant, hearing or statement.")
    label: str
    party: str = Field(description="The consulted body (statements); empty for other stages.")
    n: int = Field(description="Periods of this stage (ended and still running).")
    ended: int
    running: int = Field(description="Still running at as_of (censored).")
    median: MedianOut
    p75_days: int | None
    p90_days: int | None


class BottlenecksOut(Schema):
    as_of: date
    rows: list[BottleneckOut]
    method: str


@ops.get("/{plan}/permits/bottlenecks", BottlenecksOut, Level.PLAN_VIEW)
def permit_bottlenecks(call: Call, filters: Query[PermitDayQuery]) -> dict[str, Any]:
    """Where the days go, as of a day: the median days per stage and per consulted body, the
    figures of the dashboard's chart. Aggregates only, like the statistics: procedures of an
    authority the caller may not see (a draft) count in nothing the caller reads."""
    as_of = as_of_day(filters.as_of)
    board = queries.permit_dashboard(masterplan=call.masterplan, as_of=as_of, user=call.user)
    return {
        "as_of": as_of,
        "rows": [
            {
                "stage": row.stage,
                "label": str(queries.STAGES[row.stage][2]),
                "party": row.party,
                "n": row.km.n,
                "ended": row.km.decided,
                "running": row.km.open,
                "median": row.km.median.__dict__,
                "p75_days": row.km.p75,
                "p90_days": row.km.p90,
            }
            for row in board.bottlenecks
        ],
        "method": BOTTLENECKS_METHOD,
    }


# --- Overdue and near the deadline ----------------------------------------------------------------


class OverdueRowOut(Schema):
    procedure: ProcedureOut
    authority_name: str
    procedure_type_name: str
    deadline: date = Field(description="The statutory decision deadline with lawful extensions.")
    days_left: int = Field(description="deadline − as_of; negative: overdue by that many days.")
    overdue: bool


class OverdueOut(Schema):
    as_of: date
    within_days: int = Field(description="Listed: past the deadline or at most this near it.")
    limit: int = Field(description="At most this many, most urgent first.")
    items: list[OverdueRowOut]


@ops.get("/{plan}/permits/overdue", OverdueOut, Level.PLAN_MEMBER)
def permit_overdue(call: Call, filters: Query[PermitDayQuery]) -> dict[str, Any]:
    """The dashboard's overdue list (members of the plan): open procedures of the own
    authorities past their statutory deadline with the lawful extensions, or within 14 days
    of it, as of a day, most urgent first."""
    as_of = as_of_day(filters.as_of)
    board = queries.permit_dashboard(masterplan=call.masterplan, as_of=as_of, user=call.user)
    return {
        "as_of": as_of,
        "within_days": queries.OVERDUE_WITHIN_DAYS,
        "limit": queries.OVERDUE_LIMIT,
        "items": [
            {
                "procedure": row.procedure,
                "authority_name": row.procedure.authority.name,
                "procedure_type_name": row.procedure.procedure_type.name,
                "deadline": row.deadline,
                "days_left": row.days_left,
                "overdue": row.days_left < 0,
            }
            for row in board.overdue
        ],
    }


# --- Benchmark ----------------------------------------------------------------------------------

BENCHMARK_METHOD = (
    "Cities are ranked only like with like: the same statistic from the same clock start to "
    "the same end, per procedure type. Cities with records (the own authorities and peers that "
    "share theirs, at least 5 procedures) are measured the same way: Kaplan–Meier median, open "
    "procedures censored at as_of. Rank 1 is the fastest. The rank interval is the 2.5 % and "
    "97.5 % quantile of the ranks over 1,000 bootstrap resamples (records resampled; a "
    "published median with n by a log-normal approximation, without n taken as fixed), "
    "p_top the share of resamples in which the city is among the top. Other published "
    "statistics (e.g. the mean of closed cases) are ranked by value only, without an interval."
)


class BenchmarkQuery(Schema):
    as_of: date | None = Field(None, description="Default: today. The data as it stood then.")


class DefinitionOut(Schema):
    statistic: str
    start: str
    end: str


class RankedCityOut(Schema):
    city: str
    is_own: bool
    value: float | None = Field(description="Days (a share as a fraction); null: not reached.")
    n: int | None
    rank: int = Field(description="1 = fastest (for shares: highest).")
    rank_lower: int | None = Field(description="2.5 % quantile of the bootstrap ranks.")
    rank_upper: int | None = Field(description="97.5 % quantile of the bootstrap ranks.")
    p_top: float | None = Field(description="Probability of being in the top (see `top`).")
    method: str
    source: str


class RankingOut(Schema):
    definition: DefinitionOut
    procedure_type: str
    year: int | None
    bootstrapped: bool
    cities: list[RankedCityOut]


class BenchmarkOut(Schema):
    as_of: date
    own_city: str
    top: int
    rankings: list[RankingOut]
    method: str


def ranked_city(position: int, row: queries.RankedCity) -> dict[str, Any]:
    rank = row.rank
    return {
        "city": row.city,
        "is_own": row.is_own,
        "value": row.value,
        "n": row.n,
        "rank": rank.rank if rank else position,
        "rank_lower": rank.rank_lower if rank else None,
        "rank_upper": rank.rank_upper if rank else None,
        "p_top": rank.p_top if rank else None,
        "method": rank.method if rank else "published, ranked by value",
        "source": row.source,
    }


@ops.get("/{plan}/permits/benchmark", BenchmarkOut, Level.PLAN_VIEW)
def permit_benchmark(call: Call, filters: Query[BenchmarkQuery]) -> dict[str, Any]:
    """The plan's city among its peers as of a day, like with like: per definition and
    procedure type the cities with their value, n, rank, 95 % rank interval and P(top 10)."""
    as_of = as_of_day(filters.as_of)
    found = queries.benchmark(masterplan=call.masterplan, as_of=as_of, user=call.user)
    return {
        "as_of": found.as_of,
        "own_city": found.own_city,
        "top": found.top,
        "rankings": [
            {
                "definition": ranking.definition.__dict__,
                "procedure_type": ranking.procedure_type,
                "year": ranking.year,
                "bootstrapped": ranking.bootstrapped,
                "cities": [
                    ranked_city(position, row)
                    for position, row in enumerate(ranking.cities, start=1)
                ],
            }
            for ranking in found.rankings
        ],
        "method": BENCHMARK_METHOD,
    }
