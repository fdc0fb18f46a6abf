"""Base models shared by every module: tenancy, roles, audit trail, tokens, import jobs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import ClassVar, Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masterplan.core.actors import Actor
from masterplan.core.roles import is_plan_member


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


_M = TypeVar("_M", bound=models.Model)


class LiveManager(models.Manager[_M]):
    """The default manager: soft-deleted rows are invisible unless asked for explicitly."""

    def get_queryset(self) -> models.QuerySet[_M]:
        return super().get_queryset().filter(deleted_at__isnull=True)


# The years a date of a record may lie in. Beyond them date arithmetic (an end two hours after
# the start, the next month of a calendar, the conversion to UTC) overflows; no date of a
# masterplan lies there. Forms and the API refuse such dates as invalid.
YEAR_MIN, YEAR_MAX = 1800, 2199


def year_problem(value: object) -> str | None:
    """The message for a date or time outside YEAR_MIN…YEAR_MAX, else None."""
    if isinstance(value, dt.date) and not YEAR_MIN <= value.year <= YEAR_MAX:
        return _("Enter a date between the years %(first)s and %(last)s.") % {
            "first": YEAR_MIN,
            "last": YEAR_MAX,
        }
    return None


class TrackedModel(models.Model):
    """Timestamps, an edit version for optimistic locking, publication and soft deletion."""

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    modified_at = models.DateTimeField(_("modified"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    publication = models.CharField(
        _("publication"), max_length=10, choices=Publication.choices, default=Publication.DRAFT
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_("Invented for the demonstration; not a fact from the sources."),
    )

    # The default manager (`objects`) is declared by the subclasses: LiveManager for the
    # masterplan, PlanScopedManager (with `visible_to`) for the plan's objects.
    all_objects = models.Manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED and self.deleted_at is None

    def full_clean(
        self,
        exclude: Iterable[str] | None = None,
        validate_unique: bool = True,
        validate_constraints: bool = True,
    ) -> None:
        """Dates outside YEAR_MIN…YEAR_MAX are refused first: `clean()` computes with them."""
        exclude = set(exclude or ())
        errors = {
            field.name: [problem]
            for field in self._meta.concrete_fields
            if isinstance(field, models.DateField) and field.name not in exclude
            if (problem := year_problem(getattr(self, field.attname))) is not None
        }
        if errors:
            raise ValidationError(errors)
        super().full_clean(exclude, validate_unique, validate_constraints)


def initial_publication(parent: TrackedModel | None = None) -> str:
    """The publication a new record starts with when none is given.

    What is part of a parent's content (a body's members and meetings, a meeting's agenda,
    decisions and action items, a sub-item) starts as its parent does, so that a published
    meeting does not hide its agenda and a draft body does not publish its members; everything
    else starts as a draft. Services, forms (initial values) and the API (an omitted field) all
    use this one rule (docs/architecture.md, "Publication defaults").
    """
    return str(parent.publication) if parent is not None else Publication.DRAFT.value


class Masterplan(TrackedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    city = models.CharField(_("city or region"), max_length=120)
    ags = models.CharField(
        _("municipality key (AGS)"), max_length=8, blank=True, help_text=_("8 digits")
    )
    description = models.TextField(_("description"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    horizon = models.PositiveSmallIntegerField(_("horizon (year)"), null=True, blank=True)

    objects = LiveManager()

    class Meta:
        # The table keeps the name it had when the tenant lived in the plans app.
        db_table = "plans_masterplan"
        ordering = ("name",)
        verbose_name = _("masterplan")
        verbose_name_plural = _("masterplans")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plan_home", args=[self.slug])


def nothing(prefix: str = "") -> Q:
    """A condition no row meets (the query is answered without asking the database)."""
    return Q(**{f"{prefix}pk__in": []})


_P = TypeVar("_P", bound="PlanScopedModel")


class PlanScopedQuerySet(models.QuerySet[_P, _P]):
    def visible_to(self, user: Actor, masterplan: Masterplan) -> Self:
        """The rows of the plan this user may see: the one visibility rule of the project.

        Pages, the API, exports, filter choices and feeds all read through it; the rule itself
        is the model's `visibility_filter`.
        """
        return self.filter(self.model.visibility_filter(user, masterplan))


# Live rows (see LiveManager), with `visible_to`.
PlanScopedManager = LiveManager.from_queryset(PlanScopedQuerySet)


class PlanScopedModel(TrackedModel):
    """An object that belongs to exactly one masterplan (the tenant)."""

    masterplan = models.ForeignKey(
        "core.Masterplan", on_delete=models.PROTECT, related_name="+", verbose_name=_("masterplan")
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("Key used by imports to recognise the record again."),
    )

    objects = PlanScopedManager()

    class Meta:
        abstract = True

    def owner_organization_ids(self) -> set[int]:
        """Organisations whose contributors may edit this object."""
        raise NotImplementedError

    @classmethod
    def visibility_filter(cls, user: Actor, masterplan: Masterplan, prefix: str = "") -> Q:
        """The rows of `masterplan` the user may see, as a condition; `prefix` ("person__")
        applies it to the rows of this model reached through a relation.

        Members of the plan (and administrators) see all of its rows, everyone else what
        `public_filter` lets through.
        """
        here = Q(**{f"{prefix}masterplan": masterplan})
        if is_plan_member(user, masterplan):
            return here
        return here & cls.public_filter(masterplan, prefix)

    @classmethod
    def public_filter(cls, masterplan: Masterplan, prefix: str = "") -> Q:
        """What everyone outside the plan may see: published rows.

        Models override this where more decides, for example a meeting's body or an agenda
        item's meeting; a rule that follows a parent combines the parent's `public_filter`
        with the prefix of the relation (`Meeting.public_filter(masterplan, "meeting__")`).
        """
        return Q(**{f"{prefix}publication": Publication.PUBLISHED})


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    CONTRIBUTOR = "contributor", _("Contributor")
    COORDINATOR = "coordinator", _("Coordinator")


class PlanRole(models.Model):
    """A user's role in one masterplan. Contributors act for one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plan_roles",
        verbose_name=_("user"),
    )
    masterplan = models.ForeignKey(
        "core.Masterplan",
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("masterplan"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation represented"),
    )

    class Meta:
        verbose_name = _("role in a masterplan")
        verbose_name_plural = _("roles in masterplans")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "masterplan"], name="one_role_per_plan"),
            models.CheckConstraint(
                condition=~models.Q(role="contributor") | models.Q(organization__isnull=False),
                name="contributor_has_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.masterplan})"


class AuditEntry(models.Model):
    """One append-only, hash-chained record of a write (see core/audit.py)."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=100, db_index=True)
    masterplan = models.ForeignKey(
        "core.Masterplan", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict)
    # Digests of values removed by redaction (field name -> digest), so the chain still verifies.
    redactions = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ("id",)
        indexes: ClassVar = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"


class AuditChainHead(models.Model):
    """A single row locked while appending, so that concurrent writers chain in order."""

    last_hash = models.CharField(max_length=64)
    last_entry_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_entry_id}"


class ApiToken(models.Model):
    """A machine credential for the REST API. Only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(_("digest (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginFailure(models.Model):
    """Failed login attempts, counted per username and per client address."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=45, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.address} at {self.created_at:%Y-%m-%d %H:%M}"


class ImportJob(models.Model):
    """An uploaded file being checked or imported; large files run as a background task."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    masterplan = models.ForeignKey("core.Masterplan", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    importer = models.CharField(max_length=100)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    dry_run = models.BooleanField(default=False)
    # The importer's options from the upload form (ModelImporter.options_form), kept for the
    # import that follows a dry run.
    options = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.importer} {self.filename} ({self.state})"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.state == self.State.DONE else 0
        return min(100, round(100 * self.rows_done / self.rows_total))
