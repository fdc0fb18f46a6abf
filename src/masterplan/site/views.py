"""The pages that combine the modules: the list of masterplans, a plan's home page and
"my work". Each module contributes its panels (core/panels.py); nothing here names them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import defaults

from masterplan.core import permissions as perms
from masterplan.core.access import plan_view, site_view
from masterplan.core.models import Masterplan
from masterplan.core.panels import MY_WORK, PLAN_HOME, panels_for
from masterplan.core.permissions import Level
from masterplan.core.queries import visible_masterplans
from masterplan.governance.oparl.views import not_found as oparl_not_found


@site_view(Level.PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    plans = visible_masterplans(request.user)
    return render(request, "site/home.html", {"plans": plans})


@plan_view(Level.PLAN_VIEW)
def plan_home(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    panels = panels_for(
        PLAN_HOME, request=request, masterplan=masterplan, today=timezone.localdate()
    )
    return render(
        request,
        "site/plan_home.html",
        {
            "masterplan": masterplan,
            "role": perms.role_in(request.user, masterplan),
            "panels": panels,
        },
    )


@plan_view(Level.PLAN_MEMBER)
def my_work(request: HttpRequest, masterplan: Masterplan) -> HttpResponse:
    panels = panels_for(MY_WORK, request=request, masterplan=masterplan, today=timezone.localdate())
    return render(request, "site/my_work.html", {"masterplan": masterplan, "panels": panels})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404 (handler404): the page, or the JSON error with CORS under the OParl API,
    so that a client gets the same answer for a malformed address as for a missing object."""
    if request.path.startswith("/oparl/"):
        return oparl_not_found(request)
    return defaults.page_not_found(request, exception)
