"""Pages of the plan: overview, goal, measure, board and "my work" — thin views.

Reads go through queries.py, writes through services.py; every view declares its permission.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

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
from masterplan.core.models import Masterplan
from masterplan.core.panels import object_panels_for
from masterplan.core.permissions import Level
from masterplan.core.services import StaleVersionError
from masterplan.core.views import as_int, is_htmx, render_list
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
    StatusReturnForm,
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


def page_url(name: str, masterplan: Masterplan, pk: int | None = None, anchor: str = "") -> str:
    args: list[Any] = [masterplan.slug] if pk is None else [masterplan.slug, pk]
    return reverse(f"plans:{name}", args=args) + (f"#{anchor}" if anchor else "")


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


class FieldCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    form_class = FieldOfActionForm
    title = gettext_lazy("New field of action")
    success_message = gettext_lazy("The field of action has been created.")

    def form_kwargs(self) -> dict[str, Any]:
        return {"masterplan": self.masterplan}

    def back_url(self) -> str:
        return page_url("overview", self.masterplan)

    def save(self, form: VersionedModelForm[Any]) -> FieldOfAction:
        return services.field_create(actor=self.user, masterplan=self.masterplan, **form.changes())

    def success_url(self, saved: Any) -> str:
        return page_url("overview", self.masterplan, anchor=f"field-{saved.pk}")


class FieldEdit(ObjectEditView[FieldOfAction]):
    model, level = FieldOfAction, Level.PLAN_MANAGE
    form_class = FieldOfActionForm
    title = gettext_lazy("Edit field of action")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def back_url(self) -> str:
        return page_url("overview", self.masterplan, anchor=f"field-{self.obj.pk}")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.field_update(
            actor=self.user, field=self.obj, version=form.cleaned_data["version"], **form.changes()
        )


class FieldDelete(ObjectDeleteView[FieldOfAction]):
    model, level = FieldOfAction, Level.PLAN_MANAGE

    def delete(self, *, version: int) -> None:
        services.field_delete(actor=self.user, field=self.obj, version=version)

    def back_url(self) -> str:
        return page_url("overview", self.masterplan, anchor=f"field-{self.obj.pk}")

    def done_url(self) -> str:
        return page_url("overview", self.masterplan)


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


class GoalCreate(PlanFormView):
    level = Level.PLAN_MANAGE
    form_class = GoalForm
    title = gettext_lazy("New goal")
    success_message = gettext_lazy("The goal has been created.")
    to_object = True

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "initial": {"field": as_int(self.request.GET.get("field"))},
            "masterplan": self.masterplan,
        }

    def back_url(self) -> str:
        return page_url("overview", self.masterplan)

    def save(self, form: VersionedModelForm[Any]) -> Goal:
        fields = form.changes()
        field = fields.pop("field")
        return services.goal_create(actor=self.user, field=field, **fields)


class GoalEdit(ObjectEditView[Goal]):
    model, level = Goal, Level.OBJECT_EDIT
    form_class = GoalForm
    title = gettext_lazy("Edit goal")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.goal_update(
            actor=self.user, goal=self.obj, version=form.cleaned_data["version"], **form.changes()
        )


class GoalDelete(ObjectDeleteView[Goal]):
    model, level = Goal, Level.PLAN_MANAGE

    def delete(self, *, version: int) -> None:
        services.goal_delete(actor=self.user, goal=self.obj, version=version)

    def done_url(self) -> str:
        return page_url("overview", self.masterplan, anchor=f"field-{self.obj.field_id}")


class KeyResultCreate(ObjectFormView[Goal]):
    model, level = Goal, Level.OBJECT_EDIT
    form_class = KeyResultForm
    success_message = gettext_lazy("The key result has been added.")

    def get_title(self) -> str:
        return _("New key result for “%(goal)s”") % {"goal": self.obj}

    def back_url(self) -> str:
        return page_url("goal_detail", self.masterplan, self.obj.pk, "key-results")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.key_result_create(actor=self.user, goal=self.obj, **form.changes())


class KeyResultEdit(ObjectEditView[KeyResult]):
    model, level = KeyResult, Level.OBJECT_EDIT
    form_class: type[VersionedModelForm[Any]] = KeyResultEditForm
    title = gettext_lazy("Edit key result")

    def back_url(self) -> str:
        return page_url("goal_detail", self.masterplan, self.obj.goal_id, "key-results")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.key_result_update(
            actor=self.user,
            key_result=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class KeyResultValue(KeyResultEdit):
    """A new current value; the service keeps every value in the key result's history."""

    form_class = KeyResultValueForm
    success_message = gettext_lazy("The new value has been recorded.")

    def get_title(self) -> str:
        return _("New value for “%(key_result)s”") % {"key_result": self.obj}

    def back_url(self) -> str:
        return page_url(
            "goal_detail", self.masterplan, self.obj.goal_id, f"key-result-{self.obj.pk}"
        )


