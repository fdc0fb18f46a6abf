"""Every write to the plan: views, the API and importers call these functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masterplan.core.actors import Actor
from masterplan.core.audit import audit_record
from masterplan.core.models import Masterplan
from masterplan.core.permissions import (
    can_create_in,
    can_edit,
    can_manage,
    contributor_organization_id,
    ensure,
    ensure_can_edit,
    is_admin,
)
from masterplan.core.services import (
    create_tracked,
    delete_tracked,
    ensure_version,
    lock_for_update,
    update_tracked,
)
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    KeyResult,
    KeyResultReading,
    Measure,
    MeasureStatus,
    Milestone,
    StatusReport,
)

# The catalogue every new masterplan starts with (name, phase, default progress).
DEFAULT_STATUSES = (
    ("Idee", MeasureStatus.Phase.NOT_STARTED, 0),
    ("In Vorbereitung", MeasureStatus.Phase.NOT_STARTED, 10),
    ("In Umsetzung", MeasureStatus.Phase.ACTIVE, 50),
    ("Abschluss", MeasureStatus.Phase.ACTIVE, 90),
    ("Umgesetzt", MeasureStatus.Phase.DONE, 100),
    ("Gestoppt", MeasureStatus.Phase.STOPPED, 0),
)


@transaction.atomic
def masterplan_create(*, actor: Actor, **fields: Any) -> Masterplan:
    """A new masterplan (tenant) with the default status catalogue. Global admins only."""
    ensure(is_admin(actor))
    masterplan = create_tracked(
        actor=actor, model=Masterplan, action="plans.masterplan.created", **fields
    )
    for position, (name, phase, progress) in enumerate(DEFAULT_STATUSES):
        create_tracked(
            actor=actor,
            model=MeasureStatus,
            action="plans.measurestatus.created",
            masterplan=masterplan,
            name=name,
            phase=phase,
            default_progress=progress,
            position=position,
            publication="published",
            external_id=f"status-{position + 1}",
        )
    return masterplan


def masterplan_update(
    *, actor: Actor, masterplan: Masterplan, version: int | None, **changes: Any
) -> Masterplan:
    ensure(can_manage(actor, masterplan))
    return update_tracked(
        actor=actor,
        obj=masterplan,
        version=version,
        action="plans.masterplan.updated",
        changes=changes,
    )


def field_create(*, actor: Actor, masterplan: Masterplan, **fields: Any) -> FieldOfAction:
    ensure(can_manage(actor, masterplan))
    return create_tracked(
        actor=actor,
        model=FieldOfAction,
        action="plans.fieldofaction.created",
        masterplan=masterplan,
        **fields,
    )


def field_update(
    *, actor: Actor, field: FieldOfAction, version: int | None, **changes: Any
) -> FieldOfAction:
    ensure(can_manage(actor, field.masterplan))
    return update_tracked(
        actor=actor,
        obj=field,
        version=version,
        action="plans.fieldofaction.updated",
        changes=changes,
    )


def field_delete(*, actor: Actor, field: FieldOfAction, version: int | None) -> None:
    """Soft-delete a field of action; refused while it still has goals (they would be lost)."""
    ensure(can_manage(actor, field.masterplan))
    if Goal.objects.filter(field=field).exists():
        raise ValidationError(_("This field of action still has goals: move or delete them first."))
    delete_tracked(actor=actor, obj=field, version=version, action="plans.fieldofaction.deleted")


def goal_create(*, actor: Actor, field: FieldOfAction, **fields: Any) -> Goal:
    ensure(can_manage(actor, field.masterplan))
    return create_tracked(
        actor=actor,
        model=Goal,
        action="plans.goal.created",
        masterplan=field.masterplan,
        field=field,
        **fields,
    )


def goal_update(*, actor: Actor, goal: Goal, version: int | None, **changes: Any) -> Goal:
    ensure_can_edit(actor, goal)
    return update_tracked(
        actor=actor, obj=goal, version=version, action="plans.goal.updated", changes=changes
    )


@transaction.atomic
def goal_delete(*, actor: Actor, goal: Goal, version: int | None) -> None:
    """Soft-delete a goal with its key results; refused while measures still serve it."""
    ensure(can_manage(actor, goal.masterplan))
    if Measure.objects.filter(goal=goal).exists():
        raise ValidationError(_("Measures still serve this goal: move or delete them first."))
    delete_tracked(actor=actor, obj=goal, version=version, action="plans.goal.deleted")
    for key_result in KeyResult.objects.filter(goal=goal):
        delete_tracked(
            actor=actor,
            obj=key_result,
            version=key_result.version,
            action="plans.keyresult.deleted",
        )


@transaction.atomic
def key_result_create(*, actor: Actor, goal: Goal, **fields: Any) -> KeyResult:
    ensure_can_edit(actor, goal)
    key_result = create_tracked(
        actor=actor,
        model=KeyResult,
        action="plans.keyresult.created",
        masterplan=goal.masterplan,
        goal=goal,
        **fields,
    )
    record_reading(key_result)
    return key_result


@transaction.atomic
def key_result_update(
    *, actor: Actor, key_result: KeyResult, version: int | None, **changes: Any
) -> KeyResult:
    """Change a key result; a new current value is also kept in its history."""
    ensure_can_edit(actor, key_result)
    if "current_value" in changes and "current_as_of" not in changes:
        changes["current_as_of"] = timezone.localdate()
    updated = update_tracked(
        actor=actor,
        obj=key_result,
        version=version,
        action="plans.keyresult.updated",
        changes=changes,
    )
    if "current_value" in changes:
        record_reading(updated)
    return updated


def key_result_delete(*, actor: Actor, key_result: KeyResult, version: int | None) -> None:
    """Soft-delete a key result; its readings stay as history."""
    ensure_can_edit(actor, key_result)
    delete_tracked(actor=actor, obj=key_result, version=version, action="plans.keyresult.deleted")


@transaction.atomic
def key_result_take_value(
    *, actor: Actor | None, key_result: KeyResult, value: Any, as_of: date, source: str
) -> KeyResult:
    """The current value from a linked indicator (indicators/services.py, which has checked
    the permission to record the observation behind it); audited and kept in the history."""
    current = lock_for_update(key_result)
    updated = update_tracked(
        actor=actor,
        obj=current,
        version=current.version,
        action="plans.keyresult.updated_from_indicator",
        changes={"current_value": value, "current_as_of": as_of},
    )
    if updated.version != current.version:
        record_reading(updated, source=source)
    return updated


def record_reading(key_result: KeyResult, source: str = "") -> None:
    if key_result.current_value is None:
        return
    KeyResultReading.objects.create(
        key_result=key_result,
        measured_on=key_result.current_as_of or timezone.localdate(),
        value=key_result.current_value,
        source=source,
    )


def ensure_can_lead(actor: Actor, masterplan: Masterplan, lead_organization_id: int | None) -> None:
    """Contributors create measures for their own organisation; coordinators for any."""
    ensure(can_create_in(actor, masterplan))
    own = contributor_organization_id(actor, masterplan)
    ensure(own is None or own == lead_organization_id)


@transaction.atomic
def measure_create(
    *, actor: Actor, goal: Goal, depends_on: Iterable[Measure] = (), **fields: Any
) -> Measure:
    lead = fields.get("lead_organization")
    lead_id = getattr(lead, "pk", fields.get("lead_organization_id"))
    ensure_can_lead(actor, goal.masterplan, lead_id)
    if "status" not in fields and "status_id" not in fields:
        fields["status"] = MeasureStatus.objects.filter(masterplan=goal.masterplan).first()
    measure = create_tracked(
        actor=actor,
        model=Measure,
        action="plans.measure.created",
        masterplan=goal.masterplan,
        goal=goal,
        **fields,
    )
    dependencies = list(depends_on)
    if dependencies:
        measure_set_dependencies(actor=actor, measure=measure, depends_on=dependencies)
    return measure


def measure_update(
    *, actor: Actor, measure: Measure, version: int | None, **changes: Any
) -> Measure:
    """Change a measure; refuses a stale version so that no edit is silently lost."""
    ensure_can_edit(actor, measure)
    if "lead_organization" in changes or "lead_organization_id" in changes:
        lead = changes.get("lead_organization", changes.get("lead_organization_id"))
        ensure_can_lead(actor, measure.masterplan, getattr(lead, "pk", lead))
    return update_tracked(
        actor=actor,
        obj=measure,
        version=version,
        action="plans.measure.updated",
        changes=changes,
    )


@transaction.atomic
def measures_release_operational_body(*, actor: Actor, body_id: int) -> int:
    """The operational unit of these measures goes away (it was deleted): each measure loses
    the link with a new version and an audit entry, as if edited. Returns how many changed."""
    released = 0
    for measure in Measure.objects.filter(operational_body_id=body_id).order_by("pk"):
        measure_update(actor=actor, measure=measure, version=measure.version, operational_body=None)
        released += 1
    return released


@transaction.atomic
def measure_update_with_dependencies(
    *,
    actor: Actor,
    measure: Measure,
    version: int | None,
    depends_on: Iterable[Measure],
    **changes: Any,
) -> Measure:
    """The measure form: fields and dependencies change together or not at all.

    Changed dependencies alone also make a new version, so that a form read earlier is refused.
    """
    updated = measure_update(actor=actor, measure=measure, version=version, **changes)
    before = set(updated.depends_on.values_list("pk", flat=True))
    targets = list(depends_on)
    measure_set_dependencies(actor=actor, measure=updated, depends_on=targets)
    if before != {t.pk for t in targets} and updated.version == version:
        updated.version += 1
        updated.modified_at = timezone.now()
        updated.save(update_fields=["version", "modified_at"])
    return updated


def measure_move(
    *, actor: Actor, measure: Measure, version: int | None, status: MeasureStatus
) -> Measure:
    """The board's drag-and-drop: a new status; dates follow the phase when still empty."""
    ensure(status.masterplan_id == measure.masterplan_id)
    changes: dict[str, Any] = {"status": status}
    today = timezone.localdate()
    started = status.phase in (MeasureStatus.Phase.ACTIVE, MeasureStatus.Phase.DONE)
    if started and measure.actual_start is None:
        changes["actual_start"] = today
    if status.phase == MeasureStatus.Phase.DONE and measure.actual_end is None:
        changes["actual_end"] = today
    return measure_update(actor=actor, measure=measure, version=version, **changes)


