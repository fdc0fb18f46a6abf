"""Meeting preparation: a draft agenda generated from the plan, and the review report attached.

`propose_agenda` is a read: what the plan says the body should talk about next —
- measures off track (red) or at risk (amber), red first;
- milestones not achieved and due before the body's next meeting (or, without a next meeting,
  within NEXT_MEETING_FALLBACK_DAYS after this one), overdue ones included;
- decisions of the body not yet carried out (open or in progress);
- action items of the body's meetings overdue at the meeting date.
Which measures: a top body (a steering committee, without a parent) looks at the whole plan,
measures with or without a working group; any other body at the measures it or any of its
parts (at any depth) is the operational unit of, or the whole plan if there are none. A
milestone still ahead of today but due by the meeting reads "due by the meeting", not
"overdue"; more than GROUP_FROM measures off track are grouped by field of action.

`generate_agenda` writes the proposal as agenda items (through the services, audited), which
the secretary then edits. `attach_review_report` renders the plans module's review report
("Rückblick und Ausblick") for the period since the body's previous meeting as a PDF and
attaches it to the meeting as a Document of kind report: `request_review_report` queues
`attach_review_report_task` (below) after the commit, because rendering takes a few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from masterplan.core.actors import Actor
from masterplan.core.models import Publication
from masterplan.core.pdf import html_to_pdf
from masterplan.core.permissions import acting_user, ensure_can_edit
from masterplan.core.review_report import add_months, compile_review_report
from masterplan.governance import services
from masterplan.governance.models import (
    ActionItem,
    AgendaItem,
    Body,
    Decision,
    Document,
    DocumentKind,
    Meeting,
    MeetingState,
    public_decision_q,
)
from masterplan.governance.queries import OPEN_ACTIONS, OPEN_STATES
from masterplan.plans.models import Goal, Health, Measure, MeasureStatus, Milestone
from masterplan.plans.report import review_report_print_html

NEXT_MEETING_FALLBACK_DAYS = 90
GROUP_FROM = 8  # measures off track: more than this many are grouped by field of action
REPORT_FALLBACK_MONTHS = 3


@dataclass
class Proposal:
    """One proposed agenda item, with sub-items."""

    title: str
    text: str = ""
    is_public: bool = True
    source: str = ""  # opening, health, milestones, decisions, action_items, report, closing
    measures: list[Measure] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    children: list[Proposal] = field(default_factory=list)


def meeting_day(meeting: Meeting) -> date:
    return timezone.localtime(meeting.start).date()


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The body's last meeting before this one that took place (not cancelled)."""
    return (
        Meeting.objects.filter(body_id=meeting.body_id, start__lt=meeting.start)
        .exclude(state=MeetingState.CANCELLED)
        .exclude(pk=meeting.pk)
        .order_by("-start", "-id")
        .first()
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(body_id=meeting.body_id, start__gt=meeting.start)
        .exclude(state=MeetingState.CANCELLED)
        .order_by("start", "id")
        .first()
    )


def horizon(meeting: Meeting) -> date:
    """Milestones due before this day belong on the agenda."""
    following = next_meeting(meeting)
    if following is not None:
        return meeting_day(following)
    return meeting_day(meeting) + timedelta(days=NEXT_MEETING_FALLBACK_DAYS)


def body_measures(body: Body) -> QuerySet[Measure]:
    """The measures a body looks at: a top body the whole plan's; another body those of it and
    its parts at any depth, or the whole plan's if they have none."""
    whole_plan = Measure.objects.filter(masterplan=body.masterplan)
    if body.parent_id is None:
        return whole_plan
    children: dict[int | None, list[int]] = {}
    for pk, parent in Body.objects.filter(masterplan=body.masterplan).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent, []).append(pk)
    family, waiting = {body.pk}, [body.pk]
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in family:
                family.add(child)
                waiting.append(child)
    own = whole_plan.filter(operational_body__in=family)
    return own if own.exists() else whole_plan


def grouped_by_field(measures: list[Measure], items: list[Proposal]) -> list[Proposal]:
    """Long lists under one sub-item per field of action, in the plan's order of the fields;
    a group is public if any of its items is."""
    groups: dict[int, tuple[Any, list[Proposal]]] = {}
    for measure, item in zip(measures, items, strict=True):
        field_of_action = measure.goal.field
        groups.setdefault(field_of_action.pk, (field_of_action, []))[1].append(item)
    ordered = sorted(groups.values(), key=lambda group: (group[0].position, group[0].pk))
    return [
        Proposal(
            title=_("%(field)s (%(count)d measures)")
            % {"field": field_of_action.name, "count": len(children)},
            is_public=any(child.is_public for child in children),
            source="health",
            children=children,
        )
        for field_of_action, children in ordered
    ]


