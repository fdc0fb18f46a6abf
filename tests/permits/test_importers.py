"""The permit imports through the import framework: a peer city's procedure file as it is
shared (German headers, `;`, German dates; also English headers), authorities created by
name, upserts on (authority, reference), stage events and XBau messages with the rules of
services.event_add, peer figures, and every bad input refused with row, column and reason and
nothing changed. The files in tests/data/permits are invented sample data."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from masterplan.core.imports.report import ImportReport
from masterplan.core.imports.runner import import_file
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.permits import services
from masterplan.permits.exports import export_bytes
from masterplan.permits.importers import xbau_options
from masterplan.permits.models import (
    Authority,
    Outcome,
    PeerFigure,
    Procedure,
    ProcedureEvent,
    ProcedureType,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "permits"
XBAU = DATA / "xbau"
DUISBURG_BAUAUFSICHT = "Stadt Duisburg – Amt für Baurecht und Bauberatung"


def run(
    plan: Masterplan,
    actor: Any,
    key: str,
    content: bytes,
    *,
    dry_run: bool = False,
    filename: str = "datei.csv",
) -> ImportReport:
    with translation.override("en"):
        return import_file(
            importer=key,
            masterplan=plan,
            actor=actor,
            content=content,
            filename=filename,
            dry_run=dry_run,
        )


def errors(report: ImportReport) -> list[str]:
    with translation.override("en"):
        return [str(e) for e in report.errors]


def csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def counts() -> tuple[int, int, int, int]:
    return (
        Authority.objects.count(),
        Procedure.objects.count(),
        ProcedureEvent.objects.count(),
        PeerFigure.objects.count(),
    )


@pytest.fixture
def bauaufsicht(plan: Masterplan, coordinator: Any) -> Authority:
    services.ensure_default_types(actor=coordinator, masterplan=plan)
    return services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name=DUISBURG_BAUAUFSICHT,
        city="Duisburg",
        ags="05112000",
    )


@pytest.fixture
def procedure(plan: Masterplan, coordinator: Any, bauaufsicht: Authority) -> Procedure:
    return services.procedure_create(
        actor=coordinator,
        masterplan=plan,
        authority=bauaufsicht,
        procedure_type=ProcedureType.objects.get(masterplan=plan, code="bauo-nrw-64"),
        reference="63-BG-2025-00310",
        subject="Logistikhalle Duisburg-Rheinhausen (Beispieldaten)",
        received=date(2025, 2, 10),
    )


# --- Procedures ---------------------------------------------------------------------------------

PROCEDURE_HEADER = (
    "Aktenzeichen;Stadt/Behörde;Verfahrensart;Eingang;vollständig;entschieden;zurückgenommen;"
    "Ergebnis"
)


def test_a_peer_citys_file_imports_as_it_is(plan: Masterplan, coordinator: Any) -> None:
    report = run(
        plan, coordinator, "permits.procedures", (DATA / "procedures_peer_de.csv").read_bytes()
    )
    assert report.ok, errors(report)
    assert report.created == 7
    essen = Authority.objects.get(masterplan=plan, name="Essen")
    assert (essen.city, essen.is_own) == ("Essen", False)
    duisburg = Authority.objects.get(masterplan=plan, name="Duisburg")
    assert duisburg.is_own  # the masterplan's city
    assert not Authority.objects.get(masterplan=plan, name="Köln").is_own
    decided = Procedure.objects.get(reference="61-BG-2024-00412")
    assert decided.authority == essen and decided.procedure_type.code == "bauo-nrw-64"
    assert (decided.received, decided.complete, decided.decided) == (
        date(2024, 1, 8),
        date(2024, 1, 29),
        date(2024, 4, 18),
    )
    assert decided.outcome == Outcome.APPROVED
    # the type by its legal basis; German outcomes
    open_one = Procedure.objects.get(reference="61-BG-2024-00587")
    assert open_one.procedure_type.code == "bauo-nrw-64" and open_one.outcome == Outcome.OPEN
    deemed = Procedure.objects.get(reference="61-BG-2024-00733")
    assert (deemed.withdrawn, deemed.outcome) == (date(2024, 3, 4), Outcome.DEEMED_WITHDRAWN)
    assert Procedure.objects.get(reference="63-0123/24").outcome == Outcome.REFUSED
    assert Procedure.objects.get(reference="63-BG-2024-00099").outcome == Outcome.WITHDRAWN
    # the statutory default types exist, and everything is audited
    assert ProcedureType.objects.filter(masterplan=plan, code="bimschg-19").exists()
    assert AuditEntry.objects.filter(action="permits.procedure.imported").count() == 7
    created = AuditEntry.objects.get(action="permits.authority.imported", object_id=str(essen.pk))
    assert created.changes["city"] == [None, "Essen"]
    entry = AuditEntry.objects.get(action="permits.procedure.imported", object_id=str(decided.pk))
    assert entry.changes["authority"] == [None, essen.pk]


def test_english_headers_iso_dates_and_a_named_authority(
    plan: Masterplan, coordinator: Any
) -> None:
    report = run(
        plan, coordinator, "permits.procedures", (DATA / "procedures_peer_en.csv").read_bytes()
    )
    assert report.ok, errors(report)
    assert report.created == 3
    office = Authority.objects.get(masterplan=plan, name="Stadt Köln – Bauaufsichtsamt")
    assert (office.city, office.is_own) == ("Köln", False)
    assert Authority.objects.filter(masterplan=plan, city="Köln").count() == 2
    bimschg = Procedure.objects.get(reference="BImSchG-2024-07")
    assert bimschg.procedure_type.code == "bimschg-19"  # by its whole legal basis
    assert Procedure.objects.get(reference="BA-2024-1203").procedure_type.code == "bauo-nrw-65"
    assert all(p.is_sample for p in Procedure.objects.all())


def test_a_workbook_with_date_cells_imports_like_the_csv_file(
    plan: Masterplan, coordinator: Any
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(PROCEDURE_HEADER.split(";"))
    sheet.append(
        ["61-BG-2024-00412", "Essen", "bauo-nrw-64", datetime(2024, 1, 8), None, None, None, ""]
    )
    sheet.append(
        [
            "63-0123/24",
            "Köln",
            "bauo-nrw-64",
            datetime(2024, 2, 5),
            datetime(2024, 2, 20),
            datetime(2024, 5, 30),
            None,
            "abgelehnt",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(plan, coordinator, "permits.procedures", buffer.getvalue(), filename="v.xlsx")
    assert report.ok, errors(report)
    refused = Procedure.objects.get(reference="63-0123/24")
    assert (refused.decided, refused.outcome) == (date(2024, 5, 30), Outcome.REFUSED)


def test_a_city_with_several_authorities_needs_the_authority_named(
    plan: Masterplan, coordinator: Any
) -> None:
    run(plan, coordinator, "permits.procedures", (DATA / "procedures_peer_en.csv").read_bytes())
    before = counts()
    report = run(
        plan,
        coordinator,
        "permits.procedures",
        csv(PROCEDURE_HEADER, "BA-2024-2001;Köln;bauo-nrw-64;01.04.2024;;;;"),
    )
    assert errors(report) == [
        "row 2, column “Stadt/Behörde”, value “Köln”: The city has several authorities in "
        "this masterplan (Stadt Köln – Bauaufsichtsamt, Stadt Köln – Umwelt- und "
        "Verbraucherschutzamt); name the authority in the column “authority”."
    ]
    assert counts() == before


def test_importing_again_updates_by_authority_and_reference(
    plan: Masterplan, coordinator: Any
) -> None:
    content = (DATA / "procedures_peer_de.csv").read_bytes()
    run(plan, coordinator, "permits.procedures", content)
    before = counts()
    again = run(plan, coordinator, "permits.procedures", content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    changed = run(
        plan,
        coordinator,
        "permits.procedures",
        csv(
            PROCEDURE_HEADER,
            "61-BG-2024-00587;Essen;bauo-nrw-65;15.01.2024;12.02.2024;02.05.2024;;abgelehnt",
        ),
    )
    assert changed.ok, errors(changed)
    assert (changed.created, changed.updated) == (0, 1)
    assert counts() == before
    procedure = Procedure.objects.get(reference="61-BG-2024-00587")
    assert (procedure.decided, procedure.outcome, procedure.version) == (
        date(2024, 5, 2),
        Outcome.REFUSED,
        2,
    )
    assert changed.changes[0].diff["outcome"] == ("open", "refused")
    assert changed.changes[0].diff["type"] == ("bauo-nrw-64", "bauo-nrw-65")
    assert procedure.procedure_type.code == "bauo-nrw-65"


def test_the_same_reference_at_another_authority_is_another_procedure(
    plan: Masterplan, coordinator: Any
) -> None:
    report = run(
        plan,
        coordinator,
        "permits.procedures",
        csv(
            PROCEDURE_HEADER,
            "BG-2024-0001;Essen;bauo-nrw-64;08.01.2024;;;;",
            "BG-2024-0001;Köln;bauo-nrw-64;09.01.2024;;;;",
        ),
    )
    assert report.ok and report.created == 2


def test_the_round_trip_export_imports_unchanged(plan: Masterplan, coordinator: Any) -> None:
    run(plan, coordinator, "permits.procedures", (DATA / "procedures_peer_de.csv").read_bytes())
    exported = export_bytes("permits.procedures", user=coordinator, masterplan=plan)
    assert exported.decode("utf-8-sig").splitlines()[0] == (
        "reference;authority;city;type;received;complete;decided;withdrawn;outcome;subject;"
        "is_sample"
    )
    report = run(plan, coordinator, "permits.procedures", exported)
    assert report.ok, errors(report)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 7)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "BG-1;Essen;bauo-nrw-64;08.01.2024;;05.01.2024;;genehmigt",
            "row 2, column “entschieden”, value “05.01.2024”: This date lies before the "
            "application was received.",
        ),
        (
            "BG-1;Essen;bauo-nrw-64;08.01.2024;02.01.2024;;;",
            "row 2, column “vollständig”, value “02.01.2024”: This date lies before the "
            "application was received.",
        ),
        (
            "BG-1;Essen;bauo-nrw-64;08.01.2024;;04.03.2024;05.03.2024;genehmigt",
            "row 2, column “zurückgenommen”, value “05.03.2024”: A procedure ends by decision "
            "or by withdrawal.",
        ),
        (
            "BG-1;Essen;bauo-nrw-64;08.01.2024;;04.03.2024;;offen",
            "row 2, column “Ergebnis”, value “open”: A decided procedure is approved or refused.",
        ),
        (
            "BG-1;Essen;bauo-nrw-64;08.01.2024;;;;genehmigt",
            "row 2, column “entschieden”: An approval or refusal needs the decision date.",
        ),
        (
            "BG-1;Essen;Bauvoranfrage;08.01.2024;;;;",
            "row 2, column “Verfahrensart”, value “Bauvoranfrage”: Unknown procedure type. "
            "Write its code, name or legal basis; known codes: bauo-nrw-64, bauo-nrw-65, "
            "bimschg-10, bimschg-15, bimschg-15-2a, bimschg-16, bimschg-16-2, bimschg-19, "
            "hbo-65.",
        ),
        (
            "BG-1;Essen;bauo-nrw-64;31.02.2024;;;;",
            "row 2, column “Eingang”, value “31.02.2024”: Not a valid date. Write dates as "
            "dd.mm.yyyy (or yyyy-mm-dd).",
        ),
        (
            "BG-1;Essen;bauo-nrw-64;08.01.2024;;;;vertagt",
            "row 2, column “Ergebnis”, value “vertagt”: Not an allowed value. Allowed: "
            "approved (Approved), refused (Refused), withdrawn (Withdrawn), deemed_withdrawn "
            "(Deemed withdrawn), open (Open).",
        ),
    ],
)
def test_a_bad_row_is_refused_with_row_column_and_reason_and_nothing_imported(
    plan: Masterplan, coordinator: Any, row: str, expected: str
) -> None:
    content = csv(PROCEDURE_HEADER, "63-BG-2024-00051;Duisburg;bauo-nrw-64;03.01.2024;;;;", row)
    before = counts()
    report = run(plan, coordinator, "permits.procedures", content)
    assert errors(report) == [expected.replace("row 2", "row 3")]
    assert counts() == before


def test_a_procedure_twice_in_the_file_is_refused(plan: Masterplan, coordinator: Any) -> None:
    report = run(
        plan,
        coordinator,
        "permits.procedures",
        csv(
            PROCEDURE_HEADER,
            "BG-1;Essen;bauo-nrw-64;08.01.2024;;;;",
            "BG-1;essen;bauo-nrw-64;09.01.2024;;;;",
        ),
    )
    assert errors(report) == [
        "row 3, column “Aktenzeichen”, value “BG-1”: The procedure appears twice in the file "
        "for the same authority (first in row 2)."
    ]
    assert counts() == (0, 0, 0, 0)


def test_a_dry_run_changes_nothing_and_names_the_new_authorities(
    plan: Masterplan, coordinator: Any
) -> None:
    report = run(
        plan,
        coordinator,
        "permits.procedures",
        (DATA / "procedures_peer_de.csv").read_bytes(),
        dry_run=True,
    )
    assert report.ok, errors(report)
    assert report.created == 7
    assert report.notes == ["New authorities: Essen (peer), Köln (peer), Duisburg (own)."]
    assert counts() == (0, 0, 0, 0)
    assert not ProcedureType.objects.exists()  # the default types are not created either


# --- Stage events -------------------------------------------------------------------------------

EVENT_HEADER = "Aktenzeichen;Behörde;Verfahrensschritt;Datum;Frist;Beteiligte Stelle;Bemerkung"


def test_events_with_german_headers_and_stages_end_the_procedure(
    plan: Masterplan, coordinator: Any, procedure: Procedure
) -> None:
    report = run(plan, coordinator, "permits.events", (DATA / "events_duisburg.csv").read_bytes())
    assert report.ok, errors(report)
    assert report.created == 5
    kinds = list(procedure.events.order_by("on").values_list("kind", "on", "deadline", "party"))
    assert kinds[0] == ("defects_requested", date(2025, 2, 20), date(2025, 3, 20), "")
    assert [k for k, *_rest in kinds] == [
        "defects_requested",
        "amended_application",
        "statement_requested",
        "statement",
        "decision",
    ]
    assert kinds[2][3] == "Bezirksregierung Düsseldorf, Dezernat 53"
    procedure.refresh_from_db()
    assert (procedure.decided, procedure.outcome) == (date(2025, 5, 23), Outcome.APPROVED)
    again = run(plan, coordinator, "permits.events", (DATA / "events_duisburg.csv").read_bytes())
    assert again.ok and (again.created, again.unchanged) == (0, 5)
    exported = export_bytes("permits.events", user=coordinator, masterplan=plan)
    assert exported.decode("utf-8-sig").splitlines()[1] == (
        "63-BG-2025-00310;Stadt Duisburg – Amt für Baurecht und Bauberatung;Duisburg;"
        "defects_requested;20.02.2025;20.03.2025;;Amtlicher Lageplan fehlt;"
    )
    round_trip = run(plan, coordinator, "permits.events", exported)
    assert round_trip.ok and (round_trip.created, round_trip.unchanged) == (0, 5)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            ["63-BG-2025-09999;;Nachforderung;20.02.2025;;;"],
            "row 2, column “Aktenzeichen”, value “63-BG-2025-09999”: Unknown reference: no "
            "procedure with this reference in this masterplan.",
        ),
        (
            ["63-BG-2025-00310;;Nachforderung;03.02.2025;;;"],
            "row 2, column “Datum”, value “03.02.2025”: The event lies before the application "
            "was received (10.02.2025).",
        ),
        (
            ["63-BG-2025-00310;;Antrag geändert;12.03.2025;;;"],
            "row 2, column “Verfahrensschritt”, value “amended_application”: An amended "
            "application answers a request for missing documents, and none is recorded on or "
            "before this day.",
        ),
        (
            [
                "63-BG-2025-00310;;Bescheid;23.05.2025;;;",
                "63-BG-2025-00310;;Anhörung;02.06.2025;16.06.2025;;",
            ],
            "row 3, column “Datum”, value “02.06.2025”: The event lies after the procedure "
            "ended (23.05.2025).",
        ),
        (
            ["63-BG-2025-00310;Stadt Essen;Nachforderung;20.02.2025;;;"],
            "row 2, column “Aktenzeichen”, value “63-BG-2025-00310”: Unknown reference: Stadt "
            "Essen has no procedure with this reference.",
        ),
    ],
)
def test_bad_events_are_refused_and_nothing_changes(
    plan: Masterplan, coordinator: Any, procedure: Procedure, rows: list[str], expected: str
) -> None:
    before = counts()
    report = run(plan, coordinator, "permits.events", csv(EVENT_HEADER, *rows))
    assert errors(report) == [expected]
    assert counts() == before
    procedure.refresh_from_db()
    assert procedure.decided is None


def test_a_decision_event_on_another_day_than_the_recorded_decision_is_refused(
    plan: Masterplan, coordinator: Any, procedure: Procedure
) -> None:
    services.procedure_update(
        actor=coordinator,
        procedure=procedure,
        version=procedure.version,
        decided=date(2025, 5, 20),
        outcome=Outcome.APPROVED,
    )
    report = run(
        plan,
        coordinator,
        "permits.events",
        csv(EVENT_HEADER, "63-BG-2025-00310;;Bescheid;23.05.2025;;;"),
    )
    assert errors(report) == [
        "row 2, column “Datum”, value “23.05.2025”: The procedure's decision is recorded on "
        "20.05.2025, not on this day."
    ]
    assert not ProcedureEvent.objects.exists()


def test_a_decision_before_the_application_was_complete_is_refused(
    plan: Masterplan, coordinator: Any, procedure: Procedure
) -> None:
    services.procedure_update(
        actor=coordinator,
        procedure=procedure,
        version=procedure.version,
        complete=date(2025, 3, 14),
    )
    report = run(
        plan,
        coordinator,
        "permits.events",
        csv(EVENT_HEADER, "63-BG-2025-00310;;Bescheid;10.03.2025;;;"),
    )
    assert errors(report) == [
        "row 2, column “Datum”, value “10.03.2025”: The decision lies before the application "
        "was complete (14.03.2025)."
    ]
    assert not ProcedureEvent.objects.exists()


# --- Peer figures -------------------------------------------------------------------------------


def test_peer_figures_with_german_names_and_upsert(plan: Masterplan, coordinator: Any) -> None:
    content = (DATA / "peer_figures.csv").read_bytes()
    report = run(plan, coordinator, "permits.peer_figures", content)
    assert report.ok, errors(report)
    assert report.created == 4
    essen = PeerFigure.objects.get(city="Essen")
    assert (essen.statistic, essen.value, essen.n, essen.start, essen.end, essen.ags) == (
        "median",
        84,
        412,
        "complete",
        "decided",
        "05113000",
    )
    mean = PeerFigure.objects.get(city="Köln", statistic="mean_closed")
    assert (mean.value, mean.n, mean.start, mean.end) == (97.5, 1208, "received", "notified")
    assert PeerFigure.objects.get(city="Köln", statistic="share_deadline").value == 0.71
    assert PeerFigure.objects.get(city="Duisburg").statistic == "p90"
    exported = export_bytes("permits.peer_figures", user=coordinator, masterplan=plan)
    round_trip = run(plan, coordinator, "permits.peer_figures", exported)
    assert round_trip.ok and round_trip.unchanged == 4, errors(round_trip)
    again = run(plan, coordinator, "permits.peer_figures", content.replace(b";84;", b";86;"))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 3)
    essen.refresh_from_db()
    assert essen.value == 86


def test_a_share_above_one_is_refused(plan: Masterplan, coordinator: Any) -> None:
    report = run(
        plan,
        coordinator,
        "permits.peer_figures",
        csv(
            "city;year;procedure type;statistic;value;start definition;end definition;source",
            "Köln;2024;§ 64 BauO NRW;share within deadline;71;complete;decided;Stadt Köln",
        ),
    )
    assert errors(report) == [
        "row 2, column “value”, value “71”: A share is a fraction between 0 and 1: write 0,85 "
        "for 85 %."
    ]


# --- XBau messages ------------------------------------------------------------------------------

TIMELINE = [
    "0200_antrag.xml",
    "0201_formelle_pruefung.xml",
    "0202_antrag_geaendert.xml",
    "0300_beteiligung_aufforderung.xml",
    "0303_beteiligung_stellungnahme.xml",
    "0203_anhoerung.xml",
    "0204_stellungnahme.xml",
    "0205_bescheid.xml",
    "0206_gebuehrenbescheid.xml",
]


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def timeline_zip(names: list[str] = TIMELINE) -> bytes:
    # shuffled on purpose: the messages are imported in the order they were sent
    return zipped({name: (XBAU / name).read_bytes() for name in reversed(names)})


def test_a_zip_of_messages_makes_the_procedure_and_its_timeline(
    plan: Masterplan, coordinator: Any, bauaufsicht: Authority
) -> None:
    report = run(plan, coordinator, "permits.xbau", timeline_zip(), filename="vorgang.zip")
    assert report.ok, errors(report)
    assert report.created == 9
    procedure = Procedure.objects.get(masterplan=plan)
    # the 0200 created it under the application's UUID; the 0201 gave the file reference
    assert procedure.reference == "63-BG-2025-01234"
    assert procedure.authority == bauaufsicht and procedure.procedure_type.code == "bauo-nrw-64"
    assert procedure.received == date(2025, 6, 2)
    assert (procedure.decided, procedure.outcome) == (date(2025, 9, 26), Outcome.APPROVED)
    events = list(procedure.events.order_by("on", "id"))
    assert [e.message_number for e in events] == [
        "0200",
        "0201",
        "0202",
        "0300",
        "0303",
        "0203",
        "0204",
        "0205",
        "0206",
    ]
    assert events[1].kind == "defects_requested" and events[1].deadline == date(2025, 8, 7)
    assert events[1].note == "3 missing documents or defects"
    assert all(e.message_id for e in events)


def test_importing_the_messages_again_changes_nothing(
    plan: Masterplan, coordinator: Any, bauaufsicht: Authority
) -> None:
    run(plan, coordinator, "permits.xbau", timeline_zip(), filename="vorgang.zip")
    before = counts()
    versions = list(Procedure.objects.values_list("version", flat=True))
    again = run(plan, coordinator, "permits.xbau", timeline_zip(), filename="vorgang.zip")
    assert again.ok, errors(again)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
    single = run(
        plan,
        coordinator,
        "permits.xbau",
        (XBAU / "0205_bescheid.xml").read_bytes(),
        filename="0205_bescheid.xml",
    )
    assert single.ok and single.unchanged == 1
    assert counts() == before
    assert list(Procedure.objects.values_list("version", flat=True)) == versions


def test_a_message_for_an_unknown_procedure_is_refused(
    plan: Masterplan, coordinator: Any, bauaufsicht: Authority
) -> None:
    report = run(
        plan,
        coordinator,
        "permits.xbau",
        timeline_zip(TIMELINE[1:]),
        filename="ohne-antrag.zip",
    )
    assert errors(report)[0] == (
        "row 1, column “file”, value “0201_formelle_pruefung.xml”: Message 0201 names the "
        "procedure “63-BG-2025-01234”, which is neither in this masterplan nor created by an "
        "earlier message (0200) of the file."
    )
    assert counts() == (1, 0, 0, 0)


def test_an_application_without_an_authority_to_file_it_at_is_refused(
    plan: Masterplan, coordinator: Any
) -> None:
    services.ensure_default_types(actor=coordinator, masterplan=plan)
    for name in (DUISBURG_BAUAUFSICHT, "Stadt Duisburg – Bauaufsicht Nord"):
        services.authority_create(actor=coordinator, masterplan=plan, name=name, city="Duisburg")
    content = (XBAU / "0200_antrag.xml").read_bytes()
    report = run(plan, coordinator, "permits.xbau", content, filename="0200_antrag.xml")
    assert "import with the option authority" in errors(report)[0]
    assert not Procedure.objects.exists()
    with xbau_options(authority="Bauamt Atlantis"):
        unknown = run(plan, coordinator, "permits.xbau", content, filename="0200_antrag.xml")
    assert errors(unknown) == ["No authority “Bauamt Atlantis” in this masterplan."]
    with xbau_options(authority="Stadt Duisburg – Bauaufsicht Nord"):
        chosen = run(plan, coordinator, "permits.xbau", content, filename="0200_antrag.xml")
    assert chosen.ok, errors(chosen)
    procedure = Procedure.objects.get()
    assert procedure.authority.name == "Stadt Duisburg – Bauaufsicht Nord"
    assert procedure.reference == "8c1f2e9a-6b3d-4d0e-b1a7-3e5f9c2d4a10"  # until the 0201


def test_messages_out_of_order_are_refused(
    plan: Masterplan, coordinator: Any, bauaufsicht: Authority
) -> None:
    # an amended application (0202) without the request for missing documents (0201)
    names = ["0200_antrag.xml", "0202_antrag_geaendert.xml"]
    content = (
        (XBAU / "0202_antrag_geaendert.xml")
        .read_bytes()
        .replace(b"<vorgang>63-BG-2025-01234</vorgang>", b"")
    )
    report = run(
        plan,
        coordinator,
        "permits.xbau",
        zipped({names[0]: (XBAU / names[0]).read_bytes(), names[1]: content}),
        filename="x.zip",
    )
    assert errors(report) == [
        "row 2, column “file”, value “0202_antrag_geaendert.xml”: 0202: An amended application "
        "answers a request for missing documents, and none is recorded on or before this day."
    ]
    assert counts() == (1, 0, 0, 0)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("malformed.xml", "the XML is not well-formed"),
        ("billion_laughs.xml", "DOCTYPE or ENTITY declaration"),
        ("external_entity.xml", "DOCTYPE or ENTITY declaration"),
        ("unknown_type.xml", "is not read; only"),
    ],
)
def test_malformed_and_hostile_xml_is_refused_with_the_file_name(
    plan: Masterplan, coordinator: Any, bauaufsicht: Authority, name: str, reason: str
) -> None:
    content = (XBAU / name).read_bytes()
    single = run(plan, coordinator, "permits.xbau", content, filename=name)
    in_zip = run(
        plan,
        coordinator,
        "permits.xbau",
        zipped(
            {"0200_antrag.xml": (XBAU / "0200_antrag.xml").read_bytes(), f"post/{name}": content}
        ),
        filename="post.zip",
    )
    for report, shown in ((single, "the message"), (in_zip, f"post/{name}")):
        assert not report.ok
        (message,) = errors(report)
        assert shown in message and reason in message
    assert counts() == (1, 0, 0, 0)


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        ("../../etc/cron.d/0200.xml", "a path outside its folder"),
        ("/tmp/0200.xml", "a path outside its folder"),
        ("..\\..\\0200.xml", "a path outside its folder"),
    ],
)
def test_a_zip_with_a_path_outside_its_folder_is_refused(
    plan: Masterplan, coordinator: Any, bauaufsicht: Authority, member: str, reason: str
) -> None:
    content = zipped(
        {
            "0200_antrag.xml": (XBAU / "0200_antrag.xml").read_bytes(),
            member: (XBAU / "0201_formelle_pruefung.xml").read_bytes(),
        }
    )
    report = run(plan, coordinator, "permits.xbau", content, filename="post.zip")
    (message,) = errors(report)
    assert reason in message and member in message
    assert counts() == (1, 0, 0, 0)


def test_a_zip_bomb_and_a_damaged_zip_are_refused(
    plan: Masterplan, coordinator: Any, bauaufsicht: Authority
) -> None:
    bomb = zipped({"0200_antrag.xml": b"<a>" + b" " * 4_000_000 + b"</a>"})
    assert "unpacks to more than" in errors(run(plan, coordinator, "permits.xbau", bomb))[0]
    damaged = timeline_zip()[:200]
    assert errors(run(plan, coordinator, "permits.xbau", damaged)) == [
        "The ZIP file is damaged and cannot be read."
    ]


def test_an_xbau_dry_run_changes_nothing(
    plan: Masterplan, coordinator: Any, bauaufsicht: Authority
) -> None:
    before = counts()
    report = run(plan, coordinator, "permits.xbau", timeline_zip(), dry_run=True, filename="v.zip")
    assert report.ok, errors(report)
    assert report.created == 9
    assert report.notes == ["1 new procedure from its application (0200)."]
    assert counts() == before


def test_the_command_files_new_procedures_at_the_authority_given(
    plan: Masterplan, coordinator: Any, tmp_path: Any
) -> None:
    """`masterplan import_xbau --authority … --type …`: what the messages do not say."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    services.ensure_default_types(actor=coordinator, masterplan=plan)
    for name in (DUISBURG_BAUAUFSICHT, "Stadt Duisburg – Bauaufsicht Nord"):
        services.authority_create(actor=coordinator, masterplan=plan, name=name, city="Duisburg")
    message = tmp_path / "0200_antrag.xml"
    message.write_bytes((XBAU / "0200_antrag.xml").read_bytes())
    with pytest.raises(CommandError):  # two own building authorities: which one?
        call_command("import_xbau", str(message), plan=plan.slug, language="en")
    assert not Procedure.objects.exists()
    call_command(
        "import_xbau",
        str(message),
        plan=plan.slug,
        authority="Stadt Duisburg – Bauaufsicht Nord",
        type="bauo-nrw-65",
        language="en",
    )
    procedure = Procedure.objects.get()
    assert procedure.authority.name == "Stadt Duisburg – Bauaufsicht Nord"
    assert procedure.procedure_type.code == "bauo-nrw-65"
