"""Helpers for markup written in Python where a page repeats one small part hundreds of times.

Django's template engine costs some microseconds per variable, tag and include; a table of
200 rows with a few includes each made up most of the time of the plan overview. The parts
that repeat per row are written in Python instead (`plans/templatetags/plan_parts.py`), with
the markup their templates had.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape as html_escape

from django.urls import reverse


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
