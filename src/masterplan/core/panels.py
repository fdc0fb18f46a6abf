"""Dashboard panels: pages that combine the modules (the plan's home, "my work") show what
each module contributes from its `<app>/panels.py`:

    @register_panel("governance.my_work", page=MY_WORK, template="governance/_my_work.html")
    def my_actions(request: HttpRequest, masterplan: Masterplan, today: date) -> dict | None:
        ...

The function returns the panel's template context, or None to leave the panel out (e.g. for
a reader without a role). Panels of a page are shown by `order`, then in the order of
INSTALLED_APPS. The pages themselves live in the site app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest

from masterplan.core.models import Masterplan
from masterplan.core.registry import Registry

PLAN_HOME = "plan_home"
MY_WORK = "my_work"

PanelBuilder = Callable[[HttpRequest, Masterplan, date], Mapping[str, Any] | None]


@dataclass(frozen=True)
class PanelSpec:
    key: str
    page: str
    template: str
    order: int
    build: PanelBuilder


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    context: Mapping[str, Any]


dashboard_panels: Registry[PanelSpec] = Registry("panels")


def register_panel(
    key: str, *, page: str, template: str, order: int = 100
) -> Callable[[PanelBuilder], PanelBuilder]:
    """Decorator for a function of an app's panels.py that builds one panel's context."""

    def decorator(build: PanelBuilder) -> PanelBuilder:
        dashboard_panels.add(PanelSpec(key, page, template, order, build), key=key)
        return build

    return decorator


def panels_for(
    page: str, *, request: HttpRequest, masterplan: Masterplan, today: date
) -> list[RenderedPanel]:
    """The panels of `page` for this request, in their order."""
    specs = sorted(
        (spec for spec in dashboard_panels if spec.page == page), key=lambda spec: spec.order
    )
    panels = []
    for spec in specs:
        context = spec.build(request, masterplan, today)
        if context is not None:
            panels.append(RenderedPanel(spec.key, spec.template, context))
    return panels


# --- Panels on the page of one record ---------------------------------------------------------
#
# A module shows what it links to a record of a lower module on that record's page, without
# the lower module importing it: land's core-zone page lists governance's workshops there, the
# measure page lists land's sites.
#
#     @register_object_panel("governance.zone_workshops", on="land.corezone",
#                            template="governance/_zone_workshops.html")
#     def workshops(request, masterplan, zone) -> dict | None: ...

ObjectPanelBuilder = Callable[[HttpRequest, Masterplan, Any], Mapping[str, Any] | None]


@dataclass(frozen=True)
class ObjectPanelSpec:
    key: str
    on: str  # model label, lower case: "land.corezone"
    template: str
    order: int
    build: ObjectPanelBuilder


object_panels: Registry[ObjectPanelSpec] = Registry("panels")


def register_object_panel(
    key: str, *, on: str, template: str, order: int = 100
) -> Callable[[ObjectPanelBuilder], ObjectPanelBuilder]:
    """Decorator for a function of an app's panels.py that builds a panel on a record's page."""

    def decorator(build: ObjectPanelBuilder) -> ObjectPanelBuilder:
        object_panels.add(ObjectPanelSpec(key, on.lower(), template, order, build), key=key)
        return build

    return decorator


def object_panels_for(
    obj: Any, *, request: HttpRequest, masterplan: Masterplan
) -> list[RenderedPanel]:
    """The panels other modules show on the page of `obj`, in their order."""
    label = obj._meta.label_lower
    specs = sorted((spec for spec in object_panels if spec.on == label), key=lambda s: s.order)
    panels = []
    for spec in specs:
        context = spec.build(request, masterplan, obj)
        if context is not None:
            panels.append(RenderedPanel(spec.key, spec.template, context))
    return panels