def measure_delete(*, actor: Actor, measure: Measure, version: int | None) -> None:
    ensure(can_manage(actor, measure.masterplan))
    delete_tracked(actor=actor, obj=measure, version=version, action="plans.measure.deleted")


def dependency_cycle(graph: Mapping[Any, Iterable[Any]], start: Any) -> list[Any] | None:
    """A cycle through `start` in a graph {node: nodes it depends on}, or None.

    Returned as the path start → … → start, for a message the user can follow.
    """
    stack: list[tuple[Any, list[Any]]] = [(start, [start])]
    seen: set[Any] = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def plan_dependency_graph(masterplan: Masterplan) -> dict[int, set[int]]:
    graph: dict[int, set[int]] = {}
    through = Measure.depends_on.through
    for source, target in through.objects.filter(from_measure__masterplan=masterplan).values_list(
        "from_measure_id", "to_measure_id"
    ):
        graph.setdefault(source, set()).add(target)
    return graph


@transaction.atomic
def measure_set_dependencies(
    *, actor: Actor, measure: Measure, depends_on: Iterable[Measure]
) -> Measure:
    """Replace what a measure depends on; refuses other plans' measures and cycles."""
    ensure_can_edit(actor, measure)
    current = lock_for_update(measure)
    targets = list(depends_on)
    if any(t.masterplan_id != current.masterplan_id for t in targets):
        raise ValidationError(
            {"depends_on": _("A measure can only depend on measures of the same masterplan.")}
        )
    graph = plan_dependency_graph(current.masterplan)
    graph[current.pk] = {t.pk for t in targets}
    cycle = dependency_cycle(graph, current.pk)
    if cycle is not None:
        titles = dict(Measure.objects.filter(pk__in=cycle).values_list("pk", "title"))
        raise ValidationError(
            {
                "depends_on": _("These dependencies would form a cycle: %(path)s.")
                % {"path": " → ".join(titles[pk] for pk in cycle)}
            }
        )
    before = sorted(current.depends_on.values_list("pk", flat=True))
    current.depends_on.set(targets)
    after = sorted(t.pk for t in targets)
    if before != after:
        audit_record(
            actor=actor,
            action="plans.measure.dependencies_changed",
            obj=current,
            changes={"depends_on": [before, after]},
        )
    return current


