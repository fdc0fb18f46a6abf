"""Cell values as German and English spreadsheets write them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from masterplan.core.imports import Column, ColumnType
from masterplan.core.imports.cells import (
    CellError,
    looks_like_formula,
    parse_date,
    parse_number,
    unescape,
)
from masterplan.core.imports.columns import BoundColumn, column_letter
from masterplan.directory.models import Organization


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("1234,5", Decimal("1234.5")),
        ("1.234.567", Decimal("1234567")),
        ("1.234", Decimal("1234")),  # German thousands, as Excel shows them
        ("1234.5", Decimal("1234.5")),
        ("0.75", Decimal("0.75")),
        ("-12", Decimal("-12")),
        ("1 234,5", Decimal("1234.5")),
    ],
)
def test_numbers_in_german_and_plain_notation(text: str, number: Decimal) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["zwölf", "1,234.5", "12,5,0", "1.23.4", "€ 12"])
def test_text_that_is_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(CellError, match="Not a number"):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("05.03.2024", date(2024, 3, 5)),
        ("5.3.2024", date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)),
    ],
)
def test_dates_german_and_iso(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31.02.2024", "05.03.24", "03/05/2024", "2024-3-5"])
def test_ambiguous_or_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(CellError, match=r"dd\.mm\.yyyy"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("=SUMME(A1:A3)", True),
        ("@SUM(A1)", True),
        ("+A1", True),
        ("-2+3+cmd|' /C calc'!A0", True),
        ("- Vorstand", True),
        ("+49 203 2821-0", False),
        ("+49 (0)203 2821-0", False),
        ("-12,5", False),
        ("-", False),
        ("Niederrheinische IHK", False),
        ("a=b", False),
    ],
)
def test_formula_detection(text: str, formula: bool) -> None:
    assert looks_like_formula(text) is formula


def test_the_apostrophe_of_a_neutralised_export_is_removed() -> None:
    assert unescape("'+49 203 2821-0") == "+49 203 2821-0"
    assert unescape("'=1+1") == "=1+1"
    assert unescape("'Rheinhausen") == "'Rheinhausen"


def column(name: str, kind: ColumnType = ColumnType.TEXT, **options: Any) -> BoundColumn:
    return BoundColumn(Column(name, kind, **options), Organization)


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("ja", True),
        ("Ja", True),
        ("x", True),
        ("1", True),
        ("yes", True),
        ("nein", False),
        ("0", False),
        ("no", False),
    ],
)
def test_yes_no_words(word: str, value: bool) -> None:
    assert BoundColumn(Column("is_sample", ColumnType.BOOL), Organization).parse(word) is value


def test_choices_accept_code_english_and_german_label_and_alias() -> None:
    kind = column("kind", ColumnType.CHOICE, choice_aliases=(("IHK", "chamber"),))
    assert {kind.parse(w) for w in ("chamber", "Chamber", "Kammer", "KAMMER", "IHK")} == {"chamber"}


def test_a_wrong_choice_lists_the_allowed_values() -> None:
    with pytest.raises(CellError, match=r"Allowed: city \(City\), city_department"):
        column("kind", ColumnType.CHOICE).parse("Behörde")


def test_model_validators_run_on_the_parsed_value() -> None:
    with pytest.raises(CellError, match="An AGS has exactly 8 digits"):
        column("ags").parse("5112000")


def test_web_address_without_scheme_gets_https() -> None:
    assert (
        column("website", ColumnType.URL).parse("www.startport.net") == "https://www.startport.net"
    )


def test_xlsx_number_in_a_text_column_becomes_text_without_decimals() -> None:
    assert column("postcode").parse(47051.0) == "47051"


def test_xlsx_float_in_an_int_column_must_be_whole() -> None:
    employees = column("employees", ColumnType.INT)
    assert employees.parse(25.0) == 25
    with pytest.raises(CellError, match="Not a whole number"):
        employees.parse(25.5)


def test_xlsx_datetime_is_rounded_to_the_second_and_made_aware() -> None:
    stored = column("created_at", ColumnType.DATETIME).parse(
        datetime(2025, 3, 15, 10, 29, 59, 999_600)
    )
    assert stored == timezone.make_aware(datetime(2025, 3, 15, 10, 30))


def test_empty_cell_in_a_column_that_cannot_be_empty_keeps_the_value() -> None:
    assert repr(column("kind", ColumnType.CHOICE).parse("  ")) == "KEEP"
    assert column("employees", ColumnType.INT).parse("") is None
    assert column("city").parse("") == ""


def test_column_letters_like_a_spreadsheet() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
