"""OParl 1.1 read API at /oparl/v1/: anonymous, public data only, JSON with CORS.

Every view is declared Level.PUBLIC: OParl shows the same to everyone, namely what the
public may see (oparl/queries.py). Objects the public may not see answer 404 — also to
logged-in members — so that OParl never reveals a draft or non-public object.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Max, Min, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from masterplan.core.access import View, site_view
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level
from masterplan.governance.oparl import objects, queries
from masterplan.governance.oparl.objects import JsonObject, Oparl
from masterplan.governance.oparl.pages import Source, list_page
from masterplan.governance.oparl.params import BadParameter, ListParams, parse_list_params

R = TypeVar("R", bound=HttpResponseBase)
IN_MEMORY_BYTES = 8 * 1024 * 1024
SYSTEM_NAME = "Masterplan – OParl-Schnittstelle"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
}


def json_response(data: JsonObject, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json; charset=utf-8",
        status=status,
    )
    return with_cors(response)


def with_cors(response: R) -> R:
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


def oparl_endpoint(view: View) -> View:
    """Public, JSON errors, CORS and OPTIONS for every OParl view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            return with_cors(HttpResponse(status=204))
        if request.method not in ("GET", "HEAD"):
            return json_response({"error": "Only GET is supported."}, status=405)
        try:
            # OParl speaks German to every client: stable labels, whatever the browser says.
            with translation.override(settings.LANGUAGE_CODE):
                return view(request, *args, **kwargs)
        except BadParameter as error:
            return json_response({"error": str(error)}, status=400)
        except Http404:
            return json_response({"error": "Not found."}, status=404)

    return site_view(Level.PUBLIC)(wrapper)


def not_found(request: HttpRequest) -> HttpResponse:
    """An address under the API that matches no route (a malformed id, say): the JSON 404,
    with CORS, that a client gets for a missing object, not the site's HTML page (the site's
    404 handler hands such addresses here)."""
    return json_response({"error": "Not found."}, status=404)


def context(request: HttpRequest, masterplan: Masterplan | None = None) -> Oparl:
    root = request.build_absolute_uri(reverse("oparl:system"))
    return Oparl(
        root=root,
        site=request.build_absolute_uri("/").rstrip("/"),
        masterplan=masterplan,
        omit_internal=False,
    )


def public_plan(slug: str) -> Masterplan:
    return get_object_or_404(queries.published_masterplans(), slug=slug)


# --- the sources of every list ----------------------------------------------------------------


def url_of(kind: str) -> Callable[[Oparl, Any], str]:
    return lambda o, obj: o.url(kind, obj.pk)


def plan_sources(masterplan: Masterplan) -> dict[str, list[Source]]:
    """The external lists of one OParl body, by URL segment."""

    def source(
        rows: Callable[..., QuerySet[Any]], serialize: Any, kind: str, type_name: str
    ) -> Source:
        return Source(
            rows=lambda deleted: rows(masterplan, deleted),
            serialize=serialize,
            url=url_of(kind),
            type_name=type_name,
        )

    term = Source(
        rows=lambda deleted: queries.published_masterplans(deleted).filter(pk=masterplan.pk),
        serialize=objects.legislative_term,
        url=lambda o, obj: o.url("legislative-term"),
        type_name="LegislativeTerm",
    )
    return {
        "organizations": [
            source(queries.bodies, objects.organization, "organization", "Organization")
        ],
        "people": [source(queries.people, objects.person, "person", "Person")],
        "memberships": [
            source(queries.memberships, objects.membership, "membership", "Membership")
        ],
        "meetings": [source(queries.meetings, objects.meeting, "meeting", "Meeting")],
        "agenda-items": [
            source(queries.agenda_items, objects.agenda_item, "agenda-item", "AgendaItem")
        ],
        "papers": [
            source(queries.decisions, objects.decision_paper, "paper/decision", "Paper"),
            source(queries.reports, objects.report_paper, "paper/report", "Paper"),
        ],
        "files": [source(queries.files, objects.file, "file", "File")],
        "locations": [source(queries.locations, objects.location, "location", "Location")],
        "legislative-terms": [term],
    }


def list_response(
    request: HttpRequest, o: Oparl, sources: list[Source], self_url: str
) -> HttpResponse:
    params: ListParams = parse_list_params(request.GET, sources=len(sources))
    o.omit_internal = params.omit_internal
    return json_response(list_page(o, sources, params, self_url))


# --- views -----------------------------------------------------------------------------------


@oparl_endpoint
def system(request: HttpRequest) -> HttpResponse:
    span = queries.published_masterplans().aggregate(
        created=Min("created_at"), modified=Max("modified_at")
    )
    first = Masterplan.all_objects.aggregate(created=Min("created_at"))["created"]
    # An installation without any masterplan yet still has a system object.
    created = span["created"] or first or timezone.now()
    return json_response(
        objects.system(
            context(request),
            created=created,
            modified=span["modified"] or created,
            name=SYSTEM_NAME,
        )
    )


