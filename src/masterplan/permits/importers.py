"""Import formats of the permit monitor: procedures, their stage events, peer figures (CSV or
XLSX) and XBau 2.3 messages (one XML message or a ZIP of many).

All of them go through the import framework (core/imports): declared columns with German and
English header names, every error with row, column, value and reason, dry run, all or nothing.
None of these files carries the plan's external IDs, so each importer upserts on a natural
key it computes per batch (`NaturalKeyImporter`):

- a procedure on (authority, reference): the authority named in the file (by name, or by its
  city when the city has one authority in the plan), created by name when unknown: the plan's
  own when its city is the masterplan's city, else a peer;
- a stage event on (procedure, stage, date, consulted body);
- a peer figure on (city, year, procedure type, statistic, start and end of the clock);
- an XBau message on its message ID (`ProcedureEvent.message_id`): importing a message again
  changes nothing.

Events follow `services.event_add`: a decision or withdrawal ends its procedure; an event
before the receipt, after the end, a decision on another day than the recorded decision, or an
amended application without an earlier request for missing documents is refused. A 0200
(application) creates its procedure when the plan has none for it; see `XBauOptions` for the
authority and type it gets.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from masterplan.core.actors import Actor
from masterplan.core.audit import append_entries, build_entry, jsonable
from masterplan.core.bulk import insert_rows, update_rows
from masterplan.core.filters import ListContext
from masterplan.core.imports import Column, ColumnType, ModelImporter, register
from masterplan.core.imports.cells import CellValue, format_cell
from masterplan.core.imports.importer import ImportRun, Record, RowPlan
from masterplan.core.imports.reading import ZIP_MAGIC, FileProblem, Source, Table
from masterplan.core.models import AuditEntry, Masterplan, PlanScopedModel, Publication
from masterplan.core.services import apply_changes, initial_values
from masterplan.land.importers import content_bytes
from masterplan.permits import queries, services
from masterplan.permits.durations import DEFAULT_RULES, EventKind
from masterplan.permits.forms import XBauOptionsForm
from masterplan.permits.models import (
    DECIDED,
    WITHDRAWN,
    Authority,
    ClockEnd,
    Outcome,
    PeerFigure,
    Procedure,
    ProcedureEvent,
    ProcedureType,
    Statistic,
)
from masterplan.permits.xbau import (
    DEFAULT_MAX_BYTES,
    DEFAULT_XBAU_TYPE,
    XBauError,
    XBauMessage,
    read_xbau,
)

NATURAL_KEY = "natural_key"  # no column: the key an importer computes from a row
SEPARATOR = "\x1f"
# A ZIP of XBau messages: at most this many messages, and a message's bytes at most this many
# times its compressed size (a "ZIP bomb" unpacks a few kilobytes into gigabytes).
MAX_MESSAGES = 20_000
MAX_COMPRESSION_RATIO = 200


def day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def text(name: str, label: Any, *aliases: str, required: bool = False, **kw: Any) -> Column:
    return Column(name, label=label, aliases=aliases, required=required, **kw)


def date_column(name: str, label: Any, *aliases: str, required: bool = False, **kw: Any) -> Column:
    return Column(
        name,
        ColumnType.DATE,
        label=label,
        aliases=aliases,
        required=required,
        example="02.06.2025",
        **kw,
    )


# --- Shared: natural keys, authorities, procedure types, a procedure's state ------------------


class NaturalKeyImporter(ModelImporter):
    """Upserts on a key computed from each row (`natural_keys`) instead of an external ID.

    The key goes into the record as NATURAL_KEY before the batch is planned; a key twice in
    the file is an error in the column `duplicate_column`. Subclasses set `extra_fields`: the
    model fields their `plan_extra` fills in, which the audit entry of a new record lists too.
    """

    key_column = NATURAL_KEY
    duplicate_column: ClassVar[str] = "reference"
    extra_fields: ClassVar[tuple[str, ...]] = ()

    def natural_keys(self, run: ImportRun, records: list[Record]) -> dict[str, PlanScopedModel]:
        """Set each record's NATURAL_KEY (none where it cannot be found: then report why)
        and return the stored records the batch's keys match."""
        raise NotImplementedError

    def duplicate_reason(self, record: Record, first: int) -> str:
        return _("This row appears twice in the file (first in row %(row)s).") % {"row": first}

    def load_batch(self, run: ImportRun, records: list[Record]) -> None:
        run.references, run.reference_labels, run.deleted_keys = {}, {}, set()
        run.existing = self.natural_keys(run, records)
        for record in records:
            key = record.values.get(NATURAL_KEY)
            if not key:
                continue
            first = run.file_keys.add(key, record.row)
            if first is not None:
                run.error(
                    record.row,
                    self.duplicate_column,
                    record.values.get(self.duplicate_column, ""),
                    self.duplicate_reason(record, first),
                )

    def save_rows(
        self, run: ImportRun, plans: list[RowPlan], keys: dict[str, int]
    ) -> list[AuditEntry]:
        entries = super().save_rows(run, plans, keys)
        created = [p for p in plans if p.created]
        for entry, plan in zip(entries, created, strict=False):
            entry.changes.update(jsonable(initial_values(plan.obj, list(self.extra_fields))))
        return entries


def set_field(
    plan: RowPlan, name: str, value: Any, shown: tuple[str, str], column: str = ""
) -> None:
    """Set a field from a column without a model field; an existing record's diff shows it
    under the column's name (default: the field's) as `shown` (old, new)."""
    changed = apply_changes(plan.obj, {name: value})
    if changed and not plan.created:
        plan.audit_changes.update(changed)
        plan.diff[column or name] = shown


@dataclass
class AuthorityEntry:
    pk: int | None  # None: the import creates it
    name: str
    city: str
    is_own: bool


@dataclass
class AuthorityBook:
    """The plan's authorities by name and by city, and those the import creates."""

    masterplan_city: str
    names: dict[str, AuthorityEntry] = field(default_factory=dict)
    cities: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    created: list[AuthorityEntry] = field(default_factory=list)  # by the import

    @classmethod
    def load(cls, masterplan: Masterplan) -> AuthorityBook:
        book = cls(masterplan_city=masterplan.city)
        for pk, name, city, is_own in Authority.objects.filter(masterplan=masterplan).values_list(
            "pk", "name", "city", "is_own"
        ):
            book.add(AuthorityEntry(pk, name, city, is_own))
        return book

    def add(self, entry: AuthorityEntry) -> str:
        key = entry.name.casefold()
        if entry.pk is None:
            self.created.append(entry)
        self.names[key] = entry
        self.cities[entry.city.casefold()].append(key)
        return key

    def find(self, authority: str, city: str) -> tuple[str | None, str]:
        """The key of the authority a row names, or an error; unknown names are added as new.

        The authority column is matched by name; a value that is no authority's name, in a
        file without a city column, may be a city ("Stadt/Behörde": "Essen") with one
        authority in the plan. A city alone is matched by city, then by name.
        """
        if authority:
            key = authority.casefold()
            if key in self.names:
                return key, ""
            if not city:
                return self.by_city(authority)
            return self.add(self.new(authority, city)), ""
        return self.by_city(city)

    def by_city(self, city: str) -> tuple[str | None, str]:
        found = self.cities.get(city.casefold(), [])
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            names = ", ".join(sorted(self.names[key].name for key in found))
            return None, _(
                "The city has several authorities in this masterplan (%(names)s); name the "
                "authority in the column “authority”."
            ) % {"names": names}
        if city.casefold() in self.names:
            return city.casefold(), ""
        return self.add(self.new(city, city)), ""

    def new(self, name: str, city: str) -> AuthorityEntry:
        return AuthorityEntry(None, name, city, city.casefold() == self.masterplan_city.casefold())

    def create_missing(self, run: ImportRun) -> None:
        """Create the authorities the import found unknown (audited), once each."""
        for entry in self.created:
            if entry.pk is not None:
                continue
            authority = Authority.objects.create(
                masterplan=run.masterplan,
                name=entry.name,
                city=entry.city,
                is_own=entry.is_own,
                publication=Publication.PUBLISHED,
            )
            entry.pk = authority.pk
            append_entries(
                [
                    build_entry(
                        actor=run.actor,
                        action="permits.authority.imported",
                        obj=authority,
                        changes=initial_values(authority, ["name", "city", "is_own"]),
                    )
                ]
            )


