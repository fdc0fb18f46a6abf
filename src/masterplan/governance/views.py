"""Governance pages: bodies, meetings, decision tracking, action items and the calendar.

Thin views: reads go through queries.py, writes through services.py, and every view declares
its permission. Non-public meetings, agenda items, decisions and documents are shown to the
plan's members only (see queries.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from masterplan.core import permissions as perms
from masterplan.core.access import object_view, plan_view, site_view
from masterplan.core.exports import TableColumn, table_response
from masterplan.core.filters import ListContext
from masterplan.core.forms import VersionedModelForm
from masterplan.core.generic_views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectFormView,
    PlanFormView,
)
from masterplan.core.imports.cells import ColumnType
from masterplan.core.lists import paginate
from masterplan.core.models import Masterplan, initial_publication
from masterplan.core.permissions import Level
from masterplan.core.services import StaleVersionError
from masterplan.core.views import as_int, render_list
from masterplan.governance import agenda, invitations, queries, services
from masterplan.governance.forms import (
    ActionItemForm,
    AgendaItemForm,
    AgendaResultForm,
    AttendanceForm,
    BodyForm,
    DecisionForm,
    DocumentForm,
    FeedTokenForm,
    ImplementationForm,
    MeetingForm,
    MembershipForm,
    MinutesForm,
)
from masterplan.governance.models import (
    ActionItem,
    AgendaItem,
    Body,
    BodyMembership,
    Decision,
    DecisionKind,
    Document,
    MailingKind,
    Meeting,
    MeetingState,
    RsvpAnswer,
)


def page_url(name: str, masterplan: Masterplan, pk: int | None = None, anchor: str = "") -> str:
    args: list[Any] = [masterplan.slug] if pk is None else [masterplan.slug, pk]
    return reverse(f"governance:{name}", args=args) + (f"#{anchor}" if anchor else "")


def meeting_url(meeting_id: int, masterplan: Masterplan, anchor: str = "") -> str:
    return page_url("meeting_detail", masterplan, meeting_id, anchor)


def optional_url(name: str, *args: Any) -> str:
    """The address of a page another module may not have yet (calendar feeds): "" if none."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


class GovernanceForm:
    """The module's form pages load its stylesheet."""

    template_name = "governance/form.html"


# --- Bodies -----------------------------------------------------------------------------------


@plan_view(Level.PLAN_VIEW)
def body_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    rows = queries.body_list(user=request.user, masterplan=masterplan, today=timezone.localdate())
    return render(
        request,
        "governance/body_list.html",
        {
            "masterplan": masterplan,
            "rows": in_tree_order(rows),
            "can_create": perms.can_create_in(request.user, masterplan),
            "feeds": feed_links(masterplan),
        },
    )


def in_tree_order(rows: list[queries.BodyRow]) -> list[tuple[queries.BodyRow, int]]:
    """Each body followed by the bodies that are part of it, with its depth (0 = top)."""
    ids = {row.body.pk for row in rows}
    children: dict[int | None, list[queries.BodyRow]] = {}
    for row in rows:
        parent = row.body.parent_id if row.body.parent_id in ids else None
        children.setdefault(parent, []).append(row)
    ordered: list[tuple[queries.BodyRow, int]] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for row in children.get(parent, []):
            if row.body.pk not in seen:
                seen.add(row.body.pk)
                ordered.append((row, depth))
                walk(row.body.pk, depth + 1)

    walk(None, 0)
    # Bodies in a cycle of parents (refused by the services, but never lost here).
    ordered += [(row, 0) for row in rows if row.body.pk not in seen]
    return ordered


@object_view(Body, Level.OBJECT_VIEW)
def body_detail(request: HttpRequest, masterplan: Masterplan, obj: Body) -> HttpResponse:
    today = timezone.localdate()
    detail = queries.body_detail(user=request.user, body=obj, today=today)
    return render(
        request,
        "governance/body_detail.html",
        {
            "masterplan": masterplan,
            "body": obj,
            "detail": detail,
            "decisions": [
                DecisionLine(d, queries.decision_age(d, today)) for d in detail.decisions
            ],
            "part_measures": queries.measures_of_parts(user=request.user, body=obj),
            "can_edit": detail.editable,
            "can_manage": perms.can_manage(request.user, masterplan),
            "is_member": perms.is_plan_member(request.user, masterplan),
            "feeds": feed_links(masterplan, obj),
        },
    )


@dataclass(frozen=True)
class DecisionLine:
    decision: Decision
    age_days: int


