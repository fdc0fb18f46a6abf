"""Pages of the plan: overview, goal, measure, board and "my work" — thin views.

Reads go through queries.py, writes through services.py; every view declares its permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masterplan.core import permissions as perms
from masterplan.core.access import object_view, plan_view
from masterplan.core.filters import ListContext
from masterplan.core.forms import VersionedModelForm
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level
from masterplan.core.services import StaleVersionError
from masterplan.core.views import handle_form, is_htmx, render_list
from masterplan.directory.views import confirm_delete
from masterplan.plans import queries, services
from masterplan.plans.figures import METHODS
from masterplan.plans.forms import (
    FieldOfActionForm,
    GoalForm,
    KeyResultEditForm,
    KeyResultForm,
    KeyResultValueForm,
    MeasureForm,
    MilestoneAchieveForm,
    MilestoneForm,
    StatusReportForm,
    StatusReviewForm,
)
from masterplan.plans.models import (
    FieldOfAction,
    Goal,
    KeyResult,
    Measure,
    MeasureStatus,
    Milestone,
    StatusReport,
)


@dataclass(frozen=True)
class Target:
    """Where a form goes after saving, for records that have no page of their own."""

    url: str

    def get_absolute_url(self) -> str:
        return self.url


def page_url(name: str, masterplan: Masterplan, pk: int | None = None, anchor: str = "") -> str:
    args: list[Any] = [masterplan.slug] if pk is None else [masterplan.slug, pk]
    return reverse(f"plans:{name}", args=args) + (f"#{anchor}" if anchor else "")


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def confirm_delete_or_explain(
    request: HttpRequest, *, back_url: str, **kwargs: Any
) -> HttpResponse:
    """The shared delete confirmation; a refusal (e.g. goals still in a field) is explained."""
    try:
        return confirm_delete(request, back_url=back_url, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(back_url)


# --- Overview ---------------------------------------------------------------------------------


@plan_view(Level.PLAN_VIEW)
def overview(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    context = ListContext(request.user, masterplan)
    filters = queries.TREE.form(request.GET, context)
    values = filters.values()
    tree = queries.plan_tree(
        user=request.user, masterplan=masterplan, today=context.today, measure_filter=values
    )
    return render_list(
        request,
        template="plans/overview.html",
        partial="plans/_tree.html",
        context={
            "masterplan": masterplan,
            "tree": tree,
            "filters": filters,
            "filtered": queries.TREE.is_filtered(values),
            "methods": METHODS,
            "can_manage": perms.can_manage(request.user, masterplan),
            "can_create": perms.can_create_in(request.user, masterplan),
        },
    )


@plan_view(Level.PLAN_VIEW)
def summary(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The plan's figures for its home page (loaded there by HTMX)."""
    tree = queries.plan_tree(user=request.user, masterplan=masterplan, today=timezone.localdate())
    return render(
        request,
        "plans/_summary.html",
        {"masterplan": masterplan, "tree": tree, "methods": METHODS},
    )


# --- Fields of action -------------------------------------------------------------------------


@plan_view(Level.PLAN_MANAGE)
def field_create(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    form = FieldOfActionForm(request.POST or None, masterplan=masterplan)

    def save(f: VersionedModelForm) -> Any:
        field = services.field_create(actor=request.user, masterplan=masterplan, **f.changes())
        return Target(page_url("overview", masterplan, anchor=f"field-{field.pk}"))

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("New field of action"),
            "cancel_url": page_url("overview", masterplan),
        },
        success_message=_("The field of action has been created."),
    )


@object_view(FieldOfAction, Level.PLAN_MANAGE)
def field_edit(request: HttpRequest, masterplan: Masterplan, obj: FieldOfAction) -> HttpResponse:
    form = FieldOfActionForm(request.POST or None, instance=obj, masterplan=masterplan)
    back = page_url("overview", masterplan, anchor=f"field-{obj.pk}")

    def save(f: VersionedModelForm) -> Any:
        services.field_update(
            actor=request.user, field=obj, version=f.cleaned_data["version"], **f.changes()
        )
        return Target(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("Edit field of action"), "cancel_url": back},
        success_message=_("Your changes have been saved."),
    )


