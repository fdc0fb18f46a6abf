"""Reads of the permit monitor, shared by the pages, the API and the bench.

The statistics read the plan's procedures as plain columns in a fixed number of queries, turn
them into durations in days as of a date (durations.py's rules: an open procedure runs to the
as-of date and is right-censored) and hand them to survival.py, which works on day histograms.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from masterplan.core.actors import Actor
from masterplan.core.filters import (
    Choice,
    FilterSpec,
    ListContext,
    Number,
    Ref,
    Search,
    Year,
    per_page,
    sort,
    visible,
)
from masterplan.core.lists import SortOption
from masterplan.core.models import Masterplan, PlanScopedModel
from masterplan.core.permissions import is_plan_member
from masterplan.permits import survival
from masterplan.permits.durations import (
    EventKind,
    Extension,
    Period,
    ProcedureFigures,
    procedure_figures,
)
from masterplan.permits.models import (
    Authority,
    AuthorityKind,
    ClockStart,
    Outcome,
    PeerFigure,
    Procedure,
    ProcedureEvent,
    ProcedureExtension,
    ProcedureType,
    Statistic,
)

Clock = Literal["net", "gross"]
CLOCKS: tuple[Clock, ...] = ("net", "gross")
CLOCK_START: dict[Clock, str] = {"net": ClockStart.COMPLETE, "gross": ClockStart.RECEIVED}

PROCEDURE_SORTS = (
    SortOption("received", _("Received"), ("-received", "reference", "id")),
    SortOption("reference", _("Reference"), ("reference", "id")),
    SortOption("decided", _("Decided"), ("-decided", "reference", "id")),
)


def in_state(state: str) -> Q:
    if state == "open":
        return Q(decided__isnull=True, withdrawn__isnull=True)
    return Q(outcome=state)


STATES = [("open", _("Open")), *[(o.value, o.label) for o in Outcome if o.value]]

PROCEDURES = FilterSpec(
    Procedure,
    Search("q", fields=("reference", "subject", "applicant__name", "external_id")),
    Ref(
        "authority",
        label=_("Authority"),
        lookup="authority",
        choices=visible(Authority),
        empty=_("All authorities"),
    ),
    Ref(
        "type",
        label=_("Procedure type"),
        lookup="procedure_type",
        choices=visible(ProcedureType),
        empty=_("All types"),
    ),
    Choice(
        "state",
        label=_("State"),
        choices=STATES,
        empty=_("All states"),
        condition=lambda value, context: in_state(value),
    ),
    Year("year", label=_("Year of receipt"), lookup="received"),
    sort(PROCEDURE_SORTS),
    per_page(),
)

AUTHORITIES = FilterSpec(Authority, Search("q", fields=("name", "city", "ags")), per_page())
TYPES = FilterSpec(ProcedureType, Search("q", fields=("name", "code", "legal_basis")), per_page())
PEER_FIGURES = FilterSpec(
    PeerFigure,
    Search("q", fields=("city", "procedure_type", "source")),
    Number("year", label=_("Year"), lookup="year"),
    per_page(),
)
EVENTS = FilterSpec(
    ProcedureEvent,
    Ref("procedure", label=_("Procedure"), lookup="procedure", form=False),
    Choice(
        "kind",
        label=_("Stage"),
        choices=[(kind.value, kind.value) for kind in EventKind],
        api_type=EventKind,
    ),
    per_page(),
)
EXTENSIONS = FilterSpec(
    ProcedureExtension,
    Ref("procedure", label=_("Procedure"), lookup="procedure", form=False),
    per_page(),
)


def procedures(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[Procedure]:
    """Procedures the user may see (members only), filtered and sorted (PROCEDURES)."""
    context = ListContext(user=user, masterplan=masterplan)
    rows = PROCEDURES.rows(context).select_related("authority", "procedure_type", "applicant")
    return PROCEDURES.apply(rows, filters, context)


def authorities(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[Authority]:
    context = ListContext(user=user, masterplan=masterplan)
    return AUTHORITIES.apply(AUTHORITIES.rows(context), filters, context)


def procedure_types(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> QuerySet[ProcedureType]:
    context = ListContext(user=user, masterplan=masterplan)
    return TYPES.apply(TYPES.rows(context), filters, context)


def sole_own_building_authority(*, masterplan: Masterplan) -> Authority | None:
    """The plan's own building authority when it has exactly one: where an XBau application
    (0200) for a procedure the plan does not have goes when the import names no authority."""
    found = list(
        Authority.objects.filter(
            masterplan=masterplan, is_own=True, kind=AuthorityKind.BUILDING
        ).order_by("pk")[:2]
    )
    return found[0] if len(found) == 1 else None


def peer_figures(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[PeerFigure]:
    context = ListContext(user=user, masterplan=masterplan)
    return PEER_FIGURES.apply(PEER_FIGURES.rows(context), filters, context)


def events(*, user: Actor, masterplan: Masterplan, **filters: Any) -> QuerySet[ProcedureEvent]:
    context = ListContext(user=user, masterplan=masterplan)
    return EVENTS.apply(EVENTS.rows(context), filters, context).order_by("procedure_id", "on", "id")


def extensions(
    *, user: Actor, masterplan: Masterplan, **filters: Any
) -> QuerySet[ProcedureExtension]:
    """Extensions of the decision deadline the user may see (members only), per procedure."""
    context = ListContext(user=user, masterplan=masterplan)
    rows = EXTENSIONS.apply(EXTENSIONS.rows(context), filters, context)
    return rows.order_by("procedure_id", "on", "id")


# --- One procedure ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureDetail:
    procedure: Procedure
    events: list[ProcedureEvent]
    extensions: list[ProcedureExtension]
    figures: ProcedureFigures


def figures_day(procedure: Procedure, as_of: date) -> date:
    """The day a procedure's figures stand on: `as_of`, or its receipt if that came later
    (before its receipt a procedure has no figures)."""
    return max(as_of, procedure.received)


def figures_from(
    procedure: Procedure,
    events: list[ProcedureEvent],
    extensions: list[ProcedureExtension],
    as_of: date,
) -> ProcedureFigures:
    """Every figure of durations.py for one procedure with its live events and extensions
    (in order of their day), as of a date (`figures_day`)."""
    facts = procedure.facts(events, [row.as_extension() for row in extensions])
    return procedure_figures(
        facts, procedure.procedure_type.rule(), as_of=figures_day(procedure, as_of)
    )


def procedure_detail(*, procedure: Procedure, as_of: date) -> ProcedureDetail:
    """The procedure page: its timeline and every figure of durations.py as of a date."""
    events_ = list(procedure.events.filter(deleted_at__isnull=True).order_by("on", "id"))
    extensions = list(procedure.extensions.filter(deleted_at__isnull=True).order_by("on", "id"))
    figures = figures_from(procedure, events_, extensions, as_of)
    return ProcedureDetail(
        procedure=procedure, events=events_, extensions=extensions, figures=figures
    )


def procedures_figures(procedures: Sequence[Procedure], as_of: date) -> list[ProcedureFigures]:
    """The figures of the procedure page for many procedures (a page of the API's list), in
    two queries however many: their events and their extensions. The procedures come with
    their type (`procedures()` selects it)."""
    ids = [procedure.pk for procedure in procedures]
    events_: dict[int, list[ProcedureEvent]] = defaultdict(list)
    for event in ProcedureEvent.objects.filter(
        procedure_id__in=ids, deleted_at__isnull=True
    ).order_by("procedure_id", "on", "id"):
        events_[event.procedure_id].append(event)
    extensions: dict[int, list[ProcedureExtension]] = defaultdict(list)
    for extension in ProcedureExtension.objects.filter(
        procedure_id__in=ids, deleted_at__isnull=True
    ).order_by("procedure_id", "on", "id"):
        extensions[extension.procedure_id].append(extension)
    return [
        figures_from(procedure, events_[procedure.pk], extensions[procedure.pk], as_of)
        for procedure in procedures
    ]


# --- The plan's procedures as columns -----------------------------------------------------------


def plan_rows(
    model: type[PlanScopedModel], masterplan: Masterplan, user: Actor | None
) -> QuerySet[Any]:
    """The plan's live rows of a model, or those `user` may see."""
    rows: QuerySet[Any] = model.objects.filter(masterplan=masterplan, deleted_at__isnull=True)
    if user is not None:
        rows = model.objects.visible_to(user, masterplan)
    return rows


@lru_cache(maxsize=65_536)
def period_end(start: date, months: int, days: int) -> date:
    return Period(months=months, days=days).end_after(start)


@dataclass(frozen=True)
class Columns:
    """One row per procedure received by `as_of`, as arrays (index = row).

    `authority` and `kind` index into `authorities` and `types`; dates are day numbers
    (date.toordinal), −1 where missing or after `as_of` (then not yet known).
    """

    as_of: date
    ids: np.ndarray
    authorities: list[Authority]
    types: list[ProcedureType]
    authority: np.ndarray
    kind: np.ndarray
    received: np.ndarray
    complete: np.ndarray
    decided: np.ndarray
    withdrawn: np.ndarray
    deadline: np.ndarray  # statutory decision deadline without extensions (−1: none)
    extended_deadline: np.ndarray  # … with the agreed (lawful) extensions

    @property
    def size(self) -> int:
        return int(self.ids.size)

    def year(self) -> np.ndarray:
        years = np.array([date.fromordinal(int(day)).year for day in self.received], dtype=np.int64)
        return years

    def quarter(self) -> np.ndarray:
        """Quarter of receipt as year × 4 + (quarter − 1)."""
        return np.array(
            [
                (d.year * 4 + (d.month - 1) // 3)
                for d in (date.fromordinal(int(day)) for day in self.received)
            ],
            dtype=np.int64,
        )

    def durations(self, clock: Clock) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(days, event codes, mask): days from the clock start to the end or to `as_of`;
        code 1 decided, 2 withdrawn, 0 open (censored). The net clock leaves out procedures
        not (yet) complete: their clock has not started."""
        start = self.received if clock == "gross" else self.complete
        mask = start >= 0
        today = self.as_of.toordinal()
        end = np.where(
            self.decided >= 0, self.decided, np.where(self.withdrawn >= 0, self.withdrawn, today)
        )
        code = np.where(self.decided >= 0, 1, np.where(self.withdrawn >= 0, 2, 0))
        days = np.maximum(end - start, 0)
        return days[mask], code[mask], mask


def known(day: date | None, as_of: date) -> int:
    return day.toordinal() if day is not None and day <= as_of else -1


def columns(
    *,
    masterplan: Masterplan,
    as_of: date,
    own_only: bool = True,
    authorities: Sequence[Authority] | None = None,
    user: Actor | None = None,
) -> Columns:
    """The plan's procedures received by `as_of` as it stood then (four queries).

    With a `user`, only the procedures of authorities and types that user may see count: a
    draft authority's or draft type's procedures reach no public figure (not even the totals,
    the trend or the bottlenecks). Without one, all of the plan's (its
    own figures, e.g. for indicators and reminders)."""
    if authorities is None:
        rows = plan_rows(Authority, masterplan, user)
        if own_only:
            rows = rows.filter(is_own=True)
        authorities = list(rows.order_by("city", "name", "id"))
    types = list(plan_rows(ProcedureType, masterplan, user).order_by("name", "id"))
    authority_index = {a.pk: i for i, a in enumerate(authorities)}
    type_index = {t.pk: i for i, t in enumerate(types)}
    values = list(
        Procedure.objects.filter(
            masterplan=masterplan,
            deleted_at__isnull=True,
            received__lte=as_of,
            authority__in=[a.pk for a in authorities],
            procedure_type__in=[t.pk for t in types],
        )
        .order_by("id")
        .values_list(
            "id",
            "authority_id",
            "procedure_type_id",
            "received",
            "complete",
            "decided",
            "withdrawn",
        )
    )
    extensions: dict[int, list[Extension]] = defaultdict(list)
    for row in ProcedureExtension.objects.filter(
        masterplan=masterplan, deleted_at__isnull=True, on__lte=as_of
    ).order_by("on", "id"):
        extensions[row.procedure_id].append(row.as_extension())
    n = len(values)
    ids = np.empty(n, dtype=np.int64)
    authority = np.empty(n, dtype=np.int64)
    kind = np.empty(n, dtype=np.int64)
    received = np.empty(n, dtype=np.int64)
    complete = np.empty(n, dtype=np.int64)
    decided = np.empty(n, dtype=np.int64)
    withdrawn = np.empty(n, dtype=np.int64)
    deadline = np.full(n, -1, dtype=np.int64)
    extended = np.full(n, -1, dtype=np.int64)
    rules = [t.rule() for t in types]
    for i, (pk, a, t, rec, comp, dec, wd) in enumerate(values):
        ids[i] = pk
        authority[i] = authority_index[a]
        k = type_index.get(t, -1)
        kind[i] = k
        received[i] = rec.toordinal()
        complete[i] = known(comp, as_of)
        decided[i] = known(dec, as_of)
        withdrawn[i] = known(wd, as_of)
        rule = rules[k] if k >= 0 else None
        if rule is None or rule.decision is None or comp is None or comp > as_of:
            continue
        base = period_end(comp, rule.decision.months, rule.decision.days)
        deadline[i] = base.toordinal()
        extended[i] = base.toordinal()
        if pk in extensions:
            end = base
            used = 0
            for ext in extensions[pk]:
                lawful = (
                    ext.on <= end
                    and rule.extension is not None
                    and (
                        used < rule.extensions_without_consent
                        or (ext.agreed_by_applicant and rule.further_extensions_with_consent)
                    )
                )
                if lawful:
                    if not (ext.agreed_by_applicant and rule.further_extensions_with_consent):
                        used += 1
                    end = ext.period.end_after(end)
            extended[i] = end.toordinal()
    return Columns(
        as_of=as_of,
        ids=ids,
        authorities=list(authorities),
        types=types,
        authority=authority,
        kind=kind,
        received=received,
        complete=complete,
        decided=decided,
        withdrawn=withdrawn,
        deadline=deadline,
        extended_deadline=extended,
    )


# --- Statistics ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupFigures:
    """The figures of one group of procedures under one clock (net or gross).

    `within_deadline` is the plain share decided by the statutory deadline (no extensions),
    `within_extended` the same with the agreed extensions added, `incidence` the cumulative
    incidence of a decision by the statutory deadline with withdrawal as a competing event;
    all three only on the net clock (the deadline runs from the complete application) and for
    types with a statutory decision deadline.
    """

    label: str
    clock: Clock
    km: survival.KaplanMeier
    within_deadline: survival.Proportion | None = None
    within_extended: survival.Proportion | None = None
    incidence: survival.CumulativeIncidence | None = None
    naive_mean: float | None = None
    authority: Authority | None = None
    procedure_type: ProcedureType | None = None
    year: int | None = None


def figures_of(
    cols: Columns,
    mask: np.ndarray,
    clock: Clock,
    *,
    label: str,
    deadline_days: int | None = None,
    **keys: Any,
) -> GroupFigures:
    """The figures of the procedures selected by `mask` (a boolean array over the rows)."""
    days, codes, started = cols.durations(clock)
    chosen = mask[started]
    days, codes = days[chosen], codes[chosen]
    km = survival.kaplan_meier(days, codes)
    within = extended = None
    incidence = None
    if clock == "net":
        start = cols.complete[started][chosen]
        statutory = cols.deadline[started][chosen]
        with_ext = cols.extended_deadline[started][chosen]
        has = statutory >= 0
        if has.any():
            within = survival.share_within_deadline(days[has], codes[has], (statutory - start)[has])
            extended = survival.share_within_deadline(
                days[has], codes[has], (with_ext - start)[has]
            )
            day = (
                deadline_days
                if deadline_days is not None
                else int(np.median((statutory - start)[has]))
            )
            incidence = survival.cumulative_incidence(days[has], codes[has], day)
    return GroupFigures(
        label=label,
        clock=clock,
        km=km,
        within_deadline=within,
        within_extended=extended,
        incidence=incidence,
        naive_mean=survival.naive_mean_of_closed(days, codes),
        **keys,
    )


@dataclass(frozen=True)
class Dashboard:
    as_of: date
    n: int
    open: int
    overall: dict[Clock, list[GroupFigures]]  # per procedure type, all own authorities
    by_authority: dict[Clock, list[GroupFigures]]  # per authority × type
    by_year: dict[Clock, list[GroupFigures]]  # per type × year of receipt
    trend: list[GroupFigures]  # net clock, per quarter of receipt (all types)
    overdue: list[OverdueRow]
    bottlenecks: list[Bottleneck]
    authorities: list[Authority] = field(default_factory=list)


def statutory_days(procedure_type: ProcedureType) -> int | None:
    """The decision deadline as days, for the cumulative incidence (months as 30.44 days)."""
    if not procedure_type.has_decision_deadline:
        return None
    return round(procedure_type.decision_months * 30.4375) + procedure_type.decision_days


DASHBOARD_CACHE_SECONDS = 24 * 3600
STATE_MODELS: tuple[type[PlanScopedModel], ...] = (
    Authority,
    ProcedureType,
    Procedure,
    ProcedureEvent,
    ProcedureExtension,
)


def data_state(masterplan: Masterplan) -> str:
    """The state of the plan's permit data: per table the number of rows, the highest id and
    the latest change (five aggregate queries). Every write goes through a service or an
    import that sets `modified_at`, and a deletion changes the number."""
    parts = []
    for model in STATE_MODELS:
        state = model.objects.filter(masterplan=masterplan).aggregate(
            n=Count("id"), top=Max("id"), changed=Max("modified_at")
        )
        changed = state["changed"].isoformat() if state["changed"] else "-"
        parts.append(f"{state['n']}:{state['top']}:{changed}")
    return "|".join(parts)


def dashboard_key(*, masterplan: Masterplan, as_of: date, user: Actor) -> str:
    """The cache key of the dashboard as of a date for this reader: the data's state, the day,
    the audience (members see drafts and the overdue procedures, the public does not) and the
    language (the rendered tables are kept under it too)."""
    audience = "members" if is_plan_member(user, masterplan) else "public"
    state = (
        f"{masterplan.pk}:{audience}:{get_language()}:{as_of.isoformat()}:{data_state(masterplan)}"
    )
    return "permits:dashboard:" + hashlib.sha256(state.encode()).hexdigest()


def permit_dashboard(
    *, masterplan: Masterplan, as_of: date, user: Actor, key: str | None = None
) -> Dashboard:
    """The dashboard of the plan's own authorities as of a date, in a fixed number of queries
    whatever the number of procedures; kept in the cache under `dashboard_key` (pass it when
    it is known already, to save its five queries)."""
    key = key or dashboard_key(masterplan=masterplan, as_of=as_of, user=user)
    board: Dashboard | None = cache.get(key)
    if board is None:
        board = compute_dashboard(masterplan=masterplan, as_of=as_of, user=user)
        cache.set(key, board, DASHBOARD_CACHE_SECONDS)
    return board


def compute_dashboard(*, masterplan: Masterplan, as_of: date, user: Actor) -> Dashboard:
    """The dashboard's figures (columns: 4 queries, overdue: 1, bottlenecks: 1)."""
    cols = columns(masterplan=masterplan, as_of=as_of, user=user)
    overall: dict[Clock, list[GroupFigures]] = {}
    by_authority: dict[Clock, list[GroupFigures]] = {}
    by_year: dict[Clock, list[GroupFigures]] = {}
    years = cols.year() if cols.size else np.empty(0, dtype=np.int64)
    for clock in CLOCKS:
        overall[clock] = []
        by_authority[clock] = []
        by_year[clock] = []
        for k, procedure_type in enumerate(cols.types):
            of_type = cols.kind == k
            if not of_type.any():
                continue
            days = statutory_days(procedure_type)
            overall[clock].append(
                figures_of(
                    cols,
                    of_type,
                    clock,
                    label=procedure_type.name,
                    deadline_days=days,
                    procedure_type=procedure_type,
                )
            )
            for a, authority in enumerate(cols.authorities):
                mask = of_type & (cols.authority == a)
                if mask.any():
                    by_authority[clock].append(
                        figures_of(
                            cols,
                            mask,
                            clock,
                            label=f"{authority.name} – {procedure_type.name}",
                            deadline_days=days,
                            authority=authority,
                            procedure_type=procedure_type,
                        )
                    )
            for year in sorted(set(years[of_type].tolist())):
                mask = of_type & (years == year)
                by_year[clock].append(
                    figures_of(
                        cols,
                        mask,
                        clock,
                        label=f"{procedure_type.name} {year}",
                        deadline_days=days,
                        procedure_type=procedure_type,
                        year=year,
                    )
                )
    trend = []
    if cols.size:
        quarters = cols.quarter()
        for quarter in sorted(set(quarters.tolist()))[-12:]:
            year, q = divmod(quarter, 4)
            trend.append(figures_of(cols, quarters == quarter, "net", label=f"{q + 1}/{year}"))
    open_count = int(((cols.decided < 0) & (cols.withdrawn < 0)).sum())
    return Dashboard(
        as_of=as_of,
        n=cols.size,
        open=open_count,
        overall=overall,
        by_authority=by_authority,
        by_year=by_year,
        trend=trend,
        overdue=overdue(cols),
        bottlenecks=bottlenecks(masterplan=masterplan, as_of=as_of, procedure_ids=cols.ids),
        authorities=cols.authorities,
    )


# --- Overdue and approaching deadlines ----------------------------------------------------------


@dataclass(frozen=True)
class OverdueRow:
    procedure: Procedure
    deadline: date
    days_left: int  # negative: overdue by that many days


OVERDUE_WITHIN_DAYS = 14  # the overdue list shows open procedures this near their deadline
OVERDUE_LIMIT = 50  # … at most this many, most urgent first


def overdue(
    cols: Columns, *, within_days: int = OVERDUE_WITHIN_DAYS, limit: int = OVERDUE_LIMIT
) -> list[OverdueRow]:
    """Open procedures past their deadline (with agreed extensions) or within `within_days`
    of it, most urgent first (one query for the rows shown)."""
    today = cols.as_of.toordinal()
    is_open = (cols.decided < 0) & (cols.withdrawn < 0) & (cols.extended_deadline >= 0)
    urgent = is_open & (cols.extended_deadline - today <= within_days)
    order = np.argsort(cols.extended_deadline[urgent], kind="stable")[:limit]
    chosen = cols.ids[urgent][order].tolist()
    deadlines = cols.extended_deadline[urgent][order].tolist()
    found = Procedure.objects.select_related("authority", "procedure_type", "applicant").in_bulk(
        chosen
    )
    return [
        OverdueRow(procedure=found[pk], deadline=date.fromordinal(day), days_left=day - today)
        for pk, day in zip(chosen, deadlines, strict=True)
        if pk in found
    ]


# --- Bottlenecks: where the days go -------------------------------------------------------------

STAGES: dict[str, tuple[str, str, Any]] = {
    # stage: (event that opens it, event that closes it, label)
    "applicant": (
        EventKind.DEFECTS_REQUESTED,
        EventKind.AMENDED_APPLICATION,
        _("Applicant remedies defects"),
    ),
    "hearing": (EventKind.HEARING, EventKind.HEARING_RESPONSE, _("Hearing of the applicant")),
    "statement": (
        EventKind.STATEMENT_REQUESTED,
        EventKind.STATEMENT,
        _("Statement of a consulted body"),
    ),
}


@dataclass(frozen=True)
class Bottleneck:
    stage: str
    label: str
    party: str
    km: survival.KaplanMeier


def bottlenecks(
    *, masterplan: Masterplan, as_of: date, procedure_ids: Iterable[int]
) -> list[Bottleneck]:
    """Median days per stage and, for statements, per consulted body: Kaplan–Meier over the
    stage's periods, a period still running at `as_of` censored (one query)."""
    wanted = set(int(pk) for pk in procedure_ids)
    rows = (
        ProcedureEvent.objects.filter(masterplan=masterplan, deleted_at__isnull=True, on__lte=as_of)
        .order_by("procedure_id", "on", "id")
        .values_list("procedure_id", "kind", "on", "party")
    )
    opened: dict[tuple[int, str, str], date] = {}
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    closes = {close: stage for stage, (_open, close, _label) in STAGES.items()}
    opens = {open_: stage for stage, (open_, _close, _label) in STAGES.items()}
    for procedure_id, kind, on, party in rows:
        if procedure_id not in wanted:
            continue
        if kind in opens:
            stage = opens[kind]
            opened.setdefault((procedure_id, stage, party if stage == "statement" else ""), on)
        elif kind in closes:
            stage = closes[kind]
            key = (procedure_id, stage, party if stage == "statement" else "")
            start = opened.pop(key, None)
            if start is None and stage == "statement":  # a statement answering an unnamed request
                key = (procedure_id, stage, "")
                start = opened.pop(key, None)
            if start is not None:
                spans[(stage, key[2])].append(((on - start).days, 1))
    for (_procedure_id, stage, party), start in opened.items():
        spans[(stage, party)].append(((as_of - start).days, 0))
    result = []
    for (stage, party), values in sorted(spans.items()):
        days = np.array([v[0] for v in values], dtype=np.int64)
        codes = np.array([v[1] for v in values], dtype=np.int64)
        result.append(
            Bottleneck(
                stage=stage,
                label=str(STAGES[stage][2]),
                party=party,
                km=survival.kaplan_meier(days, codes),
            )
        )
    return result


# --- Benchmark against peers --------------------------------------------------------------------


@dataclass(frozen=True)
class RankedCity:
    city: str
    is_own: bool
    value: float | None
    n: int | None
    rank: survival.CityRank | None
    source: str


@dataclass(frozen=True)
class Ranking:
    """Cities ranked on one definition (statistic, clock start, clock end) only."""

    definition: survival.Definition
    procedure_type: str
    year: int | None
    cities: list[RankedCity]
    bootstrapped: bool


@dataclass(frozen=True)
class Benchmark:
    as_of: date
    own_city: str
    rankings: list[Ranking]
    top: int


def own_city(masterplan: Masterplan) -> str:
    return masterplan.city


def benchmark(
    *,
    masterplan: Masterplan,
    as_of: date,
    top: int = 10,
    resamples: int = 1000,
    seed: int = 0,
    user: Actor | None = None,
) -> Benchmark:
    """`compute_benchmark`, kept in the cache under the state of the plan's permit data and
    its peer figures, the day, the reader's audience, the language and the parameters (the
    bootstrap is seeded, so the same state gives the same ranking): the benchmark page and
    the API draw the 1,000 resamples once, not on every view."""
    audience = (
        "all" if user is None else ("members" if is_plan_member(user, masterplan) else "public")
    )
    peers = PeerFigure.objects.filter(masterplan=masterplan).aggregate(
        n=Count("id"), top=Max("id"), changed=Max("modified_at")
    )
    state = (
        f"{masterplan.pk}:{audience}:{get_language()}:{as_of.isoformat()}:{top}:{resamples}:"
        f"{seed}:{data_state(masterplan)}:{peers['n']}:{peers['top']}:{peers['changed']}"
    )
    key = "permits:benchmark:" + hashlib.sha256(state.encode()).hexdigest()
    found: Benchmark | None = cache.get(key)
    if found is None:
        found = compute_benchmark(
            masterplan=masterplan, as_of=as_of, top=top, resamples=resamples, seed=seed, user=user
        )
        cache.set(key, found, DASHBOARD_CACHE_SECONDS)
    return found


def compute_benchmark(
    *,
    masterplan: Masterplan,
    as_of: date,
    top: int = 10,
    resamples: int = 1000,
    seed: int = 0,
    user: Actor | None = None,
) -> Benchmark:
    """Rank the plan's city among its peers, like with like.

    Record-level cities (the own authorities and peers that share their records) are measured
    the same way: Kaplan–Meier median, clock from the complete application (net) and from
    receipt (gross), per procedure type; with a `user`, what that user may see (no draft
    authority or peer figure reaches the public). Published figures join a ranking only when they
    measured the same statistic from the same start to the same end. Rankings with records or
    with published medians carry a bootstrap rank interval and P(top `top`); other published
    statistics are ranked by value without an interval, which the page says.
    """
    cols = columns(masterplan=masterplan, as_of=as_of, own_only=False, user=user)
    published = list(
        plan_rows(PeerFigure, masterplan, user)
        .filter(year__lte=as_of.year)
        .order_by("city", "-year", "id")
    )
    rankings: list[Ranking] = []
    city_of = [a.city for a in cols.authorities]
    own_cities = {a.city for a in cols.authorities if a.is_own} or {own_city(masterplan)}
    for clock in CLOCKS:
        days, codes, started = cols.durations(clock)
        authority = cols.authority[started]
        kind = cols.kind[started]
        for k, procedure_type in enumerate(cols.types):
            definition = survival.Definition(
                statistic=Statistic.KM_MEDIAN, start=CLOCK_START[clock], end="decided"
            )
            records = []
            for city in sorted(set(city_of)):
                mask = (kind == k) & np.isin(
                    authority, [i for i, name in enumerate(city_of) if name == city]
                )
                if mask.sum() >= 5:
                    records.append(
                        survival.CityRecords(city=city, durations=days[mask], events=codes[mask])
                    )
            peers = [
                figure
                for figure in latest_per_city(published)
                if figure.statistic == Statistic.KM_MEDIAN
                and figure.start == CLOCK_START[clock]
                and same_type(figure.procedure_type, procedure_type)
                and figure.city not in {r.city for r in records}
            ]
            if len(records) + len(peers) < 2:
                continue
            ranks = survival.bootstrap_ranking(
                records=records,
                published=[
                    survival.PublishedMedian(city=f.city, median_days=f.value, n=f.n) for f in peers
                ],
                resamples=resamples,
                top=top,
                seed=seed,
            )
            counts = {r.city: int(r.durations.size) for r in records}
            sources = {f.city: f.source for f in peers}
            rankings.append(
                Ranking(
                    definition=definition,
                    procedure_type=procedure_type.name,
                    year=None,
                    cities=sorted(
                        (
                            RankedCity(
                                city=rank.city,
                                is_own=rank.city in own_cities,
                                value=rank.median_days,
                                n=counts.get(rank.city)
                                or next((f.n for f in peers if f.city == rank.city), None),
                                rank=rank,
                                source=sources.get(rank.city, str(_("records"))),
                            )
                            for rank in ranks
                        ),
                        key=lambda row: (row.rank.rank if row.rank else 0, row.city),
                    ),
                    bootstrapped=True,
                )
            )
    rankings.extend(published_rankings(published, own_cities))
    return Benchmark(
        as_of=as_of, own_city=", ".join(sorted(own_cities)), rankings=rankings, top=top
    )


def same_type(name: str, procedure_type: ProcedureType) -> bool:
    wanted = name.strip().lower()
    return wanted in {
        procedure_type.code.lower(),
        procedure_type.name.lower(),
        procedure_type.legal_basis.lower(),
    }


def latest_per_city(figures: Iterable[PeerFigure]) -> list[PeerFigure]:
    """Each city's most recent figure per (statistic, start, end, type)."""
    seen: dict[tuple[str, str, str, str, str], PeerFigure] = {}
    for figure in figures:  # ordered by city, newest year first
        key = (figure.city, figure.statistic, figure.start, figure.end, figure.procedure_type)
        seen.setdefault(key, figure)
    return list(seen.values())


def published_rankings(figures: list[PeerFigure], own_cities: set[str]) -> list[Ranking]:
    """Published figures other than KM medians: ranked by value within one definition, type
    and year, without an interval (no records to resample)."""
    result = []
    rest = [f for f in figures if f.statistic != Statistic.KM_MEDIAN]
    groups: dict[tuple[survival.Definition, str, int], list[PeerFigure]] = defaultdict(list)
    for definition, members in survival.group_like_with_like(rest).items():
        for figure in members:
            groups[(definition, figure.procedure_type, figure.year)].append(figure)
    for (definition, procedure_type, year), members in sorted(
        groups.items(), key=lambda item: (item[0][1], -item[0][2], item[0][0].statistic)
    ):
        if len(members) < 2:
            continue
        higher_is_better = definition.statistic == Statistic.SHARE_WITHIN_DEADLINE
        ordered = sorted(members, key=lambda f: -f.value if higher_is_better else f.value)
        result.append(
            Ranking(
                definition=definition,
                procedure_type=procedure_type,
                year=year,
                cities=[
                    RankedCity(
                        city=f.city,
                        is_own=f.city in own_cities,
                        value=f.value,
                        n=f.n,
                        rank=None,
                        source=f.source,
                    )
                    for f in ordered
                ],
                bootstrapped=False,
            )
        )
    return result