def milestone_note(due: date, *, today: date, meeting_day: date) -> str:
    """ " – overdue" once the day has passed; " – due by the meeting" while it is still ahead."""
    if due < today:
        return " – " + _("overdue")
    if due < meeting_day:
        return " – " + _("due by the meeting")
    return ""


def is_public_record(obj: Any) -> bool:
    return bool(obj.publication == Publication.PUBLISHED)


def propose_agenda(*, meeting: Meeting) -> list[Proposal]:
    """The draft agenda for a meeting (see the module docstring for what goes into it)."""
    day = meeting_day(meeting)
    today = timezone.localdate()
    until = horizon(meeting)
    measures = body_measures(meeting.body).exclude(
        status__phase__in=(MeasureStatus.Phase.DONE, MeasureStatus.Phase.STOPPED)
    )
    proposals = [Proposal(title=_("Welcome and adoption of the agenda"), source="opening")]
    previous = previous_meeting(meeting)
    if previous is not None and previous.state == MeetingState.HELD:
        proposals.append(
            Proposal(
                title=_("Approval of the minutes of the meeting of %(date)s")
                % {"date": f"{meeting_day(previous):%d.%m.%Y}"},
                source="opening",
            )
        )

    critical = list(
        measures.filter(health__in=(Health.RED, Health.AMBER))
        .select_related("goal__field", "lead_organization")
        .order_by("health", "planned_end", "title", "id")  # "amber" < "red" alphabetically
    )
    critical.sort(key=lambda m: (m.health != Health.RED,))
    if critical:
        items = [
            Proposal(
                title=f"{m.title} ({m.get_health_display()})",
                # The reason for a rating is internal: never in a public item.
                text=m.lead_organization.name
                if is_public_record(m)
                else f"{m.lead_organization.name}: {m.health_reason}".strip(),
                is_public=is_public_record(m),
                measures=[m],
                goals=[m.goal],
                source="health",
            )
            for m in critical
        ]
        proposals.append(
            Proposal(
                title=_("Measures off track or at risk"),
                source="health",
                children=grouped_by_field(critical, items) if len(items) > GROUP_FROM else items,
            )
        )

    milestones = list(
        Milestone.objects.filter(measure__in=measures, achieved_on__isnull=True, due__lt=until)
        .select_related("measure")
        .order_by("due", "id")
    )
    if milestones:
        proposals.append(
            Proposal(
                title=_("Milestones due before %(date)s") % {"date": f"{until:%d.%m.%Y}"},
                source="milestones",
                children=[
                    Proposal(
                        title=_("%(title)s (due %(due)s)")
                        % {"title": ms.title, "due": f"{ms.due:%d.%m.%Y}"}
                        + milestone_note(ms.due, today=today, meeting_day=day),
                        text=ms.measure.title,
                        is_public=is_public_record(ms) and is_public_record(ms.measure),
                        measures=[ms.measure],
                        source="milestones",
                    )
                    for ms in milestones
                ],
            )
        )

    decisions = list(
        Decision.objects.filter(
            meeting__body=meeting.body,
            implementation_state__in=OPEN_STATES,
            decided_on__lt=day,
        )
        .select_related("responsible_organization")
        .order_by("decided_on", "id")
    )
    # What the public may see of them (the models' rule, whatever the plan's publication): a
    # decision on a hidden agenda item must not resurface as a public item of this agenda.
    public_decisions = set(
        Decision.objects.filter(public_decision_q(), pk__in=[d.pk for d in decisions]).values_list(
            "pk", flat=True
        )
    )
    if decisions:
        proposals.append(
            Proposal(
                title=_("Decisions not yet carried out"),
                source="decisions",
                children=[
                    Proposal(
                        title=f"{d.reference} {d.title}".strip()
                        + f" ({d.get_implementation_state_display()})",
                        text=(
                            _("Decided on %(date)s.") % {"date": f"{d.decided_on:%d.%m.%Y}"}
                            + (
                                " "
                                + _("Responsible: %(org)s.")
                                % {"org": d.responsible_organization.name}
                                if d.responsible_organization
                                else ""
                            )
                        ),
                        is_public=d.pk in public_decisions,
                        source="decisions",
                    )
                    for d in decisions
                ],
            )
        )

    overdue = list(
        ActionItem.objects.filter(
            Q(meeting__body=meeting.body) | Q(decision__meeting__body=meeting.body),
            status__in=OPEN_ACTIONS,
            due__lt=day,
        )
        .select_related("owner_person", "owner_organization")
        .order_by("due", "id")
        .distinct()
    )
    if overdue:
        proposals.append(
            Proposal(
                title=_("Overdue action items"),
                source="action_items",
                is_public=False,
                children=[
                    Proposal(
                        title=_("%(title)s (due %(due)s)")
                        % {"title": a.title, "due": f"{a.due:%d.%m.%Y}"},
                        text=", ".join(
                            name
                            for name in (
                                a.owner_person.full_name if a.owner_person else "",
                                a.owner_organization.name if a.owner_organization else "",
                            )
                            if name
                        ),
                        is_public=False,
                        source="action_items",
                    )
                    for a in overdue
                ],
            )
        )
    start, end = report_period(meeting)
    proposals.append(
        Proposal(
            title=_("Review and outlook: report for %(start)s – %(end)s")
            % {"start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"},
            text=_("The review report of the masterplan for the period is attached."),
            source="report",
        )
    )
    proposals.append(Proposal(title=_("Any other business"), source="closing"))
    return proposals


