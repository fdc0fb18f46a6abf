"""A safe reader of the few fields of XBau 2.3 messages that a permit procedure's timeline needs.

XBau (XÖV standard of the building authorities, namespace http://www.xleitstelle.de/xbau/2/3)
is not validated against its XSD here: only the fields below are read, by their names in the
published 2.3 schema (xbau-nachrichten-baugenehmigung.xsd, xbau-nachrichten-beteiligung.xsd,
xbau-baukasten.xsd; the test fixtures were checked against that schema once):

- baugenehmigung.antrag.0200 → application; referenzAntragsservice
- baugenehmigung.formellePruefung.0201 → defects_requested (formal_check when it lists no
  befund); the number of befundliste/befund, frist (the applicant's deadline)
- baugenehmigung.antragGeaendert.0202 → amended_application
- baugenehmigung.anhoerung.0203 → hearing; frist (for the applicant's comment)
- baugenehmigung.stellungnahme.0204 → hearing_response
- baugenehmigung.bescheid.0205 → decision; bescheid/tenor/istGenehmigung, number of
  nebenbestimmung
- baugenehmigung.gebuehrenbescheid.0206 → fee_notice; frist (payment)
- beteiligung.aufforderung.0300 → statement_requested; frist; party = nachrichtenkopf/leser
- beteiligung.stellungnahme.0303 → statement; party = nachrichtenkopf/autor

Note on 0204: in XBau 2.3, baugenehmigung.stellungnahme.0204 is the *applicant's* answer to a
hearing (0203), not a consulted body's statement; consulted bodies answer with the
participation messages beteiligung.aufforderung.0300 / beteiligung.stellungnahme.0303, which are
read as well.

Header of every message (`nachrichtenkopf/identifikation.nachricht`): `nachrichtenUUID`
(message_id, for idempotent re-import), `nachrichtentyp/code` (must match the root element)
and `erstellungszeitpunkt` (sent_at). The event's day (`on`) is the day of sent_at in German
time (Europe/Berlin); a timestamp without an offset is taken as German time. A decision notice
has no date of its own in XBau: sending the 0205 *is* issuing the notice, so its day is the
decision date.

References: `bezug/vorgang` is the authority's file reference (Aktenzeichen, e.g.
"63-BG-2025-01234"); `bezug/referenz` (and in 0200 `referenzAntragsservice`) is the UUID the
applicant service gave the application (`application_id`). A 0200 has no Aktenzeichen yet; the
first reply of the authority (usually 0201) carries both and links them. Every message needs at
least one of the two.

Parsing is safe: more than `max_bytes` (default 5 MB) is refused before parsing; a DOCTYPE or
ENTITY declaration (entity bombs, external entities, DTDs) is refused before parsing and again
after it; lxml never resolves entities, loads no DTD and touches no network; huge_tree stays off.
Errors are `XBauError` with a plain English message naming the file and, where known, the line;
`template` and `params` keep the untranslated message for a later gettext wrapper.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from lxml import etree

from masterplan.permits.durations import EventKind

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# A message does not say which building permit procedure it belongs to: an application
# (0200) creates a simplified building permit procedure (§ 64 BauO NRW) unless the import
# names another type.
DEFAULT_XBAU_TYPE = "bauo-nrw-64"
XBAU_NAMESPACE = "http://www.xleitstelle.de/xbau/2/3"
GERMAN_TIME = ZoneInfo("Europe/Berlin")

# Root element → (message type number, event kind). 0201 becomes formal_check without defects.
MESSAGES: dict[str, tuple[str, EventKind]] = {
    "baugenehmigung.antrag.0200": ("0200", EventKind.APPLICATION),
    "baugenehmigung.formellePruefung.0201": ("0201", EventKind.DEFECTS_REQUESTED),
    "baugenehmigung.antragGeaendert.0202": ("0202", EventKind.AMENDED_APPLICATION),
    "baugenehmigung.anhoerung.0203": ("0203", EventKind.HEARING),
    "baugenehmigung.stellungnahme.0204": ("0204", EventKind.HEARING_RESPONSE),
    "baugenehmigung.bescheid.0205": ("0205", EventKind.DECISION),
    "baugenehmigung.gebuehrenbescheid.0206": ("0206", EventKind.FEE_NOTICE),
    "beteiligung.aufforderung.0300": ("0300", EventKind.STATEMENT_REQUESTED),
    "beteiligung.stellungnahme.0303": ("0303", EventKind.STATEMENT),
}

_HEAD_BYTES = 64 * 1024
# "<!DOCTYPE" / "<!ENTITY" in 8-bit encodings and in UTF-16 (either byte order).
_DECLARATIONS = re.compile(
    rb"<!(?:DOCTYPE|ENTITY)|<\x00!\x00(?:D\x00O\x00C|E\x00N\x00T)|\x00<\x00!\x00(?:D|E)"
)


class XBauError(Exception):
    """A message that cannot be read. `message` is plain English with the values filled in;
    `template` % `params` gives the same text, for translation; `line` where known (also in
    `params`, so that a template may show it)."""

    def __init__(self, template: str, *, line: int | None = None, **params: object) -> None:
        self.template = template
        self.params: dict[str, object] = {**params, "line": line}
        self.line = line
        self.message = template % self.params
        super().__init__(self.message)


@dataclass(frozen=True)
class XBauMessage:
    """The fields of one XBau message that the permit monitor uses.

    `number`: message type ("0201"); `reference`: the authority's file reference (Aktenzeichen,
    "" in a 0200); `application_id`: the applicant service's UUID of the application;
    `sent_at`: creation time (timezone-aware); `on`: its day in German time; `deadline`: the
    frist of 0201/0203/0206/0300; `outcome`: "approved" or "refused" (0205 only);
    `conditions`: number of ancillary provisions (Nebenbestimmungen) of a 0205; `defects`:
    number of defects listed in a 0201; `party`: the consulted body (0300, 0303);
    `message_id`: the nachrichtenUUID, unique per message.
    """

    number: str
    reference: str
    application_id: str
    sent_at: datetime
    kind: EventKind
    on: date
    message_id: str
    deadline: date | None = None
    outcome: str = ""
    conditions: int | None = None
    defects: int | None = None
    party: str = ""


def read_xbau(
    source: bytes | str | os.PathLike[str] | IO[bytes],
    *,
    name: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> XBauMessage:
    """One XBau 2.3 message from bytes, a path or a binary stream; `name` is used in error
    messages (default: the file name, or "the message")."""
    data, label = _load(source, name=name, max_bytes=max_bytes)
    root = _parse(data, label)
    return _message(root, label)


def _load(
    source: bytes | str | os.PathLike[str] | IO[bytes], *, name: str, max_bytes: int
) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        data, label = source, name or "the message"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = name or path.name
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    else:
        data, label = source.read(max_bytes + 1), name or "the message"
    if len(data) > max_bytes:
        raise XBauError(
            "%(name)s: the message is larger than %(max)s bytes and is not read.",
            name=label,
            max=max_bytes,
        )
    if _DECLARATIONS.search(data[:_HEAD_BYTES]):
        raise _doctype_refused(label)
    return data, label


def _doctype_refused(label: str) -> XBauError:
    return XBauError(
        "%(name)s: the message contains a DOCTYPE or ENTITY declaration. XBau needs none, and "
        "such declarations can make a parser expand entities without end or read other files, "
        "so the message is refused.",
        name=label,
    )


def _parse(data: bytes, label: str) -> Any:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        raise XBauError(
            "%(name)s, line %(line)s: the XML is not well-formed (%(reason)s).",
            line=line,
            name=label,
            reason=error.msg,
        ) from error
    if root is None:
        raise XBauError("%(name)s: the message is empty.", name=label)
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _doctype_refused(label)
    return root


def _local(element: Any) -> str:
    return str(etree.QName(element).localname)


def _child(parent: Any, name: str) -> Any:
    """The first child element called `name`, qualified (XBau namespace) or not: the 2.3
    schema mixes both (the header and the reference are unqualified)."""
    if parent is None:
        return None
    for child in parent:
        if isinstance(child.tag, str) and _local(child) == name:
            return child
    return None


def _path(parent: Any, *names: str) -> Any:
    for name in names:
        parent = _child(parent, name)
    return parent


def _text(element: Any) -> str:
    return (element.text or "").strip() if element is not None else ""


def _message(root: Any, label: str) -> XBauMessage:
    namespace = etree.QName(root).namespace or ""
    element = _local(root)
    if namespace != XBAU_NAMESPACE:
        raise XBauError(
            "%(name)s: the root element %(element)s is not an XBau 2.3 message (namespace "
            "“%(namespace)s”, expected “%(expected)s”).",
            line=root.sourceline,
            name=label,
            element=element,
            namespace=namespace,
            expected=XBAU_NAMESPACE,
        )
    if element not in MESSAGES:
        raise XBauError(
            "%(name)s: the message type %(element)s is not read; only %(known)s are.",
            line=root.sourceline,
            name=label,
            element=element,
            known=", ".join(number for number, _ in MESSAGES.values()),
        )
    number, kind = MESSAGES[element]
    header = _path(root, "nachrichtenkopf", "identifikation.nachricht")
    message_id = _required(header, "nachrichtenUUID", root, label)
    declared = _text(_path(header, "nachrichtentyp", "code"))
    if declared and declared != number:
        raise XBauError(
            "%(name)s: the header names message type %(declared)s, but the root element is "
            "%(element)s.",
            line=root.sourceline,
            name=label,
            declared=declared,
            element=element,
        )
    sent_at = _datetime(_child(header, "erstellungszeitpunkt"), root, label)

    bezug = _child(root, "bezug")
    reference = _text(_child(bezug, "vorgang"))
    application_id = _text(_child(bezug, "referenz")) or _text(
        _path(root, "referenzAntragsservice", "referenzAntragsservice")
    )
    if not reference and not application_id:
        raise XBauError(
            "%(name)s: the message names no procedure: neither bezug/vorgang (the file "
            "reference) nor bezug/referenz (the application's UUID) is given.",
            line=(bezug if bezug is not None else root).sourceline,
            name=label,
        )

    frist = _child(root, "frist")
    deadline = _date(frist, label) if frist is not None else None
    outcome, conditions, defects, party = "", None, None, ""
    if number == "0201":
        befundliste = _child(root, "befundliste")
        found = befundliste if befundliste is not None else ()
        defects = len([e for e in found if _is(e, "befund")])
        if defects == 0:
            kind = EventKind.FORMAL_CHECK
    elif number == "0205":
        outcome = _outcome(root, label)
        conditions = len([e for e in _child(root, "bescheid") if _is(e, "nebenbestimmung")])
        # _outcome has checked that bescheid exists
    elif number == "0300":
        party = _text(_path(root, "nachrichtenkopf", "leser", "behoerdenname"))
    elif number == "0303":
        party = _text(_path(root, "nachrichtenkopf", "autor", "behoerdenname"))
    return XBauMessage(
        number=number,
        reference=reference,
        application_id=application_id,
        sent_at=sent_at,
        kind=kind,
        on=sent_at.astimezone(GERMAN_TIME).date(),
        message_id=message_id,
        deadline=deadline,
        outcome=outcome,
        conditions=conditions,
        defects=defects,
        party=party,
    )


def _is(element: Any, name: str) -> bool:
    return isinstance(element.tag, str) and _local(element) == name


def _required(parent: Any, name: str, root: Any, label: str) -> str:
    value = _text(_child(parent, name))
    if not value:
        raise XBauError(
            "%(name)s: nachrichtenkopf/identifikation.nachricht/%(element)s is missing.",
            line=(parent if parent is not None else root).sourceline,
            name=label,
            element=name,
        )
    return value


def _datetime(element: Any, root: Any, label: str) -> datetime:
    value = _text(element)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise XBauError(
            "%(name)s, line %(line)s: erstellungszeitpunkt “%(value)s” is not a date and time "
            "(expected e.g. 2025-07-07T10:02:11+02:00).",
            line=(element if element is not None else root).sourceline,
            name=label,
            value=value,
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=GERMAN_TIME)


def _date(element: Any, label: str) -> date:
    value = _text(element)
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise XBauError(
            "%(name)s, line %(line)s: %(element)s “%(value)s” is not a date (expected YYYY-MM-DD).",
            line=element.sourceline,
            name=label,
            element=_local(element),
            value=value,
        ) from None


def _outcome(root: Any, label: str) -> str:
    element = _path(root, "bescheid", "tenor", "istGenehmigung")
    value = _text(element)
    if value in ("true", "1"):
        return "approved"
    if value in ("false", "0"):
        return "refused"
    raise XBauError(
        "%(name)s: bescheid/tenor/istGenehmigung is “%(value)s”; expected true or false.",
        line=(element if element is not None else root).sourceline,
        name=label,
        value=value,
    )
