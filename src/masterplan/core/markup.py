"""Helpers for markup written in Python where a page repeats one small part hundreds of times.

Django's template engine costs some microseconds per variable, tag and include; a table of
200 rows with a few includes each made up most of the time of the plan overview. The parts
that repeat per row are written in Python instead (`plans/templatetags/plan_parts.py`), with
the markup their templates had.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape as html_escape

from django.urls import reverse
from django.utils.formats import date_format, get_format


def escape(text: object) -> str:
    """What Django's `escape` writes, without its wrapper for lazy strings, which costs more
    than the escaping itself when a page writes thousands of values. The result is a plain
    `str`: mark the finished markup safe."""
    return html_escape(str(text))


_PK_MARKER = 8_070_450_532_247_928_831  # a pk no table reaches; replaced by the real one


def url_for_pk(viewname: str, *args: object) -> Callable[[int], str]:
    """`reverse(viewname, args=[*args, pk])` for many pks: reversed once, then filled in.

    Only for URL patterns whose last argument is an `<int:…>`, as an object's page is.
    """
    head, tail = reverse(viewname, args=[*args, _PK_MARKER]).split(str(_PK_MARKER))
    return lambda pk: f"{head}{int(pk)}{tail}"


# The parts of a date format that short dates use, as Python writes them.
_DATE_PARTS: dict[str, Callable[[date], str]] = {
    "d": lambda day: f"{day.day:02}",
    "j": lambda day: str(day.day),
    "m": lambda day: f"{day.month:02}",
    "n": lambda day: str(day.month),
    "Y": lambda day: f"{day.year:04}",
    "y": lambda day: f"{day.year % 100:02}",
}


def short_date_writer() -> Callable[[date], str]:
    """`date_format(day, "SHORT_DATE_FORMAT")` in the active language, for many days.

    Django's DateFormat reads the format character by character for every date (a table of
    300 dates spent a quarter of its time there); a format of day, month, year and separators
    ("d.m.Y", "m/d/Y") is turned into a function once. Any other goes through Django.
    """
    pattern = get_format("SHORT_DATE_FORMAT")
    if "\\" in pattern or any(c.isalpha() and c not in _DATE_PARTS for c in pattern):
        return lambda day: date_format(day, "SHORT_DATE_FORMAT")
    parts = [_DATE_PARTS.get(c, lambda _day, c=c: c) for c in pattern]
    return lambda day: "".join(part(day) for part in parts)