class BodyCreate(GovernanceForm, PlanFormView):
    """Coordinators create any body; contributors bodies run by their own organisation."""

    level = Level.PLAN_CREATE
    form_class = BodyForm
    title = gettext_lazy("New body")
    success_message = gettext_lazy("The body has been created.")
    to_object = True

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "masterplan": self.masterplan,
            "own_organization_id": perms.contributor_organization_id(self.user, self.masterplan),
        }

    def back_url(self) -> str:
        return page_url("body_list", self.masterplan)

    def save(self, form: VersionedModelForm[Any]) -> Body:
        return services.body_create(actor=self.user, masterplan=self.masterplan, **form.changes())


class BodyEdit(GovernanceForm, ObjectEditView[Body]):
    model, level = Body, Level.OBJECT_EDIT
    form_class = BodyForm
    title = gettext_lazy("Edit body")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.body_update(
            actor=self.user, body=self.obj, version=form.cleaned_data["version"], **form.changes()
        )


class BodyDelete(ObjectDeleteView[Body]):
    model, level = Body, Level.PLAN_MANAGE

    def delete(self, *, version: int) -> None:
        services.body_delete(actor=self.user, body=self.obj, version=version)

    def done_url(self) -> str:
        return page_url("body_list", self.masterplan)


# --- Memberships ------------------------------------------------------------------------------


class MembershipCreate(GovernanceForm, ObjectFormView[Body]):
    model, level = Body, Level.OBJECT_EDIT
    form_class = MembershipForm
    success_message = gettext_lazy("The member has been added.")

    def get_title(self) -> str:
        return _("New member of “%(body)s”") % {"body": self.obj}

    def form_kwargs(self) -> dict[str, Any]:
        initial = {"publication": initial_publication(self.obj)}
        return {"initial": initial, "masterplan": self.masterplan}

    def back_url(self) -> str:
        return self.obj.get_absolute_url() + "#members"

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.membership_create(actor=self.user, body=self.obj, **form.changes())


class MembershipEdit(GovernanceForm, ObjectEditView[BodyMembership]):
    model, level = BodyMembership, Level.OBJECT_EDIT
    form_class = MembershipForm
    title = gettext_lazy("Edit membership")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def back_url(self) -> str:
        return page_url("body_detail", self.masterplan, self.obj.body_id, "members")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.membership_update(
            actor=self.user,
            membership=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class MembershipDelete(ObjectDeleteView[BodyMembership]):
    model, level = BodyMembership, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.membership_delete(actor=self.user, membership=self.obj, version=version)

    def back_url(self) -> str:
        return page_url("body_detail", self.masterplan, self.obj.body_id, "members")


# --- Meetings ---------------------------------------------------------------------------------


class MeetingCreate(GovernanceForm, ObjectFormView[Body]):
    model, level = Body, Level.OBJECT_EDIT
    form_class = MeetingForm
    success_message = gettext_lazy("The meeting has been created.")
    to_object = True

    def get_title(self) -> str:
        return _("New meeting of “%(body)s”") % {"body": self.obj}

    def form_kwargs(self) -> dict[str, Any]:
        return {"initial": {"publication": initial_publication(self.obj)}}

    def save(self, form: VersionedModelForm[Any]) -> Meeting:
        return services.meeting_create(actor=self.user, body=self.obj, **form.changes())


@object_view(Meeting, Level.OBJECT_VIEW)
def meeting_detail(request: HttpRequest, masterplan: Masterplan, obj: Meeting) -> HttpResponse:
    if not queries.can_view_meeting(request.user, obj):
        raise Http404
    detail = queries.meeting_detail(user=request.user, meeting=obj)
    # Approved minutes lock the record: no edit, move, delete or upload controls.
    can_edit = detail.record_editable
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "masterplan": masterplan,
            "meeting": obj,
            "detail": detail,
            "today": timezone.localdate(),
            "can_edit": can_edit,
            "can_follow_up": detail.editable,
            "can_manage": perms.can_manage(request.user, masterplan),
            "is_member": perms.is_plan_member(request.user, masterplan),
            "attendance_form": AttendanceForm(rows=queries.attendance_rows(meeting=obj))
            if can_edit
            else None,
            "document_form": DocumentForm() if can_edit else None,
            "directions": [("up", _("Move up")), ("down", _("Move down"))],
            "steps": [
                (state.value, state.label)
                for state in (
                    MeetingState.PLANNED,
                    MeetingState.INVITED,
                    MeetingState.HELD,
                    MeetingState.MINUTES_APPROVED,
                )
            ],
            "report_url": review_report_url(masterplan, agenda.report_period(obj)),
            "feeds": feed_links(masterplan, obj.body),
            **mailing_context(obj, detail),
        },
    )


