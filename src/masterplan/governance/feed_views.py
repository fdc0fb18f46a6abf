"""Calendar feeds: public per masterplan and per body, private by secret token.

Answers carry ETag and Last-Modified; a calendar program that asks again with
If-None-Match or If-Modified-Since gets 304 when nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext

from masterplan.core.access import object_view, plan_view, site_view
from masterplan.core.models import Masterplan
from masterplan.core.permissions import Level
from masterplan.governance import feeds
from masterplan.governance.models import Body, Meeting
from masterplan.governance.services import feed_token_for


def meeting_page(request: HttpRequest, masterplan: Masterplan) -> Callable[[Meeting], str]:
    """The absolute URL of a meeting's page, for the event's URL and description."""
    try:
        pattern = reverse("governance:meeting_detail", args=[masterplan.slug, 987654321])
    except NoReverseMatch:
        pattern = f"/p/{masterplan.slug}/governance/meetings/987654321/"
    absolute = request.build_absolute_uri(pattern)
    return lambda meeting: absolute.replace("987654321", str(meeting.pk))


def feed_response(
    request: HttpRequest, scope: feeds.FeedScope, *, name: str, filename: str
) -> HttpResponse:
    private = scope.private_for is not None
    last_modified: datetime | None = scope.last_modified()
    content = feeds.feed_bytes(
        scope.meetings(),
        name=name,
        page_url=meeting_page(request, scope.masterplan),
        private=private,
    )
    etag = f'"{feeds.content_tag(content)}"'
    stamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    response["Cache-Control"] = "private, max-age=300" if private else "public, max-age=900"
    return response


@plan_view(Level.PLAN_VIEW)
def plan_feed(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    """All public meetings of the masterplan."""
    return feed_response(
        request,
        feeds.FeedScope(masterplan=masterplan),
        name=gettext("%(name)s – meetings") % {"name": masterplan.name},
        filename=f"{masterplan.slug}-sitzungen.ics",
    )


@object_view(Body, Level.OBJECT_VIEW)
def body_feed(request: HttpRequest, masterplan: Masterplan, body: Body) -> HttpResponse:
    """The public meetings of one body."""
    return feed_response(
        request,
        feeds.FeedScope(masterplan=masterplan, body=body),
        name=gettext("%(name)s – meetings") % {"name": body.name},
        filename=f"{masterplan.slug}-gremium-{body.pk}.ics",
    )


@site_view(Level.PUBLIC)
def private_feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """Every meeting the token's owner may see: the token is the credential.

    A revoked token answers 410 Gone (calendar programs then stop asking); an unknown
    one, or one whose owner no longer has a role in the plan, 404.
    """
    token = feed_token_for(feed_token)
    if token is None:
        if feeds.token_state(feed_token) == "revoked":
            return HttpResponse(status=410)
        raise Http404
    scope = feeds.FeedScope(masterplan=token.masterplan, body=token.body, private_for=token.user)
    subject = token.body.name if token.body else token.masterplan.name
    return feed_response(
        request,
        scope,
        name=gettext("%(name)s – all meetings (private)") % {"name": subject},
        filename=f"{token.masterplan.slug}-privat.ics",
    )
