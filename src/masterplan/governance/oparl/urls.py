"""OParl 1.1 at /oparl/v1/: the system, one body per published masterplan, its lists and objects.

Object routes name their id `oparl_<type>` (not `pk`): OParl objects are looked up among the
public objects only, so the permission-matrix test needs a public sample for each
(tests/governance/oparl_matrix.py), not the draft objects it uses for `pk`.
"""

from django.urls import URLPattern, path

from masterplan.governance.oparl import views
from masterplan.governance.oparl.views import ObjectRoute, object_view, plan_list

app_name = "oparl"

LISTS = (
    "organizations",
    "people",
    "memberships",
    "meetings",
    "agenda-items",
    "papers",
    "files",
    "locations",
    "legislative-terms",
)
OBJECTS = (
    (ObjectRoute("organization", "organizations"), "oparl_organization"),
    (ObjectRoute("person", "people"), "oparl_person"),
    (ObjectRoute("membership", "memberships"), "oparl_membership"),
    (ObjectRoute("meeting", "meetings"), "oparl_meeting"),
    (ObjectRoute("agenda-item", "agenda-items"), "oparl_agenda_item"),
    (ObjectRoute("paper/decision", "papers", 0), "oparl_decision"),
    (ObjectRoute("paper/report", "papers", 1), "oparl_report"),
    (ObjectRoute("file", "files"), "oparl_file"),
    (ObjectRoute("location", "locations"), "oparl_location"),
)

urlpatterns: list[URLPattern] = [
    path("", views.system, name="system"),
    path("bodies/", views.body_list, name="body_list"),
    path("body/<slug:plan>/", views.body, name="body"),
    path("body/<slug:plan>/legislative-term/", views.legislative_term, name="legislative_term"),
    *(path(f"body/<slug:plan>/{kind}/", plan_list(kind), name=kind) for kind in LISTS),
    *(
        path(
            f"body/<slug:plan>/{route.kind}/<int:{parameter}>/",
            object_view(route, parameter),
            name=route.kind.replace("/", "-"),
        )
        for route, parameter in OBJECTS
    ),
    path(
        "body/<slug:plan>/organization/<int:oparl_organization>/meetings/",
        views.organization_meetings,
        name="organization-meetings",
    ),
    path(
        "body/<slug:plan>/paper/decision/<int:oparl_decision>/consultation/",
        views.consultation,
        name="consultation",
    ),
    path(
        "body/<slug:plan>/file/<int:oparl_file>/download/",
        views.file_download,
        name="file-download",
    ),
]