def mailing_context(meeting: Meeting, detail: queries.MeetingDetail) -> dict[str, Any]:
    """For the meeting's editors: the send log, who cannot be reached, the answers, and
    whether the agenda changed since the invitation went out."""
    if not detail.editable:
        return {}
    mailings = queries.mailings_of(meeting=meeting)
    sent = [m for m in mailings if m.kind != MailingKind.MINUTES]
    version = invitations.current_agenda_version(meeting)
    return {
        "agenda_version": version,
        "mailings": mailings,
        "unreachable": [i for i in queries.invitees(meeting=meeting) if not i.email],
        "rsvps": queries.rsvp_summary(meeting=meeting) if sent else None,
        "agenda_changed": bool(sent) and sent[0].agenda_version != version,
        "can_resend": meeting.state == MeetingState.INVITED,
    }


def review_report_url(masterplan: Masterplan, period: tuple[date, date]) -> str:
    """The plan's review report for the period since the body's previous meeting."""
    start, end = period
    return reverse("plans:review_report", args=[masterplan.slug]) + (
        f"?start={start.isoformat()}&end={end.isoformat()}"
    )


class MeetingEdit(GovernanceForm, ObjectEditView[Meeting]):
    model, level = Meeting, Level.OBJECT_EDIT
    form_class: type[VersionedModelForm[Any]] = MeetingForm
    title = gettext_lazy("Edit meeting")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.meeting_update(
            actor=self.user,
            meeting=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


class MeetingDelete(ObjectDeleteView[Meeting]):
    model, level = Meeting, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.meeting_delete(actor=self.user, meeting=self.obj, version=version)

    def done_url(self) -> str:
        return page_url("body_detail", self.masterplan, self.obj.body_id, "meetings")


def refuse(request: HttpRequest, back: str, error: Exception) -> HttpResponse:
    """A refused write: the reason as a message, nothing changed, back to the page."""
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error))
    return HttpResponseRedirect(back)


@object_view(Meeting, Level.OBJECT_EDIT)
@require_POST
def meeting_transition(request: HttpRequest, masterplan: Masterplan, obj: Meeting) -> HttpResponse:
    """Invite, mark as held, approve the minutes or cancel: one button each."""
    target = request.POST.get("state", "")
    back = obj.get_absolute_url()
    if target not in MeetingState.values:
        messages.error(request, _("Choose one of the meeting's next states."))
        return HttpResponseRedirect(back)
    try:
        invitations.meeting_transition_and_notify(
            actor=request.user,
            meeting=obj,
            version=as_int(request.POST.get("version")),
            state=target,
        )
    except (StaleVersionError, ValidationError) as error:
        return refuse(request, back, error)
    messages.success(
        request,
        _("The meeting is now “%(state)s”.") % {"state": MeetingState(target).label},
    )
    if target in (MeetingState.INVITED, MeetingState.MINUTES_APPROVED):
        sent_message(request, queries.mailings_of(meeting=obj)[0])
    return HttpResponseRedirect(back)


def sent_message(request: HttpRequest, mailing: Any) -> None:
    messages.info(
        request,
        ngettext(
            "Sent by e-mail to %(count)d member.",
            "Sent by e-mail to %(count)d members.",
            len(mailing.recipients),
        )
        % {"count": len(mailing.recipients)},
    )
    if mailing.unreachable or mailing.failed:
        names = [entry["name"] for entry in [*mailing.unreachable, *mailing.failed]]
        messages.warning(request, _("Not reached: %(names)s.") % {"names": ", ".join(names)})


@object_view(Meeting, Level.OBJECT_EDIT)
@require_POST
def invitation_send(request: HttpRequest, masterplan: Masterplan, obj: Meeting) -> HttpResponse:
    """Einladung erneut senden: the invitation again, as an update (after agenda changes)."""
    back = meeting_url(obj.pk, masterplan, "mailings")
    try:
        mailing = invitations.meeting_send_invitation(
            actor=request.user, meeting=obj, version=as_int(request.POST.get("version"))
        )
    except (StaleVersionError, ValidationError) as error:
        return refuse(request, back, error)
    sent_message(request, mailing)
    return HttpResponseRedirect(back)


