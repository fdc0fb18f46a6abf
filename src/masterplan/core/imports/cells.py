"""One cell of an import file: the declared types, parsing German and ISO values, and the
reverse, a value as a CSV file for German Excel writes it.

Everything here is about a single value, so that the column declarations (columns.py), the
exports (core/exports.py) and the dry-run diffs share one definition of what a cell means.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

CellValue = str | int | float | Decimal | date | datetime | bool | None


class ColumnType(StrEnum):
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    CHOICE = "choice"
    EMAIL = "email"
    URL = "url"
    REFERENCE = "reference"


def type_labels() -> dict[ColumnType, str]:
    return {
        ColumnType.TEXT: _("text"),
        ColumnType.INT: _("whole number"),
        ColumnType.DECIMAL: _("number (1.234,5)"),
        ColumnType.DATE: _("date (dd.mm.yyyy)"),
        ColumnType.DATETIME: _("date and time (dd.mm.yyyy hh:mm)"),
        ColumnType.BOOL: _("yes/no (ja, nein, x, 1, 0)"),
        ColumnType.CHOICE: _("one of the listed values"),
        ColumnType.EMAIL: _("e-mail address"),
        ColumnType.URL: _("web address"),
        ColumnType.REFERENCE: _("external ID of"),
    }


TEXT_TYPES = (ColumnType.TEXT, ColumnType.EMAIL, ColumnType.URL, ColumnType.REFERENCE)


class CellError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Keep:
    """An empty cell in a column whose field cannot be empty: keep the current value."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SIGNED_NUMBER_OR_PHONE = re.compile(r"[+-][\d\s().,/-]*\d[\d\s().,/-]*")
MARKUP = re.compile(r"<[A-Za-z/!?]")
GERMAN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
GERMAN_DATETIME = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?")
TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "1", "x", "true", "wahr"})
FALSE_WORDS = frozenset({"nein", "n", "no", "0", "false", "falsch"})
NEUTRALISED_START = ("=", "+", "-", "@")


def looks_like_formula(text: str) -> bool:
    """`=…` and `@…`, and `+`/`-` unless a number or phone number follows (OWASP CSV injection)."""
    if text.startswith(("=", "@")):
        return True
    if text.startswith(("+", "-")) and len(text) > 1:
        return not SIGNED_NUMBER_OR_PHONE.fullmatch(text)
    return False


def unescape(text: str) -> str:
    """Remove the apostrophe an export puts before a leading = + - @ (see exports.py)."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def parse_number(text: str) -> Decimal:
    """German "1.234,5" and "1234,5"; also "1234.5". A lone "1.234" is one thousand two…"""
    compact = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if GERMAN_NUMBER.fullmatch(compact):
        return Decimal(compact.replace(".", "").replace(",", "."))
    if PLAIN_NUMBER.fullmatch(compact):
        return Decimal(compact)
    raise CellError(_("Not a number. Write numbers like 1234 or 1.234,5."))


def parse_date(text: str) -> date:
    for pattern, order in ((GERMAN_DATE, (3, 2, 1)), (ISO_DATE, (1, 2, 3))):
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                break
    serial_number_as_date(text)
    raise CellError(_("Not a valid date. Write dates as dd.mm.yyyy (or yyyy-mm-dd)."))


EXCEL_SERIAL = re.compile(r"(\d{5})(?:[.,]\d+)?")
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's count (Windows, with its 1900 leap day)


def serial_number_as_date(text: str) -> None:
    """A date column holding 45292 holds an Excel date that lost its date format."""
    match = EXCEL_SERIAL.fullmatch(text)
    if match is None:
        return
    meant = EXCEL_EPOCH + timedelta(days=int(match.group(1)))
    raise CellError(
        _(
            "This is a number (%(number)s), not a date: the cell has lost its date format "
            "(Excel counts %(number)s days to %(date)s). Format the cells as a date "
            "(dd.mm.yyyy), or write the date as text."
        )
        % {"number": match.group(1), "date": meant.strftime("%d.%m.%Y")}
    )


def aware(value: datetime) -> datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def parse_datetime(text: str) -> datetime:
    match = GERMAN_DATETIME.fullmatch(text)
    try:
        if match:
            day, month, year, hour, minute = (int(match.group(i)) for i in range(1, 6))
            second = int(match.group(6) or 0)
            return aware(datetime(year, month, day, hour, minute, second))
        if GERMAN_DATE.fullmatch(text) or ISO_DATE.fullmatch(text):
            day_only = parse_date(text)
            return aware(datetime(day_only.year, day_only.month, day_only.day))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}:?\d{2}|Z)?", text):
            return aware(datetime.fromisoformat(text))
    except (ValueError, CellError):
        pass
    serial_number_as_date(text)
    raise CellError(_("Not a valid date and time. Write dd.mm.yyyy hh:mm (or ISO 8601)."))


def format_cell(column_type: ColumnType, value: Any) -> str:
    """A value as written in a CSV file for German Excel (also shown in dry-run diffs)."""
    if value is None or value is KEEP:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f").replace(".", ",")
    return str(value)


def has_value(cell: CellValue) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def shown(value: Any, limit: int = 200) -> str:
    """A cell value as an error message shows it."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
