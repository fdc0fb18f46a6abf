"""The plan pages in a browser: move a measure on the board, edit it, report on it; axe checks."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.plans import services
from masterplan.plans.models import Measure, StatusReport
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import blocking_violations, broken_references
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MeasureFactory,
    MilestoneFactory,
    PersonFactory,
    seeded_statuses,
)
from tests.governance.factories import BodyFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def sample(
    plan: Masterplan, own_org: Organization, other_org: Organization, coordinator: Any
) -> dict[str, Any]:
    """A small plan: two fields, a goal with a key result, three measures on the board."""
    statuses = seeded_statuses(plan)
    today = timezone.localdate()
    permits = FieldOfActionFactory(masterplan=plan, name="Schnellere Genehmigungsverfahren")
    FieldOfActionFactory(masterplan=plan, name="Start-ups")
    goal = GoalFactory(
        field=permits,
        statement="Top 10 der Oberzentren bei Genehmigungen",
        responsible_organization=own_org,
        owner=PersonFactory(masterplan=plan, given_name="Jennifer", family_name="Kleff"),
    )
    key_result = KeyResultFactory(goal=goal, name="Median-Verfahrensdauer Baugenehmigung")
    unit = BodyFactory(masterplan=plan, name="AG Genehmigungen")
    BodyFactory(masterplan=plan, name="AG Digitalisierung")
    for value, day in ((Decimal("105"), date(2025, 6, 30)), (Decimal("90"), date(2026, 6, 30))):
        key_result = services.key_result_update(
            actor=coordinator,
            key_result=key_result,
            version=key_result.version,
            current_value=value,
            current_as_of=day,
        )
    digital = MeasureFactory(
        goal=goal,
        title="Digitaler Bauantrag",
        lead_organization=own_org,
        status=statuses["In Vorbereitung"],
        planned_start=today - timedelta(days=200),
        planned_end=today + timedelta(days=60),
        operational_body=unit,
    )
    pilot = MeasureFactory(
        goal=goal,
        title="Lotsenstelle für Investoren",
        lead_organization=own_org,
        status=statuses["Idee"],
        operational_body=unit,
    )
    ihk = MeasureFactory(
        goal=goal,
        title="IHK-Genehmigungsdialog",
        lead_organization=other_org,
        status=statuses["In Umsetzung"],
        health="amber",
        health_reason="Termine mit Behörden fehlen",
        planned_end=today - timedelta(days=12),
    )
    services.measure_set_dependencies(actor=coordinator, measure=digital, depends_on=[ihk])
    MilestoneFactory(measure=digital, title="Pilot im Bauamt", due=today - timedelta(days=3))
    MilestoneFactory(
        measure=digital,
        title="Ausschreibung",
        due=today - timedelta(days=90),
        achieved_on=today - timedelta(days=95),
    )
    MilestoneFactory(measure=digital, title="Start für alle", due=today + timedelta(days=40))
    return {"statuses": statuses, "digital": digital, "pilot": pilot, "ihk": ihk, "goal": goal}


def card(page: Any, measure: Measure) -> Any:
    return page.locator(f"#measure-card-{measure.pk}")


def column(page: Any, name: str) -> Any:
    return page.locator("section.board-column").filter(
        has=page.get_by_role("heading", name=re.compile(rf"^{re.escape(name)} \("))
    )


def test_contributor_moves_edits_and_reports_on_a_measure(
    page_as: Any, plan: Masterplan, sample: Any, contributor: Any, coordinator: Any
) -> None:
    digital: Measure = sample["digital"]
    page = page_as(contributor, locale="en-GB")
    page.goto(f"/p/{plan.slug}/plan/board/")
    expect(page.get_by_role("heading", name="Board of measures", level=1)).to_be_visible()
    expect(column(page, "In Vorbereitung").locator(f"#measure-card-{digital.pk}")).to_be_visible()
    screenshot(page, "plans-board")

    # Move with the "next status" button (HTMX): the card shows up in the next column.
    card(page, digital).get_by_role("button", name=re.compile("^In Umsetzung")).click()
    expect(column(page, "In Umsetzung").locator(f"#measure-card-{digital.pk}")).to_be_visible()
    expect(page.locator("#board-status")).to_contain_text("moved to “In Umsetzung”")
    expect(card(page, digital).get_by_role("link", name="Digitaler Bauantrag")).to_be_focused()
    screenshot(page, "plans-board-moved")
    assert Measure.objects.get(pk=digital.pk).status == sample["statuses"]["In Umsetzung"]

    # Edit the measure from its page.
    card(page, digital).get_by_role("link", name="Digitaler Bauantrag").click()
    expect(page.get_by_role("heading", name="Digitaler Bauantrag", level=1)).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label(re.compile(r"^Progress \(%\)")).fill("35")
    page.get_by_label(re.compile(r"^Working group|^Operational unit")).select_option(
        label="AG Digitalisierung"
    )
    screenshot(page, "plans-measure-edit")
    page.get_by_role("main").get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Your changes have been saved.")
    expect(page.locator("dl").first).to_contain_text("AG Digitalisierung")
    edited = Measure.objects.get(pk=digital.pk)
    assert (edited.progress, edited.operational_body.name) == (35, "AG Digitalisierung")

    # Submit a status report on the same page.
    form = page.locator("#new-status-report").locator("xpath=..")
    form.get_by_label(re.compile("^Period from")).fill("2026-07-01")
    form.get_by_label(re.compile("^Period until")).fill("2026-09-30")
    form.get_by_label(re.compile(r"^Health \(RAG\)")).select_option("amber")
    form.get_by_label(re.compile(r"^Progress \(%\)")).fill("40")
    form.get_by_label(re.compile("^What happened")).fill("Pilot im Bauamt verschoben.")
    form.get_by_label(re.compile("^Risks")).fill("Schnittstelle zum Fachverfahren fehlt.")
    screenshot(page, "plans-status-report-form")
    form.get_by_role("button", name="Submit status report").click()
    expect(page.get_by_role("status").first).to_contain_text("status report has been submitted")
    report = StatusReport.objects.get(measure=digital)
    expect(page.locator(f"#status-report-{report.pk}")).to_contain_text("not reviewed yet")
    # The contributor's rating is a proposal: the measure keeps its health until review.
    expect(page.locator("dl").first).to_contain_text("On track")
    screenshot(page, "plans-measure-after-report")
    assert Measure.objects.get(pk=digital.pk).health == "green"

    # A coordinator reviews it.
    review = page_as(coordinator, locale="en-GB")
    review.goto(digital.get_absolute_url())
    item = review.locator(f"#status-report-{report.pk}")
    item.get_by_label(re.compile("^Review comment")).fill("Bitte Termin im Lenkungskreis.")
    item.get_by_role("button", name="Mark as reviewed").click()
    expect(review.locator(f"#status-report-{report.pk}")).to_contain_text("reviewed")
    expect(review.locator(f"#status-report-{report.pk}")).to_contain_text(
        "Bitte Termin im Lenkungskreis."
    )
    screenshot(review, "plans-measure-reviewed")
    assert StatusReport.objects.get(pk=report.pk).reviewed_by == coordinator
    # Reviewed, the report rates the measure.
    expect(review.locator("dl").first).to_contain_text("At risk")
    assert Measure.objects.get(pk=digital.pk).health == "amber"


def test_drag_and_drop_moves_a_card(
    page_as: Any, plan: Masterplan, sample: Any, contributor: Any
) -> None:
    pilot: Measure = sample["pilot"]
    page = page_as(contributor, locale="en-GB")
    page.goto(f"/p/{plan.slug}/plan/board/")
    card(page, pilot).drag_to(column(page, "Abschluss"))
    expect(column(page, "Abschluss").locator(f"#measure-card-{pilot.pk}")).to_be_visible()
    expect(page.locator("#board-status")).to_contain_text("moved to “Abschluss”")
    assert Measure.objects.get(pk=pilot.pk).status == sample["statuses"]["Abschluss"]


def test_stale_move_shows_the_current_state(
    new_context: Any, plan: Masterplan, sample: Any, contributor: Any, coordinator: Any
) -> None:
    digital: Measure = sample["digital"]
    first = new_context(contributor, "en-GB").new_page()
    second = new_context(coordinator, "en-GB").new_page()
    for page in (first, second):
        page.goto(f"/p/{plan.slug}/plan/board/")

    card(first, digital).get_by_role("button", name=re.compile("^In Umsetzung")).click()
    expect(column(first, "In Umsetzung").locator(f"#measure-card-{digital.pk}")).to_be_visible()

    # The second window still shows the old state and moves the card back to "Idee".
    card(second, digital).get_by_role("button", name=re.compile("^Idee")).click()
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("changed by someone else")
    expect(column(second, "In Umsetzung").locator(f"#measure-card-{digital.pk}")).to_be_visible()
    screenshot(second, "plans-board-conflict")
    assert Measure.objects.get(pk=digital.pk).status == sample["statuses"]["In Umsetzung"]


def go(path: Any) -> Any:
    return lambda page, plan, sample: page.goto(path(plan, sample))


PAGES = {
    "overview": ("viewer", go(lambda plan, s: f"/p/{plan.slug}/plan/")),
    "overview-filtered": (
        "viewer",
        go(lambda plan, s: f"/p/{plan.slug}/plan/?health=amber&overdue=on"),
    ),
    "goal": ("coordinator", go(lambda plan, s: s["goal"].get_absolute_url())),
    "measure": ("contributor", go(lambda plan, s: s["digital"].get_absolute_url())),
    "measure-coordinator": ("coordinator", go(lambda plan, s: s["ihk"].get_absolute_url())),
    "board": ("contributor", go(lambda plan, s: f"/p/{plan.slug}/plan/board/")),
    "my-work": ("contributor", go(lambda plan, s: f"/p/{plan.slug}/plan/mine/")),
    "my-work-coordinator": ("coordinator", go(lambda plan, s: f"/p/{plan.slug}/plan/mine/")),
    "measure-edit": (
        "contributor",
        go(lambda plan, s: f"{s['digital'].get_absolute_url()}edit/"),
    ),
    "plan-home": ("viewer", go(lambda plan, s: f"/p/{plan.slug}/")),
}


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
@pytest.mark.parametrize("name", PAGES)
def test_plan_page_has_no_serious_accessibility_violation(
    name: str,
    locale: str,
    request: pytest.FixtureRequest,
    page_as: Any,
    plan: Masterplan,
    sample: Any,
    contributor: Any,
    coordinator: Any,
    viewer: Any,
) -> None:
    role, open_page = PAGES[name]
    page = page_as(request.getfixturevalue(role), locale=locale)
    open_page(page, plan, sample)
    if name == "plan-home":
        page.locator(".plan-summary").wait_for()
    screenshot(page, f"a11y-plans-{name}-{locale[:2]}")

    violations = blocking_violations(page) + broken_references(page)

    assert not violations, f"{page.url}:\n" + "\n".join(violations)


def test_overview_tree_collapses(page_as: Any, plan: Masterplan, sample: Any, viewer: Any) -> None:
    page = page_as(viewer, locale="en-GB")
    page.goto(f"/p/{plan.slug}/plan/")
    goal = page.get_by_text("Top 10 der Oberzentren bei Genehmigungen").first
    expect(page.get_by_role("link", name="Digitaler Bauantrag")).to_be_visible()
    page.locator("summary").filter(has_text="Schnellere Genehmigungsverfahren").click()
    expect(goal).to_be_hidden()
    page.locator("summary").filter(has_text="Schnellere Genehmigungsverfahren").press("Enter")
    expect(goal).to_be_visible()

    page.get_by_label("Health (RAG)").select_option("amber")
    expect(page.get_by_role("link", name="Digitaler Bauantrag")).to_be_hidden()
    expect(page.get_by_role("link", name="IHK-Genehmigungsdialog")).to_be_visible()
    assert "health=amber" in page.url
    screenshot(page, "plans-overview-filtered")


def test_plan_pages_fit_a_narrow_screen(
    page_as: Any, plan: Masterplan, sample: Any, contributor: Any
) -> None:
    """WCAG 1.4.10: on a 320 px screen the board's columns stack; no page scrolls sideways."""
    page = page_as(contributor)
    page.set_viewport_size({"width": 320, "height": 640})
    paths = {
        "overview": f"/p/{plan.slug}/plan/",
        "goal": sample["goal"].get_absolute_url(),
        "measure": sample["digital"].get_absolute_url(),
        "board": f"/p/{plan.slug}/plan/board/",
        "my-work": f"/p/{plan.slug}/plan/mine/",
    }
    too_wide = {}
    for name, path in paths.items():
        page.goto(path)
        screenshot(page, f"narrow-plans-{name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width

    assert not too_wide, f"wider than the screen: {too_wide}"