def pdf_response(content: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, file_name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response


@object_view(Meeting, Level.OBJECT_VIEW)
def agenda_pdf(request: HttpRequest, masterplan: Masterplan, obj: Meeting) -> HttpResponse:
    """The invitation with the agenda as PDF, as far as the reader may see it."""
    if not queries.can_view_meeting(request.user, obj):
        raise Http404
    content = invitations.agenda_pdf(user=request.user, meeting=obj)
    return pdf_response(content, f"{invitations.file_stem('tagesordnung', obj)}.pdf")


@object_view(Meeting, Level.OBJECT_VIEW)
def minutes_pdf(request: HttpRequest, masterplan: Masterplan, obj: Meeting) -> HttpResponse:
    """The minutes as PDF: for members at any time (a draft until approved), for the public
    once approved and without what the public may not see (non-public items, attendance)."""
    if not queries.can_view_meeting(request.user, obj):
        raise Http404
    member = perms.is_plan_member(request.user, masterplan)
    if not member and obj.state != MeetingState.MINUTES_APPROVED:
        raise Http404
    content = invitations.minutes_pdf(user=request.user, meeting=obj)
    return pdf_response(content, f"{invitations.file_stem('niederschrift', obj)}.pdf")


@site_view(Level.PUBLIC)
def rsvp_answer(request: HttpRequest, rsvp_token: str) -> HttpResponse:
    """A member answers an invitation through the personal link of the e-mail (the signed
    token is the credential): GET shows the question, only POST records the answer."""
    link = services.rsvp_link(rsvp_token)
    if link is None:
        return render(request, "governance/rsvp.html", {"problem": "invalid"}, status=400)
    context: dict[str, Any] = {
        "link": link,
        "meeting": link.meeting,
        "when": invitations.meeting_when(link.meeting),
        "place": invitations.meeting_place(link.meeting),
        "answers": RsvpAnswer.choices,
        "chosen": request.GET.get("answer", ""),
    }
    if not link.open:
        return render(request, "governance/rsvp.html", {**context, "problem": "closed"}, status=410)
    if request.method == "POST":
        try:
            rsvp = services.rsvp_record(link=link, answer=request.POST.get("answer", ""))
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            return render(request, "governance/rsvp.html", context, status=400)
        return render(request, "governance/rsvp.html", {**context, "recorded": rsvp})
    return render(request, "governance/rsvp.html", context)


@object_view(Meeting, Level.OBJECT_EDIT)
@require_POST
def meeting_correct_minutes(
    request: HttpRequest, masterplan: Masterplan, obj: Meeting
) -> HttpResponse:
    """Protokoll berichtigen: reopen approved minutes with a reason."""
    back = meeting_url(obj.pk, masterplan, "minutes")
    try:
        services.meeting_correct_minutes(
            actor=request.user,
            meeting=obj,
            version=as_int(request.POST.get("version")),
            reason=request.POST.get("reason", ""),
        )
    except (StaleVersionError, ValidationError) as error:
        return refuse(request, back, error)
    messages.success(
        request,
        _("The minutes are open for correction; approve them again when they are corrected."),
    )
    return HttpResponseRedirect(back)


@object_view(Meeting, Level.OBJECT_EDIT)
def attendance_record(request: HttpRequest, masterplan: Masterplan, obj: Meeting) -> HttpResponse:
    """Present, excused or absent for every expected person, in one form."""
    back = meeting_url(obj.pk, masterplan, "attendance")
    if request.method != "POST":
        return HttpResponseRedirect(back)
    form = AttendanceForm(request.POST, rows=queries.attendance_rows(meeting=obj))
    if not form.is_valid():
        messages.error(request, _("Choose present, excused or absent for each person."))
        return HttpResponseRedirect(back)
    try:
        services.attendance_record_many(actor=request.user, meeting=obj, entries=form.entries())
    except ValidationError as error:
        return refuse(request, back, error)
    messages.success(request, _("The attendance has been recorded."))
    return HttpResponseRedirect(back)


class MinutesEdit(MeetingEdit):
    form_class = MinutesForm

    def get_title(self) -> str:
        return _("Minutes of “%(meeting)s”") % {"meeting": self.obj}

    def back_url(self) -> str:
        return meeting_url(self.obj.pk, self.masterplan, "minutes")


@object_view(Meeting, Level.OBJECT_EDIT)
@require_POST
def agenda_draft(request: HttpRequest, masterplan: Masterplan, obj: Meeting) -> HttpResponse:
    """Add the generated draft agenda (red/amber measures, milestones, open items)."""
    back = meeting_url(obj.pk, masterplan, "agenda")
    try:
        added = agenda.generate_agenda(actor=request.user, meeting=obj)
    except (StaleVersionError, ValidationError) as error:
        return refuse(request, back, error)
    messages.success(
        request,
        ngettext(
            "%(count)d agenda item has been added from the plan.",
            "%(count)d agenda items have been added from the plan.",
            len(added),
        )
        % {"count": len(added)},
    )
    return HttpResponseRedirect(back)


@object_view(Meeting, Level.OBJECT_EDIT)
@require_POST
def review_report_attach(
    request: HttpRequest, masterplan: Masterplan, obj: Meeting
) -> HttpResponse:
    """Render the review report for the period since the previous meeting and attach it."""
    back = meeting_url(obj.pk, masterplan, "documents")
    try:
        agenda.request_review_report(actor=request.user, meeting=obj)
    except ValidationError as error:
        return refuse(request, back, error)
    messages.success(
        request,
        _("The review report is being prepared; it appears under Documents in a moment."),
    )
    return HttpResponseRedirect(back)


# --- Agenda items -----------------------------------------------------------------------------


class AgendaItemCreate(GovernanceForm, ObjectFormView[Meeting]):
    model, level = Meeting, Level.OBJECT_EDIT
    form_class = AgendaItemForm
    success_message = gettext_lazy("The agenda item has been added.")

    def get_title(self) -> str:
        return _("New agenda item for “%(meeting)s”") % {"meeting": self.obj}

    def form_kwargs(self) -> dict[str, Any]:
        parent = as_int(self.request.GET.get("parent"))
        above = queries.agenda_item_of(self.obj, parent) if parent else None
        initial: dict[str, Any] = {
            "parent": parent,
            "publication": initial_publication(above or self.obj),
        }
        if above is not None:
            initial["is_public"] = above.is_public  # a sub-item follows its parent
        return {"initial": initial, "meeting": self.obj}

    def back_url(self) -> str:
        return meeting_url(self.obj.pk, self.masterplan, "agenda")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.agenda_item_create(actor=self.user, meeting=self.obj, **form.changes())


class AgendaItemEdit(GovernanceForm, ObjectEditView[AgendaItem]):
    model, level = AgendaItem, Level.OBJECT_EDIT
    form_class: type[VersionedModelForm[Any]] = AgendaItemForm
    title = gettext_lazy("Edit agenda item")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "meeting": self.obj.meeting}

    def back_url(self) -> str:
        return meeting_url(self.obj.meeting_id, self.masterplan, f"item-{self.obj.pk}")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.agenda_item_update(
            actor=self.user, item=self.obj, version=form.cleaned_data["version"], **form.changes()
        )