def note_new_authorities(run: ImportRun, book: AuthorityBook) -> None:
    """The preview names the authorities the import creates."""
    if book.created:
        names = ", ".join(
            f"{entry.name} ({_('own') if entry.is_own else _('peer')})" for entry in book.created
        )
        run.report.notes.append(_("New authorities: %(names)s.") % {"names": names})


def default_type_names() -> dict[str, set[str]]:
    """The names of the statutory default types in every language of the site, by code: the
    English msgid and its translations ("Building permit procedure (NRW)",
    "Baugenehmigungsverfahren (NRW)"), casefolded."""
    names: dict[str, set[str]] = defaultdict(set)
    for code, msgid in services.TYPE_NAMES.items():
        names[code].add(msgid.casefold())
        for language, _label in settings.LANGUAGES:
            with translation.override(language):
                names[code].add(_(msgid).casefold())
    return names


@dataclass
class TypeBook:
    """The plan's procedure types by code, name and legal basis (all case-insensitive), and
    the statutory types also by their default names in German and English (a file of another
    city names them in its language, whatever the plan renamed them to); in a dry run also the
    statutory defaults the import would create."""

    keys: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)
    code_of: dict[int | None, str] = field(default_factory=dict)

    @classmethod
    def load(cls, run: ImportRun) -> TypeBook:
        if run.write:
            services.ensure_default_types(actor=run.actor, masterplan=run.masterplan)
        book = cls()
        rows: list[tuple[int | None, str, str, str]] = list(
            ProcedureType.objects.filter(masterplan=run.masterplan).values_list(
                "pk", "code", "name", "legal_basis"
            )
        )
        stored = {code for _pk, code, _name, _basis in rows}
        rows += [
            (None, rule.code, rule.name, rule.legal_basis)
            for rule in DEFAULT_RULES
            if rule.code not in stored
        ]
        legal_bases: dict[str, list[tuple[int | None, str]]] = defaultdict(list)
        for pk, code, name, basis in rows:
            book.codes.append(code)
            legal_bases[basis.casefold()].append((pk, code))
            # each part of a legal basis ("§ 64 BauO NRW 2018; § 71 (1) BauO NRW") as well
            parts = {part.strip().casefold() for part in basis.split(";")} - {basis.casefold()}
            for part in parts:
                legal_bases[part].append((pk, code))
            book.keys.setdefault(name.casefold(), (pk, code))
        for basis, found in legal_bases.items():
            if len(found) == 1:
                book.keys.setdefault(basis, found[0])
        by_code = {code: (pk, code) for pk, code, _name, _basis in rows}
        for code, names in default_type_names().items():
            if code in by_code:
                for name in names:
                    book.keys.setdefault(name, by_code[code])  # the plan's own names first
        for pk, code, _name, _basis in rows:
            book.keys[code.casefold()] = (pk, code)  # a code wins over a name or basis
            book.code_of[pk] = code
        book.codes.sort()
        return book

    def find(self, value: str) -> tuple[int | None, str] | None:
        return self.keys.get(value.strip().casefold())

    def unknown(self, value: str) -> str:
        return _(
            "Unknown procedure type. Write its code, name or legal basis; known codes: %(codes)s."
        ) % {"codes": ", ".join(self.codes)}


@dataclass
class ProcedureState:
    """What the stage checks need of a procedure, kept up to date as the file's events are
    planned (so the rows of one file are checked against each other too)."""

    pk: int | None
    reference: str
    received: date
    complete: date | None = None
    decided: date | None = None
    withdrawn: date | None = None
    defects_on: date | None = None  # the first request for missing documents
    authority_id: int | None = None

    @property
    def ended_on(self) -> date | None:
        return self.decided or self.withdrawn


def procedure_states(procedures: list[Procedure]) -> dict[int, ProcedureState]:
    states = {
        p.pk: ProcedureState(
            pk=p.pk,
            reference=p.reference,
            received=p.received,
            complete=p.complete,
            decided=p.decided,
            withdrawn=p.withdrawn,
            authority_id=p.authority_id,
        )
        for p in procedures
    }
    if states:
        for pk, on in (
            ProcedureEvent.objects.filter(
                procedure_id__in=list(states), kind=EventKind.DEFECTS_REQUESTED
            )
            .order_by()
            .values_list("procedure_id", "on")
        ):
            state = states[pk]
            state.defects_on = min(on, state.defects_on or on)
    return states


def stage_problems(
    state: ProcedureState, kind: str, on: date, deadline: date | None, outcome: str
) -> list[tuple[str, str]]:
    """Why an event cannot be added to a procedure: (field, reason) pairs, field one of
    kind, on, deadline, outcome. The rules of services.check_event_day, plus the order of the
    stages a file can get wrong."""
    problems: list[tuple[str, str]] = []
    if on < state.received:
        problems.append(
            (
                "on",
                _("The event lies before the application was received (%(day)s).")
                % {"day": day(state.received)},
            )
        )
    if deadline is not None and deadline < on:
        problems.append(("deadline", _("The deadline lies before the event.")))
    ended = state.ended_on
    if kind == EventKind.DECISION:
        if state.withdrawn:
            problems.append(
                (
                    "kind",
                    _("The procedure was withdrawn on %(day)s; it has no decision.")
                    % {"day": day(state.withdrawn)},
                )
            )
        elif state.complete and on < state.complete:
            problems.append(
                (
                    "on",
                    _("The decision lies before the application was complete (%(day)s).")
                    % {"day": day(state.complete)},
                )
            )
        elif state.decided and on != state.decided:
            problems.append(
                (
                    "on",
                    _("The procedure's decision is recorded on %(day)s, not on this day.")
                    % {"day": day(state.decided)},
                )
            )
        if outcome and outcome not in DECIDED:
            problems.append(("outcome", _("A decision approves or refuses.")))
    elif kind == EventKind.WITHDRAWAL:
        if state.decided:
            problems.append(
                (
                    "kind",
                    _("The procedure was decided on %(day)s; it cannot be withdrawn.")
                    % {"day": day(state.decided)},
                )
            )
        elif state.withdrawn and on != state.withdrawn:
            problems.append(
                (
                    "on",
                    _("The procedure's withdrawal is recorded on %(day)s, not on this day.")
                    % {"day": day(state.withdrawn)},
                )
            )
        if outcome and outcome not in WITHDRAWN:
            problems.append(("outcome", _("A withdrawal is withdrawn or deemed withdrawn.")))
    else:
        if outcome:
            problems.append(("outcome", _("Only a decision or a withdrawal has an outcome.")))
        if ended and on > ended and kind != EventKind.FEE_NOTICE:
            problems.append(
                (
                    "on",
                    _("The event lies after the procedure ended (%(day)s).") % {"day": day(ended)},
                )
            )
    if kind == EventKind.AMENDED_APPLICATION and (
        state.defects_on is None or state.defects_on > on
    ):
        problems.append(
            (
                "kind",
                _(
                    "An amended application answers a request for missing documents, and "
                    "none is recorded on or before this day."
                ),
            )
        )
    return problems