class KeyResultDelete(ObjectDeleteView[KeyResult]):
    model, level = KeyResult, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.key_result_delete(actor=self.user, key_result=self.obj, version=version)

    def back_url(self) -> str:
        return page_url("goal_detail", self.masterplan, self.obj.goal_id, "key-results")


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
            "panels": object_panels_for(obj, request=request, masterplan=masterplan),
        },
    )


class MeasureCreate(PlanFormView):
    level = Level.PLAN_CREATE
    form_class = MeasureForm
    title = gettext_lazy("New measure")
    success_message = gettext_lazy("The measure has been created.")
    to_object = True

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "initial": {"goal": as_int(self.request.GET.get("goal"))},
            "masterplan": self.masterplan,
            "own_organization_id": perms.contributor_organization_id(self.user, self.masterplan),
        }

    def back_url(self) -> str:
        return page_url("overview", self.masterplan)

    def save(self, form: VersionedModelForm[Any]) -> Measure:
        assert isinstance(form, MeasureForm)
        fields = form.changes()
        goal = fields.pop("goal")
        return services.measure_create(
            actor=self.user, goal=goal, depends_on=form.dependencies(), **fields
        )


class MeasureEdit(ObjectEditView[Measure]):
    model, level = Measure, Level.OBJECT_EDIT
    form_class = MeasureForm
    title = gettext_lazy("Edit measure")

    def form_kwargs(self) -> dict[str, Any]:
        return {
            **super().form_kwargs(),
            "masterplan": self.masterplan,
            "own_organization_id": perms.contributor_organization_id(self.user, self.masterplan),
        }

    def save(self, form: VersionedModelForm[Any]) -> None:
        assert isinstance(form, MeasureForm)
        services.measure_update_with_dependencies(
            actor=self.user,
            measure=self.obj,
            version=form.cleaned_data["version"],
            depends_on=form.dependencies(),
            **form.changes(),
        )


class MeasureDelete(ObjectDeleteView[Measure]):
    model, level = Measure, Level.PLAN_MANAGE

    def delete(self, *, version: int) -> None:
        services.measure_delete(actor=self.user, measure=self.obj, version=version)

    def done_url(self) -> str:
        return page_url("overview", self.masterplan)


# --- Milestones -------------------------------------------------------------------------------


class MilestoneCreate(ObjectFormView[Measure]):
    model, level = Measure, Level.OBJECT_EDIT
    form_class = MilestoneForm
    success_message = gettext_lazy("The milestone has been added.")

    def get_title(self) -> str:
        return _("New milestone for “%(measure)s”") % {"measure": self.obj}

    def back_url(self) -> str:
        return page_url("measure_detail", self.masterplan, self.obj.pk, "milestones")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.milestone_create(actor=self.user, measure=self.obj, **form.changes())