@oparl_endpoint
def body_list(request: HttpRequest) -> HttpResponse:
    o = context(request)

    def as_body(o: Oparl, masterplan: Masterplan) -> JsonObject:
        values = objects.body(Oparl(root=o.root, site=o.site, masterplan=masterplan), masterplan)
        if masterplan.deleted_at is not None:
            # The schema requires a body's lists, so a deleted body keeps its (public) shape.
            values["deleted"] = True
        return values

    source = Source(
        rows=queries.published_masterplans,
        serialize=as_body,
        url=lambda o, masterplan: o.body_url(masterplan.slug),
        type_name="Body",
        serializes_deleted=True,
    )
    return list_response(request, o, [source], f"{o.root}bodies/")


@oparl_endpoint
def body(request: HttpRequest, plan: str) -> HttpResponse:
    masterplan = public_plan(plan)
    return json_response(objects.body(context(request, masterplan), masterplan))


def plan_list(kind: str) -> View:
    @oparl_endpoint
    def view(request: HttpRequest, plan: str) -> HttpResponse:
        masterplan = public_plan(plan)
        o = context(request, masterplan)
        return list_response(request, o, plan_sources(masterplan)[kind], o.url(kind))

    view.__name__ = view.__qualname__ = f"{kind.replace('-', '_')}_list"
    return view


@oparl_endpoint
def organization_meetings(request: HttpRequest, plan: str, oparl_organization: int) -> HttpResponse:
    masterplan = public_plan(plan)
    organization = get_object_or_404(queries.bodies(masterplan), pk=oparl_organization)
    o = context(request, masterplan)
    source = Source(
        rows=lambda deleted: queries.meetings(masterplan, deleted).filter(body=organization),
        serialize=objects.meeting,
        url=url_of("meeting"),
        type_name="Meeting",
    )
    return list_response(request, o, [source], o.url("organization", organization.pk) + "meetings/")


@dataclass(frozen=True)
class ObjectRoute:
    kind: str  # URL segment, also the list the object belongs to
    list_name: str
    source_index: int = 0


def object_view(route: ObjectRoute, parameter: str) -> View:
    """The page of one object; a deleted one that was public answers as a tombstone."""

    @oparl_endpoint
    def view(request: HttpRequest, plan: str, **kwargs: int) -> HttpResponse:
        masterplan = public_plan(plan)
        source = plan_sources(masterplan)[route.list_name][route.source_index]
        # Public or deleted itself: whether a hidden object was public once is known only
        # against a client's `modified_since` (the lists).
        obj = source.rows(True).filter(pk=kwargs[parameter], oparl_listed=True).first()
        if obj is None:
            raise Http404
        return json_response(source.render(context(request, masterplan), obj))

    view.__name__ = view.__qualname__ = f"{route.kind.replace('/', '_').replace('-', '_')}_object"
    return view


@oparl_endpoint
def consultation(request: HttpRequest, plan: str, oparl_decision: int) -> HttpResponse:
    """The consultation of a public decision paper (embedded in the paper, addressable too)."""
    masterplan = public_plan(plan)
    source = plan_sources(masterplan)["papers"][0]
    decision = source.rows(True).filter(pk=oparl_decision, oparl_listed=True).first()
    if decision is None or getattr(decision, "deleted_at", None) is not None:
        raise Http404
    return json_response(objects.consultation(context(request, masterplan), decision))


@oparl_endpoint
def legislative_term(request: HttpRequest, plan: str) -> HttpResponse:
    masterplan = public_plan(plan)
    return json_response(objects.legislative_term(context(request, masterplan), masterplan))


@oparl_endpoint
def file_download(request: HttpRequest, plan: str, oparl_file: int) -> HttpResponseBase:
    """The file itself: public documents of public meetings only, for everyone alike."""
    masterplan = public_plan(plan)
    document = get_object_or_404(queries.files(masterplan), pk=oparl_file)
    if not document.file:
        raise Http404
    disposition = "attachment" if "download" in request.GET else "inline"
    content_type = document.mime_type or "application/octet-stream"
    try:
        if document.size <= IN_MEMORY_BYTES:
            # Small files are read at once: no file handle outlives the request.
            with document.file.open("rb") as handle:
                response = HttpResponse(handle.read(), content_type=content_type)
            header = content_disposition_header(
                disposition == "attachment", document.file_name or str(document.pk)
            )
            response["Content-Disposition"] = header or disposition
            return with_cors(response)
        streamed = FileResponse(
            document.file.open("rb"),
            as_attachment=disposition == "attachment",
            filename=document.file_name or str(document.pk),
            content_type=content_type,
        )
    except OSError as error:
        raise Http404 from error
    return with_cors(streamed)