def advance(state: ProcedureState, kind: str, on: date, outcome: str) -> str:
    """Record a planned event in the state; the outcome it ends the procedure with, or ""."""
    if kind == EventKind.DEFECTS_REQUESTED:
        state.defects_on = min(on, state.defects_on or on)
    if state.ended_on:
        return ""
    if kind == EventKind.DECISION:
        state.decided = on
        return outcome or Outcome.APPROVED
    if kind == EventKind.WITHDRAWAL:
        state.withdrawn = on
        return outcome or Outcome.WITHDRAWN
    return ""


def end_procedures(run: ImportRun, plans: list[RowPlan]) -> None:
    """What a batch's events change in their procedures, as services.event_add does: a
    decision or withdrawal ends its procedure with its outcome; an XBau message with the
    authority's file reference replaces the application's UUID as the reference. Each
    procedure changed gets a new version and one audit entry, written together."""
    changes: dict[int, dict[str, Any]] = defaultdict(dict)
    for plan in plans:
        event = cast("ProcedureEvent", plan.obj)
        if plan.extra.get("rename"):
            changes[event.procedure_id]["reference"] = plan.extra["rename"]
        outcome = plan.extra.get("ends")
        if outcome:
            ended = "decided" if event.kind == EventKind.DECISION else "withdrawn"
            changes[event.procedure_id].update({ended: event.on, "outcome": outcome})
    if not changes:
        return
    now = timezone.now()
    changed, fields, entries = [], {"version", "modified_at"}, []
    for procedure in (
        Procedure.objects.select_for_update().filter(pk__in=list(changes)).order_by("pk")
    ):
        diff = apply_changes(procedure, changes[procedure.pk])
        if not diff:
            continue
        procedure.version += 1
        procedure.modified_at = now
        fields.update(diff)
        changed.append(procedure)
        entries.append(
            build_entry(
                actor=run.actor, action="permits.procedure.updated", obj=procedure, changes=diff
            )
        )
    update_rows(Procedure, changed, sorted(fields))
    append_entries(entries)


OUTCOME_WORDS = (
    ("genehmigt", "approved"),
    ("Genehmigung", "approved"),
    ("erteilt", "approved"),
    ("abgelehnt", "refused"),
    ("Ablehnung", "refused"),
    ("versagt", "refused"),
    ("zurückgenommen", "withdrawn"),
    ("Rücknahme", "withdrawn"),
    ("zurückgezogen", "withdrawn"),
    ("gilt als zurückgenommen", "deemed_withdrawn"),
    ("deemed withdrawn", "deemed_withdrawn"),
    ("Rücknahmefiktion", "deemed_withdrawn"),
    ("offen", "open"),
    ("laufend", "open"),
    ("in Bearbeitung", "open"),
)
OUTCOME_CHOICES = (
    ("approved", gettext_lazy("Approved")),
    ("refused", gettext_lazy("Refused")),
    ("withdrawn", gettext_lazy("Withdrawn")),
    ("deemed_withdrawn", gettext_lazy("Deemed withdrawn")),
    ("open", gettext_lazy("Open")),
)


def outcome_column(help: Any) -> Column:
    return Column(
        "outcome",
        ColumnType.CHOICE,
        field=None,
        label=gettext_lazy("Outcome"),
        aliases=("Ergebnis", "Entscheidung Ergebnis", "Ausgang"),
        choices=OUTCOME_CHOICES,
        choice_aliases=OUTCOME_WORDS,
        help=help,
        example="genehmigt",
    )


AUTHORITY = text(
    "authority",
    gettext_lazy("Authority"),
    "Behörde",
    "Stadt/Behörde",
    "Genehmigungsbehörde",
    field=None,
    max_length=200,
    help=gettext_lazy(
        "The authority's name (or, without a city column, its city); an unknown name creates "
        "the authority."
    ),
    example="Stadt Essen – Bauordnungsamt",
)
CITY = text(
    "city",
    gettext_lazy("City"),
    "Stadt",
    "Kommune",
    "Gemeinde",
    field=None,
    max_length=120,
    help=gettext_lazy("The authority's city; the masterplan's own city makes it an own authority."),
    example="Essen",
)


def authority_of(run: ImportRun, record: Record) -> tuple[str, str]:
    return record.values.get("authority") or "", record.values.get("city") or ""


# --- Procedures ---------------------------------------------------------------------------------


