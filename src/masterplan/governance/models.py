"""Governance: steering bodies, their members and meetings, agendas, decisions, action items.

Models of this module: data and invariants only. Every write goes through services.py.
Field names are a contract with the OParl API, the calendar feeds and the pages
(see docs/governance.md); add fields, do not rename them.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from masterplan.core.models import Masterplan, PlanScopedModel, Publication, nothing


def unique_external_id(model_name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["masterplan", "external_id"],
        condition=~models.Q(external_id=""),
        name=f"governance_{model_name}_unique_external_id",
    )


# --- What the public may see (the models' `public_filter`) -------------------------------------
#
# Members of a plan see all of it; everyone else sees published records of a published plan,
# and of meetings, agenda items, decisions and documents only those also marked public. What a
# record hangs on must be visible too, all the way up: document → decision → agenda item →
# parent items → meeting → body → plan. Each model's `public_filter` says this once, by
# combining its own flags with its parents' `public_filter` (through the relation's prefix);
# pages, the API, OParl, the calendar feeds, downloads and exports all read through it.
#
# Agenda items form a tree of any depth (the API lets an item hang under a sub-item), which a
# fixed chain of `parent__parent__…` joins cannot follow. The services therefore store, for
# each item, whether every item above it is published, public and not deleted
# (`AgendaItem.ancestors_public`), recomputed for the whole meeting on every write that can
# change it (create, update, move, delete: `services.refresh_agenda`). The rule then costs one
# column, in one query, whatever the depth. A sub-item written past the services keeps the
# field's default (False): it stays hidden from the public until the agenda is refreshed, so
# the shortcut fails closed.


def published_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}publication": Publication.PUBLISHED})


def live_q(prefix: str = "") -> Q:
    """Published and not deleted (for records reached through a relation, whose soft deletion
    the default manager does not see)."""
    return Q(**{f"{prefix}publication": Publication.PUBLISHED, f"{prefix}deleted_at__isnull": True})


def public_meeting_q(prefix: str = "") -> Q:
    """Meetings the public may see: published and marked public, not deleted, of a published
    body that is not deleted (the plan is checked by the callers)."""
    return Q(
        **{
            f"{prefix}publication": Publication.PUBLISHED,
            f"{prefix}is_public": True,
            f"{prefix}deleted_at__isnull": True,
        }
    ) & live_q(f"{prefix}body__")


def public_item_q(prefix: str = "") -> Q:
    """Agenda items the public may see: published, public and not deleted, of a public
    meeting whose invitation has gone out (the agenda of a planned meeting, generated or
    not, is a draft), with every item above them published, public and not deleted."""
    return (
        live_q(prefix)
        & Q(**{f"{prefix}is_public": True})
        & (Q(**{f"{prefix}parent__isnull": True}) | Q(**{f"{prefix}ancestors_public": True}))
        & public_meeting_q(f"{prefix}meeting__")
        & Q(**{f"{prefix}meeting__state__in": INVITATION_SENT})
    )


def public_decision_q(prefix: str = "") -> Q:
    """Decisions the public may see: published, public, not deleted; of no meeting or a public
    one; of no agenda item or a public one (and so with every item above it public); of no
    circulating body or a published one."""
    return (
        live_q(prefix)
        & Q(**{f"{prefix}is_public": True})
        & optional(f"{prefix}meeting", public_meeting_q(f"{prefix}meeting__"))
        & optional(f"{prefix}agenda_item", public_item_q(f"{prefix}agenda_item__"))
        & optional(f"{prefix}body", live_q(f"{prefix}body__"))
    )


def public_document_q(prefix: str = "") -> Q:
    """Documents the public may see: published, public, not deleted; each record it belongs
    to (meeting, agenda item, decision) public; minutes only once approved."""
    return (
        live_q(prefix)
        & Q(**{f"{prefix}is_public": True})
        & optional(f"{prefix}meeting", public_meeting_q(f"{prefix}meeting__"))
        & optional(f"{prefix}agenda_item", public_item_q(f"{prefix}agenda_item__"))
        & optional(f"{prefix}decision", public_decision_q(f"{prefix}decision__"))
        & approved_minutes_q(prefix)
    )


def optional(relation: str, condition: Q) -> Q:
    """The link is empty, or points to a record that meets the condition."""
    return Q(**{f"{relation}__isnull": True}) | condition


def approved_minutes_q(prefix: str = "") -> Q:
    """For the public: minutes only once the body has approved them; other kinds as they are."""
    return ~Q(**{f"{prefix}kind": DocumentKind.MINUTES}) | Q(
        **{f"{prefix}meeting__state": MeetingState.MINUTES_APPROVED}
    )


class BodyKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    STEERING_GROUP = "steering_group", _("Steering group")
    WORKING_GROUP = "working_group", _("Operational unit / working group")
    WORKSHOP_SERIES = "workshop_series", _("Workshop series")
    # With a context: "Board" is also the plans' status board ("Statustafel").
    BOARD = "board", pgettext_lazy("kind of body", "Board")


class Body(PlanScopedModel):
    """Gremium: a steering committee, steering group, operational unit, workshop series, board."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation running it"),
        help_text=_("Contributors of this organisation may edit the body and its meetings."),
    )
    chair = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    website = models.URLField(_("website"), blank=True)
    core_zone = models.ForeignKey(
        "land.CoreZone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("core zone"),
        help_text=_("For a workshop series: the core zone its workshops are about."),
    )

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints: ClassVar = [unique_external_id("body")]
        indexes: ClassVar = [models.Index(fields=["masterplan", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:body_detail", args=[self.masterplan.slug, self.pk])

    def owner_organization_ids(self) -> set[int]:
        return {self.organization_id} if self.organization_id else set()

    def clean(self) -> None:
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A body cannot be part of itself.")})


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY = "deputy", _("Deputy chair")
    MEMBER = "member", _("Member")
    GUEST = "guest", _("Guest")
    SECRETARY = "secretary", _("Secretary")


class BodyMembership(PlanScopedModel):
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="body_memberships",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation represented"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    voting_right = models.BooleanField(_("voting right"), default=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ("body", "role", "id")
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints: ClassVar = [
            unique_external_id("bodymembership"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="governance_membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.body})"

    def owner_organization_ids(self) -> set[int]:
        return self.body.owner_organization_ids()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Published memberships of published people."""
        return published_q(prefix) & published_q(f"{prefix}person__")

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The membership ends before it starts.")})


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    INVITED = "invited", _("Invited")
    HELD = "held", _("Held")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
    CANCELLED = "cancelled", _("Cancelled")


# States in which the invitation has gone out (or the meeting took place without one): the
# agenda is public from then on. A cancelled meeting keeps what it showed.
INVITATION_SENT = (
    MeetingState.INVITED,
    MeetingState.HELD,
    MeetingState.MINUTES_APPROVED,
    MeetingState.CANCELLED,
)


class Meeting(PlanScopedModel):
    """Sitzung: one meeting of a body, from planning to approved minutes."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body")
    )
    title = models.CharField(_("title"), max_length=300)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    location_name = models.CharField(_("place"), max_length=200, blank=True)
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=10, blank=True)
    locality = models.CharField(_("town"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    is_public = models.BooleanField(
        _("public meeting"),
        default=False,
        help_text=_("The meeting may be shown to the public once it is published."),
    )
    invitation_text = models.TextField(_("invitation"), blank=True)
    minutes_text = models.TextField(_("minutes"), blank=True)
    minutes_approved_on = models.DateField(_("minutes approved on"), null=True, blank=True)
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Counts the changes calendar subscribers must see (iCalendar SEQUENCE)."),
    )

    class Meta:
        ordering = ("start", "id")
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints: ClassVar = [
            unique_external_id("meeting"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="governance_meeting_end_after_start",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["masterplan", "start"]),
            models.Index(fields=["body", "start"]),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start) if timezone.is_aware(self.start) else self.start
        return f"{self.title} ({local:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.masterplan.slug, self.pk])

    def owner_organization_ids(self) -> set[int]:
        return self.body.owner_organization_ids()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Published, public meetings of published bodies, in a published plan."""
        if not masterplan.is_published:
            return nothing(prefix)
        return public_meeting_q(prefix)

    @property
    def minutes_locked(self) -> bool:
        """Approved minutes are the record: its agenda, decisions, documents and attendance
        stay as approved until the minutes are corrected (`services.meeting_correct_minutes`)."""
        return self.state == MeetingState.MINUTES_APPROVED

    @property
    def is_publicly_visible(self) -> bool:
        """Published and marked public: what the public, OParl and public feeds may show."""
        return self.is_public and self.is_published

    @property
    def address(self) -> str:
        town = " ".join(part for part in (self.postal_code, self.locality) if part)
        return ", ".join(part for part in (self.street_address, town) if part)

    def clean(self) -> None:
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The meeting ends before it starts.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("The latitude lies between -90 and 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("The longitude lies between -180 and 180.")
        if errors:
            raise ValidationError(errors)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Attendance(PlanScopedModel):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation represented"),
    )
    status = models.CharField(
        _("attendance"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )

    class Meta:
        ordering = ("meeting", "id")
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="governance_attendance_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"

    def owner_organization_ids(self) -> set[int]:
        return self.meeting.owner_organization_ids()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Who attended is for the plan's members only."""
        return nothing(prefix)


# What an agenda item can be about: the plan's goals and measures, the land's core zones and
# parcels (the "where" of a workshop's item).
AGENDA_ITEM_LINKS = ("goals", "measures", "core_zones", "parcels")


class AgendaItem(PlanScopedModel):
    """Tagesordnungspunkt: ordered and numbered ("1", "1.1") within its meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("sub-item of"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    number = models.CharField(_("number"), max_length=20, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(
        _("public item"),
        default=True,
        help_text=_("Non-public items are never shown to the public, in OParl or in feeds."),
    )
    # Derived, kept by the services (see "What the public may see" above): every item above
    # this one is published, public and not deleted. False until the services have set it.
    ancestors_public = models.BooleanField(default=False, editable=False)
    result = models.TextField(_("result"), blank=True)
    goals = models.ManyToManyField(
        "plans.Goal", blank=True, related_name="agenda_items", verbose_name=_("goals")
    )
    measures = models.ManyToManyField(
        "plans.Measure", blank=True, related_name="agenda_items", verbose_name=_("measures")
    )
    core_zones = models.ManyToManyField(
        "land.CoreZone", blank=True, related_name="+", verbose_name=_("core zones")
    )
    parcels = models.ManyToManyField(
        "land.Parcel", blank=True, related_name="+", verbose_name=_("parcels")
    )

    class Meta:
        ordering = ("meeting", "number", "id")
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints: ClassVar = [unique_external_id("agendaitem")]
        indexes: ClassVar = [models.Index(fields=["meeting", "parent", "position"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def owner_organization_ids(self) -> set[int]:
        return self.meeting.owner_organization_ids()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Published, public items of public meetings, with every item above them public."""
        if not masterplan.is_published:
            return nothing(prefix)
        return public_item_q(prefix)

    @property
    def hidden_above(self) -> bool:
        """An item above this one is not public (or a draft): the public does not see it,
        whatever its own flag (marked as not public on the meeting page)."""
        return self.parent_id is not None and not self.ancestors_public

    def clean(self) -> None:
        if self.parent_id is not None:
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": _("An agenda item cannot contain itself.")})
            parent = AgendaItem.all_objects.filter(pk=self.parent_id).first()
            if parent is not None and parent.meeting_id != self.meeting_id:
                raise ValidationError(
                    {"parent": _("The parent item belongs to a different meeting.")}
                )


class VoteKind(models.TextChoices):
    CONSENSUS = "consensus", _("By consensus")
    VOTE = "vote", _("By vote")


class ImplementationState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class DecisionKind(models.TextChoices):
    MEETING = "meeting", _("In a meeting")
    CIRCULATION = "circulation", _("By circulation (Umlaufverfahren)")


class Decision(PlanScopedModel):
    """Beschluss: what a body decided, and whether it has been carried out.

    Taken in a held meeting (`kind` meeting, with the meeting), or by circulation
    (Umlaufverfahren: `kind` circulation, with the body that decided and no meeting; see
    docs/governance.md)."""

    kind = models.CharField(
        _("kind of decision"),
        max_length=12,
        choices=DecisionKind.choices,
        default=DecisionKind.MEETING,
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="circulated_decisions",
        verbose_name=_("body (decision by circulation)"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("decision text"), blank=True)
    decided_on = models.DateField(_("decided on"))
    vote_kind = models.CharField(
        _("taken"), max_length=10, choices=VoteKind.choices, default=VoteKind.CONSENSUS
    )
    votes_yes = models.PositiveIntegerField(_("votes in favour"), null=True, blank=True)
    votes_no = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    implementation_state = models.CharField(
        _("implementation"),
        max_length=20,
        choices=ImplementationState.choices,
        default=ImplementationState.OPEN,
    )
    implementation_evidence = models.TextField(_("evidence of implementation"), blank=True)
    implementation_changed_on = models.DateField(
        _("implementation state changed on"), null=True, blank=True
    )
    responsible_organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    is_public = models.BooleanField(_("public decision"), default=True)

    class Meta:
        ordering = ("-decided_on", "-id")
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints: ClassVar = [unique_external_id("decision")]
        indexes: ClassVar = [
            models.Index(fields=["masterplan", "implementation_state"]),
            models.Index(fields=["masterplan", "decided_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def owner_organization_ids(self) -> set[int]:
        owners = set(self.meeting.owner_organization_ids()) if self.meeting else set()
        if self.body_id is not None and self.body is not None:
            owners |= self.body.owner_organization_ids()
        if self.responsible_organization_id:
            owners.add(self.responsible_organization_id)
        return owners

    @property
    def deciding_body_id(self) -> int | None:
        """The body that took the decision: the meeting's, or the circulating body."""
        return self.meeting.body_id if self.meeting is not None else self.body_id

    @property
    def is_locked(self) -> bool:
        """Part of approved minutes: its content cannot change until the minutes are
        corrected (its implementation still can)."""
        return self.meeting is not None and self.meeting.state == MeetingState.MINUTES_APPROVED

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Published, public decisions of no meeting or a public one, of no agenda item or a
        public one."""
        if not masterplan.is_published:
            return nothing(prefix)
        return public_decision_q(prefix)

    def clean(self) -> None:
        votes = (self.votes_yes, self.votes_no, self.votes_abstain)
        if self.vote_kind == VoteKind.VOTE and any(v is None for v in votes):
            raise ValidationError(
                {"votes_yes": _("A vote needs the numbers of yes, no and abstentions (0 if none).")}
            )
        if self.vote_kind == VoteKind.CONSENSUS and any(v is not None for v in votes):
            raise ValidationError(
                {"vote_kind": _("A decision by consensus has no vote counts; leave them empty.")}
            )
        if self.kind == DecisionKind.CIRCULATION and (self.meeting_id or self.agenda_item_id):
            raise ValidationError(
                {"kind": _("A decision by circulation is taken without a meeting.")}
            )
        if self.kind == DecisionKind.MEETING and self.body_id:
            raise ValidationError(
                {"body": _("A decision taken in a meeting belongs to the meeting's body.")}
            )
        if self.agenda_item_id and self.meeting_id:
            item = AgendaItem.all_objects.filter(pk=self.agenda_item_id).first()
            if item is not None and item.meeting_id != self.meeting_id:
                raise ValidationError(
                    {"agenda_item": _("The agenda item belongs to a different meeting.")}
                )


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(PlanScopedModel):
    """Arbeitsauftrag: who does what by when, following a decision or agenda item."""

    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("decision"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("agenda item"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    owner_organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner organisation"),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    evidence = models.TextField(_("evidence"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ("due", "id")
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints: ClassVar = [unique_external_id("actionitem")]
        indexes: ClassVar = [
            models.Index(fields=["masterplan", "status", "due"]),
            models.Index(fields=["status", "due"]),
        ]

    def __str__(self) -> str:
        return self.title

    def owner_organization_ids(self) -> set[int]:
        owners = set(self.meeting.owner_organization_ids()) if self.meeting else set()
        if self.owner_organization_id:
            owners.add(self.owner_organization_id)
        return owners

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Action items are working material: members of the plan only."""
        return nothing(prefix)

    @property
    def is_closed(self) -> bool:
        return self.status in (ActionStatus.DONE, ActionStatus.CANCELLED)


class DocumentKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    MINUTES = "minutes", _("Minutes")
    ATTACHMENT = "attachment", _("Attachment")
    REPORT = "report", _("Report")


def document_path(instance: Document, filename: str) -> str:
    """Files live under MEDIA_ROOT/governance/<plan>/; the name on disk is not the user's."""
    return f"governance/{instance.masterplan_id}/{instance.sha256[:2]}/{instance.sha256}"


class Document(PlanScopedModel):
    """A file of a meeting, agenda item or decision (the OParl File). Served only by a
    permission-checked view."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("meeting"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("decision"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.ATTACHMENT
    )
    name = models.CharField(_("name"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(_("public document"), default=False)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)

    class Meta:
        ordering = ("meeting", "kind", "name", "id")
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints: ClassVar = [unique_external_id("document")]

    def __str__(self) -> str:
        return self.name

    def owner_organization_ids(self) -> set[int]:
        for parent in (self.meeting, self.agenda_item, self.decision):
            if parent is not None:
                return parent.owner_organization_ids()
        return set()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Published, public documents of public meetings, items and decisions; minutes only
        once approved."""
        if not masterplan.is_published:
            return nothing(prefix)
        return public_document_q(prefix)


class FeedToken(models.Model):
    """A secret that opens a private calendar feed. Only the SHA-256 of the secret is stored."""

    masterplan = models.ForeignKey(
        "core.Masterplan", on_delete=models.CASCADE, related_name="+", verbose_name=_("masterplan")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="feed_tokens",
        verbose_name=_("user"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feed_tokens",
        verbose_name=_("body"),
        help_text=_("Empty: all meetings of the masterplan."),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return self.label or f"#{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ReminderKind(models.TextChoices):
    ACTION_DUE_SOON = "action_due_soon", _("Action item due soon")
    ACTION_OVERDUE = "action_overdue", _("Action item overdue")
    MINUTES_NOT_APPROVED = "minutes_not_approved", _("Minutes not approved")


class ReminderLog(models.Model):
    """One reminder sent: the unique key makes each reminder fire once, not twice."""

    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    object_type = models.CharField(_("kind of record"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64)
    recipient = models.CharField(_("recipient"), max_length=254)
    key = models.CharField(_("key"), max_length=40)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    masterplan = models.ForeignKey(
        "core.Masterplan",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("masterplan"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ("-sent_at", "-id")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "recipient", "key"],
                name="governance_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type}#{self.object_id} → {self.recipient} ({self.key})"


class RsvpAnswer(models.TextChoices):
    YES = "yes", _("Attending")
    NO = "no", _("Not attending")


class MeetingRsvp(models.Model):
    """A member's answer to an invitation (RSVP), given through the personal signed link of
    the invitation e-mail (no login). One per person and meeting; a new answer replaces it.
    Working material: shown to the meeting's editors only."""

    masterplan = models.ForeignKey(
        "core.Masterplan", on_delete=models.CASCADE, related_name="+", verbose_name=_("masterplan")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.CASCADE,
        related_name="meeting_rsvps",
        verbose_name=_("person"),
    )
    answer = models.CharField(_("answer"), max_length=3, choices=RsvpAnswer.choices)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        ordering = ("meeting", "-answered_at", "id")
        verbose_name = _("answer to an invitation")
        verbose_name_plural = _("answers to invitations")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["meeting", "person"], name="governance_rsvp_once")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_answer_display()}"


class MailingKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    INVITATION_UPDATE = "invitation_update", _("Updated invitation")
    MINUTES = "minutes", _("Minutes")


class MeetingMailing(models.Model):
    """One sending of a meeting's invitation (or its update) or of its approved minutes: who
    sent it, when, to whom, who could not be reached, and which agenda it carried."""

    masterplan = models.ForeignKey(
        "core.Masterplan", on_delete=models.CASCADE, related_name="+", verbose_name=_("masterplan")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="mailings", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MailingKind.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    # A digest of the agenda as sent (numbers, titles, texts, flags): a changed agenda has
    # another one, so the page can say that the invitation should be sent again.
    agenda_version = models.CharField(_("agenda version"), max_length=16, blank=True)
    agenda_items = models.PositiveIntegerField(_("agenda items"), default=0)
    # [{"person_id": …, "name": …, "email": …}]; unreachable ones without "email".
    recipients = models.JSONField(_("recipients"), default=list)
    unreachable = models.JSONField(_("not reachable"), default=list)
    failed = models.JSONField(_("not delivered"), default=list)

    class Meta:
        ordering = ("-sent_at", "-id")
        verbose_name = _("meeting mailing")
        verbose_name_plural = _("meeting mailings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.meeting_id} ({self.sent_at:%Y-%m-%d %H:%M})"
