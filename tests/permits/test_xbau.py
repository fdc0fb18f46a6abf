"""The XBau 2.3 reader: the messages of one Duisburg procedure, and hostile or broken files.

The fixtures 0200–0206, 0300 and 0303 in tests/data/permits/xbau describe the logistics hall
63-BG-2025-01234 at logport, Duisburg-Rheinhausen, and are valid against the XBau 2.3 XSD.
"""

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from masterplan.permits.durations import (
    RULES_BY_CODE,
    EndedBy,
    EventKind,
    ProcedureFacts,
    StageEvent,
    clock_split,
    late_defect_requests,
)
from masterplan.permits.xbau import DEFAULT_MAX_BYTES, XBauError, read_xbau

DATA = Path(__file__).resolve().parents[1] / "data" / "permits" / "xbau"
REFERENCE = "63-BG-2025-01234"
APPLICATION = "8c1f2e9a-6b3d-4d0e-b1a7-3e5f9c2d4a10"
FIRE = "Feuerwehr Duisburg, Brandschutzdienststelle (37-3)"


def fixture_text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "number", "kind", "on"),
    [
        ("0200_antrag.xml", "0200", EventKind.APPLICATION, date(2025, 6, 2)),
        ("0201_formelle_pruefung.xml", "0201", EventKind.DEFECTS_REQUESTED, date(2025, 7, 7)),
        ("0202_antrag_geaendert.xml", "0202", EventKind.AMENDED_APPLICATION, date(2025, 7, 28)),
        ("0203_anhoerung.xml", "0203", EventKind.HEARING, date(2025, 9, 1)),
        ("0204_stellungnahme.xml", "0204", EventKind.HEARING_RESPONSE, date(2025, 9, 10)),
        ("0205_bescheid.xml", "0205", EventKind.DECISION, date(2025, 9, 26)),
        ("0206_gebuehrenbescheid.xml", "0206", EventKind.FEE_NOTICE, date(2025, 9, 26)),
        (
            "0300_beteiligung_aufforderung.xml",
            "0300",
            EventKind.STATEMENT_REQUESTED,
            date(2025, 8, 5),
        ),
        ("0303_beteiligung_stellungnahme.xml", "0303", EventKind.STATEMENT, date(2025, 8, 29)),
    ],
)
def test_each_message_type_becomes_its_event(
    name: str, number: str, kind: EventKind, on: date
) -> None:
    message = read_xbau(DATA / name)
    assert (message.number, message.kind, message.on) == (number, kind, on)
    assert message.application_id == APPLICATION
    assert message.reference == ("" if number == "0200" else REFERENCE)


def test_the_formal_check_gives_the_defects_and_the_applicants_deadline() -> None:
    message = read_xbau(DATA / "0201_formelle_pruefung.xml")
    assert message.defects == 3 and message.deadline == date(2025, 8, 7)
    assert message.message_id == "5d0c7a52-3f4e-4b8e-9a51-2f1c6b0e7a01"
    assert message.sent_at == datetime(2025, 7, 7, 8, 2, 11, tzinfo=UTC)


def test_a_formal_check_without_defects_is_no_defects_request() -> None:
    text = fixture_text("0201_formelle_pruefung.xml")
    start, end = text.index("<xbau:befundliste>"), text.index("</xbau:befundliste>")
    text = text[:start] + text[end + len("</xbau:befundliste>") :]
    message = read_xbau(text.encode())
    assert (message.kind, message.defects) == (EventKind.FORMAL_CHECK, 0)


def test_the_decision_gives_its_outcome_and_conditions() -> None:
    message = read_xbau(DATA / "0205_bescheid.xml")
    assert (message.outcome, message.conditions) == ("approved", 1)


def test_a_refusal_is_read_as_refused() -> None:
    text = fixture_text("0205_bescheid.xml").replace(
        "<xbau:istGenehmigung>true", "<xbau:istGenehmigung>false"
    )
    assert read_xbau(text.encode()).outcome == "refused"


def test_the_consulted_body_is_the_addressee_of_the_request_and_the_author_of_the_statement() -> (
    None
):
    request = read_xbau(DATA / "0300_beteiligung_aufforderung.xml")
    statement = read_xbau(DATA / "0303_beteiligung_stellungnahme.xml")
    assert request.party == statement.party == FIRE
    assert request.deadline == date(2025, 9, 5)


def test_the_day_of_a_message_is_its_day_in_german_time() -> None:
    text = fixture_text("0203_anhoerung.xml").replace(
        "2025-09-01T11:00:00+02:00", "2025-08-31T22:30:00Z"
    )
    assert read_xbau(text.encode()).on == date(2025, 9, 1)


def test_a_timestamp_without_offset_is_taken_as_german_time() -> None:
    text = fixture_text("0203_anhoerung.xml").replace(
        "2025-09-01T11:00:00+02:00", "2025-09-01T11:00:00"
    )
    assert read_xbau(text.encode()).sent_at == datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


def test_bytes_streams_and_paths_read_alike() -> None:
    path = DATA / "0202_antrag_geaendert.xml"
    assert (
        read_xbau(path) == read_xbau(path.read_bytes()) == read_xbau(io.BytesIO(path.read_bytes()))
    )