@register
class ProcedureImporter(NaturalKeyImporter):
    """One row per procedure, as a peer city shares its file; upsert on (authority, reference).

    Authorities unknown by name are created; the type is found by code, name or legal basis;
    the dates must agree with each other and with the outcome (Procedure.clean). Without an
    outcome, a decided procedure is approved and a withdrawn one withdrawn.
    """

    key = "permits.procedures"
    model = Procedure
    action = "permits.procedure"
    title = gettext_lazy("Permit procedures")
    file_stem = "genehmigungsverfahren"
    list_url_name = "permits:procedure_list"
    extra_fields = ("authority", "procedure_type", "outcome")
    columns = (
        text(
            "reference",
            gettext_lazy("Reference"),
            "Aktenzeichen",
            "Az",
            "AZ.",
            "Vorgang",
            required=True,
            example="63-BG-2025-01234",
        ),
        AUTHORITY,
        CITY,
        text(
            "type",
            gettext_lazy("Procedure type"),
            "Verfahrensart",
            "Verfahrenstyp",
            "Verfahren",
            "procedure_type",
            field=None,
            max_length=200,
            help=gettext_lazy(
                "Code, name or legal basis of a procedure type (bimschg-19, § 64 …)."
            ),
            example="bauo-nrw-64",
        ),
        date_column(
            "received", gettext_lazy("Received"), "Eingang", "Eingangsdatum", required=True
        ),
        date_column(
            "complete", gettext_lazy("Complete"), "vollständig", "Vollständigkeit", "vollständig am"
        ),
        date_column(
            "decided", gettext_lazy("Decided"), "entschieden", "Entscheidung", "Bescheiddatum"
        ),
        date_column(
            "withdrawn",
            gettext_lazy("Withdrawn"),
            "zurückgenommen",
            "Rücknahme",
            "zurückgezogen",
        ),
        outcome_column(
            gettext_lazy("approved, refused, withdrawn, deemed_withdrawn or open (also German).")
        ),
        text("subject", gettext_lazy("Project"), "Vorhaben", "Projekt", "Gegenstand"),
        Column(
            "is_sample",
            ColumnType.BOOL,
            label=gettext_lazy("Sample data"),
            aliases=("Beispieldaten", "Beispiel", "sample"),
            example="nein",
        ),
    )

    def load(self, run: ImportRun) -> None:
        run.cache["authorities"] = AuthorityBook.load(run.masterplan)
        run.cache["types"] = TypeBook.load(run)

    def check_record(self, run: ImportRun, record: Record) -> None:
        authority, city = authority_of(run, record)
        if not authority and not city:
            run.error(
                record.row,
                "authority" if run.has("authority") else "city",
                "",
                _("Name the authority or its city."),
            )

    def natural_keys(self, run: ImportRun, records: list[Record]) -> dict[str, PlanScopedModel]:
        book: AuthorityBook = run.cache["authorities"]
        wanted: dict[int, set[str]] = defaultdict(set)
        for record in records:
            key, problem = book.find(*authority_of(run, record))
            if key is None:
                run.error(record.row, "authority", authority_of(run, record)[0], problem)
                continue
            record.values["_authority"] = key  # not a column: the authority found
            reference = record.values["reference"]
            record.values[NATURAL_KEY] = f"{key}{SEPARATOR}{reference}"
            entry = book.names[key]
            if entry.pk is not None:
                wanted[entry.pk].add(reference)
        if not wanted:
            return {}
        pk_key = {entry.pk: key for key, entry in book.names.items() if entry.pk is not None}
        found = Procedure.objects.filter(
            masterplan=run.masterplan,
            authority_id__in=list(wanted),
            reference__in={r for refs in wanted.values() for r in refs},
        ).order_by()
        if run.write:
            found = found.select_for_update()
        return {f"{pk_key[p.authority_id]}{SEPARATOR}{p.reference}": p for p in found}

    def duplicate_reason(self, record: Record, first: int) -> str:
        return _(
            "The procedure appears twice in the file for the same authority (first in row %(row)s)."
        ) % {"row": first}

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        procedure = cast("Procedure", plan.obj)
        values, row = plan.record.values, plan.record.row
        book: AuthorityBook = run.cache["authorities"]
        types: TypeBook = run.cache["types"]
        if plan.created:
            procedure.publication = Publication.PUBLISHED
            key = values.get("_authority")
            if key is not None:
                entry = book.names[key]
                procedure.authority_id = entry.pk  # type: ignore[assignment]  # set when created
                plan.extra["authority"] = key
        type_text = values.get("type") or ""
        if type_text:
            found = types.find(type_text)
            if found is None:
                run.error(row, "type", type_text, types.unknown(type_text))
            elif found[0] is not None:
                old = types.code_of.get(procedure.procedure_type_id, "")
                set_field(plan, "procedure_type", found[0], (old, found[1]), "type")
        elif plan.created:
            run.error(row, "type", "", _("A new procedure needs its type."))
        self.plan_outcome(plan, values.get("outcome"))
        try:
            procedure.clean()
        except ValidationError as error:
            problems = error.message_dict
            if procedure.decided and procedure.withdrawn:  # the outcome follows from that
                problems.pop("outcome", None)
            for name, messages in problems.items():
                column = "outcome" if name == "outcome" else name
                value = getattr(procedure, name, "")
                shown = (
                    "open"
                    if name == "outcome" and not value
                    else format_cell(
                        ColumnType.DATE if isinstance(value, date) else ColumnType.TEXT, value
                    )
                )
                for message in messages:
                    run.error(row, column, shown, message)

    def plan_outcome(self, plan: RowPlan, given: str | None) -> None:
        procedure = cast("Procedure", plan.obj)
        if given == "open":
            outcome = Outcome.OPEN
        elif given:
            outcome = Outcome(given)
        elif procedure.decided and procedure.outcome not in DECIDED:
            outcome = Outcome.APPROVED
        elif procedure.withdrawn and procedure.outcome not in WITHDRAWN:
            outcome = Outcome.WITHDRAWN
        elif not procedure.ended_on:
            outcome = Outcome.OPEN
        else:
            return
        set_field(plan, "outcome", outcome.value, (procedure.outcome or "open", outcome or "open"))

    def write_batch(self, run: ImportRun, plans: list[RowPlan]) -> None:
        book: AuthorityBook = run.cache["authorities"]
        book.create_missing(run)
        for plan in plans:
            if "authority" in plan.extra:
                cast("Procedure", plan.obj).authority_id = book.names[plan.extra["authority"]].pk  # type: ignore[assignment]
        super().write_batch(run, plans)

    def check_file(self, run: ImportRun) -> None:
        if "authorities" in run.cache:
            note_new_authorities(run, run.cache["authorities"])

    def export_value(self, obj: Any, column: Column) -> Any:
        return (
            procedure_value(obj, column)
            if column.field_name is None
            else super().export_value(obj, column)
        )

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        values = queries.PROCEDURES.values(filters, ListContext(user, masterplan))
        return queries.procedures(user=user, masterplan=masterplan, **values)


def procedure_value(procedure: Procedure, column: Column) -> Any:
    """The columns without a model field, as the import reads them back."""
    if column.name == "authority":
        return procedure.authority.name
    if column.name == "city":
        return procedure.authority.city
    if column.name == "type":
        return procedure.procedure_type.code
    if column.name == "outcome":
        return procedure.outcome or "open"
    raise NotImplementedError(column.name)


# --- Stage events -------------------------------------------------------------------------------

STAGE_CHOICES = (
    (EventKind.APPLICATION.value, gettext_lazy("Application received")),
    (EventKind.FORMAL_CHECK.value, gettext_lazy("Formal check without defects")),
    (EventKind.DEFECTS_REQUESTED.value, gettext_lazy("Missing documents requested")),
    (EventKind.AMENDED_APPLICATION.value, gettext_lazy("Amended application")),
    (EventKind.HEARING.value, gettext_lazy("Hearing of the applicant")),
    (EventKind.HEARING_RESPONSE.value, gettext_lazy("Applicant's response to the hearing")),
    (EventKind.STATEMENT_REQUESTED.value, gettext_lazy("Statement requested")),
    (EventKind.STATEMENT.value, gettext_lazy("Statement received")),
    (EventKind.DECISION.value, gettext_lazy("Decision")),
    (EventKind.FEE_NOTICE.value, gettext_lazy("Fee notice")),
    (EventKind.WITHDRAWAL.value, gettext_lazy("Withdrawal")),
)
STAGE_WORDS = (
    ("Antrag", "application"),
    ("Antragseingang", "application"),
    ("Eingang", "application"),
    ("formelle Prüfung", "formal_check"),
    ("Vollständigkeitsprüfung", "formal_check"),
    ("Nachforderung", "defects_requested"),
    ("Nachforderung von Unterlagen", "defects_requested"),
    ("Mängelschreiben", "defects_requested"),
    ("Antrag geändert", "amended_application"),
    ("Nachreichung", "amended_application"),
    ("geänderter Antrag", "amended_application"),
    ("Anhörung", "hearing"),
    ("Stellungnahme Antragsteller", "hearing_response"),
    ("Äußerung zur Anhörung", "hearing_response"),
    ("Beteiligung", "statement_requested"),
    ("Stellungnahme angefordert", "statement_requested"),
    ("Aufforderung zur Stellungnahme", "statement_requested"),
    ("Stellungnahme", "statement"),
    ("Stellungnahme eingegangen", "statement"),
    ("Bescheid", "decision"),
    ("Entscheidung", "decision"),
    ("Gebührenbescheid", "fee_notice"),
    ("Rücknahme", "withdrawal"),
    ("zurückgenommen", "withdrawal"),
)
STAGE = Column(
    "stage",
    ColumnType.CHOICE,
    field="kind",
    label=gettext_lazy("Stage"),
    aliases=("Verfahrensschritt", "Schritt", "Ereignis", "kind"),
    choices=STAGE_CHOICES,
    choice_aliases=STAGE_WORDS,
    required=True,
    example="defects_requested",
)
PARTY = text(
    "party",
    gettext_lazy("Consulted body"),
    "consulted body",
    "Beteiligte Stelle",
    "Träger öffentlicher Belange",
    "Stelle",
    example="Bezirksregierung Düsseldorf, Dezernat 53",
)
NOTE = text("note", gettext_lazy("Note"), "Bemerkung", "Notiz", "Hinweis")
DEADLINE = date_column("deadline", gettext_lazy("Deadline"), "Frist")


