"""A file is read in one encoding: a UTF-8 file with a stray Windows-1252 byte is refused,
naming its line, instead of being read as Windows-1252 throughout ("DÃ¼sseldorf")."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from masterplan.core.imports.reading import FileProblem, read_table
from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization

MIXED = (
    b"Name;Art;Stadt\r\n"
    + "IHK Düsseldorf;chamber;Düsseldorf\r\n".encode()
    + "Hafen Mülheim;company;Mülheim an der Ruhr\r\n".encode("cp1252")
)


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def test_a_stray_windows_1252_byte_in_a_utf8_file_is_refused_naming_the_line() -> None:
    with pytest.raises(FileProblem) as problem:
        read_table(MIXED)
    assert problem.value.row == 3
    assert problem.value.value == "Hafen M\ufffdlheim;company;M\ufffdlheim an der Ruhr"
    assert problem.value.reason == (
        "The file mixes encodings: it is UTF-8, but line 3 contains a character in another "
        "encoding (the byte 0xFC, “ü” in Windows-1252). Read as either, some letters would be "
        "stored garbled. Correct the character, or save the file again as “CSV UTF-8”."
    )


def test_the_import_stores_nothing_garbled(plan: Masterplan, coordinator: Any) -> None:
    report = import_file(
        importer="directory.organizations",
        masterplan=plan,
        actor=coordinator,
        content=MIXED,
        filename="organisationen.csv",
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "")]
    assert "mixes encodings" in report.errors[0].reason
    assert not Organization.objects.exists()


def test_a_file_wholly_in_windows_1252_is_still_read() -> None:
    content = "Name;Stadt\r\nIHK Düsseldorf;Düsseldorf\r\nHafen Mülheim;Mülheim\r\n"
    table = read_table(content.encode("cp1252"))
    assert "Windows-1252" in table.file_format
    assert [cells for _row, cells in table.rows()] == [
        ["IHK Düsseldorf", "Düsseldorf"],
        ["Hafen Mülheim", "Mülheim"],
    ]


def test_a_line_far_down_a_large_file_is_named() -> None:
    lines = ["Name;Stadt", *["Rheinmetall AG;Düsseldorf"] * 60_000, "Henkel AG;D\xfcsseldorf"]
    content = "\r\n".join(lines[:-1]).encode() + b"\r\nHenkel AG;D\xfcsseldorf\r\n"
    with pytest.raises(FileProblem) as problem:
        read_table(content)
    assert problem.value.row == 60_002


def test_a_stray_byte_after_a_utf8_bom_is_named_too() -> None:
    with pytest.raises(FileProblem) as problem:
        read_table(b"\xef\xbb\xbfName;Stadt\r\nHenkel AG;D\xfcsseldorf\r\n")
    assert (problem.value.row, "mixes encodings" in problem.value.reason) == (2, True)