@transaction.atomic
def generate_agenda(*, actor: Actor, meeting: Meeting) -> list[AgendaItem]:
    """Write the proposed agenda after the meeting's existing items (audited). Only before
    the meeting is held; the secretary edits the result like any other agenda."""
    ensure_can_edit(actor, meeting)
    if meeting.state not in (MeetingState.PLANNED, MeetingState.INVITED):
        raise ValidationError(_("An agenda can only be generated before the meeting is held."))
    created: list[AgendaItem] = []

    def write(proposal: Proposal, parent: AgendaItem | None) -> None:
        item = services.agenda_item_create(
            actor=actor,
            meeting=meeting,
            parent=parent,
            title=proposal.title[:300],
            text=proposal.text,
            is_public=proposal.is_public and (parent is None or parent.is_public),
            goals=proposal.goals,
            measures=proposal.measures,
            publication=meeting.publication,
        )
        created.append(item)
        for child in proposal.children:
            write(child, item)

    for proposal in propose_agenda(meeting=meeting):
        write(proposal, None)
    return created


def report_period(meeting: Meeting) -> tuple[date, date]:
    """Since the body's previous meeting (its day) until the day before this one; without a
    previous meeting, the REPORT_FALLBACK_MONTHS before it."""
    end = meeting_day(meeting) - timedelta(days=1)
    previous = previous_meeting(meeting)
    if previous is not None:
        start = meeting_day(previous)
    else:
        start = add_months(end, -REPORT_FALLBACK_MONTHS) + timedelta(days=1)
    return min(start, end), end


def render_review_report_pdf(
    *, user: Actor, meeting: Meeting, today: date
) -> tuple[bytes, date, date]:
    """The review report for the meeting's period as PDF: the same report, built by the same
    function, as the report page's download."""
    start, end = report_period(meeting)
    report = compile_review_report(
        user=user, masterplan=meeting.masterplan, start=start, end=end, today=today
    )
    return html_to_pdf(review_report_print_html(report)), start, end


def attach_review_report(*, actor: Actor, meeting: Meeting, today: date | None = None) -> Document:
    """Render the review report and attach it to the meeting (replacing an earlier one for
    the same period). Non-public: the report may show records the public cannot see."""
    ensure_can_edit(actor, meeting)
    today = today or timezone.localdate()
    pdf, start, end = render_review_report_pdf(user=actor, meeting=meeting, today=today)
    with transaction.atomic():
        for old in Document.objects.filter(
            meeting=meeting, kind=DocumentKind.REPORT, period_start=start, period_end=end
        ):
            services.document_delete(actor=actor, document=old, version=old.version)
        return services.document_upload(
            actor=actor,
            meeting=meeting,
            kind=DocumentKind.REPORT,
            name=_("Review and outlook %(start)s – %(end)s")
            % {"start": f"{start:%d.%m.%Y}", "end": f"{end:%d.%m.%Y}"},
            file_name=f"rueckblick-{meeting.masterplan.slug}-{start:%Y%m%d}-{end:%Y%m%d}.pdf",
            content=pdf,
            period_start=start,
            period_end=end,
            is_public=False,
            publication=meeting.publication,
        )


def request_review_report(*, actor: Actor, meeting: Meeting) -> None:
    """Queue the rendering (a few seconds) for the worker, after the commit."""
    ensure_can_edit(actor, meeting)
    meeting_id, actor_id = meeting.pk, acting_user(actor).pk
    transaction.on_commit(lambda: attach_review_report_task.enqueue(meeting_id, actor_id))


@task()
def attach_review_report_task(meeting_id: int, actor_id: int) -> str:
    """Render and attach the review report for the meeting's period (idempotent: a report
    replaces the earlier one for the same period)."""
    meeting = Meeting.objects.select_related("masterplan", "body").filter(pk=meeting_id).first()
    actor = get_user_model().objects.filter(pk=actor_id, is_active=True).first()
    if meeting is None or actor is None:
        return "skipped"
    document = attach_review_report(actor=actor, meeting=meeting)
    return f"document {document.pk}"
