"""Forms of the permit monitor's pages; every one is saved by a service of services.py."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from masterplan.core.actors import Actor
from masterplan.core.forms import VersionedModelForm, limit, style_widgets
from masterplan.core.imports.options import ImportOptionsForm
from masterplan.core.models import Masterplan
from masterplan.directory.queries import organization_choices, person_choices
from masterplan.land.models import SiteRequest
from masterplan.permits import queries, services
from masterplan.permits.durations import DEFAULT_RULES, EventKind
from masterplan.permits.models import (
    DECIDED,
    WITHDRAWN,
    Authority,
    Outcome,
    PeerFigure,
    Procedure,
    ProcedureEvent,
    ProcedureExtension,
    ProcedureType,
)
from masterplan.permits.xbau import DEFAULT_XBAU_TYPE
from masterplan.plans.models import Measure

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

EVENT_LABELS: dict[str, Any] = {
    EventKind.APPLICATION: _("Application received"),
    EventKind.FORMAL_CHECK: _("Formal check: complete"),
    EventKind.DEFECTS_REQUESTED: _("Missing documents requested"),
    EventKind.AMENDED_APPLICATION: _("Amended application received"),
    EventKind.HEARING: _("Hearing of the applicant"),
    EventKind.HEARING_RESPONSE: _("Applicant's response to the hearing"),
    EventKind.STATEMENT_REQUESTED: _("Statement requested from a consulted body"),
    EventKind.STATEMENT: _("Statement of a consulted body received"),
    EventKind.DECISION: _("Decision"),
    EventKind.FEE_NOTICE: _("Fee notice"),
    EventKind.WITHDRAWAL: _("Withdrawal"),
}


class AuthorityForm(VersionedModelForm[Authority]):
    class Meta:
        model = Authority
        fields = ("name", "city", "ags", "kind", "is_own", "organization", "contacts")

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "organization", organization_choices(masterplan=masterplan), label="name")
        limit(self, "contacts", person_choices(masterplan=masterplan))


class ProcedureTypeForm(VersionedModelForm[ProcedureType]):
    """The statutory deadlines of a type as data: what the law says, editable when it changes."""

    class Meta:
        model = ProcedureType
        fields = (
            "code",
            "name",
            "legal_basis",
            "completeness_months",
            "completeness_days",
            "completeness_extension_days",
            "decision_months",
            "decision_days",
            "extensions_without_consent",
            "extension_months",
            "extension_days",
            "further_extensions_with_consent",
            "completeness_fiction",
            "deemed_approval",
            "deemed_withdrawal",
            "source_note",
        )
        widgets: Any = {"source_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class PeerFigureForm(VersionedModelForm[PeerFigure]):
    class Meta:
        model = PeerFigure
        fields = (
            "city",
            "ags",
            "year",
            "procedure_type",
            "statistic",
            "value",
            "n",
            "start",
            "end",
            "source",
        )

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ProcedureForm(VersionedModelForm[Procedure]):
    class Meta:
        model = Procedure
        fields = (
            "reference",
            "authority",
            "procedure_type",
            "subject",
            "applicant",
            "received",
            "complete",
            "completeness_check_extended",
            "decided",
            "withdrawn",
            "outcome",
            "measure",
            "site_request",
            "is_sample",
        )
        widgets: Any = {name: DATE for name in ("received", "complete", "decided", "withdrawn")}

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(
            self,
            "authority",
            Authority.objects.filter(masterplan=masterplan, deleted_at__isnull=True),
            label="name",
        )
        limit(
            self,
            "procedure_type",
            ProcedureType.objects.filter(masterplan=masterplan, deleted_at__isnull=True),
            label="name",
        )
        limit(self, "applicant", organization_choices(masterplan=masterplan), label="name")
        limit(
            self,
            "measure",
            Measure.objects.filter(masterplan=masterplan, deleted_at__isnull=True),
            label="title",
        )
        limit(
            self,
            "site_request",
            SiteRequest.objects.filter(masterplan=masterplan, deleted_at__isnull=True),
            label="title",
        )

    def clean(self) -> dict[str, Any]:
        """An ended procedure without an outcome chosen: approved when decided, withdrawn
        when withdrawn (the model refuses what contradicts)."""
        cleaned = super().clean() or {}
        if not cleaned.get("outcome"):
            if cleaned.get("decided"):
                cleaned["outcome"] = Outcome.APPROVED
            elif cleaned.get("withdrawn"):
                cleaned["outcome"] = Outcome.WITHDRAWN
        return cleaned


END_OUTCOMES = [("", _("– as the stage says –"))] + [
    (o.value, o.label) for o in Outcome if o.value in (*DECIDED, *WITHDRAWN)
]


class EventForm(VersionedModelForm[ProcedureEvent]):
    """A stage of the procedure; a decision or withdrawal also ends it (with its outcome)."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=END_OUTCOMES,
        required=False,
        help_text=_("For a decision or a withdrawal only; a decision is an approval by default."),
    )

    class Meta:
        model = ProcedureEvent
        fields = ("kind", "on", "deadline", "party", "note")
        widgets: Any = {name: DATE for name in ("on", "deadline")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("Stage"), choices=[(kind.value, EVENT_LABELS[kind]) for kind in EventKind]
        )
        self.fields["deadline"].help_text = _(
            "For a request of missing documents: the day by which they are due."
        )
        self.order_fields(["kind", "on", "deadline", "party", "note", "outcome"])
        style_widgets(self)

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        if self.cleaned_data.get("outcome"):
            changes["outcome"] = self.cleaned_data["outcome"]
        return changes