@register
class EventImporter(NaturalKeyImporter):
    """Stage events by procedure reference; upsert on (procedure, stage, date, consulted body).

    The reference must name one procedure of the plan (with the authority column where it
    is used by several authorities). The rules of services.event_add hold, in the order of
    the file: no event before the receipt or after the end (but a fee notice), a decision or
    withdrawal only on the recorded day, an amended application only after a request for
    missing documents; a decision or withdrawal ends an open procedure.
    """

    key = "permits.events"
    model = ProcedureEvent
    action = "permits.event"
    title = gettext_lazy("Stage events of permit procedures")
    file_stem = "verfahrensschritte"
    list_url_name = "permits:procedure_list"
    duplicate_column = "stage"
    extra_fields = ("procedure",)
    columns = (
        text(
            "reference",
            gettext_lazy("Reference"),
            "Aktenzeichen",
            "Az",
            "Vorgang",
            field=None,
            required=True,
            max_length=60,
            example="63-BG-2025-01234",
        ),
        dataclasses.replace(
            AUTHORITY, help=gettext_lazy("Needed when several authorities use the reference.")
        ),
        CITY,
        STAGE,
        date_column("date", gettext_lazy("Date"), "Datum", "am", "on", field="on", required=True),
        DEADLINE,
        PARTY,
        NOTE,
        outcome_column(gettext_lazy("Of a decision (approved, refused) or a withdrawal.")),
    )

    def load(self, run: ImportRun) -> None:
        run.cache["states"] = {}

    def natural_keys(self, run: ImportRun, records: list[Record]) -> dict[str, PlanScopedModel]:
        references = {r.values["reference"] for r in records}
        by_reference: dict[str, list[Procedure]] = defaultdict(list)
        for stored in (
            Procedure.objects.filter(masterplan=run.masterplan, reference__in=references)
            .select_related("authority")
            .order_by()
        ):
            by_reference[stored.reference].append(stored)
        states: dict[int, ProcedureState] = run.cache["states"]
        new = [p for ps in by_reference.values() for p in ps if p.pk not in states]
        states.update(procedure_states(new))
        pks = set()
        for record in records:
            procedure = self.procedure_of(run, record, by_reference)
            if procedure is None:
                continue
            pks.add(procedure.pk)
            record.values["_procedure"] = procedure.pk  # not a column: the procedure found
            values = record.values
            record.values[NATURAL_KEY] = SEPARATOR.join(
                (
                    str(procedure.pk),
                    values["stage"],
                    values["date"].isoformat(),
                    (values.get("party") or "").casefold(),
                )
            )
        if not pks:
            return {}
        events = ProcedureEvent.objects.filter(masterplan=run.masterplan, procedure_id__in=pks)
        return {
            SEPARATOR.join((str(e.procedure_id), e.kind, e.on.isoformat(), e.party.casefold())): e
            for e in events.order_by()
        }

    def procedure_of(
        self, run: ImportRun, record: Record, by_reference: dict[str, list[Procedure]]
    ) -> Procedure | None:
        reference = record.values["reference"]
        authority, city = authority_of(run, record)
        found = by_reference.get(reference, [])
        if authority or city:
            wanted = {(authority or "").casefold(), (city or "").casefold()} - {""}
            found = [
                p
                for p in found
                if p.authority.name.casefold() in wanted or p.authority.city.casefold() in wanted
            ]
        if len(found) == 1:
            return found[0]
        if not found:
            reason = (
                _("Unknown reference: %(authority)s has no procedure with this reference.")
                % {"authority": authority or city}
                if authority or city
                else _("Unknown reference: no procedure with this reference in this masterplan.")
            )
            run.error(record.row, "reference", reference, reason)
        else:
            names = ", ".join(sorted(p.authority.name for p in found))
            run.error(
                record.row,
                "reference",
                reference,
                _(
                    "Several authorities have a procedure with this reference (%(names)s): name "
                    "the authority in the column “authority”."
                )
                % {"names": names},
            )
        return None

    def duplicate_reason(self, record: Record, first: int) -> str:
        return _(
            "The same stage of the procedure on the same day appears twice in the file (first "
            "in row %(row)s)."
        ) % {"row": first}

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        if not plan.created:
            return  # recorded already: only its deadline or note may change
        event = cast("ProcedureEvent", plan.obj)
        values = plan.record.values
        pk = values.get("_procedure")
        if pk is None:
            return
        event.procedure_id = pk
        state: ProcedureState = run.cache["states"][pk]
        outcome = values.get("outcome") or ""
        outcome = "" if outcome == "open" else outcome
        columns = {"kind": "stage", "on": "date", "deadline": "deadline", "outcome": "outcome"}
        problems = stage_problems(state, event.kind, event.on, event.deadline, outcome)
        for name, reason in problems:
            value = {"kind": event.kind, "on": day(event.on), "deadline": day(event.deadline)}
            run.error(plan.record.row, columns[name], value.get(name, outcome), reason)
        if not problems:
            ends = advance(state, event.kind, event.on, outcome)
            if ends:
                plan.extra["ends"] = ends

    def write_extra(self, run: ImportRun, plans: list[RowPlan]) -> list[AuditEntry]:
        end_procedures(run, plans)
        return []

    def export_value(self, obj: Any, column: Column) -> Any:
        event = cast("ProcedureEvent", obj)
        if column.name == "reference":
            return event.procedure.reference
        if column.name == "authority":
            return event.procedure.authority.name
        if column.name == "city":
            return event.procedure.authority.city
        if column.name == "outcome":
            procedure = event.procedure
            ended = event.kind in (EventKind.DECISION, EventKind.WITHDRAWAL)
            return procedure.outcome if ended and event.on == procedure.ended_on else ""
        return super().export_value(obj, column)

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        return queries.events(user=user, masterplan=masterplan).select_related(
            "procedure__authority"
        )


# --- Peer figures -------------------------------------------------------------------------------

