"""Forms of the governance pages: edits carry the version (optimistic locking); filters never
fail (invalid input falls back to no filter)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from masterplan.core.forms import (
    VersionedModelForm,
    limit,
    model_formfield,
    style_widgets,
)
from masterplan.core.models import Masterplan
from masterplan.core.widgets import DateInput
from masterplan.directory.queries import organization_choices, person_choices
from masterplan.governance.models import (
    AGENDA_ITEM_LINKS,
    ActionItem,
    AgendaItem,
    AttendanceStatus,
    Body,
    BodyMembership,
    Decision,
    DocumentKind,
    Meeting,
)
from masterplan.land.queries import parcel_choices, zone_choices
from masterplan.plans.models import Goal, Measure


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker; its value is ISO 8601 in local time."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def bodies(masterplan: Masterplan) -> QuerySet[Body]:
    return Body.objects.filter(masterplan=masterplan).only("id", "name")


class BodyForm(VersionedModelForm[Body]):
    class Meta:
        model = Body
        formfield_callback = model_formfield
        fields = (
            "name",
            "short_name",
            "kind",
            "purpose",
            "parent",
            "organization",
            "chair",
            "website",
            "core_zone",
            "external_id",
            "publication",
        )
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}

    def __init__(
        self,
        *args: Any,
        masterplan: Masterplan,
        own_organization_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        parents = bodies(masterplan)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        limit(self, "parent", parents)
        runners = organization_choices(masterplan=masterplan)
        if own_organization_id is not None:
            # Contributors create and run bodies for their own organisation only.
            runners = runners.filter(pk=own_organization_id)
            self.fields["organization"].required = True
            self.fields["organization"].initial = own_organization_id
        limit(self, "organization", runners)
        limit(self, "chair", person_choices(masterplan=masterplan))
        limit(self, "core_zone", zone_choices(masterplan=masterplan))


class MembershipForm(VersionedModelForm[BodyMembership]):
    class Meta:
        model = BodyMembership
        fields = (
            "person",
            "organization",
            "role",
            "voting_right",
            "start",
            "end",
            "publication",
        )
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "person", person_choices(masterplan=masterplan))
        limit(self, "organization", organization_choices(masterplan=masterplan))


class MeetingForm(VersionedModelForm[Meeting]):
    """Master data of a meeting; its state changes with the transition buttons."""

    class Meta:
        model = Meeting
        fields = (
            "title",
            "start",
            "end",
            "location_name",
            "street_address",
            "postal_code",
            "locality",
            "latitude",
            "longitude",
            "is_public",
            "invitation_text",
            "external_id",
            "publication",
        )
        widgets = {
            "start": DateTimeInput(),
            "end": DateTimeInput(),
            "invitation_text": forms.Textarea(attrs={"rows": 5}),
        }


class MinutesForm(VersionedModelForm[Meeting]):
    class Meta:
        model = Meeting
        fields = ("minutes_text",)
        widgets = {"minutes_text": forms.Textarea(attrs={"rows": 12})}


class AgendaItemForm(VersionedModelForm[AgendaItem]):
    class Meta:
        model = AgendaItem
        fields = (
            "parent",
            "position",
            "title",
            "text",
            "is_public",
            "result",
            "goals",
            "measures",
            "core_zones",
            "parcels",
            "publication",
        )
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "result": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model's checks compare the parent's meeting with this one.
        self.instance.meeting = meeting
        self.instance.masterplan = meeting.masterplan
        self.fields["position"].required = False
        if not self.instance.pk:
            self.fields["position"].initial = None  # at the end unless a position is given
        items = AgendaItem.objects.filter(meeting=meeting, parent__isnull=True).only(
            "id", "number", "title"
        )
        if self.instance.pk:
            items = items.exclude(pk=self.instance.pk)
        limit(self, "parent", items)
        masterplan = meeting.masterplan
        limit(self, "goals", Goal.objects.filter(masterplan=masterplan).only("id", "statement"))
        limit(self, "measures", Measure.objects.filter(masterplan=masterplan).only("id", "title"))
        limit(self, "core_zones", zone_choices(masterplan=masterplan))
        limit(self, "parcels", parcel_choices(masterplan=masterplan))
        self.fields["position"].help_text = _(
            "Order among the items on the same level; the number (e.g. 2.1) follows from it. "
            "Empty: at the end."
        )
        for name in AGENDA_ITEM_LINKS:
            self.fields[name].help_text = _("Hold Ctrl (or ⌘) to choose several.")

    def changes(self) -> dict[str, Any]:
        """The plain fields; goals, measures, core zones and parcels are passed as lists."""
        fields = super().changes()
        for name in AGENDA_ITEM_LINKS:
            fields[name] = list(fields.get(name) or ())
        if fields.get("position") is None:
            fields.pop("position", None)
        return fields


class AgendaResultForm(VersionedModelForm[AgendaItem]):
    """The result of one agenda item, recorded in the meeting."""

    class Meta:
        model = AgendaItem
        fields = ("result",)
        widgets = {"result": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(VersionedModelForm[Decision]):
    class Meta:
        model = Decision
        fields = (
            "reference",
            "title",
            "text",
            "decided_on",
            "vote_kind",
            "votes_yes",
            "votes_no",
            "votes_abstain",
            "responsible_organization",
            "due",
            "is_public",
            "external_id",
            "publication",
        )
        widgets = {
            "decided_on": DateInput(),
            "due": DateInput(),
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "responsible_organization", organization_choices(masterplan=masterplan))
        self.fields["votes_yes"].help_text = _("Only for a vote: yes, no and abstentions.")


class ImplementationForm(VersionedModelForm[Decision]):
    """Decision tracking: the implementation state and what shows it."""

    class Meta:
        model = Decision
        fields = ("implementation_state", "implementation_evidence")
        widgets = {"implementation_evidence": forms.Textarea(attrs={"rows": 3})}


class ActionItemForm(VersionedModelForm[ActionItem]):
    class Meta:
        model = ActionItem
        fields = (
            "title",
            "description",
            "decision",
            "owner_person",
            "owner_organization",
            "due",
            "status",
            "evidence",
            "completed_on",
            "external_id",
            "publication",
        )
        widgets = {
            "due": DateInput(),
            "completed_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self,
        *args: Any,
        masterplan: Masterplan,
        meeting: Meeting | None = None,
        own_organization_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        decisions = Decision.objects.filter(masterplan=masterplan)
        if meeting is not None:
            decisions = decisions.filter(meeting=meeting)
        limit(self, "decision", decisions.only("id", "reference", "title"))
        limit(self, "owner_person", person_choices(masterplan=masterplan))
        owners = organization_choices(masterplan=masterplan)
        if own_organization_id is not None:
            # Outside a meeting, contributors assign action items to their own organisation.
            owners = owners.filter(pk=own_organization_id)
            self.fields["owner_organization"].required = True
            self.fields["owner_organization"].initial = own_organization_id
        limit(self, "owner_organization", owners)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    file = forms.FileField(label=_("File"))
    is_public = forms.BooleanField(
        label=_("Public document"),
        required=False,
        help_text=_("Only public documents of public meetings are shown to the public."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


def attendance_field_name(person_id: int) -> str:
    return f"person-{person_id}"


class AttendanceForm(forms.Form):
    """One choice per person expected at the meeting: present, excused or absent."""

    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        """`rows`: objects with person, organization and status ("" if not recorded yet)."""
        super().__init__(*args, **kwargs)
        self.attendance_rows = rows
        for row in rows:
            self.fields[attendance_field_name(row.person.pk)] = forms.ChoiceField(
                label=row.person.full_name,
                choices=AttendanceStatus.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=row.status,
            )

    def entries(self) -> list[tuple[Any, str, Any]]:
        """(person, status, organisation) for every person whose attendance was given."""
        return [
            (row.person, status, row.organization)
            for row in self.attendance_rows
            if (status := self.cleaned_data.get(attendance_field_name(row.person.pk)))
        ]

    def rows(self) -> list[tuple[Any, forms.BoundField]]:
        return [(row, self[attendance_field_name(row.person.pk)]) for row in self.attendance_rows]


class FeedTokenForm(forms.Form):
    label = forms.CharField(
        label=_("Name of the feed"),
        max_length=100,
        required=False,
        help_text=_("For you to tell your feeds apart, e.g. “Outlook at the office”."),
    )
    body = forms.ModelChoiceField(
        label=_("Meetings of"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("All bodies of the masterplan"),
    )

    def __init__(self, *args: Any, masterplan: Masterplan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self, "body", bodies(masterplan))
        style_widgets(self)