@object_view(FieldOfAction, Level.PLAN_MANAGE)
def field_delete(request: HttpRequest, masterplan: Masterplan, obj: FieldOfAction) -> HttpResponse:
    return confirm_delete_or_explain(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.field_delete(
            actor=request.user, field=obj, version=version
        ),
        back_url=page_url("overview", masterplan, anchor=f"field-{obj.pk}"),
        done_url=page_url("overview", masterplan),
    )


# --- Goals and key results --------------------------------------------------------------------


@object_view(Goal, Level.OBJECT_VIEW)
def goal_detail(request: HttpRequest, masterplan: Masterplan, obj: Goal) -> HttpResponse:
    detail = queries.goal_detail(
        user=request.user, masterplan=masterplan, goal_id=obj.pk, today=timezone.localdate()
    )
    return render(
        request,
        "plans/goal_detail.html",
        {
            "masterplan": masterplan,
            "detail": detail,
            "goal": detail.goal,
            "methods": METHODS,
            "can_edit": perms.can_edit(request.user, obj),
            "can_create": perms.can_create_in(request.user, masterplan),
            "can_manage": perms.can_manage(request.user, masterplan),
        },
    )


@plan_view(Level.PLAN_MANAGE)
def goal_create(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    initial = {"field": as_int(request.GET.get("field"))}
    form = GoalForm(request.POST or None, initial=initial, masterplan=masterplan)

    def save(f: VersionedModelForm) -> Any:
        fields = f.changes()
        field = fields.pop("field")
        return services.goal_create(actor=request.user, field=field, **fields)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("New goal"),
            "cancel_url": page_url("overview", masterplan),
        },
        success_message=_("The goal has been created."),
    )


@object_view(Goal, Level.OBJECT_EDIT)
def goal_edit(request: HttpRequest, masterplan: Masterplan, obj: Goal) -> HttpResponse:
    form = GoalForm(request.POST or None, instance=obj, masterplan=masterplan)
    return handle_form(
        request,
        form=form,
        save=lambda f: services.goal_update(
            actor=request.user, goal=obj, version=f.cleaned_data["version"], **f.changes()
        ),
        template="core/form.html",
        context={"masterplan": masterplan, "object": obj, "title": _("Edit goal")},
        success_message=_("Your changes have been saved."),
    )


@object_view(Goal, Level.PLAN_MANAGE)
def goal_delete(request: HttpRequest, masterplan: Masterplan, obj: Goal) -> HttpResponse:
    return confirm_delete_or_explain(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.goal_delete(actor=request.user, goal=obj, version=version),
        back_url=obj.get_absolute_url(),
        done_url=page_url("overview", masterplan, anchor=f"field-{obj.field_id}"),
    )


@object_view(Goal, Level.OBJECT_EDIT)
def key_result_create(request: HttpRequest, masterplan: Masterplan, obj: Goal) -> HttpResponse:
    form = KeyResultForm(request.POST or None)
    back = page_url("goal_detail", masterplan, obj.pk, "key-results")

    def save(f: VersionedModelForm) -> Any:
        services.key_result_create(actor=request.user, goal=obj, **f.changes())
        return Target(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("New key result for “%(goal)s”") % {"goal": obj},
            "cancel_url": back,
        },
        success_message=_("The key result has been added."),
    )


@object_view(KeyResult, Level.OBJECT_EDIT)
def key_result_edit(request: HttpRequest, masterplan: Masterplan, obj: KeyResult) -> HttpResponse:
    form = KeyResultEditForm(request.POST or None, instance=obj)
    back = page_url("goal_detail", masterplan, obj.goal_id, "key-results")

    def save(f: VersionedModelForm) -> Any:
        services.key_result_update(
            actor=request.user, key_result=obj, version=f.cleaned_data["version"], **f.changes()
        )
        return Target(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("Edit key result"), "cancel_url": back},
        success_message=_("Your changes have been saved."),
    )


