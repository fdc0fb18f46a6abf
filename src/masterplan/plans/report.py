"""The review report ("Rückblick und Ausblick") of a masterplan for any period.

What happened between `start` and `end` (both included) and what is due in the months after
`end`: milestones achieved, measures started and finished, changes of health (RAG) with their
reasons, the movement of the key results, what was overdue at `end`, and the outlook. The
builder reads the data with a fixed number of queries whatever the size of the plan (asserted
in tests/plans/test_report_queries.py) and applies the same visibility rules as every page:
people without a role in the plan see published records only.

Every figure has its method in REPORT_METHODS (or plans.figures.METHODS), shown next to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from masterplan.core import charts
from masterplan.core.actors import Actor
from masterplan.core.markup import url_for_pk
from masterplan.core.models import AuditEntry, Masterplan, Publication
from masterplan.core.review_report import (
    DEFAULT_OUTLOOK_MONTHS,
    CompiledReport,
    DataState,
    ReportScope,
    add_months,
    register_review_section,
    report_scope,
)
from masterplan.plans.figures import METHODS, Schedule, attainment, measure_schedule
from masterplan.plans.models import (
    Health,
    KeyResult,
    KeyResultReading,
    Measure,
    MeasureStatus,
    Milestone,
    StatusReport,
)
from masterplan.plans.queries import PlanTree, plan_tree

MEASURE_UPDATED = "plans.measure.updated"
DEFAULT_PERIOD_MONTHS = 3

REPORT_METHODS: dict[str, Promise] = {
    "period": _(
        "The period includes its first and its last day. Times recorded in the audit trail are "
        "compared in German time (Europe/Berlin, summer time included)."
    ),
    "milestones_achieved": _(
        "A milestone counts as achieved in the period when its “achieved on” date lies within "
        "the period. Days late = achieved on − due, when it was achieved after its due date."
    ),
    "measures_started_finished": _(
        "A measure counts as started (finished) in the period when its actual start (actual "
        "end) lies within the period. Delay = actual date − planned date in days."
    ),
    "health_changes": _(
        "Changes of health are read from the audit trail: every recorded change of a measure's "
        "health (on track, at risk, off track) within the period. The reason is the one saved "
        "together with the change; where none was saved with it, the measure's current reason "
        "is shown and marked as such. Status reports are listed when their reporting period "
        "ends within the period."
    ),
    "key_result_movement": _(
        "For each key result: the last recorded value on or before the first day and the last "
        "on or before the last day of the period (the baseline when no value had been recorded "
        "by then). Attainment at both dates as described above; the change in percentage "
        "points is attainment at the end minus attainment at the start."
    ),
    "overdue": _(
        "As of the last day of the period: milestones due before that day and not achieved by "
        "then, and measures not finished by then whose planned end lies before that day. Days "
        "overdue are counted up to the last day of the period. Stopped measures and their "
        "milestones are left out."
    ),
    "outlook": _(
        "Milestones due, and measures planned to end, after the last day of the period and up "
        "to the end of the outlook, unless already achieved or finished by the last day of the "
        "period. Stopped measures and their milestones are left out."
    ),
    "health_now": _(
        "Open measures (not finished, not stopped) by their health today, as entered by the "
        "lead organisation or taken over from its latest status report."
    ),
    "data_state": _(
        "The report shows the data as stored when it was generated; the newest entry of the "
        "plan's audit trail at that moment identifies this state."
    ),
}


def default_period(today: date) -> tuple[date, date]:
    """The last three months up to today.

    Once the governance module records steering committee meetings, the default start
    becomes the day of the last meeting held (see docs/review-report.md).
    """
    return add_months(today, -DEFAULT_PERIOD_MONTHS), today


def local_day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[00:00 on start, 00:00 after end) in the site's time zone, as aware datetimes.

    Built per day in Europe/Berlin so that a change at 00:30 summer time on the day after
    `end` (22:30 UTC on `end`) is not counted.
    """
    zone = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def record_url(obj: Model) -> str:
    """The record's page, or "" while that page does not exist (yet)."""
    try:
        # Not every model has a page; the AttributeError is caught below.
        return str(obj.get_absolute_url())  # type: ignore[attr-defined]
    except (AttributeError, NoReverseMatch):
        return ""