class AgendaItemResult(AgendaItemEdit):
    form_class = AgendaResultForm
    success_message = gettext_lazy("The result has been recorded.")

    def get_title(self) -> str:
        return _("Result of “%(item)s”") % {"item": self.obj}

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": self.obj}


@object_view(AgendaItem, Level.OBJECT_EDIT)
@require_POST
def agenda_item_move(request: HttpRequest, masterplan: Masterplan, obj: AgendaItem) -> HttpResponse:
    """Move an item up or down among its siblings; the agenda is renumbered."""
    back = meeting_url(obj.meeting_id, masterplan, f"item-{obj.pk}")
    try:
        services.agenda_item_move(
            actor=request.user,
            item=obj,
            version=as_int(request.POST.get("version")),
            direction=request.POST.get("direction", ""),
        )
    except (StaleVersionError, ValidationError) as error:
        return refuse(request, back, error)
    return HttpResponseRedirect(back)


class AgendaItemDelete(ObjectDeleteView[AgendaItem]):
    model, level = AgendaItem, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.agenda_item_delete(actor=self.user, item=self.obj, version=version)

    def back_url(self) -> str:
        return meeting_url(self.obj.meeting_id, self.masterplan, "agenda")


# --- Decisions --------------------------------------------------------------------------------


class DecisionCreate(GovernanceForm, ObjectFormView[AgendaItem]):
    """A decision taken on an agenda item, recorded in the meeting."""

    model, level = AgendaItem, Level.OBJECT_EDIT
    form_class = DecisionForm
    success_message = gettext_lazy("The decision has been recorded.")

    def get_title(self) -> str:
        return _("Decision on “%(item)s”") % {"item": self.obj}

    def form_kwargs(self) -> dict[str, Any]:
        meeting = self.obj.meeting
        initial = {
            "decided_on": timezone.localdate(meeting.start),
            "title": self.obj.title,
            "publication": initial_publication(self.obj),
            "is_public": self.obj.is_public,
        }
        return {"initial": initial, "masterplan": self.masterplan}

    def back_url(self) -> str:
        return meeting_url(self.obj.meeting_id, self.masterplan, "decisions")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.decision_create(
            actor=self.user, meeting=self.obj.meeting, agenda_item=self.obj, **form.changes()
        )


class CirculatedDecisionCreate(GovernanceForm, ObjectFormView[Body]):
    """A decision the body took by circulation (Umlaufverfahren), without a meeting."""

    model, level = Body, Level.OBJECT_EDIT
    form_class = DecisionForm
    success_message = gettext_lazy("The decision by circulation has been recorded.")

    def get_title(self) -> str:
        return _("Decision by circulation of “%(body)s”") % {"body": self.obj}

    def form_kwargs(self) -> dict[str, Any]:
        initial = {"decided_on": timezone.localdate(), "publication": initial_publication(self.obj)}
        return {"initial": initial, "masterplan": self.masterplan}

    def back_url(self) -> str:
        return page_url("body_detail", self.masterplan, self.obj.pk, "decisions")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.decision_create(
            actor=self.user, body=self.obj, kind=DecisionKind.CIRCULATION, **form.changes()
        )