class ExtensionForm(VersionedModelForm[ProcedureExtension]):
    class Meta:
        model = ProcedureExtension
        fields = ("on", "months", "days", "agreed_by_applicant", "reason")
        widgets: Any = {"on": DATE}


def procedure_type_choices(*, user: Actor, masterplan: Masterplan) -> list[tuple[str, str]]:
    """The plan's procedure types by code, with the statutory ones it lacks (an import creates
    them, see `services.ensure_default_types`), by name."""
    stored = list(ProcedureType.objects.visible_to(user, masterplan).values_list("code", "name"))
    codes = {code for code, _name in stored}
    missing = [
        (
            rule.code,
            gettext(services.TYPE_NAMES[rule.code])
            if rule.code in services.TYPE_NAMES
            else rule.name,
        )
        for rule in DEFAULT_RULES
        if rule.code not in codes
    ]
    return sorted(stored + missing, key=lambda choice: (choice[1].casefold(), choice[0]))


class XBauOptionsForm(ImportOptionsForm):
    """What XBau messages do not say, as `masterplan import_xbau --authority --type` asks for
    it: the authority and the type of a procedure that an application (0200) creates.

    The authority is one of the plan's (by name, as on the command line); left empty, new
    procedures go to the plan's own building authority, so the field is required when the
    plan has none or several. Naming an authority also limits the messages to its procedures.
    """

    authority = forms.ChoiceField(
        label=_("Authority of new procedures"),
        help_text=_(
            "Where a procedure that an application (0200) creates is filed. When an authority "
            "is chosen, the other messages are also matched only to its procedures."
        ),
        error_messages={"invalid_choice": _("Choose one of this masterplan's authorities.")},
    )
    procedure_type = forms.ChoiceField(
        label=_("Procedure type of new procedures"),
        help_text=_("XBau messages do not say which permit procedure they belong to."),
        initial=DEFAULT_XBAU_TYPE,
        error_messages={
            "invalid_choice": _("Choose one of this masterplan's procedure types."),
        },
    )

    def __init__(self, *args: Any, masterplan: Masterplan, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, masterplan=masterplan, user=user, **kwargs)
        authority = cast("forms.ChoiceField", self.fields["authority"])
        names = Authority.objects.visible_to(user, masterplan).values_list("name", flat=True)
        default = queries.sole_own_building_authority(masterplan=masterplan)
        if default is not None:
            empty = gettext("The plan's own building authority: %(name)s") % {"name": default.name}
            authority.required = False
        else:
            empty = gettext("– choose an authority –")
            authority.error_messages["required"] = _(
                "Choose the authority: this masterplan has no single own building authority "
                "that new procedures would go to."
            )
        authority.choices = [("", empty), *((name, name) for name in names)]
        kind = cast("forms.ChoiceField", self.fields["procedure_type"])
        kind.choices = procedure_type_choices(user=user, masterplan=masterplan)
