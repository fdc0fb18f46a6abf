"""Meetings that reach people: the invitation by e-mail, the members' answers, the minutes.

- **Invitation** (`meeting_send_invitation`, the button "Einladung versenden"): the meeting
  becomes *invited* and every member of the body on the meeting day who has an e-mail
  address gets a personal e-mail with the invitation text, the agenda as PDF and the meeting
  as an `.ics` invitation (METHOD:REQUEST, the feeds' event). Members without an address are
  listed as not reachable. Sending again while the meeting is invited ("Einladung erneut
  senden") says that the invitation was updated. Every sending is logged (`MeetingMailing`:
  who, when, to whom, which agenda) and audited.
- **Answers** (RSVP): each e-mail carries the member's personal links "Ich nehme teil" / "Ich
  nehme nicht teil" (`services.rsvp_token`; recorded by `services.rsvp_record`).
- **Minutes** (Niederschrift): a PDF of the agenda with its results, the decisions with their
  votes and the attendance (`minutes_pdf`), for members on the meeting page (the public gets
  the public version once approved), sent to the members when the minutes are approved
  (`meeting_transition_and_notify`).

The PDFs show what their reader may see (`queries.meeting_detail`): the e-mails carry the
sender's view (an editor: the whole agenda, non-public items marked), a public download the
public part only (no attendance). Mails are written in the site's language (German), like the
reminders, and sent one per member through Django's mail API.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from masterplan.core.actors import Actor
from masterplan.core.audit import audit_record
from masterplan.core.pdf import html_to_pdf
from masterplan.core.permissions import acting_user, ensure_can_edit
from masterplan.core.services import ensure_version, lock_for_update
from masterplan.governance import feeds, queries, services
from masterplan.governance.models import (
    AgendaItem,
    MailingKind,
    Meeting,
    MeetingMailing,
    MeetingState,
    RsvpAnswer,
    VoteKind,
)
from masterplan.governance.reminders import site_url

logger = logging.getLogger(__name__)


# --- what the documents say ---------------------------------------------------------------------


def meeting_when(meeting: Meeting) -> str:
    """ "Dienstag, 10. März 2026, 9:00 – 11:00 Uhr" (in the active language)."""
    start = timezone.localtime(meeting.start)
    values = {"day": date_format(start, "l, j. F Y"), "start": time_format(start, "G:i")}
    if meeting.end is not None and timezone.localtime(meeting.end).date() == start.date():
        values["end"] = time_format(timezone.localtime(meeting.end), "G:i")
        return _("%(day)s, %(start)s – %(end)s") % values
    return _("%(day)s at %(start)s") % values


def meeting_place(meeting: Meeting) -> str:
    return feeds.place(meeting)


def agenda_fingerprint(items: list[AgendaItem]) -> str:
    """A short digest of the agenda's content: what changes it asks for a new invitation."""
    text = "\n".join(
        f"{item.number}\t{item.title}\t{item.text}\t{item.is_public}\t{item.publication}"
        for item in sorted(items, key=lambda i: (i.number, i.pk))
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def current_agenda_version(meeting: Meeting) -> str:
    return agenda_fingerprint(list(AgendaItem.objects.filter(meeting=meeting)))


def vote_text(decision: Any) -> str:
    if decision.vote_kind == VoteKind.VOTE:
        return _("by vote: %(yes)s in favour, %(no)s against, %(abstain)s abstentions") % {
            "yes": decision.votes_yes,
            "no": decision.votes_no,
            "abstain": decision.votes_abstain,
        }
    return _("by consensus")


def print_html(template: str, *, user: Actor, meeting: Meeting) -> str:
    detail = queries.meeting_detail(user=user, meeting=meeting)
    for decision in detail.decisions:
        decision.vote_text = vote_text(decision)  # type: ignore[attr-defined]
    return render_to_string(
        template,
        {
            "masterplan": meeting.masterplan,
            "meeting": meeting,
            "detail": detail,
            "when": meeting_when(meeting),
            "place": meeting_place(meeting),
            "generated_at": timezone.localtime(),
            "show_attendance": bool(detail.attendance),
            "approved": meeting.state == MeetingState.MINUTES_APPROVED,
        },
    )


def agenda_pdf(*, user: Actor, meeting: Meeting) -> bytes:
    """The invitation with the agenda as PDF, as far as `user` may see it."""
    return html_to_pdf(print_html("governance/agenda_print.html", user=user, meeting=meeting))


def minutes_pdf(*, user: Actor, meeting: Meeting) -> bytes:
    """The minutes (Niederschrift) as PDF: agenda with results, decisions with votes, the
    minutes text and, for members, the attendance. Marked as a draft until approved."""
    return html_to_pdf(print_html("governance/minutes_print.html", user=user, meeting=meeting))


def file_stem(prefix: str, meeting: Meeting) -> str:
    return f"{prefix}-{meeting.masterplan.slug}-{timezone.localtime(meeting.start):%Y%m%d}"


# --- sending --------------------------------------------------------------------------------------


@dataclass
class Letter:
    subject: str
    body: str
    attachments: list[tuple[str, bytes, str]]


def deliver(
    meeting: Meeting, letters: dict[int, Letter], kind: str, actor: Actor, version: str
) -> MeetingMailing:
    """Send one e-mail per reachable member and log the sending (with those not reached)."""
    recipients, unreachable, failed = [], [], []
    connection = get_connection()
    for invitee in queries.invitees(meeting=meeting):
        entry = {"person_id": invitee.person.pk, "name": invitee.person.full_name}
        letter = letters.get(invitee.person.pk)
        if not invitee.email or letter is None:
            unreachable.append(entry)
            continue
        message = EmailMessage(
            subject=letter.subject,
            body=letter.body,
            to=[invitee.email],
            connection=connection,
        )
        for name, content, mimetype in letter.attachments:
            message.attach(name, content, mimetype)
        try:
            message.send()
        except OSError:  # the mail server refused: logged as not delivered, tried again by hand
            logger.exception("meeting mail to %s failed", invitee.email)
            failed.append({**entry, "email": invitee.email})
            continue
        recipients.append({**entry, "email": invitee.email})
    mailing = MeetingMailing.objects.create(
        masterplan_id=meeting.masterplan_id,
        meeting=meeting,
        kind=kind,
        sent_by=acting_user(actor) if actor is not None and actor.is_authenticated else None,
        agenda_version=version,
        agenda_items=AgendaItem.objects.filter(meeting=meeting).count(),
        recipients=recipients,
        unreachable=unreachable,
        failed=failed,
    )
    audit_record(
        actor=actor,
        action=f"governance.meeting.{kind}_sent",
        obj=meeting,
        changes={
            "recipients": [None, len(recipients)],
            "unreachable": [None, len(unreachable)],
            "failed": [None, len(failed)],
            "agenda_version": [None, version],
        },
    )
    return mailing


def rsvp_url(meeting: Meeting, person: Any, answer: str) -> str:
    token = services.rsvp_token(meeting, person)
    return f"{site_url()}{reverse('governance_rsvp:answer', args=[token])}?answer={answer}"


def meeting_page(meeting: Meeting) -> str:
    return site_url() + meeting.get_absolute_url()


def invitation_letters(*, actor: Actor, meeting: Meeting, update: bool) -> dict[int, Letter]:
    """One e-mail per member with an address: the same PDF, their own links and .ics."""
    detail = queries.meeting_detail(user=actor, meeting=meeting)
    pdf = agenda_pdf(user=actor, meeting=meeting)
    meeting.feed_items = [row.item for row in detail.agenda]  # type: ignore[attr-defined]
    values = {
        "title": meeting.title,
        "body": meeting.body.name,
        "when": meeting_when(meeting),
        "date": f"{timezone.localtime(meeting.start):%d.%m.%Y}",
        "place": meeting_place(meeting) or "–",
        "url": meeting_page(meeting),
    }
    subject = (
        _("Updated invitation: %(title)s on %(date)s")
        if update
        else _("Invitation: %(title)s on %(date)s")
    ) % values
    agenda_lines = "\n".join(
        "  " * row.depth
        + f"{row.item.number} {row.item.title}"
        + ("" if row.item.is_public and not row.item.hidden_above else _(" (not public)"))
        for row in detail.agenda
    )
    letters = {}
    for invitee in queries.invitees(meeting=meeting):
        if not invitee.email:
            continue
        person = invitee.person
        parts = [
            _("Dear %(name)s,") % {"name": person.full_name},
            (
                _(
                    "the invitation to the meeting “%(title)s” of %(body)s has been updated; "
                    "the current agenda is attached."
                )
                if update
                else _("you are invited to the meeting “%(title)s” of %(body)s.")
            )
            % values,
            _("When: %(when)s\nWhere: %(place)s") % values,
        ]
        if meeting.invitation_text.strip():
            parts.append(meeting.invitation_text.strip())
        if agenda_lines:
            parts.append(_("Agenda:") + "\n" + agenda_lines)
        parts.append(
            _(
                "Please let us know whether you attend (until the meeting starts):\n"
                "I will attend: %(yes)s\nI will not attend: %(no)s"
            )
            % {
                "yes": rsvp_url(meeting, person, RsvpAnswer.YES),
                "no": rsvp_url(meeting, person, RsvpAnswer.NO),
            }
        )
        parts.append(
            _(
                "The agenda is attached as PDF, the date as a calendar file (.ics).\n"
                "Meeting page (for members of the masterplan): %(url)s"
            )
            % values
        )
        ics = feeds.invitation_calendar(
            meeting,
            page_url=values["url"],
            organizer=settings.DEFAULT_FROM_EMAIL,
            attendee=invitee.email,
            attendee_name=person.full_name,
        )
        letters[person.pk] = Letter(
            subject=subject,
            body="\n\n".join(parts) + "\n",
            attachments=[
                (f"{file_stem('tagesordnung', meeting)}.pdf", pdf, "application/pdf"),
                (f"{file_stem('sitzung', meeting)}.ics", ics, "text/calendar"),
            ],
        )
    return letters


@transaction.atomic
def meeting_send_invitation(
    *, actor: Actor, meeting: Meeting, version: int | None
) -> MeetingMailing:
    """Einladung versenden: a planned meeting becomes invited and the members get the
    invitation; an invited meeting sends it again as an update (after the agenda changed)."""
    ensure_can_edit(actor, meeting)
    current = lock_for_update(meeting)
    ensure_version(current, version)
    if current.state == MeetingState.PLANNED:
        current = services.meeting_transition(
            actor=actor, meeting=current, version=version, state=MeetingState.INVITED
        )
    elif current.state != MeetingState.INVITED:
        raise ValidationError(
            _("Invitations are sent for planned or invited meetings, before they are held.")
        )
    update = MeetingMailing.objects.filter(
        meeting=current, kind__in=(MailingKind.INVITATION, MailingKind.INVITATION_UPDATE)
    ).exists()
    with translation.override(settings.LANGUAGE_CODE):
        letters = invitation_letters(actor=actor, meeting=current, update=update)
        return deliver(
            current,
            letters,
            MailingKind.INVITATION_UPDATE if update else MailingKind.INVITATION,
            actor,
            current_agenda_version(current),
        )


@transaction.atomic
def meeting_send_minutes(*, actor: Actor, meeting: Meeting) -> MeetingMailing:
    """Send the approved minutes as PDF to the members of the body."""
    ensure_can_edit(actor, meeting)
    if meeting.state != MeetingState.MINUTES_APPROVED:
        raise ValidationError(_("The minutes are sent once they are approved."))
    with translation.override(settings.LANGUAGE_CODE):
        pdf = minutes_pdf(user=actor, meeting=meeting)
        values = {
            "title": meeting.title,
            "body": meeting.body.name,
            "date": f"{timezone.localtime(meeting.start):%d.%m.%Y}",
            "approved": f"{meeting.minutes_approved_on:%d.%m.%Y}"
            if meeting.minutes_approved_on
            else "–",
            "url": meeting_page(meeting),
        }
        letters = {
            invitee.person.pk: Letter(
                subject=_("Minutes: %(title)s of %(date)s") % values,
                body="\n\n".join(
                    [
                        _("Dear %(name)s,") % {"name": invitee.person.full_name},
                        _(
                            "the minutes of the meeting “%(title)s” of %(body)s on %(date)s "
                            "were approved on %(approved)s. They are attached as PDF."
                        )
                        % values,
                        _("Meeting page (for members of the masterplan): %(url)s") % values,
                    ]
                )
                + "\n",
                attachments=[
                    (f"{file_stem('niederschrift', meeting)}.pdf", pdf, "application/pdf")
                ],
            )
            for invitee in queries.invitees(meeting=meeting)
            if invitee.email
        }
        return deliver(
            meeting, letters, MailingKind.MINUTES, actor, current_agenda_version(meeting)
        )


def meeting_transition_and_notify(
    *, actor: Actor, meeting: Meeting, version: int | None, state: str, **fields: Any
) -> Meeting:
    """A state change as the page and the API make it: "invited" sends the invitation,
    "minutes approved" sends the minutes; other steps only change the state."""
    if state == MeetingState.INVITED and meeting.state == MeetingState.PLANNED:
        return meeting_send_invitation(actor=actor, meeting=meeting, version=version).meeting
    with transaction.atomic():
        updated = services.meeting_transition(
            actor=actor, meeting=meeting, version=version, state=state, **fields
        )
        if state == MeetingState.MINUTES_APPROVED:
            meeting_send_minutes(actor=actor, meeting=updated)
    return updated
