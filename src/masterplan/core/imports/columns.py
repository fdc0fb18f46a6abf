"""The declared columns of an import format and their preparation for one model.

An importer declares `Column`s; `BoundColumn` adds what the model field says (maximum length,
choices, validators, what an empty cell means) and the header words in every language, and
parses one cell of its column. The upload page explains the columns with `iter_columns_help`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from masterplan.core.audit import jsonable
from masterplan.core.imports.cells import (
    CONTROL_CHARACTERS,
    FALSE_WORDS,
    KEEP,
    MARKUP,
    TEXT_TYPES,
    TRUE_WORDS,
    CellError,
    CellValue,
    ColumnType,
    aware,
    looks_like_formula,
    parse_date,
    parse_datetime,
    parse_number,
    type_labels,
    unescape,
)
from masterplan.core.models import PlanScopedModel

PlanModel = type[PlanScopedModel]


@dataclass(frozen=True)
class Column:
    """One declared column of an import (and export) format.

    `field` is the model field it fills: "" means a field of the same name, None a column the
    importer handles itself. Limits, choices and validators default to the model field's.
    A REFERENCE column holds the external ID of a `target` record (None: the importer's own
    model, e.g. an organisation's parent), found in the same file or already in the plan.
    """

    name: str
    type: ColumnType = ColumnType.TEXT
    label: StrOrPromise = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    field: str | None = ""
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    choices: tuple[tuple[str, StrOrPromise], ...] = ()
    choice_aliases: tuple[tuple[str, str], ...] = ()
    target: PlanModel | None = None
    help: StrOrPromise = ""
    example: str = ""
    # A code or key whose leading zeros count (postcode, AGS, ID; references always are):
    # a spreadsheet's number cell is read with the zeros its number format shows ("00000"),
    # else refused, unless it has the code's `digits`.
    code: bool = False
    digits: int | None = None

    @property
    def field_name(self) -> str | None:
        return self.name if self.field == "" else self.field


def normalise_header(text: str) -> str:
    """Header matching ignores case, spaces, punctuation and ß/ss: "E-Mail" = "email"."""
    return re.sub(r"[\W_]+", "", text.casefold())


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def in_every_language(text: StrOrPromise) -> set[str]:
    names = {str(text)}
    for code in language_codes():
        with translation.override(code):
            names.add(str(text))
    return names


def column_letter(index: int) -> str:
    """A spreadsheet's name of the column with this 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class BoundColumn:
    """A column prepared for one model: model field, limits, validators, accepted words."""

    def __init__(self, column: Column, model: type[PlanScopedModel]) -> None:
        self.column = column
        self.name = column.name
        self.type = column.type
        self.model_field: models.Field[Any, Any] | None = None
        if column.field_name:
            found = model._meta.get_field(column.field_name)
            assert isinstance(found, models.Field)
            self.model_field = found
        mf = self.model_field
        self.attname = mf.attname if mf is not None else None
        self.target = column.target or (model if column.type == ColumnType.REFERENCE else None)
        self.code = column.code or column.digits is not None or self.target is not None
        length = column.max_length or (getattr(mf, "max_length", None) if mf else None)
        if column.type == ColumnType.REFERENCE and length is None:
            length = PlanScopedModel._meta.get_field("external_id").max_length
        self.max_length: int | None = length
        model_choices: Any = (mf.choices if mf else None) or ()
        self.choices: tuple[tuple[str, StrOrPromise], ...] = column.choices or tuple(
            (str(value), label) for value, label in model_choices
        )
        self.validators: tuple[Callable[[Any], None], ...] = ()
        if mf is not None and column.type != ColumnType.REFERENCE:
            self.validators = tuple(
                v for v in mf.validators if not isinstance(v, MaxLengthValidator)
            )
        if mf is None:
            self.empty: Any = "" if column.type in TEXT_TYPES else None
        elif column.type in TEXT_TYPES or column.type == ColumnType.CHOICE:
            self.empty = "" if mf.blank else KEEP
        elif column.type == ColumnType.BOOL:
            self.empty = KEEP
        else:
            self.empty = None if mf.null else KEEP
        self.choice_lookup: dict[str, str] = {}
        for value, label in self.choices:
            for word in {value, *in_every_language(label)}:
                self.choice_lookup[word.casefold()] = value
        for word, value in column.choice_aliases:
            self.choice_lookup[word.casefold()] = value
        self.headers = {
            normalise_header(h)
            for h in (column.name, *column.aliases, *in_every_language(column.label))
            if h
        }

    def parse(self, raw: CellValue) -> Any:
        """The value for the model, KEEP, or CellError with a reason the user can act on."""
        if isinstance(raw, str):
            raw = unescape(raw.strip())
        if raw is None or raw == "":
            if self.column.required:
                raise CellError(_("A value is required in this column."))
            return self.empty
        if isinstance(raw, str):
            return self.validated(self.parse_text(raw))
        return self.validated(self.parse_native(raw))

    def parse_text(self, text: str) -> Any:
        if CONTROL_CHARACTERS.search(text):
            raise CellError(_("Contains control characters (binary data)."))
        if looks_like_formula(text):
            raise CellError(
                _(
                    "Looks like a spreadsheet formula (starts with “%(start)s”); formulas are "
                    "not imported. Remove the leading character."
                )
                % {"start": text[0]}
            )
        kind = self.type
        if kind in TEXT_TYPES:
            if kind == ColumnType.TEXT and (markup := MARKUP.search(text)):
                raise CellError(
                    _("Contains HTML or script markup (“%(snippet)s…”), which is not allowed.")
                    % {"snippet": text[markup.start() : markup.start() + 8]}
                )
            if kind == ColumnType.URL and "://" not in text and "." in text and " " not in text:
                text = f"https://{text}"
            if self.max_length is not None and len(text) > self.max_length:
                raise CellError(
                    _("Too long: %(length)s characters, at most %(max)s are allowed.")
                    % {"length": len(text), "max": self.max_length}
                )
            return text
        if kind in (ColumnType.INT, ColumnType.DECIMAL):
            return self.finish_number(parse_number(text))
        if kind == ColumnType.DATE:
            return parse_date(text)
        if kind == ColumnType.DATETIME:
            return parse_datetime(text)
        if kind == ColumnType.BOOL:
            word = text.casefold()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise CellError(_("Not a yes/no value. Write ja, nein, yes, no, x, 1 or 0."))
        # CHOICE
        value = self.choice_lookup.get(text.casefold())
        if value is None:
            allowed = ", ".join(f"{v} ({label})" for v, label in self.choices)
            raise CellError(_("Not an allowed value. Allowed: %(allowed)s.") % {"allowed": allowed})
        return value

    def parse_native(self, raw: CellValue) -> Any:
        """A typed XLSX cell: numbers, dates and booleans as Excel stored them."""
        kind = self.type
        if isinstance(raw, bool):
            if kind == ColumnType.BOOL:
                return raw
            return self.parse_text("1" if raw else "0")
        if isinstance(raw, (int, float, Decimal)):
            if kind in (ColumnType.INT, ColumnType.DECIMAL):
                try:
                    return self.finish_number(Decimal(str(raw)))
                except InvalidOperation:
                    raise CellError(_("Not a number.")) from None
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            if kind in TEXT_TYPES and self.code:
                self.check_code_number(raw)
            return self.parse_text(str(raw))
        if isinstance(raw, datetime):
            # Excel stores times as fractions of a day: round to whole seconds.
            raw = (raw + timedelta(microseconds=500_000)).replace(microsecond=0)
            if kind == ColumnType.DATE:
                return raw.date()
            if kind == ColumnType.DATETIME:
                return aware(raw)
            if raw.time() == datetime.min.time():  # a date cell, e.g. in a period column
                return self.parse_text(raw.strftime("%d.%m.%Y"))
            return self.parse_text(raw.strftime("%d.%m.%Y %H:%M"))
        if isinstance(raw, date):
            if kind == ColumnType.DATE:
                return raw
            if kind == ColumnType.DATETIME:
                return aware(datetime(raw.year, raw.month, raw.day))
            return self.parse_text(raw.strftime("%d.%m.%Y"))
        return self.parse_text(str(raw))

    def check_code_number(self, number: int | float | Decimal) -> None:
        """A code typed as a number has lost its leading zeros, unless it has all its digits:
        refused rather than stored as 1067 for the postcode 01067."""
        text = str(number)
        if self.column.digits is not None and text.isdigit() and len(text) == self.column.digits:
            return
        raise CellError(
            _(
                "The cell holds the number %(number)s, but this column holds codes: a "
                "spreadsheet drops the leading zeros of a number (01067 becomes 1067). Format "
                "the cells as text and type the values again, or give them a number format "
                "with the zeros (such as 00000)."
            )
            % {"number": text}
        )

    def finish_number(self, number: Decimal) -> int | Decimal:
        if self.type == ColumnType.INT:
            if number != number.to_integral_value():
                raise CellError(_("Not a whole number."))
            value: int | Decimal = int(number)
        else:
            value = number
        low, high = self.column.min_value, self.column.max_value
        if low is not None and value < low:
            if low == 0:
                raise CellError(_("Must not be negative."))
            raise CellError(_("Must be at least %(min)s.") % {"min": low})
        if high is not None and value > high:
            raise CellError(_("Must be at most %(max)s.") % {"max": high})
        return value

    def validated(self, value: Any) -> Any:
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as error:
                raise CellError(" ".join(error.messages)) from None
        return value

    def same(self, old: Any, new: Any) -> bool:
        """Equal as far as the file can express it (times to the second)."""
        if old == new and type(old) is type(new):
            return True
        if isinstance(old, datetime) and isinstance(new, datetime):
            return old.replace(microsecond=0) == new.replace(microsecond=0)
        if isinstance(old, float) and isinstance(new, Decimal):
            # A FloatField as the file writes it (2.3, not 2.29999…).
            return Decimal(repr(old)) == new
        return bool(jsonable(old) == jsonable(new))


def iter_columns_help(columns: Iterable[BoundColumn]) -> Iterator[dict[str, Any]]:
    """The column table shown on the upload page and in the docs."""
    labels = type_labels()
    for column in columns:
        c = column.column
        kind = str(labels[c.type])
        if c.type == ColumnType.REFERENCE and column.target is not None:
            kind = f"{kind} {column.target._meta.verbose_name}"
        yield {
            "name": c.name,
            "label": c.label,
            "aliases": ", ".join(c.aliases),
            "type": kind,
            "required": c.required,
            "max_length": column.max_length if c.type in TEXT_TYPES else None,
            "choices": [(v, label) for v, label in column.choices],
            "help": c.help,
            "example": c.example,
        }