def percent(value: float | None) -> float | None:
    return None if value is None else value * 100


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    measure: Measure
    days_late: int  # achieved after due, or overdue at the end of the period; 0 otherwise
    url: str


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    lead: str  # the lead organisation, when the reader may see it
    schedule: Schedule  # planned against actual dates as of the end of the period
    url: str

    @property
    def health_label(self) -> str:
        return str(Health(self.measure.health).label)


@dataclass(frozen=True)
class HealthChange:
    measure: Measure
    changed_at: datetime  # aware; shown in German time
    old: str  # a Health value, or "" when unknown (e.g. redacted)
    new: str
    reason: str
    reason_is_current: bool  # no reason was saved with the change; the current one is shown
    actor: str  # "" for readers without a role in the plan
    url: str

    @property
    def old_label(self) -> str:
        return health_label(self.old)

    @property
    def new_label(self) -> str:
        return health_label(self.new)

    @property
    def direction(self) -> int:
        """+1 better, −1 worse, 0 unknown or unchanged."""
        order = {Health.RED: 0, Health.AMBER: 1, Health.GREEN: 2}
        if self.old not in order or self.new not in order:
            return 0
        return (order[Health(self.new)] > order[Health(self.old)]) - (
            order[Health(self.new)] < order[Health(self.old)]
        )


@dataclass(frozen=True)
class StatusReportRow:
    report: StatusReport
    measure: Measure
    url: str

    @property
    def health_label(self) -> str:
        return health_label(self.report.health)


@dataclass(frozen=True)
class KeyResultMovement:
    key_result: KeyResult
    start_value: Decimal | None
    start_on: date | None
    end_value: Decimal | None
    end_on: date | None
    attainment_start: float | None
    attainment_end: float | None
    url: str

    @property
    def attainment_start_percent(self) -> float | None:
        return percent(self.attainment_start)

    @property
    def attainment_end_percent(self) -> float | None:
        return percent(self.attainment_end)

    @property
    def change_points(self) -> float | None:
        """Attainment at the end − attainment at the start, in percentage points."""
        if self.attainment_start is None or self.attainment_end is None:
            return None
        return (self.attainment_end - self.attainment_start) * 100

    @property
    def value_change(self) -> Decimal | None:
        if self.start_value is None or self.end_value is None:
            return None
        return self.end_value - self.start_value


@dataclass(frozen=True)
class MonthCount:
    month: date  # first day of the month
    milestones: int
    measures: int


@dataclass
class ReviewReport:
    masterplan: Masterplan
    start: date
    end: date
    outlook_months: int
    outlook_end: date
    today: date
    generated_at: datetime
    generated_by: str
    is_member: bool
    data_state: DataState
    tree: PlanTree
    milestones_achieved: list[MilestoneRow] = field(default_factory=list)
    measures_started: list[MeasureRow] = field(default_factory=list)
    measures_finished: list[MeasureRow] = field(default_factory=list)
    health_changes: list[HealthChange] = field(default_factory=list)
    status_reports: list[StatusReportRow] = field(default_factory=list)
    key_results: list[KeyResultMovement] = field(default_factory=list)
    overdue_milestones: list[MilestoneRow] = field(default_factory=list)
    overdue_measures: list[MeasureRow] = field(default_factory=list)
    outlook_milestones: list[MilestoneRow] = field(default_factory=list)
    outlook_measures: list[MeasureRow] = field(default_factory=list)
    health_now: dict[str, int] = field(default_factory=dict)

    @property
    def health_now_rows(self) -> list[tuple[str, str, int]]:
        """(value, label, number of open measures) for on track, at risk and off track."""
        return [
            (value, str(label), self.health_now.get(value, 0)) for value, label in Health.choices
        ]

    @property
    def progress_percent(self) -> float | None:
        return percent(self.tree.progress)

    @property
    def outlook_by_month(self) -> list[MonthCount]:
        """Milestones and measure ends of the outlook, per calendar month."""
        months: list[date] = []
        month = (self.end + timedelta(days=1)).replace(day=1)
        while month <= self.outlook_end:
            months.append(month)
            month = add_months(month, 1)
        milestones = [r.milestone.due.replace(day=1) for r in self.outlook_milestones]
        measures = [
            r.measure.planned_end.replace(day=1)
            for r in self.outlook_measures
            if r.measure.planned_end is not None
        ]
        return [MonthCount(m, milestones.count(m), measures.count(m)) for m in months]


def health_label(value: str) -> str:
    if value in Health.values:
        return str(Health(value).label)
    return str(_("unknown"))