@transaction.atomic
def measure_update_dependencies(
    *, actor: Actor, measure: Measure, version: int | None, depends_on: Iterable[Measure]
) -> Measure:
    """measure_set_dependencies for a client that edits a copy it read earlier.

    Refuses a stale version, and a real change counts as a new version of the measure, so
    that the next writer who read the old dependencies is refused too.
    """
    ensure_can_edit(actor, measure)
    current = lock_for_update(measure)
    ensure_version(current, version)
    before = set(current.depends_on.values_list("pk", flat=True))
    targets = list(depends_on)
    measure_set_dependencies(actor=actor, measure=measure, depends_on=targets)
    if before != {t.pk for t in targets}:
        current.version += 1
        current.modified_at = timezone.now()
        current.save(update_fields=["version", "modified_at"])
    return current


def milestone_create(*, actor: Actor, measure: Measure, **fields: Any) -> Milestone:
    ensure_can_edit(actor, measure)
    return create_tracked(
        actor=actor,
        model=Milestone,
        action="plans.milestone.created",
        masterplan=measure.masterplan,
        measure=measure,
        **fields,
    )


def milestone_update(
    *, actor: Actor, milestone: Milestone, version: int | None, **changes: Any
) -> Milestone:
    ensure_can_edit(actor, milestone)
    return update_tracked(
        actor=actor,
        obj=milestone,
        version=version,
        action="plans.milestone.updated",
        changes=changes,
    )