class DecisionEdit(GovernanceForm, ObjectEditView[Decision]):
    model, level = Decision, Level.OBJECT_EDIT
    form_class = DecisionForm
    title = gettext_lazy("Edit decision")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def back_url(self) -> str:
        return decision_back(self.masterplan, self.obj)

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.decision_update(
            actor=self.user,
            decision=self.obj,
            version=form.cleaned_data["version"],
            **form.changes(),
        )


def decision_back(masterplan: Masterplan, decision: Decision) -> str:
    if decision.meeting_id:
        return meeting_url(decision.meeting_id, masterplan, f"decision-{decision.pk}")
    if decision.body_id:
        return page_url("body_detail", masterplan, decision.body_id, "decisions")
    return page_url("decision_list", masterplan, anchor=f"decision-{decision.pk}")


class DecisionImplementation(GovernanceForm, ObjectEditView[Decision]):
    """Decision tracking: the new implementation state, with the evidence for it."""

    model, level = Decision, Level.OBJECT_EDIT
    form_class = ImplementationForm
    success_message = gettext_lazy("The implementation state has been saved.")

    def get_title(self) -> str:
        return _("Implementation of “%(decision)s”") % {"decision": self.obj}

    def back_url(self) -> str:
        back = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if back.startswith(f"/p/{self.masterplan.slug}/"):
            return back
        return page_url("decision_list", self.masterplan, anchor=f"decision-{self.obj.pk}")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.decision_set_implementation(
            actor=self.user,
            decision=self.obj,
            version=form.cleaned_data["version"],
            state=form.cleaned_data["implementation_state"],
            evidence=form.cleaned_data["implementation_evidence"],
        )


class DecisionDelete(ObjectDeleteView[Decision]):
    model, level = Decision, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.decision_delete(actor=self.user, decision=self.obj, version=version)

    def back_url(self) -> str:
        return decision_back(self.masterplan, self.obj)

    def done_url(self) -> str:
        return self.back_url().split("#")[0]


@plan_view(Level.PLAN_VIEW)
def decision_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """Decision tracking for the whole plan or one body, grouped by implementation state."""
    context = ListContext(request.user, masterplan)
    filters = queries.DECISIONS.form(request.GET, context)
    tracking = queries.decision_tracking(
        user=request.user, masterplan=masterplan, today=context.today, **filters.values()
    )
    decisions = [row.decision for group in tracking.groups for row in group.rows]
    for decision in decisions:
        decision.masterplan = masterplan  # the permission check reads it: no query per row
    editable = {d.pk for d in decisions if perms.can_edit(request.user, d)}
    return render_list(
        request,
        template="governance/decision_list.html",
        partial="governance/_decision_groups.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "tracking": tracking,
            "editable": editable,
            "next_url": request.get_full_path(),
        },
    )