class MilestoneEdit(ObjectEditView[Milestone]):
    model, level = Milestone, Level.OBJECT_EDIT
    form_class: type[VersionedModelForm[Any]] = MilestoneForm
    title = gettext_lazy("Edit milestone")

    def back_url(self) -> str:
        return page_url("measure_detail", self.masterplan, self.obj.measure_id, "milestones")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.milestone_update(
            actor=self.user,
            milestone=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class MilestoneAchieve(MilestoneEdit):
    form_class = MilestoneAchieveForm
    success_message = gettext_lazy("The milestone is marked as achieved.")

    def get_title(self) -> str:
        return _("Milestone achieved: “%(milestone)s”") % {"milestone": self.obj}

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.milestone_achieve(
            actor=self.user,
            milestone=self.obj,
            version=form.cleaned_data["version"],
            achieved_on=form.cleaned_data["achieved_on"],
            evidence_url=form.cleaned_data["evidence_url"],
        )


class MilestoneDelete(ObjectDeleteView[Milestone]):
    model, level = Milestone, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.milestone_delete(actor=self.user, milestone=self.obj, version=version)

    def back_url(self) -> str:
        return page_url("measure_detail", self.masterplan, self.obj.measure_id, "milestones")


# --- Status reports ---------------------------------------------------------------------------


class StatusReportCreate(ObjectFormView[Measure]):
    """Contributors of the lead organisation (and coordinators) report on a measure."""

    model, level = Measure, Level.OBJECT_EDIT
    form_class = StatusReportForm
    success_message = gettext_lazy("The status report has been submitted.")

    def get_title(self) -> str:
        return _("Status report on “%(measure)s”") % {"measure": self.obj}

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "measure": self.obj,
            "last_report_end": queries.last_report_end(user=self.user, measure=self.obj),
        }

    def back_url(self) -> str:
        return page_url("measure_detail", self.masterplan, self.obj.pk, "status-reports")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.status_report_submit(actor=self.user, measure=self.obj, **form.changes())


class StatusReportReview(ObjectEditView[StatusReport]):
    """Coordinators confirm that they have read a report, optionally with a comment."""

    model, level = StatusReport, Level.PLAN_MANAGE
    form_class = StatusReviewForm
    success_message = gettext_lazy("The status report is marked as reviewed.")

    def get_title(self) -> str:
        return _("Review status report “%(report)s”") % {"report": self.obj}

    def back_url(self) -> str:
        return page_url(
            "measure_detail", self.masterplan, self.obj.measure_id, f"status-report-{self.obj.pk}"
        )

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.status_report_review(
            actor=self.user,
            report=self.obj,
            version=form.cleaned_data["version"],
            comment=form.cleaned_data["review_comment"],
        )


class StatusReportReturn(ObjectEditView[StatusReport]):
    """Coordinators send a report back with questions."""

    model, level = StatusReport, Level.PLAN_MANAGE
    form_class = StatusReturnForm
    success_message = gettext_lazy("The status report has been sent back with your questions.")

    def get_title(self) -> str:
        return _("Send back status report “%(report)s”") % {"report": self.obj}

    def back_url(self) -> str:
        return page_url(
            "measure_detail", self.masterplan, self.obj.measure_id, f"status-report-{self.obj.pk}"
        )

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.status_report_return(
            actor=self.user,
            report=self.obj,
            version=form.cleaned_data["version"],
            questions=form.cleaned_data["questions"],
        )


class StatusReportEdit(ObjectEditView[StatusReport]):
    """The reporter answers the questions (or corrects the report) and submits it again."""

    model, level = StatusReport, Level.OBJECT_EDIT
    form_class = StatusReportForm
    success_message = gettext_lazy("The status report has been submitted again.")

    def get_title(self) -> str:
        return _("Status report on “%(measure)s”") % {"measure": self.obj.measure}

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "measure": self.obj.measure}

    def back_url(self) -> str:
        return page_url(
            "measure_detail", self.masterplan, self.obj.measure_id, f"status-report-{self.obj.pk}"
        )

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.status_report_update(
            actor=self.user, report=self.obj, version=form.cleaned_data["version"], **form.changes()
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