def organization_label(measure: Measure, is_member: bool) -> str:
    lead = measure.lead_organization
    if lead is None or lead.deleted_at is not None:
        return ""
    if is_member or lead.publication == Publication.PUBLISHED:
        return str(lead)
    return ""


def as_of(day: date | None, end: date) -> date | None:
    """A date as it was known at the end of the period: later dates had not happened yet."""
    return day if day is not None and day <= end else None


def schedule_at(measure: Measure, end: date) -> Schedule:
    return measure_schedule(
        planned_start=measure.planned_start,
        planned_end=measure.planned_end,
        actual_start=as_of(measure.actual_start, end),
        actual_end=as_of(measure.actual_end, end),
        today=end,
    )


def within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def reading_at(day: date, column: str) -> Subquery:
    return Subquery(
        KeyResultReading.objects.filter(key_result=OuterRef("pk"), measured_on__lte=day)
        .order_by("-measured_on", "-id")
        .values(column)[:1]
    )


def value_at(
    key_result: KeyResult, reading: Decimal | None, read_on: date | None, day: date
) -> tuple[Decimal | None, date | None]:
    """The last reading on or before `day`; the baseline if it is newer or the only value."""
    baseline_known = key_result.baseline_date <= day
    if read_on is not None and (not baseline_known or read_on >= key_result.baseline_date):
        return reading, read_on
    if baseline_known:
        return key_result.baseline_value, key_result.baseline_date
    return None, None


def key_result_attainment(key_result: KeyResult, value: Decimal | None) -> float | None:
    if value is None or key_result.baseline_value == key_result.target_value:
        return None
    return attainment(
        baseline=key_result.baseline_value, target=key_result.target_value, current=value
    )


def key_result_movements(
    key_results: Iterable[KeyResult], masterplan: Masterplan, start: date, end: date
) -> list[KeyResultMovement]:
    rows = []
    for kr in key_results:
        kr.goal.masterplan = masterplan  # for links, without a query per key result
        # start_value … end_on are annotations of visible_key_results' queryset.
        start_value, start_on = value_at(kr, kr.start_value, kr.start_on, start)  # type: ignore[attr-defined]
        end_value, end_on = value_at(kr, kr.end_value, kr.end_on, end)  # type: ignore[attr-defined]
        rows.append(
            KeyResultMovement(
                key_result=kr,
                start_value=start_value,
                start_on=start_on,
                end_value=end_value,
                end_on=end_on,
                attainment_start=key_result_attainment(kr, start_value),
                attainment_end=key_result_attainment(kr, end_value),
                url=record_url(kr.goal),
            )
        )
    return rows


def visible_key_results(user: Actor, masterplan: Masterplan, member: bool) -> QuerySet[KeyResult]:
    """Key results the reader may see, whose goal the reader may see too."""
    qs = (
        KeyResult.objects.select_related("goal")
        .visible_to(user, masterplan)
        .filter(goal__deleted_at__isnull=True)
    )
    if not member:
        qs = qs.filter(goal__publication=Publication.PUBLISHED)
    return qs.order_by("goal__position", "goal_id", "id")


def health_change(entry: AuditEntry, row: MeasureRow, member: bool) -> HealthChange | None:
    pair = entry.changes.get("health")
    if not isinstance(pair, list) or len(pair) != 2:
        return None
    old, new = (value if isinstance(value, str) else "" for value in pair)
    reason_pair = entry.changes.get("health_reason")
    recorded = reason_pair[1] if isinstance(reason_pair, list) and len(reason_pair) == 2 else None
    reason, is_current = "", False
    if not member:
        pass  # the reasons for a rating are internal: the public sees the ratings only
    elif isinstance(recorded, str) and recorded.strip():
        reason = recorded
    elif new != Health.GREEN and row.measure.health_reason.strip():
        reason, is_current = row.measure.health_reason, True
    return HealthChange(
        measure=row.measure,
        changed_at=entry.created_at,
        old=old,
        new=new,
        reason=reason,
        reason_is_current=is_current,
        actor=entry.actor_label if member else "",
        url=row.url,
    )


def build_review_report(
    *,
    user: Actor,
    masterplan: Masterplan,
    start: date,
    end: date,
    outlook_months: int = DEFAULT_OUTLOOK_MONTHS,
    today: date,
) -> ReviewReport:
    """The plan's part of the review of [start, end] and the outlook to end + outlook_months,
    as `user` may see it (the whole report: core.review_report.compile_review_report)."""
    return plan_review(
        report_scope(
            user=user,
            masterplan=masterplan,
            start=start,
            end=end,
            outlook_months=outlook_months,
            today=today,
        )
    )