STATISTIC_WORDS = (
    ("Median", "median"),
    ("Median der Verfahrensdauer", "median"),
    ("Kaplan-Meier-Median", "km_median"),
    ("Kaplan–Meier median", "km_median"),
    ("KM-Median", "km_median"),
    ("Mittelwert abgeschlossener Verfahren", "mean_closed"),
    ("Mittelwert", "mean_closed"),
    ("Durchschnitt", "mean_closed"),
    ("durchschnittliche Dauer", "mean_closed"),
    ("mean", "mean_closed"),
    ("mean of closed procedures", "mean_closed"),
    ("90. Perzentil", "p90"),
    ("90%-Perzentil", "p90"),
    ("90th percentile", "p90"),
    ("Anteil fristgerecht", "share_deadline"),
    ("Anteil in Frist", "share_deadline"),
    ("Anteil innerhalb der Frist", "share_deadline"),
    ("share within deadline", "share_deadline"),
    ("share within the deadline", "share_deadline"),
)
START_WORDS = (
    ("Eingang", "received"),
    ("Antragseingang", "received"),
    ("Eingang des Antrags", "received"),
    ("Vollständigkeit", "complete"),
    ("vollständig", "complete"),
    ("vollständiger Antrag", "complete"),
    ("Vorliegen der vollständigen Unterlagen", "complete"),
)
END_WORDS = (
    ("Entscheidung", "decided"),
    ("Bescheid", "decided"),
    ("Bescheiddatum", "decided"),
    ("Zustellung", "notified"),
    ("Bekanntgabe", "notified"),
    ("delivered", "notified"),
)


@register
class PeerFigureImporter(NaturalKeyImporter):
    """Figures peer cities published; upsert on (city, year, type, statistic, clock)."""

    key = "permits.peer_figures"
    model = PeerFigure
    action = "permits.peerfigure"
    title = gettext_lazy("Published figures of peers")
    file_stem = "vergleichswerte"
    list_url_name = "permits:benchmark"
    duplicate_column = "statistic"
    columns = (
        text("city", gettext_lazy("City"), "Stadt", "Kommune", required=True, example="Essen"),
        Column(
            "ags",
            label=gettext_lazy("Municipality key (AGS)"),
            aliases=("AGS", "Gemeindeschlüssel", "Amtlicher Gemeindeschlüssel"),
            code=True,
            digits=8,
            example="05113000",
        ),
        Column(
            "year",
            ColumnType.INT,
            label=gettext_lazy("Year"),
            aliases=("Jahr", "Berichtsjahr"),
            required=True,
            min_value=1990,
            max_value=2100,
            example="2024",
        ),
        text(
            "procedure_type",
            gettext_lazy("Procedure type"),
            "Verfahrensart",
            "procedure type",
            "type",
            required=True,
            example="Baugenehmigung (§ 64 BauO NRW)",
        ),
        Column(
            "statistic",
            ColumnType.CHOICE,
            label=gettext_lazy("Statistic"),
            aliases=("Kennzahl", "Statistik", "Maß"),
            required=True,
            choice_aliases=STATISTIC_WORDS,
            example="median",
        ),
        Column(
            "value",
            ColumnType.DECIMAL,
            label=gettext_lazy("Value"),
            aliases=("Wert", "Tage"),
            required=True,
            min_value=0,
            help=gettext_lazy("Days; a share as a fraction 0–1."),
            example="84",
        ),
        Column(
            "n",
            ColumnType.INT,
            label=gettext_lazy("Procedures (n)"),
            aliases=("Anzahl", "Fallzahl", "Anzahl Verfahren"),
            min_value=0,
            example="412",
        ),
        Column(
            "start",
            ColumnType.CHOICE,
            label=gettext_lazy("Clock starts"),
            aliases=("start definition", "Beginn", "Fristbeginn", "Start"),
            required=True,
            choice_aliases=START_WORDS,
            example="complete",
        ),
        Column(
            "end",
            ColumnType.CHOICE,
            label=gettext_lazy("Clock ends"),
            aliases=("end definition", "Ende", "Fristende"),
            choice_aliases=END_WORDS,
            example="decided",
        ),
        text(
            "source",
            gettext_lazy("Source"),
            "Quelle",
            required=True,
            example="Stadt Essen, Bauaufsicht, Jahresbericht 2024",
        ),
    )

    def load(self, run: ImportRun) -> None:
        run.cache["figures"] = {
            figure_key(f.city, f.year, f.procedure_type, f.statistic, f.start, f.end): f
            for f in PeerFigure.objects.filter(masterplan=run.masterplan).order_by()
        }

    def check_record(self, run: ImportRun, record: Record) -> None:
        value = record.values.get("value")
        share = record.values.get("statistic") == Statistic.SHARE_WITHIN_DEADLINE
        if share and value is not None and value > 1:
            run.error(
                record.row,
                "value",
                format_cell(ColumnType.DECIMAL, value),
                _("A share is a fraction between 0 and 1: write 0,85 for 85 %."),
            )

    def natural_keys(self, run: ImportRun, records: list[Record]) -> dict[str, PlanScopedModel]:
        figures: dict[str, PeerFigure] = run.cache["figures"]
        found: dict[str, PlanScopedModel] = {}
        for record in records:
            v = record.values
            end = v.get("end")
            key = figure_key(
                v["city"],
                v["year"],
                v["procedure_type"],
                v["statistic"],
                v["start"],
                end if isinstance(end, str) and end else ClockEnd.DECIDED,
            )
            record.values[NATURAL_KEY] = key
            if key in figures:
                found[key] = figures[key]
        return found

    def duplicate_reason(self, record: Record, first: int) -> str:
        return _(
            "The same figure (city, year, procedure type, statistic, start and end) appears "
            "twice in the file (first in row %(row)s)."
        ) % {"row": first}

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        if plan.created:
            plan.obj.publication = Publication.PUBLISHED

    def export_queryset(
        self, *, user: Actor, masterplan: Masterplan, filters: QueryDict
    ) -> QuerySet[Any]:
        values = queries.PEER_FIGURES.values(filters, ListContext(user, masterplan))
        return queries.peer_figures(user=user, masterplan=masterplan, **values)


def figure_key(city: str, year: int, kind: str, statistic: str, start: str, end: str) -> str:
    return SEPARATOR.join((city.casefold(), str(year), kind.casefold(), statistic, start, end))


# --- XBau messages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class XBauOptions:
    """What an XBau import needs beyond the messages: a 0200 (application) for a procedure
    the plan does not know creates it at `authority` (a name or city of an authority of the
    plan; empty: the plan's own authority, when it has exactly one) with the procedure type of
    code `procedure_type` (XBau does not say which building permit procedure it is).

    Set by `masterplan import_xbau --authority --type` and, from the upload page's fields
    (forms.XBauOptionsForm), by `XBauImporter.options` around the import job.
    """

    authority: str = ""
    procedure_type: str = DEFAULT_XBAU_TYPE


XBAU_OPTIONS: ContextVar[XBauOptions | None] = ContextVar("xbau_options", default=None)


@contextlib.contextmanager
def xbau_options(*, authority: str = "", procedure_type: str = DEFAULT_XBAU_TYPE) -> Iterator[None]:
    """`with xbau_options(authority="Stadt Duisburg – Bauaufsicht"): import_file(...)`."""
    token = XBAU_OPTIONS.set(XBauOptions(authority=authority, procedure_type=procedure_type))
    try:
        yield
    finally:
        XBAU_OPTIONS.reset(token)