@plan_view(Level.PLAN_VIEW)
def decision_export(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The decisions the list shows (same filters, same visibility) as a readable workbook."""
    context = ListContext(request.user, masterplan)
    filters = queries.DECISIONS.form(request.GET, context)
    tracking = queries.decision_tracking(
        user=request.user, masterplan=masterplan, today=context.today, **filters.values()
    )
    rows = [row for group in tracking.groups for row in group.rows]
    columns = [
        TableColumn(_("Reference"), lambda r: r.decision.reference),
        TableColumn(_("Title"), lambda r: r.decision.title),
        TableColumn(
            _("Body"), lambda r: r.decision.meeting.body.name if r.decision.meeting else ""
        ),
        TableColumn(_("Decided on"), lambda r: r.decision.decided_on, ColumnType.DATE, False),
        TableColumn(_("State"), lambda r: r.decision.get_implementation_state_display()),
        TableColumn(
            _("Responsible organisation"),
            lambda r: r.decision.responsible_organization or "",
        ),
        TableColumn(_("Age (days)"), lambda r: r.age_days, ColumnType.INT, False),
        TableColumn(_("Overdue"), lambda r: _("yes") if r.overdue else _("no")),
        TableColumn(_("Open action items"), lambda r: r.open_actions, ColumnType.INT, False),
    ]
    return table_response(masterplan.slug, _("decisions"), _("Decisions"), columns, rows)


# --- Action items -----------------------------------------------------------------------------


@plan_view(Level.PLAN_MEMBER)
def action_list(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """Action items are working material of the plan's members (see queries.py)."""
    context = ListContext(request.user, masterplan)
    filters = queries.ACTION_ITEMS.form(request.GET, context)
    values = filters.values()
    today = context.today
    items, sort = queries.action_item_page(
        user=request.user, masterplan=masterplan, today=today, **values
    )
    page = paginate(items, request.GET.get("page"), values.get("per_page"))
    for item in page:
        item.masterplan = masterplan  # the permission check reads it: no query per row
    return render_list(
        request,
        template="governance/action_list.html",
        partial="governance/_action_table.html",
        context={
            "masterplan": masterplan,
            "filters": filters,
            "page": page,
            "rows": [
                ActionLine(
                    item, queries.days_overdue(item, today), perms.can_edit(request.user, item)
                )
                for item in page
            ],
            "sort": sort,
            "overdue_method": queries.METHODS["overdue"],
            "can_create": perms.can_create_in(request.user, masterplan),
        },
    )


@plan_view(Level.PLAN_MEMBER)
def action_export(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """The action items the list shows (same filters and order) as a readable workbook."""
    context = ListContext(request.user, masterplan)
    values = queries.ACTION_ITEMS.form(request.GET, context).values()
    items, _sort = queries.action_item_page(
        user=request.user, masterplan=masterplan, today=context.today, **values
    )
    today = context.today
    columns = [
        TableColumn(_("Action item"), lambda a: a.title),
        TableColumn(_("Owner"), lambda a: a.owner_person or a.owner_organization or ""),
        TableColumn(_("Due"), lambda a: a.due, ColumnType.DATE, False),
        TableColumn(_("Status"), lambda a: a.get_status_display()),
        TableColumn(
            _("Days overdue"), lambda a: queries.days_overdue(a, today), ColumnType.INT, False
        ),
        TableColumn(_("From"), lambda a: a.decision or a.meeting or ""),
        TableColumn(_("Completed on"), lambda a: a.completed_on, ColumnType.DATE, False),
        TableColumn(_("Evidence"), lambda a: a.evidence),
    ]
    return table_response(masterplan.slug, _("action-items"), _("Action items"), columns, items)


@dataclass(frozen=True)
class ActionLine:
    item: ActionItem
    days_overdue: int
    can_edit: bool


class ActionCreate(GovernanceForm, ObjectFormView[AgendaItem]):
    """An action item from an agenda item (and, if chosen, one of the meeting's decisions)."""

    model, level = AgendaItem, Level.OBJECT_EDIT
    form_class = ActionItemForm
    success_message = gettext_lazy("The action item has been added.")

    def get_title(self) -> str:
        return _("New action item from “%(item)s”") % {"item": self.obj}

    def form_kwargs(self) -> dict[str, Any]:
        meeting = self.obj.meeting
        return {
            "initial": {"publication": initial_publication(self.obj)},
            "masterplan": self.masterplan,
            "meeting": meeting,
        }

    def back_url(self) -> str:
        return meeting_url(self.obj.meeting_id, self.masterplan, "action-items")

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.action_item_create(
            actor=self.user,
            masterplan=self.masterplan,
            meeting=self.obj.meeting,
            agenda_item=self.obj,
            **form.changes(),
        )


class ActionCreateFree(GovernanceForm, PlanFormView):
    """An action item outside a meeting (e.g. from a decision taken by circulation)."""

    level = Level.PLAN_CREATE
    form_class = ActionItemForm
    title = gettext_lazy("New action item")
    success_message = gettext_lazy("The action item has been added.")

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "masterplan": self.masterplan,
            "own_organization_id": perms.contributor_organization_id(self.user, self.masterplan),
        }

    def back_url(self) -> str:
        return page_url("action_list", self.masterplan)

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.action_item_create(actor=self.user, masterplan=self.masterplan, **form.changes())


def action_back(masterplan: Masterplan, item: ActionItem) -> str:
    if item.meeting_id:
        return meeting_url(item.meeting_id, masterplan, f"action-{item.pk}")
    return page_url("action_list", masterplan)


class ActionEdit(GovernanceForm, ObjectEditView[ActionItem]):
    model, level = ActionItem, Level.OBJECT_EDIT
    form_class = ActionItemForm
    title = gettext_lazy("Edit action item")

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "masterplan": self.masterplan}

    def back_url(self) -> str:
        return action_back(self.masterplan, self.obj)

    def save(self, form: VersionedModelForm[Any]) -> None:
        services.action_item_update(
            actor=self.user, item=self.obj, version=form.cleaned_data["version"], **form.changes()
        )


class ActionDelete(ObjectDeleteView[ActionItem]):
    model, level = ActionItem, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.action_item_delete(actor=self.user, item=self.obj, version=version)

    def back_url(self) -> str:
        return action_back(self.masterplan, self.obj)


# --- Documents --------------------------------------------------------------------------------