def plan_review(scope: ReportScope) -> ReviewReport:
    """Milestones, measures, changes of health, key results, overdue items and the outlook
    of the scope's period."""
    user, masterplan, start, end = scope.user, scope.masterplan, scope.start, scope.end
    member, outlook_end = scope.is_member, scope.outlook_end
    tree = plan_tree(user=user, masterplan=masterplan, today=scope.today)

    # The tree has read the measures with their status and lead organisation; only their
    # order is asked for again (the database's, for NULLs and collation).
    read = {node.measure.pk: node.measure for node in tree.measure_nodes}
    measures: dict[int, Measure] = {}
    for pk in (
        Measure.objects.visible_to(user, masterplan)
        .order_by("planned_end", "title", "id")
        .values_list("pk", flat=True)
    ):
        if pk in read:
            m = read[pk]
            m.masterplan = masterplan  # for links, without a query per measure
            measures[pk] = m
    measure_url = url_for_pk("plans:measure_detail", masterplan.slug)  # Measure's own page
    rows: dict[int, MeasureRow] = {
        pk: MeasureRow(
            measure=m,
            lead=organization_label(m, member),
            schedule=schedule_at(m, end),
            url=measure_url(pk),
        )
        for pk, m in measures.items()
    }
    stopped = {pk for pk, m in measures.items() if m.status.phase == MeasureStatus.Phase.STOPPED}

    report = ReviewReport(
        masterplan=masterplan,
        start=start,
        end=end,
        outlook_months=scope.outlook_months,
        outlook_end=outlook_end,
        today=scope.today,
        generated_at=scope.generated_at,
        generated_by=scope.generated_by,
        is_member=member,
        data_state=scope.data_state,
        tree=tree,
    )
    for pk, row in rows.items():
        m = row.measure
        if within(m.actual_start, start, end):
            report.measures_started.append(row)
        if within(m.actual_end, start, end):
            report.measures_finished.append(row)
        if pk in stopped:
            continue
        if row.schedule.overdue:
            report.overdue_measures.append(row)
        due_in_outlook = m.planned_end is not None and end < m.planned_end <= outlook_end
        if due_in_outlook and as_of(m.actual_end, end) is None:
            report.outlook_measures.append(row)
        if m.actual_end is None:
            report.health_now[m.health] = report.health_now.get(m.health, 0) + 1
    report.measures_started.sort(key=lambda r: (r.measure.actual_start, r.measure.pk))
    report.measures_finished.sort(key=lambda r: (r.measure.actual_end, r.measure.pk))
    report.overdue_measures.sort(key=lambda r: (-r.schedule.days_late, r.measure.pk))

    add_milestones(report, user, rows, stopped)
    add_health_changes(report, rows, member)
    report.status_reports = [
        StatusReportRow(report=sr, measure=rows[sr.measure_id].measure, url=rows[sr.measure_id].url)
        for sr in StatusReport.objects.visible_to(user, masterplan)
        .filter(period_end__gte=start, period_end__lte=end)
        .order_by("period_end", "id")
        if sr.measure_id in rows
    ]
    report.key_results = key_result_movements(
        visible_key_results(user, masterplan, member).annotate(
            start_value=reading_at(start, "value"),
            start_on=reading_at(start, "measured_on"),
            end_value=reading_at(end, "value"),
            end_on=reading_at(end, "measured_on"),
        ),
        masterplan,
        start,
        end,
    )
    return report


def add_milestones(
    report: ReviewReport, user: Actor, rows: dict[int, MeasureRow], stopped: set[int]
) -> None:
    start, end = report.start, report.end
    open_at_end = Q(achieved_on__isnull=True) | Q(achieved_on__gt=end)
    milestones = Milestone.objects.visible_to(user, report.masterplan).filter(
        Q(achieved_on__gte=start, achieved_on__lte=end)
        | (open_at_end & Q(due__lte=report.outlook_end) & ~Q(due=end))
    )
    # What the report's tables show of a milestone (plans/report_body.html).
    shown = ("measure_id", "title", "due", "achieved_on", "evidence_url")
    for ms in milestones.only(*shown).order_by("due", "id"):
        row = rows.get(ms.measure_id)
        if row is None:
            continue
        ms.measure = row.measure
        if ms.achieved_on is not None and within(ms.achieved_on, start, end):
            late = max(0, (ms.achieved_on - ms.due).days)
            report.milestones_achieved.append(MilestoneRow(ms, row.measure, late, row.url))
        elif ms.measure_id in stopped:
            continue
        elif ms.due < end:
            late = (end - ms.due).days
            report.overdue_milestones.append(MilestoneRow(ms, row.measure, late, row.url))
        else:
            report.outlook_milestones.append(MilestoneRow(ms, row.measure, 0, row.url))
    report.milestones_achieved.sort(key=lambda r: (r.milestone.achieved_on, r.milestone.pk))


