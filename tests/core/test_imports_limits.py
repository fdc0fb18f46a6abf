"""Resource limits hold before the work: a huge cell or a flood of empty rows is refused
while reading, within seconds and with little memory, however small the file is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from masterplan.core.imports.reading import FileProblem, estimate_rows, read_table
from masterplan.core.imports.report import ImportReport
from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from tests.core.workbooks import PLACEHOLDER, empty_rows, huge_cell, replace, rewritten, xlsx

TOO_LONG = "A cell holds more than 1000 characters (1000\xa0bytes)"
TOO_MANY_ROWS = "The first sheet has more than 100 rows after the column names, counting empty rows"


@pytest.fixture
def low_limits(settings: Any) -> None:
    settings.IMPORT_MAX_CELL_CHARS = 1000
    settings.IMPORT_MAX_ROWS = 100


def run(plan: Masterplan, actor: Any, content: bytes) -> ImportReport:
    with translation.override("en"):
        return import_file(
            importer="directory.organizations",
            masterplan=plan,
            actor=actor,
            content=content,
            filename="organisationen",
        )


@pytest.mark.parametrize("inline", [False, True], ids=["shared string", "inline string"])
def test_a_workbook_cell_over_the_limit_is_refused_naming_it(
    inline: bool, plan: Masterplan, coordinator: Any, low_limits: None
) -> None:
    report = run(plan, coordinator, huge_cell(1, inline=inline))
    assert [(e.row, e.column) for e in report.errors] == [(2, "A")]
    assert report.errors[0].reason.startswith(TOO_LONG)
    assert not Organization.objects.exists()


def test_a_csv_cell_over_the_limit_is_refused_naming_it(
    plan: Masterplan, coordinator: Any, low_limits: None
) -> None:
    content = ("Name;Art;Beschreibung\r\nHenkel AG;company;" + "Klebstoffe " * 100).encode()
    report = run(plan, coordinator, content)
    assert [(e.row, e.column) for e in report.errors] == [(2, "C")]
    assert report.errors[0].reason.startswith(TOO_LONG)


def test_empty_rows_of_a_workbook_count_against_the_row_limit(
    plan: Masterplan, coordinator: Any, low_limits: None
) -> None:
    report = run(plan, coordinator, empty_rows(99))
    assert report.ok, report.errors  # after the header: one row and 99 empty ones
    Organization.objects.all().delete()
    report = run(plan, coordinator, empty_rows(100))
    assert report.errors[0].reason.startswith(TOO_MANY_ROWS)


def test_empty_lines_of_a_csv_file_count_against_the_row_limit(
    plan: Masterplan, coordinator: Any, low_limits: None
) -> None:
    content = b"Name;Art\r\n" + b";\r\n" * 100 + b"Henkel AG;company\r\n"
    report = run(plan, coordinator, content)
    assert report.errors[0].reason == (
        "The file has more than 100 rows after the column names, counting empty rows too. "
        "Delete the empty rows, or split the file."
    )


MEASURE = """
import json, resource, sys, time
import django
django.setup()
from masterplan.core.imports.reading import FileProblem, read_table
results = []
for path in sys.argv[1:]:
    start = time.monotonic()
    try:
        with open(path, "rb") as file:
            read_table(file)
        reason = ""
    except FileProblem as problem:
        reason = problem.reason
    results.append({"seconds": time.monotonic() - start, "reason": reason})
# The peak of this process's memory (VmHWM: ru_maxrss may keep the parent's from the fork).
try:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    peak = int(line.split()[1]) // 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"results": results, "peak_mb": peak}))
"""


def test_real_sized_hostile_workbooks_are_refused_in_seconds_and_200_mb(tmp_path: Path) -> None:
    """A workbook of less than a megabyte with one cell of 400 MB, and one of 8 million
    empty rows; on main they took 918 MB and 12.5 s, and 883 MB and 54 s."""
    cell = tmp_path / "eine_zelle.xlsx"
    cell.write_bytes(huge_cell(400))
    rows = tmp_path / "leere_zeilen.xlsx"
    rows.write_bytes(empty_rows(8_000_000))
    assert cell.stat().st_size < 1_000_000
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(cell), str(rows)],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "masterplan.settings", "LANGUAGE": "en"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    measured = json.loads(result.stdout)
    too_long, too_many = measured["results"]
    assert "131072" in too_long["reason"] and too_long["seconds"] < 2
    assert "250000" in too_many["reason"] and too_many["seconds"] < 10
    assert measured["peak_mb"] < 200, measured


def test_the_row_estimate_of_an_upload_does_not_read_its_cells() -> None:
    # openpyxl would load the shared string of 40 MB just to tell the number of rows.
    assert estimate_rows(huge_cell(40)) == 1


def test_empty_lines_at_the_end_of_a_csv_file_count_too(
    plan: Masterplan, coordinator: Any, low_limits: None
) -> None:
    content = b"Name;Art\r\nHenkel AG;company\r\n" + b"\r\n" * 100
    report = run(plan, coordinator, content)
    assert report.errors[0].reason.startswith("The file has more than 100 rows after the column")


def test_a_cell_of_many_short_rich_text_runs_is_one_cell(low_limits: None) -> None:
    runs = "".join(f"<r><rPr><b/></rPr><t>{'Henkel ' * 20}</t></r>" for _ in range(10))
    content = rewritten(
        xlsx(["Name", "Art"], [PLACEHOLDER, "company"]),
        {"xl/worksheets/sheet1.xml": replace(f"<is><t>{PLACEHOLDER}</t></is>", f"<is>{runs}</is>")},
    )
    with pytest.raises(FileProblem) as problem:
        read_table(content)
    assert (problem.value.row, problem.value.column) == (2, "A")
