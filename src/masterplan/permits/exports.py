"""Exports of the permit monitor in the columns of its imports, so that a file exported can be
imported again unchanged (round trip): procedures (reference; authority; city; type; received;
complete; decided; withdrawn; outcome; subject; is_sample), stage events and peer figures.

The pages and the command line get them from the framework: `importer_urls(...)` in the
module's urls.py adds CSV (German Excel), XLSX and JSON exports of what the list shows the
user, and `masterplan export --plan duisburg --kind procedures` writes them too; the importers
(importers.py) say which records and how the columns without a model field are written.
`export_bytes` is the same for code (the API, tests, the reports of other modules).
XBau messages are not exported: they are the authority's records, not the plan's.
"""

from __future__ import annotations

from django.http import QueryDict

from masterplan.core.actors import Actor
from masterplan.core.exports import CHUNK_ROWS, export_chunks
from masterplan.core.imports import get_importer
from masterplan.core.models import Masterplan

EXPORTED = ("permits.procedures", "permits.events", "permits.peer_figures")


def export_bytes(
    key: str,
    *,
    user: Actor,
    masterplan: Masterplan,
    fmt: str = "csv",
    filters: QueryDict | None = None,
) -> bytes:
    """The records the user may see (with the list's filters) as a file of the import `key`,
    one of EXPORTED, in `fmt` (csv, xlsx or json)."""
    if key not in EXPORTED:
        raise LookupError(f"No export “{key}”. Known: {', '.join(EXPORTED)}")
    importer = get_importer(key)
    qs = importer.export_queryset(user=user, masterplan=masterplan, filters=filters or QueryDict())
    return b"".join(export_chunks(importer, qs.iterator(chunk_size=CHUNK_ROWS), fmt))