# --- hostile and broken messages ---


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml", "external_dtd.xml"])
def test_a_doctype_is_refused(name: str) -> None:
    with pytest.raises(XBauError, match="DOCTYPE or ENTITY declaration") as caught:
        read_xbau(DATA / name)
    assert caught.value.message.startswith(f"{name}:")
    assert "root:" not in caught.value.message  # nothing of /etc/passwd


def test_a_doctype_in_utf16_is_refused() -> None:
    data = fixture_text("billion_laughs.xml").replace("UTF-8", "UTF-16").encode("utf-16")
    with pytest.raises(XBauError, match="DOCTYPE"):
        read_xbau(data)


def test_a_doctype_hidden_behind_a_long_comment_is_refused_after_parsing() -> None:
    text = fixture_text("external_entity.xml")
    declaration_end = text.index("?>") + 2
    padded = text[:declaration_end] + "\n<!--" + "x" * 70_000 + "-->" + text[declaration_end:]
    with pytest.raises(XBauError, match="DOCTYPE") as caught:
        read_xbau(padded.encode())
    assert "root:" not in caught.value.message


def test_a_truncated_message_names_the_file_and_line() -> None:
    with pytest.raises(XBauError, match=r"truncated\.xml, line \d+: the XML is not well-formed"):
        read_xbau(DATA / "truncated.xml")


def test_malformed_xml_names_the_line() -> None:
    with pytest.raises(XBauError) as caught:
        read_xbau(DATA / "malformed.xml")
    assert caught.value.line == 61
    assert "malformed.xml, line 61" in caught.value.message


def test_an_unknown_message_type_is_refused() -> None:
    with pytest.raises(XBauError, match=r"vorbescheid\.antrag\.0210 is not read; only 0200"):
        read_xbau(DATA / "unknown_type.xml")


def test_another_xbau_version_is_refused() -> None:
    with pytest.raises(XBauError, match=r"not an XBau 2\.3 message.*xbau/2/6"):
        read_xbau(DATA / "other_version.xml")


def test_a_message_without_reference_is_refused() -> None:
    with pytest.raises(XBauError, match="names no procedure") as caught:
        read_xbau(DATA / "missing_reference.xml")
    assert caught.value.line is not None


def test_a_message_without_id_is_refused() -> None:
    text = fixture_text("0206_gebuehrenbescheid.xml").replace(
        "<nachrichtenUUID>1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d06</nachrichtenUUID>", ""
    )
    with pytest.raises(XBauError, match="nachrichtenUUID is missing"):
        read_xbau(text.encode(), name="0206.xml")


def test_a_header_type_that_contradicts_the_root_element_is_refused() -> None:
    text = fixture_text("0202_antrag_geaendert.xml").replace(
        "<code>0202</code>", "<code>0205</code>"
    )
    with pytest.raises(XBauError, match="header names message type 0205"):
        read_xbau(text.encode())


def test_a_bad_timestamp_is_refused() -> None:
    text = fixture_text("0202_antrag_geaendert.xml").replace(
        "2025-07-28T16:45:00+02:00", "28.07.2025 16:45"
    )
    with pytest.raises(XBauError, match=r"“28\.07\.2025 16:45” is not a date and time"):
        read_xbau(text.encode())


def test_an_oversized_message_is_refused_before_parsing(tmp_path: Path) -> None:
    text = fixture_text("0202_antrag_geaendert.xml")
    padding = "<!--" + "x" * DEFAULT_MAX_BYTES + "-->"
    path = tmp_path / "oversized.xml"
    path.write_text(text.replace("<nachrichtenkopf>", padding + "<nachrichtenkopf>"))
    with pytest.raises(XBauError, match=r"oversized\.xml: the message is larger than 5242880"):
        read_xbau(path)


def test_the_size_limit_is_configurable() -> None:
    data = (DATA / "0201_formelle_pruefung.xml").read_bytes()
    with pytest.raises(XBauError, match="larger than 1000 bytes"):
        read_xbau(io.BytesIO(data), max_bytes=1000)
    assert read_xbau(data, max_bytes=len(data)).number == "0201"


def test_errors_keep_their_template_for_translation() -> None:
    with pytest.raises(XBauError) as caught:
        read_xbau(DATA / "unknown_type.xml")
    error = caught.value
    assert error.template % error.params == error.message == str(error)
    assert error.params["name"] == "unknown_type.xml"
    assert "%(element)s" in error.template


def test_the_messages_of_a_procedure_make_its_timeline() -> None:
    messages = sorted((read_xbau(path) for path in DATA.glob("0*.xml")), key=lambda m: m.sent_at)
    by_number = {message.number: message for message in messages}
    facts = ProcedureFacts(
        received=by_number["0200"].on,
        complete=date(2025, 8, 4),  # recorded by the authority; XBau 2.3 has no message for it
        decided=by_number["0205"].on,
        ended_by=EndedBy.DECISION,
        events=tuple(StageEvent(m.kind, m.on, m.deadline, m.party) for m in messages),
    )
    split = clock_split(facts, as_of=date(2025, 12, 31))
    # applicant: 7 Jul → 28 Jul (defects) + 1 Sep → 10 Sep (hearing); fire brigade 5 → 29 Aug
    assert (split.gross_days, split.applicant_days, split.consulted_days) == (116, 30, 24)
    rule = RULES_BY_CODE["bauo-nrw-64"]
    late = late_defect_requests(facts, rule, as_of=date(2025, 12, 31))
    assert [(f.requested_on, f.days_late) for f in late] == [(date(2025, 7, 7), 21)]
