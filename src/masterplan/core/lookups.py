"""Case-insensitive text lookups that hold beyond ASCII on every database.

`icontains` and `iexact` are case-insensitive on PostgreSQL for all of Unicode
(`UPPER(...) LIKE UPPER(...)`), but on SQLite only for ASCII: its `LIKE` and `lower()` leave
"Ö" and "ö" apart, so a search for "LÖRICK" would miss "Lörick Bauchemie GmbH". The lookups
here behave as `icontains` / `iexact` do on PostgreSQL and compare case-folded text on SQLite
through a function registered on each SQLite connection (Python's `str.casefold`, which also
folds "ß" to "ss"):

    Organization.objects.filter(name__casefold_contains="LÖRICK")
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField
from django.db.models.lookups import IContains, IExact
from django.db.models.sql.compiler import SQLCompiler

SQLITE_FOLD = "masterplan_casefold"


def casefold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def register_casefold(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Give each new SQLite connection the folding function the lookups call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FOLD, 1, casefold, deterministic=True)


connection_created.connect(register_casefold, dispatch_uid="masterplan.core.lookups")


class FoldedLookup:
    """On SQLite: `fold(lhs) LIKE fold(rhs)`, the pattern as the built-in lookup prepares it."""

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        lookup: Any = self
        lhs, lhs_params = lookup.process_lhs(compiler, connection)
        rhs, rhs_params = lookup.process_rhs(compiler, connection)
        sql = f"{SQLITE_FOLD}({lhs}) LIKE {SQLITE_FOLD}({rhs}) ESCAPE '\\'"
        return sql, [*lhs_params, *rhs_params]


class CasefoldContains(FoldedLookup, IContains):
    """`icontains`, folded on SQLite."""


class CasefoldExact(FoldedLookup, IExact):
    """`iexact`, folded on SQLite."""


# Registered under names of their own; inside they keep the built-in lookup's name, so that
# PostgreSQL builds exactly the SQL of `icontains` / `iexact` (`UPPER(...)` on both sides).
for field in (CharField, TextField):
    field.register_lookup(CasefoldContains, "casefold_contains")
    field.register_lookup(CasefoldExact, "casefold_exact")