XBAU_COLUMNS = (
    text("file", gettext_lazy("File"), field=None),
    text("message_id", gettext_lazy("Message ID"), "nachrichtenUUID"),
    text("message", gettext_lazy("XBau message"), "nachrichtentyp", field="message_number"),
    text("reference", gettext_lazy("Reference"), "vorgang", field=None),
    text("application_id", gettext_lazy("Application ID"), "referenz", field=None),
    Column(
        "stage",
        ColumnType.CHOICE,
        field="kind",
        label=gettext_lazy("Stage"),
        choices=STAGE_CHOICES,
    ),
    date_column("date", gettext_lazy("Date"), field="on"),
    DEADLINE,
    PARTY,
    NOTE,
    text("outcome", gettext_lazy("Outcome"), field=None),
)
XBAU_HEADER = [c.name for c in XBAU_COLUMNS]


def message_note(message: XBauMessage) -> str:
    if message.defects:
        return ngettext(
            "%(count)s missing document or defect",
            "%(count)s missing documents or defects",
            message.defects,
        ) % {"count": message.defects}
    if message.conditions:
        return ngettext(
            "%(count)s ancillary provision", "%(count)s ancillary provisions", message.conditions
        ) % {"count": message.conditions}
    return ""


def message_cells(name: str, message: XBauMessage) -> list[CellValue]:
    return [
        name,
        message.message_id,
        message.number,
        message.reference,
        message.application_id,
        message.kind.value,
        message.on,
        message.deadline,
        message.party,
        message_note(message),
        message.outcome,
    ]


def xbau_problem(error: XBauError) -> FileProblem:
    return FileProblem(error.message, row=error.line, value=str(error.params.get("name", "")))


def safe_member(info: zipfile.ZipInfo) -> str:
    """Why a ZIP entry is refused ("" if it is not): paths outside the folder, links,
    encrypted or oversized entries."""
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) or ".." in parts:
        return _("The ZIP file contains a path outside its folder (%(name)s); it is refused.") % {
            "name": name
        }
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        return _("The ZIP file contains a link (%(name)s); it is refused.") % {"name": name}
    if info.flag_bits & 0x1:
        return _("The ZIP file contains an encrypted entry (%(name)s).") % {"name": name}
    if info.file_size > DEFAULT_MAX_BYTES:
        return _("%(name)s is larger than %(max)s bytes; a message is not that large.") % {
            "name": name,
            "max": DEFAULT_MAX_BYTES,
        }
    if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
        return _("%(name)s unpacks to more than %(ratio)s times its size; it is refused.") % {
            "name": name,
            "ratio": MAX_COMPRESSION_RATIO,
        }
    return ""


def zip_messages(data: bytes) -> list[tuple[str, bytes]]:
    """The XML files of a ZIP archive, checked before any is unpacked (see safe_member)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise FileProblem(_("The ZIP file is damaged and cannot be read.")) from None
    members = [i for i in infos if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
    for info in members:
        reason = safe_member(info)
        if reason:
            raise FileProblem(reason, value=info.filename)
    xml = [i for i in members if i.filename.lower().endswith(".xml")]
    if len(xml) > MAX_MESSAGES:
        raise FileProblem(
            _("The ZIP file holds %(count)s messages; up to %(max)s can be imported at once.")
            % {"count": len(xml), "max": MAX_MESSAGES}
        )
    total = sum(i.file_size for i in xml)
    if total > 10 * settings.IMPORT_MAX_BYTES:
        raise FileProblem(_("The ZIP file unpacks to more than the import allows."))
    found = []
    for info in xml:
        with archive.open(info) as member:
            content = member.read(DEFAULT_MAX_BYTES + 1)  # the declared size may lie
        found.append((info.filename, content))
    if not found:
        raise FileProblem(_("The ZIP file holds no XBau message (.xml file)."))
    return found


def read_messages(data: bytes, filename: str) -> list[tuple[str, XBauMessage]]:
    """Every message of an XML file or a ZIP archive, in the order they were sent; every
    message that cannot be read is reported, each with its file name."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise FileProblem(
            _("The file is larger than %(max)s bytes.") % {"max": settings.IMPORT_MAX_BYTES}
        )
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    files = zip_messages(data) if data.startswith(ZIP_MAGIC) else [(filename, data)]
    messages: list[tuple[str, XBauMessage]] = []
    problems: list[FileProblem] = []
    for name, content in files:
        try:
            messages.append((name, read_xbau(content, name=name)))
        except XBauError as error:
            problems.append(xbau_problem(error))
    if problems:
        first = problems[0]
        first.more = problems[1:]
        raise first
    messages.sort(key=lambda pair: (pair[1].sent_at, pair[1].number, pair[0]))
    return messages