def milestone_delete(*, actor: Actor, milestone: Milestone, version: int | None) -> None:
    ensure_can_edit(actor, milestone)
    delete_tracked(actor=actor, obj=milestone, version=version, action="plans.milestone.deleted")


def milestone_achieve(
    *,
    actor: Actor,
    milestone: Milestone,
    version: int | None,
    achieved_on: date,
    evidence_url: str = "",
) -> Milestone:
    changes: dict[str, Any] = {"achieved_on": achieved_on}
    if evidence_url:
        changes["evidence_url"] = evidence_url
    return milestone_update(actor=actor, milestone=milestone, version=version, **changes)


@transaction.atomic
def status_report_submit(*, actor: Actor, measure: Measure, **fields: Any) -> StatusReport:
    """The lead organisation reports; the measure takes over the reported progress at once.

    The reported health is the reporter's proposal: a coordinator's report rates the measure
    at once, a contributor's only when a coordinator has reviewed it (`status_report_review`).
    An amber or red report names its risks (`StatusReport.clean`).
    """
    ensure(can_edit(actor, measure))
    report = create_tracked(
        actor=actor,
        model=StatusReport,
        action="plans.statusreport.submitted",
        masterplan=measure.masterplan,
        measure=measure,
        submitted_by=actor,
        submitted_at=timezone.now(),
        **fields,
    )
    take_over(actor, measure, report, health=can_manage(actor, measure.masterplan))
    return report


def take_over(actor: Actor, measure: Measure, report: StatusReport, *, health: bool) -> None:
    """The measure takes over the report's progress, and (if `health`) its health rating with
    the report's risks as the reason."""
    changes: dict[str, Any] = {"progress": report.progress}
    if health:
        changes["health"] = report.health
        changes["health_reason"] = report.risks if report.health != "green" else ""
    current = lock_for_update(measure)
    update_tracked(
        actor=actor,
        obj=current,
        version=current.version,
        action="plans.measure.updated",
        changes=changes,
    )


@transaction.atomic
def status_report_update(
    *, actor: Actor, report: StatusReport, version: int | None, **changes: Any
) -> StatusReport:
    """The reporter answers a reviewer's questions (or corrects the report before review):
    the report counts as submitted again. A reviewed report is final."""
    ensure(can_edit(actor, report))
    if report.reviewed_at is not None:
        raise ValidationError(_("A reviewed status report can no longer be changed."))
    was_returned = report.returned_at is not None
    report = update_tracked(
        actor=actor,
        obj=report,
        version=version,
        action="plans.statusreport.resubmitted" if was_returned else "plans.statusreport.updated",
        changes={**changes, "returned_at": None, "submitted_at": timezone.now()},
    )
    take_over(actor, report.measure, report, health=can_manage(actor, report.masterplan))
    return report


@transaction.atomic
def status_report_return(
    *, actor: Actor, report: StatusReport, version: int | None, questions: str
) -> StatusReport:
    """A coordinator sends a report back with questions; the measure keeps its rating."""
    ensure(can_manage(actor, report.masterplan))
    if report.reviewed_at is not None:
        raise ValidationError(_("A reviewed status report cannot be sent back."))
    if not questions.strip():
        raise ValidationError({"questions": _("Say what the reporter should answer.")})
    return update_tracked(
        actor=actor,
        obj=report,
        version=version,
        action="plans.statusreport.returned",
        changes={"returned_at": timezone.now(), "questions": questions},
    )


@transaction.atomic
def status_report_review(
    *, actor: Actor, report: StatusReport, version: int | None, comment: str = ""
) -> StatusReport:
    """Coordinators confirm they have read a report, optionally with a comment. The newest
    report of the measure then rates it: its health (and risks as the reason) replace the
    measure's. A report sent back with questions is reviewed once it has been answered."""
    ensure(can_manage(actor, report.masterplan))
    if report.returned_at is not None:
        raise ValidationError(_("The report was sent back with questions: wait for the answer."))
    reviewed = update_tracked(
        actor=actor,
        obj=report,
        version=version,
        action="plans.statusreport.reviewed",
        changes={"reviewed_by": actor, "reviewed_at": timezone.now(), "review_comment": comment},
    )
    newest = StatusReport.objects.filter(measure_id=report.measure_id).order_by(
        "-period_end", "-submitted_at", "-id"
    )[:1]
    if [r.pk for r in newest] == [report.pk]:
        take_over(actor, report.measure, reviewed, health=True)
    return reviewed