@object_view(Meeting, Level.OBJECT_EDIT)
def document_upload(request: HttpRequest, masterplan: Masterplan, obj: Meeting) -> HttpResponse:
    back = meeting_url(obj.pk, masterplan, "documents")
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_upload(
                actor=request.user,
                meeting=obj,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                file_name=upload.name,
                content=upload.read(),
                is_public=form.cleaned_data["is_public"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The document has been uploaded."))
            return HttpResponseRedirect(back)
    return render(
        request,
        "governance/document_form.html",
        {"masterplan": masterplan, "meeting": obj, "form": form, "cancel_url": back},
        status=400 if request.method == "POST" else 200,
    )


@object_view(Document, Level.OBJECT_VIEW)
def document_download(request: HttpRequest, masterplan: Masterplan, obj: Document) -> HttpResponse:
    """The file, for those who may see it: members, or anyone for a public document of a
    public meeting."""
    if not Document.objects.visible_to(request.user, masterplan).filter(pk=obj.pk).exists():
        raise Http404
    try:
        with obj.file.open("rb") as handle:  # at most GOVERNANCE_DOCUMENT_MAX_BYTES
            content = handle.read()
    except (OSError, ValueError) as error:
        raise Http404 from error
    response = HttpResponse(content, content_type=obj.mime_type or "application/octet-stream")
    disposition = content_disposition_header("download" in request.GET, obj.file_name or obj.name)
    if disposition:
        response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    return response


class DocumentDelete(ObjectDeleteView[Document]):
    model, level = Document, Level.OBJECT_EDIT

    def delete(self, *, version: int) -> None:
        services.document_delete(actor=self.user, document=self.obj, version=version)

    def back_url(self) -> str:
        if self.obj.meeting_id:
            return meeting_url(self.obj.meeting_id, self.masterplan, "documents")
        return page_url("body_list", self.masterplan)


# --- Calendar ---------------------------------------------------------------------------------


def feed_links(masterplan: Masterplan, body: Body | None = None) -> dict[str, str]:
    """The calendar feeds (iCalendar), where the feed module provides them."""
    links = {"plan": optional_url("governance_feeds:plan", masterplan.slug)}
    if body is not None:
        links["body"] = optional_url("governance_feeds:body", masterplan.slug, body.pk)
    return {key: url for key, url in links.items() if url}


@plan_view(Level.PLAN_VIEW)
def calendar_month(
    request: HttpRequest, masterplan: Masterplan, year: int | None = None, month: int | None = None
) -> HttpResponse:
    """A month of meetings as an accessible table, with links to the previous and next month."""
    today = timezone.localdate()
    if year is None or month is None:
        year, month = today.year, today.month
    filters = queries.CALENDAR.form(request.GET, ListContext(request.user, masterplan))
    body = filters.values().get("body")
    try:
        month_view = queries.calendar_month(
            user=request.user, masterplan=masterplan, year=year, month=month, body=body
        )
    except ValueError as error:
        raise Http404 from error
    query = f"?body={body}" if body else ""
    return render(
        request,
        "governance/calendar.html",
        {
            "masterplan": masterplan,
            "month": date(year, month, 1),
            "calendar": month_view,
            "filters": filters,
            "today": today,
            "weekdays": [date(2024, 1, day) for day in range(1, 8)],  # Monday to Sunday
            "previous_url": month_url(masterplan, month_view.previous, query),
            "next_url": month_url(masterplan, month_view.next, query),
            "this_month_url": page_url("calendar", masterplan) + query,
            "feeds": feed_links(masterplan),
        },
    )


def month_url(masterplan: Masterplan, year_month: tuple[int, int] | None, query: str) -> str:
    """The month's page, or "" beyond the calendar's reach."""
    if year_month is None:
        return ""
    return reverse("governance:calendar_month", args=[masterplan.slug, *year_month]) + query


# --- Private calendar feeds -------------------------------------------------------------------


@plan_view(Level.PLAN_MEMBER)
def feed_tokens(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """A member's private calendar feeds (with non-public meetings): create, see, revoke.

    The secret address is shown once, right after creating it; only its digest is stored.
    """
    form = FeedTokenForm(
        request.POST if request.POST.get("action") == "create" else None, masterplan=masterplan
    )
    created = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token_id = as_int(request.POST.get("token"))
        token = next(
            (
                t
                for t in queries.feed_tokens_of(user=request.user, masterplan=masterplan)
                if t.pk == token_id
            ),
            None,
        )
        if token is None:
            messages.error(request, _("This calendar feed does not exist (any more)."))
        else:
            services.feed_token_revoke(actor=request.user, token=token)
            messages.success(request, _("The calendar feed has been revoked."))
        return HttpResponseRedirect(page_url("feed_tokens", masterplan))
    if form.is_bound and form.is_valid():
        new = services.feed_token_create(
            actor=request.user,
            masterplan=masterplan,
            body=form.cleaned_data["body"],
            label=form.cleaned_data["label"],
        )
        created = request.build_absolute_uri(reverse("governance_feeds:private", args=[new.secret]))
        form = FeedTokenForm(masterplan=masterplan)
    return render(
        request,
        "governance/feed_tokens.html",
        {
            "masterplan": masterplan,
            "form": form,
            "created": created,
            "tokens": queries.feed_tokens_of(user=request.user, masterplan=masterplan),
            "feeds": feed_links(masterplan),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
