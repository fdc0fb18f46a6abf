"""Import and export formats of the directory: organisations and people.

The columns below are the file format: imports read them (headers in English or German),
exports write them, and the upload page and docs/imports.md explain them.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masterplan.core.actors import Actor
from masterplan.core.audit import build_entry
from masterplan.core.bulk import update_rows
from masterplan.core.filters import ListContext
from masterplan.core.imports import Column, ColumnType, ModelImporter, register
from masterplan.core.imports.importer import ImportRun, Record, RowPlan
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.core.services import initial_values
from masterplan.directory import queries
from masterplan.directory.models import Affiliation, Organization, Person

EXTERNAL_ID = Column(
    "external_id",
    label=gettext_lazy("External ID"),
    aliases=("ID", "Externe ID", "Kennung", "Schlüssel", "Key"),
    help=gettext_lazy(
        "Your key for the record. A row whose external ID is already in the masterplan "
        "updates that record; rows without one are always added as new records."
    ),
    example="DU-IHK",
    code=True,
)
PUBLICATION = Column(
    "publication",
    ColumnType.CHOICE,
    label=gettext_lazy("Publication"),
    aliases=("Veröffentlichung", "Veröffentlicht", "Published"),
    help=gettext_lazy("Empty: new records are drafts, existing ones keep their state."),
    example="published",
)

# German words used in spreadsheets for the kinds, besides the codes and the labels.
KIND_ALIASES = (
    ("Stadtverwaltung", "city"),
    ("Kommune", "city"),
    ("Amt", "city_department"),
    ("Fachbereich", "city_department"),
    ("IHK", "chamber"),
    ("HWK", "chamber"),
    ("Handwerkskammer", "chamber"),
    ("Verein", "association"),
    ("Verband", "association"),
    ("Unternehmensverband", "association"),
    ("Firma", "company"),
    ("Unternehmen", "company"),
    ("Startup", "startup"),
    ("Gründung", "startup"),
    ("Investorin", "investor"),
    ("Kapitalgeber", "investor"),
    ("Forschung", "research"),
    ("Hochschule", "research"),
    ("Universität", "research"),
    ("Gewerkschaft", "union"),
    ("Ausschuss", "political_committee"),
    ("Sonstige", "other"),
    ("Sonstiges", "other"),
)


@register
class OrganizationImporter(ModelImporter):
    key = "directory.organizations"
    model = Organization
    action = "directory.organization"
    title = gettext_lazy("Organisations")
    file_stem = "organisationen"
    list_url_name = "directory:organization_list"
    columns = (
        EXTERNAL_ID,
        Column(
            "name",
            required=True,
            label=gettext_lazy("Name"),
            aliases=("Organisation", "Organisationsname", "Firma"),
            example="Niederrheinische IHK",
        ),
        Column(
            "legal_name",
            label=gettext_lazy("Legal name"),
            aliases=("Rechtlicher Name", "Firmierung", "Rechtsform und Name"),
            example="Niederrheinische Industrie- und Handelskammer Duisburg-Wesel-Kleve",
        ),
        Column(
            "kind",
            ColumnType.CHOICE,
            required=True,
            label=gettext_lazy("Kind"),
            aliases=("Art", "Typ", "Type", "Organisationsart"),
            choice_aliases=KIND_ALIASES,
            example="chamber",
        ),
        Column(
            "sector_wz",
            label=gettext_lazy("Sector (WZ 2008)"),
            aliases=("WZ", "WZ 2008", "WZ-Code", "Branche", "Sector"),
            example="94.11",
        ),
        Column(
            "employees",
            ColumnType.INT,
            label=gettext_lazy("Employees"),
            aliases=("Beschäftigte", "Mitarbeitende", "Mitarbeiter", "Mitarbeiterzahl"),
            min_value=0,
            example="250",
        ),
        Column(
            "employees_year",
            ColumnType.INT,
            label=gettext_lazy("Employees as of (year)"),
            aliases=("Beschäftigte Stand", "Stand Beschäftigte", "Stand (Jahr)", "Jahr"),
            min_value=1900,
            max_value=2100,
            example="2024",
        ),
        Column(
            "street",
            label=gettext_lazy("Street"),
            aliases=("Straße", "Strasse", "Anschrift", "Adresse"),
            example="Mercatorstraße 22-24",
        ),
        Column(
            "postcode",
            label=gettext_lazy("Postcode"),
            aliases=("PLZ", "Postleitzahl", "ZIP"),
            example="47051",
            digits=5,
        ),
        Column(
            "city", label=gettext_lazy("City"), aliases=("Stadt", "Ort", "Sitz"), example="Duisburg"
        ),
        Column(
            "ags",
            label=gettext_lazy("Municipality key (AGS)"),
            aliases=("Gemeindeschlüssel", "Amtlicher Gemeindeschlüssel"),
            help=gettext_lazy("8 digits, e.g. 05112000 for Duisburg."),
            example="05112000",
            digits=8,
        ),
        Column(
            "website",
            ColumnType.URL,
            label=gettext_lazy("Website"),
            aliases=("Webseite", "Internet", "Homepage", "URL", "Internetseite"),
            example="https://www.ihk.de/niederrhein",
        ),
        Column(
            "parent",
            ColumnType.REFERENCE,
            label=gettext_lazy("Parent organisation"),
            aliases=("Übergeordnete Organisation", "Dachorganisation", "Mutterorganisation"),
            help=gettext_lazy(
                "External ID of the parent organisation: a row of the same file or an "
                "organisation already in the masterplan."
            ),
            example="DU-WFD",
        ),
        Column(
            "description",
            label=gettext_lazy("Description"),
            aliases=("Beschreibung", "Bemerkung", "Notiz"),
        ),
        PUBLICATION,
    )

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        values = queries.ORGANIZATIONS.values(filters, ListContext(user, masterplan))
        qs, _sort = queries.organization_list(user=user, masterplan=masterplan, **values)
        return qs


@register
class PersonImporter(ModelImporter):
    """People, each optionally with an affiliation to an organisation given by external ID.

    The affiliation is added when the person has none with that organisation yet, and its
    role updated when the file gives another one; affiliations are never removed by an import.
    """

    key = "directory.people"
    model = Person
    action = "directory.person"
    title = gettext_lazy("People")
    file_stem = "personen"
    list_url_name = "directory:person_list"
    columns = (
        EXTERNAL_ID,
        Column("title", label=gettext_lazy("Title"), aliases=("Titel", "Anrede"), example="Dr."),
        Column(
            "given_name",
            required=True,
            label=gettext_lazy("Given name"),
            aliases=("Vorname", "First name"),
            example="Jennifer",
        ),
        Column(
            "family_name",
            required=True,
            label=gettext_lazy("Family name"),
            aliases=("Nachname", "Name", "Familienname", "Last name", "Surname"),
            example="Kleff",
        ),
        Column(
            "function",
            label=gettext_lazy("Function"),
            aliases=("Funktion", "Position", "Job title"),
            example="Referentin Standortpolitik",
        ),
        Column(
            "email",
            ColumnType.EMAIL,
            label=gettext_lazy("E-mail"),
            aliases=("E-Mail", "E-Mail-Adresse", "Mail"),
            example="kleff@niederrhein.ihk.de",
        ),
        Column(
            "phone",
            label=gettext_lazy("Phone"),
            aliases=("Telefon", "Tel", "Telefonnummer"),
            example="+49 203 2821-0",
        ),
        Column(
            "consent_to_publish",
            ColumnType.BOOL,
            label=gettext_lazy("Consents to be published as contact person"),
            aliases=("Einwilligung", "Einwilligung Veröffentlichung", "Consent"),
            help=gettext_lazy("When yes, the time the consent was given is required."),
            example="ja",
        ),
        Column(
            "consent_given_at",
            ColumnType.DATETIME,
            label=gettext_lazy("Consent given at"),
            aliases=("Einwilligung am", "Einwilligungsdatum", "Consent date"),
            example="15.03.2025 10:30",
        ),
        Column(
            "consent_text_version",
            label=gettext_lazy("Consent text version"),
            aliases=("Version Einwilligungstext", "Einwilligungstext"),
            example="2025-01",
        ),
        Column(
            "organization",
            ColumnType.REFERENCE,
            field=None,
            target=Organization,
            label=gettext_lazy("Organisation"),
            aliases=("Organisation (externe ID)", "Organization", "Arbeitgeber"),
            help=gettext_lazy(
                "External ID of an organisation already in the masterplan: the person is "
                "affiliated with it."
            ),
            example="DU-IHK",
        ),
        Column(
            "role",
            field=None,
            max_length=200,
            label=gettext_lazy("Role"),
            aliases=("Rolle", "Rolle in der Organisation"),
            help=gettext_lazy("The person's role in that organisation."),
            example="Geschäftsführerin",
        ),
        PUBLICATION,
    )

    def check_record(self, run: ImportRun, record: Record) -> None:
        values = record.values
        if run.has("consent_given_at") and "consent_given_at" not in values:
            return  # the time is wrong: that error is enough
        if values.get("consent_to_publish") is True and not values.get("consent_given_at"):
            run.error(
                record.row,
                "consent_to_publish",
                "ja",
                _("Consent needs the time it was given (column consent_given_at)."),
            )
        if values.get("role") and not values.get("organization"):
            run.error(
                record.row,
                "role",
                values["role"],
                _("A role needs an organisation (column organization)."),
            )

    def affiliations(self, run: ImportRun) -> dict[tuple[int, int], Affiliation]:
        """The plan's current affiliations by (person, organisation), loaded once."""
        if "affiliations" not in run.cache:
            run.cache["affiliations"] = {
                (a.person_id, a.organization_id): a
                for a in Affiliation.objects.filter(masterplan=run.masterplan).only(
                    "id", "person_id", "organization_id", "role", "version", "masterplan_id"
                )
            }
        found: dict[tuple[int, int], Affiliation] = run.cache["affiliations"]
        return found

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        key = plan.record.values.get("organization")
        if not key:
            return
        organization_id = run.references[Organization].get(key)
        if organization_id is None:
            run.error(
                plan.record.row,
                "organization",
                key,
                _(
                    "Unknown organisation: no organisation with this external ID in this "
                    "masterplan."
                ),
            )
            return
        role = plan.record.values.get("role")
        existing = (
            None if plan.created else self.affiliations(run).get((plan.obj.pk, organization_id))
        )
        if existing is None:
            plan.extra["affiliation"] = (organization_id, role or "")
            plan.diff["organization"] = ("", key)
            if role:
                plan.diff["role"] = ("", role)
        elif run.has("role") and (role or "") != existing.role:
            plan.extra["affiliation_role"] = (existing, role or "")
            plan.diff["role"] = (existing.role, role or "")

    def write_extra(self, run: ImportRun, plans: list[RowPlan]) -> list[AuditEntry]:
        now = timezone.now()
        created: list[Affiliation] = []
        changed: list[tuple[Affiliation, dict[str, list[Any]]]] = []
        for plan in plans:
            if "affiliation" in plan.extra:
                organization_id, role = plan.extra["affiliation"]
                created.append(
                    Affiliation(
                        masterplan=run.masterplan,
                        person=cast("Person", plan.obj),
                        organization_id=organization_id,
                        role=role,
                        publication=plan.obj.publication,
                    )
                )
            if "affiliation_role" in plan.extra:
                affiliation, role = plan.extra["affiliation_role"]
                changed.append((affiliation, {"role": [affiliation.role, role]}))
                affiliation.role = role
                affiliation.version += 1
                affiliation.modified_at = now
                affiliation.person = cast("Person", plan.obj)
        Affiliation.objects.bulk_create(created, batch_size=1000)
        update_rows(Affiliation, [a for a, _changes in changed], ["role", "version", "modified_at"])
        # The audit entries name "person – organisation": load the names once, not per row.
        organizations = Organization.objects.only("id", "name").in_bulk(
            {a.organization_id for a in created} | {a.organization_id for a, _c in changed}
        )
        entries = []
        for affiliation in created:
            affiliation.organization = organizations[affiliation.organization_id]
            entries.append(
                build_entry(
                    actor=run.actor,
                    action="directory.affiliation.imported",
                    obj=affiliation,
                    changes=initial_values(affiliation, ["person", "organization", "role"]),
                )
            )
        for affiliation, changes in changed:
            affiliation.organization = organizations[affiliation.organization_id]
            entries.append(
                build_entry(
                    actor=run.actor,
                    action="directory.affiliation.import_updated",
                    obj=affiliation,
                    changes=changes,
                )
            )
        return entries

    def export_value(self, obj: Any, column: Column) -> Any:
        if column.name in ("organization", "role"):
            affiliation = first_affiliation_with_key(obj)
            if affiliation is None:
                return ""
            if column.name == "organization":
                return affiliation.organization.external_id
            return affiliation.role
        return super().export_value(obj, column)

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        values = queries.PEOPLE.values(filters, ListContext(user, masterplan))
        qs, _sort = queries.person_list(user=user, masterplan=masterplan, **values)
        return qs


def first_affiliation_with_key(person: Person) -> Affiliation | None:
    """The affiliation an export row shows: the first whose organisation has an external ID.

    Uses the prefetched affiliations of queries.person_list, so that no query runs per row.
    """
    for affiliation in person.affiliations.all():
        if affiliation.organization.external_id:
            return affiliation
    return None
