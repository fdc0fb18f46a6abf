"""The permit monitor in the browser: a coordinator records a procedure and a request for
missing documents and sees the timeline and the statutory deadline; the dashboard, a
procedure, the benchmark and the method are clean for axe-core at desktop and phone width.

Dates are counted back from today (the suite may run with a shifted clock); texts of this
module are asserted by data (dates, references), since the German catalogue is filled later.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from masterplan.core.models import Masterplan
from masterplan.permits import services
from masterplan.permits.durations import add_months
from masterplan.permits.models import ClockStart, Procedure, ProcedureType, Statistic
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import blocking_violations, broken_references

pytestmark = pytest.mark.browser


def german(day: date) -> str:
    return day.strftime("%d.%m.%Y")


@pytest.fixture
def permits(plan: Masterplan, coordinator: Any) -> dict[str, Any]:
    """Duisburg's building and immission control authorities with procedures over the last
    year and a half (some open, one withdrawn, statements of consulted bodies), a peer city
    with records and two published figures."""
    today = timezone.localdate()
    services.ensure_default_types(actor=coordinator, masterplan=plan)
    bimschg = ProcedureType.objects.get(masterplan=plan, code="bimschg-19")
    building = ProcedureType.objects.get(masterplan=plan, code="bauo-nrw-64")
    immission = services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Stadt Duisburg – Untere Immissionsschutzbehörde",
        city="Duisburg",
        ags="05112000",
        kind="immission",
    )
    bauaufsicht = services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Stadt Duisburg – Bauaufsicht",
        city="Duisburg",
        ags="05112000",
        kind="building",
    )
    peer = services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Landeshauptstadt Düsseldorf – Bauaufsicht",
        city="Düsseldorf",
        ags="05111000",
        kind="building",
        is_own=False,
    )
    procedures = []
    for i in range(14):
        received = today - timedelta(days=520 - 35 * i)
        complete = received + timedelta(days=12 + i % 4 * 6)
        length = 45 + (i * 23) % 110
        ended = complete + timedelta(days=length)
        fields: dict[str, Any] = {}
        if ended < today and i % 5 != 3:
            fields = {"decided": ended}
        elif ended < today:
            fields = {"withdrawn": ended, "outcome": "withdrawn"}
        for authority, kind, prefix in (
            (immission, bimschg, "UIB"),
            (bauaufsicht, building, "63-BG"),
            (peer, building, "D-63"),
        ):
            procedure = services.procedure_create(
                actor=coordinator,
                masterplan=plan,
                authority=authority,
                procedure_type=kind,
                reference=f"{prefix}-{received.year}-{100 + i}",
                subject="Erweiterung einer Lagerhalle im Logport",
                received=received,
                complete=complete,
                is_sample=True,
                **fields,
            )
            procedures.append(procedure)
            if authority is immission and i % 2 == 0:
                services.event_add(
                    actor=coordinator,
                    procedure=procedure,
                    kind="statement_requested",
                    on=complete + timedelta(days=3),
                    party="Bezirksregierung Düsseldorf",
                )
                if "decided" in fields:
                    services.event_add(
                        actor=coordinator,
                        procedure=procedure,
                        kind="statement",
                        on=complete + timedelta(days=3 + 20 + i),
                        party="Bezirksregierung Düsseldorf",
                    )
    for city, value in (("Essen", 71.0), ("Dortmund", 84.0)):
        services.peer_figure_create(
            actor=coordinator,
            masterplan=plan,
            city=city,
            year=today.year - 1,
            procedure_type="bauo-nrw-64",
            statistic=Statistic.KM_MEDIAN,
            value=value,
            n=900,
            start=ClockStart.COMPLETE,
            source=f"Stadt {city}, Bauaufsicht, Jahresbericht",
        )
    return {"immission": immission, "bimschg": bimschg, "procedures": procedures}


def test_coordinator_records_a_procedure_with_a_defects_request_and_sees_its_deadline(
    page_as: Any, plan: Masterplan, coordinator: Any, permits: dict[str, Any]
) -> None:
    today = timezone.localdate()
    received = today - timedelta(days=120)
    defects = received + timedelta(days=14)
    due = defects + timedelta(days=21)
    complete = received + timedelta(days=40)
    deadline = add_months(complete, 3)  # § 10 (6a) BImSchG: 3 months in § 19 procedures
    page = page_as(coordinator)
    page.goto(f"/p/{plan.slug}/permits/procedures/new/")
    page.locator("#id_reference").fill("UIB-BR-0815")
    page.select_option("#id_authority", str(permits["immission"].pk))
    page.select_option("#id_procedure_type", str(permits["bimschg"].pk))
    page.locator("#id_subject").fill("Neubau eines Blockheizkraftwerks am Hafen Ruhrort")
    page.locator("#id_received").fill(received.isoformat())
    page.locator("#id_complete").fill(complete.isoformat())
    screenshot(page, "permits-procedure-form")
    page.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    procedure = Procedure.objects.get(reference="UIB-BR-0815")
    expect(page).to_have_url(f"{page.url.split('/p/')[0]}{procedure.get_absolute_url()}")
    page.locator(f'a[href="/p/{plan.slug}/permits/procedures/{procedure.pk}/stages/new/"]').click()
    page.select_option("#id_kind", "defects_requested")
    page.locator("#id_on").fill(defects.isoformat())
    page.locator("#id_deadline").fill(due.isoformat())
    page.locator("#id_note").fill("Schallgutachten fehlt")
    screenshot(page, "permits-stage-form")
    page.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text(german(received))
    expect(timeline).to_contain_text(german(defects))
    expect(timeline).to_contain_text("Schallgutachten fehlt")
    expect(timeline).to_contain_text(german(due))
    expect(page.locator("#deadline + dl")).to_contain_text(german(deadline))
    screenshot(page, "permits-procedure-timeline")
    assert procedure.events.filter(kind="defects_requested", on=defects).exists()


@pytest.mark.parametrize("where", ["dashboard", "procedure", "benchmark", "method"])
@pytest.mark.parametrize("width", [1280, 375])
def test_permit_pages_pass_axe(
    page_as: Any,
    plan: Masterplan,
    coordinator: Any,
    permits: dict[str, Any],
    where: str,
    width: int,
) -> None:
    page = page_as(coordinator)
    page.set_viewport_size({"width": width, "height": 900})
    open_one = next(p for p in permits["procedures"] if p.ended_on is None)
    paths = {
        "dashboard": f"/p/{plan.slug}/permits/",
        "procedure": open_one.get_absolute_url(),
        "benchmark": f"/p/{plan.slug}/permits/benchmark/",
        "method": f"/p/{plan.slug}/permits/method/",
    }
    page.goto(paths[where])
    screenshot(page, f"permits-axe-{where}-{width}")
    assert blocking_violations(page) + broken_references(page) == []
    # The page reflows (WCAG 1.4.10): wide tables scroll in their own region, not the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
