"""The masterplan: fields of action, goals with key results, measures, milestones, reports.

The masterplan is also the tenant of almost every object in the other modules.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from masterplan.core.models import PlanScopedModel


def unique_external_id(model_name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["masterplan", "external_id"],
        condition=~models.Q(external_id=""),
        name=f"plans_{model_name}_unique_external_id",
    )


weight_field = models.DecimalField(
    _("weight"),
    max_digits=6,
    decimal_places=2,
    null=True,
    blank=True,
    validators=[MinValueValidator(0)],
    help_text=_("Relative weight in the roll-up; empty = all siblings count equally."),
)


class PartnerRole(models.TextChoices):
    INITIATOR = "initiator", _("Initiator")
    SIGNATORY = "signatory", _("Signatory")
    MEMBER = "member", _("Member")


class PlanPartner(PlanScopedModel):
    """An organisation taking part in the masterplan."""

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)
    joined_on = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        ordering = ("role", "id")
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"

    def owner_organization_ids(self) -> set[int]:
        return {self.organization_id}


class FieldOfAction(PlanScopedModel):
    """Handlungsfeld: one of the few central topics of the plan."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    weight = weight_field.clone()
    lead_organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead organisation"),
    )

    class Meta:
        ordering = ("position", "name", "id")
        verbose_name = _("field of action")
        verbose_name_plural = _("fields of action")
        constraints: ClassVar = [unique_external_id("fieldofaction")]

    def __str__(self) -> str:
        return self.name

    def owner_organization_ids(self) -> set[int]:
        return {self.lead_organization_id} if self.lead_organization_id else set()


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Goal(PlanScopedModel):
    field = models.ForeignKey(
        FieldOfAction,
        on_delete=models.PROTECT,
        related_name="goals",
        verbose_name=_("field of action"),
    )
    statement = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    responsible_organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    is_focus = models.BooleanField(
        _("current focus"),
        default=False,
        help_text=_("Part of the small set of goals the partners concentrate on now."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    weight = weight_field.clone()

    class Meta:
        ordering = ("position", "statement", "id")
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints: ClassVar = [unique_external_id("goal")]

    def __str__(self) -> str:
        return self.statement

    def get_absolute_url(self) -> str:
        return reverse("plans:goal_detail", args=[self.masterplan.slug, self.pk])

    def owner_organization_ids(self) -> set[int]:
        return {self.responsible_organization_id} if self.responsible_organization_id else set()


class KeyResult(PlanScopedModel):
    """A measurable result of a goal: from a baseline to a target value."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="key_results", verbose_name=_("goal")
    )
    name = models.CharField(_("key result"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4)
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=4)
    target_date = models.DateField(_("target date"))
    current_value = models.DecimalField(
        _("current value"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    current_as_of = models.DateField(_("current value as of"), null=True, blank=True)
    weight = weight_field.clone()

    class Meta:
        ordering = ("goal", "id")
        verbose_name = _("key result")
        verbose_name_plural = _("key results")
        constraints: ClassVar = [unique_external_id("keyresult")]

    def __str__(self) -> str:
        return self.name

    def owner_organization_ids(self) -> set[int]:
        return self.goal.owner_organization_ids()

    def clean(self) -> None:
        errors = {}
        if self.baseline_value is not None and self.baseline_value == self.target_value:
            errors["target_value"] = _(
                "The target equals the baseline: there is nothing to attain. "
                "Choose a target that differs from the baseline."
            )
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            errors["target_date"] = _("The target date must lie after the baseline date.")
        if errors:
            raise ValidationError(errors)


class KeyResultReading(models.Model):
    """A recorded value of a key result: the history behind the current value."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="readings")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("key_result", "measured_on", "id")

    def __str__(self) -> str:
        return f"{self.key_result}: {self.value} ({self.measured_on})"


class MeasureStatus(PlanScopedModel):
    """A step of the plan's status catalogue, with the progress it stands for by default."""

    class Phase(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ACTIVE = "active", _("Active")
        DONE = "done", _("Done")
        STOPPED = "stopped", _("Stopped")

    name = models.CharField(_("name"), max_length=80)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    default_progress = models.PositiveSmallIntegerField(
        _("default progress (%)"), validators=[MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("position", "id")
        verbose_name = _("measure status")
        verbose_name_plural = _("measure statuses")
        constraints: ClassVar = [unique_external_id("measurestatus")]

    def __str__(self) -> str:
        return self.name

    def owner_organization_ids(self) -> set[int]:
        return set()


class Health(models.TextChoices):
    GREEN = "green", _("On track")
    AMBER = "amber", _("At risk")
    RED = "red", _("Off track")


class Measure(PlanScopedModel):
    """Maßnahme: a project that serves a goal, led by one organisation."""

    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="measures", verbose_name=_("goal")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lead_organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    responsible_person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    operational_body = models.ForeignKey(
        "governance.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("operational unit"),
        help_text=_("The working group that does the specialist work."),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    status = models.ForeignKey(
        MeasureStatus, on_delete=models.PROTECT, related_name="+", verbose_name=_("status")
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Empty: the default progress of the status."),
    )
    health = models.CharField(
        _("health (RAG)"), max_length=10, choices=Health.choices, default=Health.GREEN
    )
    health_reason = models.TextField(
        _("reason for the health"),
        blank=True,
        help_text=_("Required when the measure is at risk or off track."),
    )
    weight = weight_field.clone()
    location = models.JSONField(
        _("location (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Optional point or area in WGS 84 (RFC 7946)."),
    )
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        verbose_name=_("depends on"),
    )

    class Meta:
        ordering = ("planned_end", "title", "id")
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints: ClassVar = [
            unique_external_id("measure"),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="measure_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_end__isnull=True)
                | models.Q(actual_start__isnull=True)
                | models.Q(actual_end__gte=models.F("actual_start")),
                name="measure_actual_end_after_start",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["masterplan", "status", "health"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:measure_detail", args=[self.masterplan.slug, self.pk])

    def owner_organization_ids(self) -> set[int]:
        return {self.lead_organization_id}

    @property
    def effective_progress(self) -> int:
        return self.progress if self.progress is not None else self.status.default_progress

    def clean(self) -> None:
        errors = {}
        if self.health != Health.GREEN and not self.health_reason.strip():
            errors["health_reason"] = _("Give a reason when a measure is at risk or off track.")
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end lies before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end lies before the actual start.")
        if errors:
            raise ValidationError(errors)


class Milestone(PlanScopedModel):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("measure")
    )
    title = models.CharField(_("title"), max_length=300)
    due = models.DateField(_("due"))
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    evidence_url = models.URLField(_("evidence (link)"), blank=True)

    class Meta:
        ordering = ("due", "id")
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints: ClassVar = [unique_external_id("milestone")]
        indexes: ClassVar = [models.Index(fields=["masterplan", "due"])]

    def __str__(self) -> str:
        return self.title

    def owner_organization_ids(self) -> set[int]:
        return {self.measure.lead_organization_id}


class StatusReport(PlanScopedModel):
    """Sachstandsbericht: the lead organisation's report on a measure for a period."""

    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        related_name="status_reports",
        verbose_name=_("measure"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    health = models.CharField(_("health (RAG)"), max_length=10, choices=Health.choices)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    narrative = models.TextField(_("what happened"))
    risks = models.TextField(_("risks"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    # Sent back by a reviewer with questions; cleared when the report is submitted again.
    returned_at = models.DateTimeField(_("sent back at"), null=True, blank=True)
    questions = models.TextField(_("questions of the reviewer"), blank=True)

    class Meta:
        ordering = ("-period_end", "-id")
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")

    def __str__(self) -> str:
        return f"{self.measure}: {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    def owner_organization_ids(self) -> set[int]:
        return {self.measure.lead_organization_id}

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})
        if self.health in (Health.AMBER, Health.RED) and not self.risks.strip():
            raise ValidationError(
                {"risks": _("A report rated amber or red names its risks: what is at stake.")}
            )

    @property
    def state(self) -> str:
        """ "reviewed", "returned" (with questions) or "submitted" (awaiting review)."""
        if self.reviewed_at:
            return "reviewed"
        return "returned" if self.returned_at else "submitted"


def operational_unit_model() -> type[Any]:
    """The model of a measure's operational unit (a governance body).

    The plans app owns the link but not the bodies: it reaches their model through its own
    foreign key instead of importing governance, a higher layer (see docs/architecture.md).
    """
    model = Measure._meta.get_field("operational_body").related_model
    assert isinstance(model, type) and issubclass(model, PlanScopedModel)
    return model  # typed loosely: its fields (name, kind) are governance's