@object_view(KeyResult, Level.OBJECT_EDIT)
def key_result_value(request: HttpRequest, masterplan: Masterplan, obj: KeyResult) -> HttpResponse:
    """A new current value; the service keeps every value in the key result's history."""
    form = KeyResultValueForm(request.POST or None, instance=obj)
    back = page_url("goal_detail", masterplan, obj.goal_id, f"key-result-{obj.pk}")

    def save(f: VersionedModelForm) -> Any:
        services.key_result_update(
            actor=request.user, key_result=obj, version=f.cleaned_data["version"], **f.changes()
        )
        return Target(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("New value for “%(key_result)s”") % {"key_result": obj},
            "cancel_url": back,
        },
        success_message=_("The new value has been recorded."),
    )


@object_view(KeyResult, Level.OBJECT_EDIT)
def key_result_delete(request: HttpRequest, masterplan: Masterplan, obj: KeyResult) -> HttpResponse:
    back = page_url("goal_detail", masterplan, obj.goal_id, "key-results")
    return confirm_delete_or_explain(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.key_result_delete(
            actor=request.user, key_result=obj, version=version
        ),
        back_url=back,
        done_url=back,
    )


# --- Measures ---------------------------------------------------------------------------------


@object_view(Measure, Level.OBJECT_VIEW)
def measure_detail(request: HttpRequest, masterplan: Masterplan, obj: Measure) -> HttpResponse:
    detail = queries.measure_detail(
        user=request.user, masterplan=masterplan, measure_id=obj.pk, today=timezone.localdate()
    )
    can_edit = perms.can_edit(request.user, obj)
    return render(
        request,
        "plans/measure_detail.html",
        {
            "masterplan": masterplan,
            "detail": detail,
            "measure": detail.measure,
            "methods": METHODS,
            "today": timezone.localdate(),
            "can_edit": can_edit,
            "can_manage": perms.can_manage(request.user, masterplan),
            "is_member": perms.is_plan_member(request.user, masterplan),
            "report_form": StatusReportForm(
                measure=detail.measure, last_report_end=detail.last_report_end
            )
            if can_edit
            else None,
        },
    )


@plan_view(Level.PLAN_CREATE)
def measure_create(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    form = MeasureForm(
        request.POST or None,
        initial={"goal": as_int(request.GET.get("goal"))},
        masterplan=masterplan,
        own_organization_id=perms.contributor_organization_id(request.user, masterplan),
    )

    def save(f: VersionedModelForm) -> Any:
        assert isinstance(f, MeasureForm)
        fields = f.changes()
        goal = fields.pop("goal")
        return services.measure_create(
            actor=request.user, goal=goal, depends_on=f.dependencies(), **fields
        )

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("New measure"),
            "cancel_url": page_url("overview", masterplan),
        },
        success_message=_("The measure has been created."),
    )


@object_view(Measure, Level.OBJECT_EDIT)
def measure_edit(request: HttpRequest, masterplan: Masterplan, obj: Measure) -> HttpResponse:
    form = MeasureForm(
        request.POST or None,
        instance=obj,
        masterplan=masterplan,
        own_organization_id=perms.contributor_organization_id(request.user, masterplan),
    )

    def save(f: VersionedModelForm) -> Any:
        assert isinstance(f, MeasureForm)
        return services.measure_update_with_dependencies(
            actor=request.user,
            measure=obj,
            version=f.cleaned_data["version"],
            depends_on=f.dependencies(),
            **f.changes(),
        )

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={"masterplan": masterplan, "object": obj, "title": _("Edit measure")},
        success_message=_("Your changes have been saved."),
    )


@object_view(Measure, Level.PLAN_MANAGE)
def measure_delete(request: HttpRequest, masterplan: Masterplan, obj: Measure) -> HttpResponse:
    return confirm_delete_or_explain(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.measure_delete(
            actor=request.user, measure=obj, version=version
        ),
        back_url=obj.get_absolute_url(),
        done_url=page_url("overview", masterplan),
    )