@register
class XBauImporter(NaturalKeyImporter):
    """XBau 2.3 messages (xbau.py): each becomes a stage event of its procedure, once.

    The procedure is found by the authority's file reference (bezug/vorgang) or, for the
    messages before the authority gave one, by the application's UUID, which a 0200 creating
    the procedure takes as its reference until the first message with both renames it. A
    message for no known procedure (other than a 0200) is an error; so is a message whose
    stage breaks the rules of the events file.
    """

    key = "permits.xbau"
    model = ProcedureEvent
    action = "permits.event"
    title = gettext_lazy("XBau messages")
    file_stem = "xbau"
    list_url_name = "permits:procedure_list"
    accept = ".xml,.zip"
    has_template = False
    duplicate_column = "message_id"
    extra_fields = ("procedure",)
    file_help = gettext_lazy(
        "One XBau 2.3 message (.xml) or a ZIP archive of messages: application (0200), "
        "formal check (0201), amended application (0202), hearing (0203, 0204), decision "
        "(0205), fee notice (0206) and participation (0300, 0303)."
    )
    format_rules = (  # "20,000": MAX_MESSAGES
        gettext_lazy(
            "One XBau 2.3 message as an XML file, or a ZIP archive of such messages (at most "
            "20,000)."
        ),
        gettext_lazy(
            "Each message becomes a stage of its procedure, found by the authority's file "
            "reference or, before the authority gave one, by the application's ID. A message "
            "imported before (the same message ID) is skipped, so a file can be imported again."
        ),
        gettext_lazy(
            "An application (0200) for a procedure the plan does not have yet creates it, at "
            "the authority and with the procedure type chosen above; any other message for an "
            "unknown procedure is an error, and nothing is imported."
        ),
        gettext_lazy(
            "Only the fields in the table below are read. Files with a document type "
            "declaration (DTD) or external entities are refused."
        ),
    )
    columns = XBAU_COLUMNS
    options_form = XBauOptionsForm  # the upload page's authority and type

    def options(self, values: Mapping[str, Any]) -> contextlib.AbstractContextManager[object]:
        return xbau_options(
            authority=values.get("authority") or "",
            procedure_type=values.get("procedure_type") or DEFAULT_XBAU_TYPE,
        )

    def read(self, content: Source) -> Table:
        data = content_bytes(content)
        path = getattr(content, "name", None)  # a file opened by the command line
        messages = read_messages(data, Path(path).name if path else _("the message"))
        rows = [(index, message_cells(name, m)) for index, (name, m) in enumerate(messages, 1)]
        header = list(XBAU_HEADER)
        return Table(
            header=header,
            file_format="XBau 2.3" + (" (ZIP)" if data.startswith(ZIP_MAGIC) else ""),
            row_count=len(rows),
            records=lambda: iter([(0, header), *rows]),
        )

    def estimate_rows(self, content: bytes) -> int:
        return max(1, content.count(b".xml")) if content.startswith(ZIP_MAGIC) else 1

    def load(self, run: ImportRun) -> None:
        options = XBAU_OPTIONS.get() or XBauOptions()
        book = AuthorityBook.load(run.masterplan)
        authority_pk = None
        if options.authority:
            key = options.authority.casefold()
            entry = book.names.get(key)
            if entry is None and len(book.cities.get(key, [])) == 1:
                entry = book.names[book.cities[key][0]]
            if entry is None:
                raise FileProblem(
                    _("No authority “%(name)s” in this masterplan.") % {"name": options.authority}
                )
            authority_pk = entry.pk
        else:
            own = queries.sole_own_building_authority(masterplan=run.masterplan)
            authority_pk = own.pk if own is not None else None
        run.cache["authority"] = authority_pk
        run.cache["authority_restricted"] = bool(options.authority)
        run.cache["types"] = TypeBook.load(run)
        run.cache["type_code"] = options.procedure_type
        run.cache["by_reference"] = {}  # reference or application ID → ProcedureState, or None
        run.cache["created"] = []

    def natural_keys(self, run: ImportRun, records: list[Record]) -> dict[str, PlanScopedModel]:
        known: dict[str, ProcedureState | None] = run.cache["by_reference"]
        names = {
            name
            for r in records
            for name in (r.values.get("reference"), r.values.get("application_id"))
            if name and name not in known
        }
        if names:
            procedures = Procedure.objects.filter(masterplan=run.masterplan, reference__in=names)
            if run.cache["authority_restricted"]:
                procedures = procedures.filter(authority_id=run.cache["authority"])
            found = list(procedures.order_by())
            states = procedure_states(found)
            count: dict[str, int] = defaultdict(int)
            for procedure in found:
                count[procedure.reference] += 1
            for procedure in found:
                ambiguous = count[procedure.reference] > 1
                known[procedure.reference] = None if ambiguous else states[procedure.pk]
        ids = [r.values["message_id"] for r in records]
        for record in records:
            record.values[NATURAL_KEY] = record.values["message_id"]
        return {
            e.message_id: e
            for e in ProcedureEvent.all_objects.filter(
                masterplan=run.masterplan, message_id__in=ids
            ).order_by()
        }

    def duplicate_reason(self, record: Record, first: int) -> str:
        return _("The message appears twice (first as message %(row)s).") % {"row": first}

    def plan_extra(self, run: ImportRun, plan: RowPlan) -> None:
        if not plan.created:
            return  # imported before: a message is imported once
        values, row = plan.record.values, plan.record.row
        event = cast("ProcedureEvent", plan.obj)
        state = self.procedure_for(run, plan)
        if state is None:
            return
        plan.extra["state"] = state
        if state.pk is not None:
            event.procedure_id = state.pk
        outcome = values.get("outcome") or ""
        problems = stage_problems(state, event.kind, event.on, event.deadline, outcome)
        for _name, reason in problems:
            run.error(row, "file", values["file"], f"{values['message']}: {reason}")
        if not problems:
            ends = advance(state, event.kind, event.on, outcome)
            if ends:
                plan.extra["ends"] = ends

    def procedure_for(self, run: ImportRun, plan: RowPlan) -> ProcedureState | None:
        """The procedure a message belongs to (a 0200 creates it), or None after an error."""
        values, row = plan.record.values, plan.record.row
        known: dict[str, ProcedureState | None] = run.cache["by_reference"]
        reference, application = values.get("reference") or "", values.get("application_id") or ""
        file = values["file"]
        for name in (reference, application):
            if name and name in known and known[name] is None:
                run.error(
                    row,
                    "file",
                    file,
                    _(
                        "Several authorities have a procedure “%(reference)s”; import the "
                        "messages for one authority (option authority)."
                    )
                    % {"reference": name},
                )
                return None
        state = known.get(reference) if reference else None
        if state is None and application:
            state = known.get(application)
            if state is not None and reference and state.reference == application:
                state.reference = reference  # the authority's file reference replaces the UUID
                known[reference] = state
                plan.extra["rename"] = reference
        if state is not None:
            return state
        if values["message"] != "0200":
            run.error(
                row,
                "file",
                file,
                _(
                    "Message %(number)s names the procedure “%(reference)s”, which is neither "
                    "in this masterplan nor created by an earlier message (0200) of the file."
                )
                % {"number": values["message"], "reference": reference or application},
            )
            return None
        return self.new_procedure(run, plan, reference or application)

    def new_procedure(self, run: ImportRun, plan: RowPlan, reference: str) -> ProcedureState | None:
        values, row = plan.record.values, plan.record.row
        authority = run.cache["authority"]
        if authority is None:
            run.error(
                row,
                "file",
                values["file"],
                _(
                    "The application (0200) is for a procedure the masterplan does not have, and "
                    "XBau does not say at which of the plan's authorities: import with the "
                    "option authority (the authority's name)."
                ),
            )
            return None
        types: TypeBook = run.cache["types"]
        found = types.find(run.cache["type_code"])
        if found is None:
            run.error(row, "file", values["file"], types.unknown(run.cache["type_code"]))
            return None
        state = ProcedureState(
            pk=None, reference=reference, received=values["date"], authority_id=authority
        )
        known: dict[str, ProcedureState | None] = run.cache["by_reference"]
        for name in (values.get("reference"), values.get("application_id")):
            if name:
                known[name] = state
        plan.extra["create"] = found[1]
        run.cache["created"].append(state)
        return state

    def write_batch(self, run: ImportRun, plans: list[RowPlan]) -> None:
        """The procedures the batch's 0200 messages create first (as received, open), then
        the events, then what the events change: decisions end, references are renamed."""
        types: TypeBook = run.cache["types"]
        new = [p for p in plans if "create" in p.extra]
        procedures = []
        for plan in new:
            state: ProcedureState = plan.extra["state"]
            found = types.find(plan.extra["create"])
            assert found is not None and found[0] is not None and state.authority_id is not None
            procedures.append(
                Procedure(
                    masterplan=run.masterplan,
                    reference=state.reference,
                    authority_id=state.authority_id,
                    procedure_type_id=found[0],
                    received=state.received,
                    publication=Publication.PUBLISHED,
                )
            )
        insert_rows(Procedure, procedures)
        append_entries(
            [
                build_entry(
                    actor=run.actor,
                    action="permits.procedure.imported",
                    obj=procedure,
                    changes=initial_values(
                        procedure, ["reference", "authority", "procedure_type", "received"]
                    ),
                )
                for procedure in procedures
            ]
        )
        for plan, procedure in zip(new, procedures, strict=True):
            plan.extra["state"].pk = procedure.pk
        for plan in plans:
            if plan.created and "state" in plan.extra:
                cast("ProcedureEvent", plan.obj).procedure_id = plan.extra["state"].pk
        super().write_batch(run, plans)

    def write_extra(self, run: ImportRun, plans: list[RowPlan]) -> list[AuditEntry]:
        end_procedures(run, plans)
        return []

    def check_file(self, run: ImportRun) -> None:
        created = run.cache.get("created") or []
        if created and not run.write:
            run.report.notes.append(
                ngettext(
                    "%(count)s new procedure from its application (0200).",
                    "%(count)s new procedures from their applications (0200).",
                    len(created),
                )
                % {"count": len(created)}
            )
