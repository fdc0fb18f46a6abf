"""Permit procedures, their statutory deadlines and their stage events (DESIGN.md, permits).

Data and invariants only. The durations and deadlines of one procedure are pure functions in
durations.py (fed by `Procedure.facts()` and `ProcedureType.rule()`), the statistics over many in
survival.py. Applicants are organisations: no personal data of applicants is stored.

Procedures name companies and their projects, so they are for the plan's members; the public
sees the statistics (counts, medians, shares), never a single procedure.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from masterplan.core.models import Masterplan, PlanScopedModel, nothing
from masterplan.permits.durations import (
    DeadlineRule,
    EndedBy,
    EventKind,
    Extension,
    Period,
    ProcedureFacts,
    StageEvent,
)

AGS = RegexValidator(r"^\d{8}$", _("The municipality key (AGS) has 8 digits."))


def unique_external_id(model_name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["masterplan", "external_id"],
        condition=~models.Q(external_id=""),
        name=f"permits_{model_name}_unique_external_id",
    )


def period(months: int, days: int) -> Period | None:
    return Period(months=months, days=days) if months or days else None


class AuthorityKind(models.TextChoices):
    BUILDING = "building", _("Building authority")
    IMMISSION = "immission", _("Immission control authority")
    WATER = "water", _("Water authority")
    NATURE = "nature", _("Nature conservation authority")
    OTHER = "other", _("Other authority")


class Authority(PlanScopedModel):
    """A permitting authority: the plan's own or one of a peer city (benchmark)."""

    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=120, help_text=_("For the benchmark."))
    ags = models.CharField(_("municipality key (AGS)"), max_length=8, blank=True, validators=[AGS])
    kind = models.CharField(
        _("kind"), max_length=12, choices=AuthorityKind.choices, default=AuthorityKind.BUILDING
    )
    is_own = models.BooleanField(
        _("own authority"),
        default=True,
        help_text=_("An authority of this masterplan's city; others are peers for comparison."),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    contacts = models.ManyToManyField(
        "directory.Person",
        blank=True,
        related_name="+",
        verbose_name=_("contacts"),
        help_text=_("Receive the reminders of procedures near their statutory deadline."),
    )

    class Meta:
        ordering = ("-is_own", "city", "name", "id")
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        constraints: ClassVar = [
            unique_external_id("authority"),
            models.UniqueConstraint(
                fields=["masterplan", "name"],
                condition=Q(deleted_at__isnull=True),
                name="permits_authority_unique_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("permits:authority_detail", args=[self.masterplan.slug, self.pk])

    def owner_organization_ids(self) -> set[int]:
        return {self.organization_id} if self.organization_id else set()


class ProcedureType(PlanScopedModel):
    """A kind of procedure with its legal basis and statutory deadlines as editable data."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    completeness_months = models.PositiveSmallIntegerField(
        _("completeness check (months)"), default=0
    )
    completeness_days = models.PositiveSmallIntegerField(_("completeness check (days)"), default=0)
    completeness_extension_days = models.PositiveSmallIntegerField(
        _("extension of the completeness check (days)"), default=0
    )
    decision_months = models.PositiveSmallIntegerField(
        _("decision deadline (months)"),
        default=0,
        help_text=_("From the complete application; 0 months and 0 days: no statutory deadline."),
    )
    decision_days = models.PositiveSmallIntegerField(_("decision deadline (days)"), default=0)
    extensions_without_consent = models.PositiveSmallIntegerField(
        _("extensions without the applicant's consent"), default=0
    )
    extension_months = models.PositiveSmallIntegerField(_("extension (months)"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    further_extensions_with_consent = models.BooleanField(
        _("further extensions with the applicant's consent"), default=False
    )
    completeness_fiction = models.BooleanField(
        _("completeness deemed given when the check is late"), default=False
    )
    deemed_approval = models.BooleanField(
        _("deemed approval when the deadline passes"), default=False
    )
    deemed_withdrawal = models.BooleanField(
        _("deemed withdrawn when defects are not remedied"), default=False
    )
    source_note = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("procedure type")
        verbose_name_plural = _("procedure types")
        constraints: ClassVar = [
            unique_external_id("proceduretype"),
            models.UniqueConstraint(
                fields=["masterplan", "code"],
                condition=Q(deleted_at__isnull=True),
                name="permits_proceduretype_unique_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("permits:type_list", args=[self.masterplan.slug])

    def owner_organization_ids(self) -> set[int]:
        return set()

    @property
    def has_decision_deadline(self) -> bool:
        return bool(self.decision_months or self.decision_days)

    def rule(self) -> DeadlineRule:
        """The deadlines as durations.py computes with them."""
        return DeadlineRule(
            code=self.code,
            name=self.name,
            legal_basis=self.legal_basis,
            completeness_check=period(self.completeness_months, self.completeness_days),
            completeness_check_extension=period(0, self.completeness_extension_days),
            decision=period(self.decision_months, self.decision_days),
            extensions_without_consent=self.extensions_without_consent,
            extension=period(self.extension_months, self.extension_days),
            further_extensions_with_consent=self.further_extensions_with_consent,
            completeness_fiction=self.completeness_fiction,
            deemed_approval=self.deemed_approval,
            deemed_withdrawal=self.deemed_withdrawal,
            source_note=self.source_note,
        )


class Outcome(models.TextChoices):
    OPEN = "", _("Open")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DEEMED_WITHDRAWN = "deemed_withdrawn", _("Deemed withdrawn")


DECIDED = (Outcome.APPROVED, Outcome.REFUSED)
WITHDRAWN = (Outcome.WITHDRAWN, Outcome.DEEMED_WITHDRAWN)


class Procedure(PlanScopedModel):
    """One permit procedure: when it was received, complete and ended, and how."""

    reference = models.CharField(_("reference"), max_length=60, help_text=_("Aktenzeichen."))
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("authority")
    )
    procedure_type = models.ForeignKey(
        ProcedureType,
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("procedure type"),
    )
    subject = models.CharField(_("project"), max_length=300, blank=True)
    applicant = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applicant"),
    )
    measure = models.ForeignKey(
        "plans.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("measure"),
    )
    site_request = models.ForeignKey(
        "land.SiteRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site request"),
    )
    received = models.DateField(_("received"))
    complete = models.DateField(_("complete"), null=True, blank=True)
    completeness_check_extended = models.BooleanField(
        _("completeness check extended"), default=False
    )
    decided = models.DateField(_("decided"), null=True, blank=True)
    withdrawn = models.DateField(_("withdrawn"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, default=Outcome.OPEN
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Invented, shown marked as sample data.")
    )

    class Meta:
        ordering = ("-received", "reference", "id")
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        constraints: ClassVar = [
            unique_external_id("procedure"),
            models.UniqueConstraint(
                fields=["masterplan", "authority", "reference"],
                condition=Q(deleted_at__isnull=True),
                name="permits_procedure_unique_reference",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["masterplan", "received"]),
            models.Index(fields=["authority", "procedure_type", "received"]),
            # covers the dashboard cache's state query (queries.data_state)
            models.Index(fields=["masterplan", "deleted_at", "modified_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("permits:procedure_detail", args=[self.masterplan.slug, self.pk])

    def owner_organization_ids(self) -> set[int]:
        return self.authority.owner_organization_ids() if self.authority_id else set()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """Single procedures name companies and projects: for the plan's members only."""
        return nothing(prefix)

    @property
    def ended_on(self) -> date | None:
        return self.decided or self.withdrawn

    def clean(self) -> None:
        super().clean()
        problems: dict[str, str] = {}
        for name in ("complete", "decided", "withdrawn"):
            value = getattr(self, name)
            if value and self.received and value < self.received:
                problems[name] = str(_("This date lies before the application was received."))
        if self.decided and self.complete and self.decided < self.complete:
            problems["decided"] = str(_("The decision lies before the application was complete."))
        if self.decided and self.withdrawn:
            problems["withdrawn"] = str(_("A procedure ends by decision or by withdrawal."))
        if self.outcome in DECIDED and not self.decided:
            problems["decided"] = str(_("An approval or refusal needs the decision date."))
        if self.outcome in WITHDRAWN and not self.withdrawn:
            problems["withdrawn"] = str(_("A withdrawal needs its date."))
        if self.decided and self.outcome not in DECIDED:
            problems["outcome"] = str(_("A decided procedure is approved or refused."))
        if self.withdrawn and self.outcome not in WITHDRAWN:
            problems["outcome"] = str(_("A withdrawn procedure is withdrawn or deemed withdrawn."))
        if problems:
            raise ValidationError(problems)

    def facts(
        self, events: list[ProcedureEvent] | None = None, extensions: list[Extension] | None = None
    ) -> ProcedureFacts:
        """The procedure as durations.py reads it (events and extensions given, or read)."""
        if events is None:
            events = list(self.events.filter(deleted_at__isnull=True))
        if extensions is None:
            extensions = [
                row.as_extension() for row in self.extensions.filter(deleted_at__isnull=True)
            ]
        ended_by = (
            EndedBy.DECISION if self.decided else EndedBy.WITHDRAWAL if self.withdrawn else None
        )
        return ProcedureFacts(
            received=self.received,
            complete=self.complete,
            decided=self.decided,
            withdrawn=self.withdrawn,
            ended_by=ended_by,
            events=tuple(event.as_stage_event() for event in events),
            extensions=tuple(extensions),
            completeness_check_extended=self.completeness_check_extended,
        )


class ProcedureEvent(PlanScopedModel):
    """A stage of a procedure on a day: entered, imported from a file or from an XBau message."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="events", verbose_name=_("procedure")
    )
    kind = models.CharField(
        _("stage"),
        max_length=24,
        choices=[(kind.value, kind.value) for kind in EventKind],
    )
    on = models.DateField(_("date"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    party = models.CharField(
        _("consulted body"), max_length=200, blank=True, help_text=_("For statements.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    message_id = models.CharField(
        _("message ID"),
        max_length=80,
        blank=True,
        help_text=_("The XBau message it came from; a message is imported once."),
    )
    message_number = models.CharField(_("XBau message"), max_length=4, blank=True)

    class Meta:
        ordering = ("on", "id")
        verbose_name = _("stage event")
        verbose_name_plural = _("stage events")
        constraints: ClassVar = [
            unique_external_id("procedureevent"),
            models.UniqueConstraint(
                fields=["masterplan", "message_id"],
                condition=~Q(message_id=""),
                name="permits_event_unique_message",
            ),
        ]
        indexes: ClassVar = [
            # covers the dashboard cache's state query (queries.data_state)
            models.Index(fields=["masterplan", "deleted_at", "modified_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return self.procedure.get_absolute_url()

    def owner_organization_ids(self) -> set[int]:
        return self.procedure.owner_organization_ids()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        return nothing(prefix)

    def as_stage_event(self) -> StageEvent:
        return StageEvent(
            kind=EventKind(self.kind), on=self.on, deadline=self.deadline, party=self.party
        )


class ProcedureExtension(PlanScopedModel):
    """An extension of the decision deadline, with its reason."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("procedure")
    )
    on = models.DateField(_("granted on"))
    months = models.PositiveSmallIntegerField(_("months"), default=0)
    days = models.PositiveSmallIntegerField(_("days"), default=0)
    agreed_by_applicant = models.BooleanField(_("agreed by the applicant"), default=False)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ("on", "id")
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints: ClassVar = [unique_external_id("procedureextension")]

    def __str__(self) -> str:
        return f"{self.procedure} +{self.months}M{self.days}D"

    def get_absolute_url(self) -> str:
        return self.procedure.get_absolute_url()

    def owner_organization_ids(self) -> set[int]:
        return self.procedure.owner_organization_ids()

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        return nothing(prefix)

    def clean(self) -> None:
        super().clean()
        if not (self.months or self.days):
            raise ValidationError(_("An extension has months or days."))

    def as_extension(self) -> Extension:
        return Extension(
            on=self.on,
            months=self.months,
            days=self.days,
            agreed_by_applicant=self.agreed_by_applicant,
            reason=self.reason,
        )


class ClockStart(models.TextChoices):
    RECEIVED = "received", _("application received")
    COMPLETE = "complete", _("application complete")


class ClockEnd(models.TextChoices):
    DECIDED = "decided", _("decision")
    NOTIFIED = "notified", _("notice delivered")


class Statistic(models.TextChoices):
    MEDIAN = "median", _("median")
    KM_MEDIAN = "km_median", _("Kaplan–Meier median (open procedures censored)")
    MEAN_OF_CLOSED = "mean_closed", _("mean of closed procedures")
    P90 = "p90", _("90th percentile")
    SHARE_WITHIN_DEADLINE = "share_deadline", _("share decided within the deadline")


class PeerFigure(PlanScopedModel):
    """A figure another city published, with what it measured: ranked only like with like."""

    city = models.CharField(_("city"), max_length=120)
    ags = models.CharField(_("municipality key (AGS)"), max_length=8, blank=True, validators=[AGS])
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    procedure_type = models.CharField(_("procedure type"), max_length=120)
    statistic = models.CharField(_("statistic"), max_length=16, choices=Statistic.choices)
    value = models.FloatField(_("value"), help_text=_("Days; a share as a fraction 0–1."))
    n = models.PositiveIntegerField(_("procedures (n)"), null=True, blank=True)
    start = models.CharField(_("clock starts"), max_length=10, choices=ClockStart.choices)
    end = models.CharField(
        _("clock ends"), max_length=10, choices=ClockEnd.choices, default=ClockEnd.DECIDED
    )
    source = models.CharField(_("source"), max_length=500)

    class Meta:
        ordering = ("-year", "city", "id")
        verbose_name = _("published figure of a peer")
        verbose_name_plural = _("published figures of peers")
        constraints: ClassVar = [unique_external_id("peerfigure")]

    def __str__(self) -> str:
        return f"{self.city} {self.year} {self.procedure_type}: {self.value:g}"

    def get_absolute_url(self) -> str:
        return reverse("permits:benchmark", args=[self.masterplan.slug])

    def owner_organization_ids(self) -> set[int]:
        return set()


class ReminderThreshold(models.TextChoices):
    DUE_SOON = "due_soon", _("Deadline within 14 days")
    OVERDUE = "overdue", _("Deadline passed")


class DeadlineReminder(models.Model):
    """A deadline reminder sent to an authority's contacts for one procedure: each procedure
    is reminded once per threshold and deadline (a deadline moved by an extension reminds
    again)."""

    masterplan = models.ForeignKey(
        Masterplan, on_delete=models.CASCADE, related_name="+", verbose_name=_("masterplan")
    )
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.CASCADE,
        related_name="deadline_reminders",
        verbose_name=_("procedure"),
    )
    threshold = models.CharField(_("threshold"), max_length=10, choices=ReminderThreshold.choices)
    deadline = models.DateField(_("deadline"))
    sent_on = models.DateField(_("as of"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    contacts_mailed = models.PositiveSmallIntegerField(_("contacts mailed"), default=0)

    class Meta:
        ordering = ("-sent_at", "-id")
        verbose_name = _("deadline reminder sent")
        verbose_name_plural = _("deadline reminders sent")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["procedure", "threshold", "deadline"],
                name="permits_deadlinereminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.threshold} {self.deadline:%d.%m.%Y}"