# --- Milestones -------------------------------------------------------------------------------


@object_view(Measure, Level.OBJECT_EDIT)
def milestone_create(request: HttpRequest, masterplan: Masterplan, obj: Measure) -> HttpResponse:
    form = MilestoneForm(request.POST or None)
    back = page_url("measure_detail", masterplan, obj.pk, "milestones")

    def save(f: VersionedModelForm) -> Any:
        services.milestone_create(actor=request.user, measure=obj, **f.changes())
        return Target(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("New milestone for “%(measure)s”") % {"measure": obj},
            "cancel_url": back,
        },
        success_message=_("The milestone has been added."),
    )


@object_view(Milestone, Level.OBJECT_EDIT)
def milestone_edit(request: HttpRequest, masterplan: Masterplan, obj: Milestone) -> HttpResponse:
    form = MilestoneForm(request.POST or None, instance=obj)
    back = page_url("measure_detail", masterplan, obj.measure_id, "milestones")

    def save(f: VersionedModelForm) -> Any:
        services.milestone_update(
            actor=request.user, milestone=obj, version=f.cleaned_data["version"], **f.changes()
        )
        return Target(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={"masterplan": masterplan, "title": _("Edit milestone"), "cancel_url": back},
        success_message=_("Your changes have been saved."),
    )


@object_view(Milestone, Level.OBJECT_EDIT)
def milestone_delete(request: HttpRequest, masterplan: Masterplan, obj: Milestone) -> HttpResponse:
    back = page_url("measure_detail", masterplan, obj.measure_id, "milestones")
    return confirm_delete_or_explain(
        request,
        masterplan=masterplan,
        obj=obj,
        delete=lambda version: services.milestone_delete(
            actor=request.user, milestone=obj, version=version
        ),
        back_url=back,
        done_url=back,
    )


@object_view(Milestone, Level.OBJECT_EDIT)
def milestone_achieve(request: HttpRequest, masterplan: Masterplan, obj: Milestone) -> HttpResponse:
    form = MilestoneAchieveForm(request.POST or None, instance=obj)
    back = page_url("measure_detail", masterplan, obj.measure_id, "milestones")

    def save(f: VersionedModelForm) -> Any:
        services.milestone_achieve(
            actor=request.user,
            milestone=obj,
            version=f.cleaned_data["version"],
            achieved_on=f.cleaned_data["achieved_on"],
            evidence_url=f.cleaned_data["evidence_url"],
        )
        return Target(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("Milestone achieved: “%(milestone)s”") % {"milestone": obj},
            "cancel_url": back,
        },
        success_message=_("The milestone is marked as achieved."),
    )


# --- Status reports ---------------------------------------------------------------------------


@object_view(Measure, Level.OBJECT_EDIT)
def status_report_create(
    request: HttpRequest, masterplan: Masterplan, obj: Measure
) -> HttpResponse:
    """Contributors of the lead organisation (and coordinators) report on a measure."""
    form = StatusReportForm(
        request.POST or None,
        measure=obj,
        last_report_end=queries.last_report_end(user=request.user, measure=obj),
    )
    back = page_url("measure_detail", masterplan, obj.pk, "status-reports")

    def save(f: VersionedModelForm) -> Any:
        services.status_report_submit(actor=request.user, measure=obj, **f.changes())
        return Target(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("Status report on “%(measure)s”") % {"measure": obj},
            "cancel_url": back,
        },
        success_message=_("The status report has been submitted."),
    )


