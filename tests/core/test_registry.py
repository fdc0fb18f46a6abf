"""The registries find the apps' contributions by themselves, in the order of the layers."""

from __future__ import annotations

import pytest
from django.apps import apps

from masterplan.core.bench import bench_contributions
from masterplan.core.demo import demo_loaders
from masterplan.core.panels import MY_WORK, PLAN_HOME, dashboard_panels
from masterplan.core.registry import Registry
from masterplan.core.review_report import review_sections
from masterplan.core.synthetic import synthetic_content

APP_ORDER = [config.label for config in apps.get_app_configs()]


@pytest.mark.parametrize(
    "registry", [demo_loaders, synthetic_content, bench_contributions, review_sections]
)
def test_contributions_come_in_the_order_of_installed_apps(registry: Registry[object]) -> None:
    labels = [entry.app_label for entry in registry.entries()]
    assert labels, registry.module
    assert labels == sorted(labels, key=APP_ORDER.index)


def test_every_app_with_content_contributes_demo_and_synthetic_data() -> None:
    expected = ["directory", "plans", "land", "permits", "governance", "indicators", "climate"]
    assert [e.app_label for e in demo_loaders.entries()] == expected
    assert [e.app_label for e in synthetic_content.entries()] == expected


def test_the_dashboards_get_their_panels() -> None:
    panels = {(spec.page, spec.key) for spec in dashboard_panels}
    assert {(PLAN_HOME, "plans.home"), (PLAN_HOME, "directory.home")} <= panels
    assert {(MY_WORK, "plans.my_work"), (MY_WORK, "governance.my_work")} <= panels


def test_registering_a_key_again_replaces_the_item() -> None:
    registry: Registry[str] = Registry("no_such_module")
    registry.add("first", key="plans.thing")
    registry.add("second", key="plans.thing")
    assert registry.items() == ["second"]


def test_a_contribution_must_name_an_installed_app() -> None:
    registry: Registry[str] = Registry("no_such_module")
    with pytest.raises(LookupError):
        registry.add("x", key="nowhere.thing")