def add_health_changes(report: ReviewReport, rows: dict[int, MeasureRow], member: bool) -> None:
    since, until = local_day_bounds(report.start, report.end)
    entries = (
        AuditEntry.objects.filter(
            masterplan=report.masterplan,
            action=MEASURE_UPDATED,
            created_at__gte=since,
            created_at__lt=until,
            changes__has_key="health",
        )
        .only("id", "created_at", "actor_label", "object_id", "changes")
        .order_by("created_at", "id")
    )
    for entry in entries:
        row = rows.get(int(entry.object_id)) if entry.object_id.isdigit() else None
        if row is None:
            continue
        change = health_change(entry, row, member)
        if change is not None:
            report.health_changes.append(change)


def report_charts(report: ReviewReport) -> dict[str, Any]:
    """The SVG charts of the report; the tables next to them carry the same figures."""
    progress_rows = [charts.PercentBar(str(gettext("Whole plan")), report.tree.progress)] + [
        charts.PercentBar(node.field.name, node.progress) for node in report.tree.fields
    ]
    health = [
        charts.Segment(label, count, charts.HEALTH_COLOURS[value])
        for value, label, count in report.health_now_rows
    ]
    months = report.outlook_by_month
    return {
        "progress": charts.percent_bars(
            chart_id="chart-progress",
            title=gettext("Progress by field of action"),
            description=gettext(
                "Progress of the whole plan and of each field of action today, from 0 to 100 "
                "percent. The table below lists the same figures."
            ),
            bars=progress_rows,
        ),
        "health": charts.stacked_counts(
            chart_id="chart-health",
            title=gettext("Open measures by health"),
            description=gettext(
                "Number of open measures on track, at risk and off track today. The table below "
                "lists the same figures."
            ),
            segments=health,
        ),
        "key_results": charts.movement_chart(
            chart_id="chart-key-results",
            title=gettext(
                "Attainment of the key results at the start and at the end of the period"
            ),
            description=gettext(
                "For each key result, a hollow circle marks the attainment at the start of the "
                "period and a filled circle the attainment at its end, from 0 to 100 percent; "
                "the change is given in percentage points. The table below lists the same "
                "figures."
            ),
            rows=[
                charts.Movement(row.key_result.name, row.attainment_start, row.attainment_end)
                for row in report.key_results
            ],
            start_label=gettext("Start of the period"),
            end_label=gettext("End of the period"),
            # Abbreviation of "percentage points" (German: "Pp.").
            points_unit=gettext("pp"),
        ),
        "outlook": charts.grouped_columns(
            chart_id="chart-outlook",
            title=gettext("Outlook by month"),
            description=gettext(
                "Number of milestones due and of measures planned to end in each month of the "
                "outlook. The table below lists the same figures."
            ),
            groups=[
                charts.ColumnGroup(
                    date_format(m.month, "YEAR_MONTH_FORMAT"), (m.milestones, m.measures)
                )
                for m in months
            ],
            series=[
                (gettext("Milestones"), charts.ACCENT),
                (gettext("Measure ends"), charts.START),
            ],
        ),
    }


@register_review_section("plans.review", template="plans/report_body.html")
def review_section(scope: ReportScope) -> dict[str, Any]:
    """The plan's review and outlook: the report's body, with the slot "plans.review" (after
    the key results) for other modules' sections."""
    report = plan_review(scope)
    return {
        "report": report,
        "charts": report_charts(report),
        "methods": {**METHODS, **REPORT_METHODS},
    }


def review_report_print_html(report: CompiledReport, request: HttpRequest | None = None) -> str:
    """The report as the HTML the PDF is made of: for the download and the meeting attachment."""
    return render_to_string(
        "plans/report_print.html",
        {"masterplan": report.masterplan, "report": report},
        request=request,
    )