@object_view(StatusReport, Level.PLAN_MANAGE)
def status_report_review(
    request: HttpRequest, masterplan: Masterplan, obj: StatusReport
) -> HttpResponse:
    """Coordinators confirm that they have read a report, optionally with a comment."""
    form = StatusReviewForm(request.POST or None, instance=obj)
    back = page_url("measure_detail", masterplan, obj.measure_id, f"status-report-{obj.pk}")

    def save(f: VersionedModelForm) -> Any:
        services.status_report_review(
            actor=request.user,
            report=obj,
            version=f.cleaned_data["version"],
            comment=f.cleaned_data["review_comment"],
        )
        return Target(back)

    return handle_form(
        request,
        form=form,
        save=save,
        template="core/form.html",
        context={
            "masterplan": masterplan,
            "title": _("Review status report “%(report)s”") % {"report": obj},
            "cancel_url": back,
        },
        success_message=_("The status report is marked as reviewed."),
    )


# --- Board ------------------------------------------------------------------------------------


def render_board(
    request: HttpRequest,
    masterplan: Masterplan,
    *,
    message: str = "",
    level: str = "success",
    moved: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """The board page, or only the board for HTMX requests (filters and moves)."""
    list_context = ListContext(request.user, masterplan)
    filters = queries.BOARD.form(request.GET, list_context)
    board = queries.board(
        user=request.user, masterplan=masterplan, today=list_context.today, **filters.values()
    )
    context = {
        "masterplan": masterplan,
        "board": board,
        "filters": filters,
        "filter_query": request.GET.urlencode(),
        "message": message,
        "message_level": level,
        "moved": moved,
    }
    template = "plans/_board.html" if is_htmx(request) else "plans/board.html"
    return render(request, template, context, status=status)


@plan_view(Level.PLAN_VIEW)
def board(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    return render_board(request, masterplan)


@object_view(Measure, Level.OBJECT_EDIT)
@require_POST
def measure_move(request: HttpRequest, masterplan: Masterplan, obj: Measure) -> HttpResponse:
    """A card moves to another status; a stale version is refused and the board redrawn."""
    status_id = as_int(request.POST.get("status"))
    status = (
        MeasureStatus.objects.filter(masterplan=masterplan, pk=status_id).first()
        if status_id is not None
        else None
    )
    if status is None:
        return render_board(
            request,
            masterplan,
            message=_("Choose one of the plan's statuses."),
            level="danger",
            status=400,
        )
    try:
        services.measure_move(
            actor=request.user,
            measure=obj,
            version=as_int(request.POST.get("version")),
            status=status,
        )
    except StaleVersionError as error:
        current = Measure.objects.select_related("status").get(pk=error.current.pk)
        return render_board(
            request,
            masterplan,
            message=_(
                "“%(measure)s” was changed by someone else in the meantime and has not been "
                "moved. The board now shows the current state: the measure is in “%(status)s”."
            )
            % {"measure": current, "status": current.status},
            level="danger",
            moved=obj.pk,
            status=409,
        )
    except ValidationError as error:
        return render_board(
            request,
            masterplan,
            message=" ".join(error.messages),
            level="danger",
            moved=obj.pk,
            status=400,
        )
    message = _("“%(measure)s” moved to “%(status)s”.") % {"measure": obj, "status": status}
    if is_htmx(request):
        return render_board(request, masterplan, message=message, moved=obj.pk)
    messages.success(request, message)
    query = request.GET.urlencode()
    return HttpResponseRedirect(page_url("board", masterplan) + (f"?{query}" if query else ""))


# --- My work ----------------------------------------------------------------------------------


@plan_view(Level.PLAN_MEMBER)
def my_work(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    from masterplan.governance.queries import my_governance_work
    from masterplan.governance.reminders import reminders_for_user

    today = timezone.localdate()
    work = queries.my_work(user=request.user, masterplan=masterplan, today=today)
    return render(
        request,
        "plans/my_work.html",
        {
            "masterplan": masterplan,
            "work": work,
            "today": today,
            "governance_work": my_governance_work(
                user=request.user, masterplan=masterplan, today=today
            ),
            "governance_reminders": reminders_for_user(request.user, masterplan),
            "due_soon_days": queries.DUE_SOON_DAYS,
            "report_interval_days": queries.REPORT_INTERVAL_DAYS,
            "methods": METHODS,
        },
    )
