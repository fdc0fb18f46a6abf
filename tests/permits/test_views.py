"""The permit monitor's pages as their users meet them: the public sees the figures and no
single procedure, members see procedures and the overdue list, the figures on the page are
those of queries.py, a bad day is refused with a message, stages are recorded by the
authority's contributor only, a stale edit is refused, and the pages read in a fixed number of
queries whatever the number of procedures.

Text is asserted in English (under translation.override) until the lead fills the German
catalogue."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from masterplan.core.models import Masterplan
from masterplan.permits import queries, services
from masterplan.permits.models import (
    ClockStart,
    Procedure,
    ProcedureEvent,
    Statistic,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 6, 30)


def url(name: str, plan: Masterplan, *args: Any) -> str:
    return reverse(f"permits:{name}", args=[plan.slug, *args])


def page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def get(client: Client, address: str) -> str:
    with translation.override("en"):
        return page(client.get(address, HTTP_ACCEPT_LANGUAGE="en"))


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def test_the_public_sees_the_dashboard_figures_but_no_single_procedure(
    plan: Masterplan, world: dict[str, Any], client_as: Any
) -> None:
    public = client_as(None)
    html = get(public, url("dashboard", plan) + "?as_of=2026-07-25")
    assert "§ 19 BImSchG" in html or world["type"].name in html
    assert "Kaplan–Meier" in html
    assert "UIB-2026" not in html  # neither the overdue list nor links to procedures
    assert "Overdue and near the deadline" not in html
    for address in (
        url("procedure_list", plan),
        url("procedure_detail", plan, world["procedures"][0].pk),
    ):
        response = public.get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_members_see_the_overdue_list_and_the_procedures(
    plan: Masterplan, world: dict[str, Any], client_as: Any, viewer: Any
) -> None:
    member = client_as(viewer)
    # 25 July: UIB-2026-005 (complete 1 May, 3 months) is due on 1 August, 7 days left.
    html = get(member, url("dashboard", plan) + "?as_of=2026-07-25")
    assert "Overdue and near the deadline" in html
    assert "UIB-2026-005" in html
    listing = get(member, url("procedure_list", plan))
    assert all(p.reference in listing for p in world["procedures"])
    only_open = get(member, url("procedure_list", plan) + "?state=open")
    assert "UIB-2026-005" in only_open and "UIB-2026-001" not in only_open


def test_the_figures_on_the_dashboard_are_those_of_the_queries(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    board = queries.permit_dashboard(masterplan=plan, as_of=AS_OF, user=coordinator)
    net, gross = board.overall["net"][0], board.overall["gross"][0]
    assert (net.km.median.days, gross.km.median.days) == (100, 110)
    html = get(client_as(None), url("dashboard", plan) + "?as_of=2026-06-30")
    assert "5 procedures of the city's own authorities received by" in html
    assert "1 of them open" in html
    # Both clocks side by side; the flattering mean (40 + 60 + 100) / 3 = 67 labelled.
    assert "Net: from the complete application" in html and "Gross: from receipt" in html
    assert ">100<br>" in html and ">110<br>" in html
    assert "For comparison: mean of closed procedures only – flatters" in html
    assert ">67<" in html
    # Within 3 months: 2 of the 4 whose deadline passed or that ended.
    assert "(2 of 4)" in html
    # The curves as an accessible chart with a table alternative.
    assert 'id="km-curves"' in html and 'role="img"' in html and "after 90 days" in html


def test_a_bad_day_is_refused_with_a_message_not_an_error(
    plan: Masterplan, world: dict[str, Any], client_as: Any
) -> None:
    public = client_as(None)
    for bad in ("30.06.2026", "2026-02-30", "yesterday", "1850-01-01"):
        for name in ("dashboard", "benchmark"):
            with translation.override("en"):
                response = public.get(url(name, plan) + f"?as_of={bad}")
            assert response.status_code == 400, (name, bad)
            text = response.content.decode()
            assert "is not a day" in text or "from 1990 on" in text


def test_a_day_in_the_future_shows_today(
    plan: Masterplan, world: dict[str, Any], client_as: Any
) -> None:
    response = client_as(None).get(url("dashboard", plan) + "?as_of=2999-01-01")
    assert response.status_code == 200
    assert response.context["as_of"] == response.context["today"]


def test_a_contributor_of_another_organisation_cannot_record_or_edit(
    plan: Masterplan, world: dict[str, Any], client_as: Any, other_contributor: Any
) -> None:
    other = client_as(other_contributor)
    procedure = world["procedures"][4]
    assert other.get(url("procedure_edit", plan, procedure.pk)).status_code == 403
    response = other.post(
        url("event_create", plan, procedure.pk), {"kind": "hearing", "on": "2026-06-01"}
    )
    assert response.status_code == 403
    assert not ProcedureEvent.objects.filter(procedure=procedure).exists()


def test_the_authoritys_contributor_records_a_late_defects_request_flagged_with_a_star(
    plan: Masterplan, world: dict[str, Any], client_as: Any, contributor: Any
) -> None:
    own = client_as(contributor)
    procedure = world["procedures"][4]  # received 20 April: completeness check until 20 May
    response = own.post(
        url("event_create", plan, procedure.pk),
        {"kind": "defects_requested", "on": "2026-06-10", "deadline": "2026-07-10"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = get(own, url("procedure_detail", plan, procedure.pk) + "?as_of=2026-06-30")
    assert "Missing documents requested" in html
    assert "★" in html and "late request for missing documents" in html
    assert "due 07/10/2026" in html


def test_a_decision_stage_ends_the_procedure(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    procedure = world["procedures"][4]
    response = client_as(coordinator).post(
        url("event_create", plan, procedure.pk),
        {"kind": "decision", "on": "2026-07-20", "outcome": "refused"},
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.decided == date(2026, 7, 20) and procedure.outcome == "refused"


def test_an_extension_shows_in_the_timeline_and_moves_the_deadline(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    client = client_as(coordinator)
    procedure = world["procedures"][4]  # deadline 1 August
    response = client.post(
        url("extension_create", plan, procedure.pk),
        {"on": "2026-07-15", "months": "3", "days": "0", "reason": "Gutachten Luftreinhaltung"},
    )
    assert response.status_code == 302
    address = url("procedure_detail", plan, procedure.pk) + "?as_of=2026-07-20"
    assert "Gutachten Luftreinhaltung" in get(client, address)
    figures = client.get(address).context["figures"]
    assert figures.deadline_without_extensions.deadline == date(2026, 8, 1)
    assert figures.deadline.deadline == date(2026, 11, 1)


def test_a_stale_edit_is_refused_and_the_input_kept(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    procedure = world["procedures"][4]
    stale = procedure.version
    services.procedure_update(
        actor=coordinator, procedure=procedure, version=stale, subject="BHKW 2 MW"
    )
    response = client_as(coordinator).post(
        url("procedure_edit", plan, procedure.pk),
        {
            "reference": procedure.reference,
            "authority": world["authority"].pk,
            "procedure_type": world["type"].pk,
            "subject": "BHKW 3 MW",
            "received": "2026-04-20",
            "complete": "2026-05-01",
            "version": stale,
        },
    )
    assert response.status_code == 409
    procedure.refresh_from_db()
    assert procedure.subject == "BHKW 2 MW"


def test_a_procedure_is_recorded_with_the_outcome_following_the_decision(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    response = client_as(coordinator).post(
        url("procedure_create", plan),
        {
            "reference": "63-BG-2026-0815",
            "authority": world["authority"].pk,
            "procedure_type": world["type"].pk,
            "received": "2026-02-02",
            "complete": "2026-02-20",
            "decided": "2026-04-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Procedure.objects.get(reference="63-BG-2026-0815")
    assert created.outcome == "approved"
    assert response["Location"] == created.get_absolute_url()


def test_a_decision_before_receipt_is_shown_at_its_field(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    with translation.override("en"):
        response = client_as(coordinator).post(
            url("procedure_create", plan),
            {
                "reference": "63-BG-2026-0816",
                "authority": world["authority"].pk,
                "procedure_type": world["type"].pk,
                "received": "2026-02-02",
                "decided": "2026-01-01",
            },
        )
    assert response.status_code == 400
    assert "before the application was received" in response.content.decode()
    assert not Procedure.objects.filter(reference="63-BG-2026-0816").exists()


def test_authorities_are_recorded_with_their_contacts(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    person = PersonFactory(masterplan=plan, given_name="Jana", family_name="Kowalski")
    response = client_as(coordinator).post(
        url("authority_create", plan),
        {
            "name": "Stadt Duisburg – Bauaufsicht",
            "city": "Duisburg",
            "ags": "05112000",
            "kind": "building",
            "is_own": "on",
            "contacts": [person.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    html = get(client_as(coordinator), response["Location"])
    assert "Stadt Duisburg – Bauaufsicht" in html and "Kowalski" in html


def test_the_deadlines_of_a_type_are_edited_as_data(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    procedure_type = world["type"]
    form = client_as(coordinator).get(url("type_edit", plan, procedure_type.pk))
    data = {
        key: value
        for key, value in form.context["form"].initial.items()
        if value is not None and value is not False
    }
    data.update({"decision_months": 4, "version": procedure_type.version})
    response = client_as(coordinator).post(url("type_edit", plan, procedure_type.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    procedure_type.refresh_from_db()
    assert procedure_type.decision_months == 4
    html = get(client_as(None), url("method", plan))
    assert "4 months, 0 days" in html


def test_the_benchmark_ranks_like_with_like_and_marks_the_own_city(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    common = {"actor": coordinator, "masterplan": plan, "year": 2025, "n": 400}
    services.peer_figure_create(
        city="Düsseldorf",
        procedure_type="bimschg-19",
        statistic=Statistic.KM_MEDIAN,
        value=95,
        start=ClockStart.COMPLETE,
        source="Stadt Düsseldorf, Umweltamt, Jahresbericht 2025",
        **common,
    )
    for city, value in (("Essen", 88.0), ("Dortmund", 104.0)):
        services.peer_figure_create(
            city=city,
            procedure_type="bimschg-19",
            statistic=Statistic.MEAN_OF_CLOSED,
            value=value,
            start=ClockStart.RECEIVED,
            source=f"Stadt {city}, Pressemitteilung 2025",
            **common,
        )
    html = get(client_as(None), url("benchmark", plan) + "?as_of=2026-06-30")
    assert "Definition: Kaplan–Meier median (open procedures censored)" in html
    assert "95 % rank interval" in html and "P(top 10)" in html
    assert "own city" in html and "<strong>Duisburg</strong>" in html
    assert "Stadt Düsseldorf, Umweltamt, Jahresbericht 2025" in html
    # The means of closed cases are ranked among themselves only, without an interval.
    assert "No interval" in html and "Stadt Essen, Pressemitteilung 2025" in html


def test_the_method_page_explains_the_statistics_to_everyone(
    plan: Masterplan, world: dict[str, Any], client_as: Any
) -> None:
    html = get(client_as(None), url("method", plan))
    for words in ("Kaplan–Meier", "Aalen–Johansen", "Wilson", "flatters", "like with like"):
        assert words in html
    assert world["type"].legal_basis in html


def add_procedures(world: dict[str, Any], coordinator: Any, plan: Masterplan, n: int) -> None:
    for i in range(n):
        procedure = services.procedure_create(
            actor=coordinator,
            masterplan=plan,
            authority=world["authority"],
            procedure_type=world["type"],
            reference=f"UIB-2026-9{i:02d}",
            received=date(2026, 2, 1) + timedelta(days=i),
            complete=date(2026, 2, 10) + timedelta(days=i),
        )
        services.event_add(
            actor=coordinator,
            procedure=procedure,
            kind="statement_requested",
            on=date(2026, 2, 15) + timedelta(days=i),
            party=f"Bezirksregierung Düsseldorf, Dezernat {50 + i % 3}",
        )


@pytest.mark.parametrize(
    "name", ["dashboard", "procedure_list", "authority_list", "type_list", "peer_list"]
)
def test_pages_read_in_the_same_number_of_queries_as_the_data_grows(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any, name: str
) -> None:
    client = client_as(coordinator)
    address = url(name, plan) + ("?as_of=2026-06-30" if name == "dashboard" else "")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    add_procedures(world, coordinator, plan, 3)
    before = count()
    add_procedures_more = 20
    for i in range(add_procedures_more):
        services.authority_create(
            actor=coordinator, masterplan=plan, name=f"Bauaufsicht Peer {i}", city=f"Stadt {i}"
        )
    for i in range(3, 3 + add_procedures_more):
        services.procedure_create(
            actor=coordinator,
            masterplan=plan,
            authority=world["authority"],
            procedure_type=world["type"],
            reference=f"UIB-2026-8{i:02d}",
            received=date(2026, 3, 1),
            complete=date(2026, 3, 10),
        )
    assert count() == before


def test_the_procedure_page_shows_the_procedure_as_it_stood_on_a_past_day(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    procedure = world["procedures"][4]  # complete 1 May
    services.event_add(
        actor=coordinator,
        procedure=procedure,
        kind="statement_requested",
        on=date(2026, 6, 1),
        party="Bezirksregierung Düsseldorf",
    )
    address = url("procedure_detail", plan, procedure.pk)
    before = get(client_as(coordinator), address + "?as_of=2026-04-25")
    assert "Statement requested from a consulted body" not in before
    assert "not started: the application is not complete yet" in before
    after = get(client_as(coordinator), address + "?as_of=2026-06-30")
    assert "Statement requested from a consulted body" in after


def test_the_public_sees_an_authoritys_figures_but_not_its_contacts(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    authority = world["authority"]
    person = PersonFactory(masterplan=plan, given_name="Jana", family_name="Kowalski")
    services.authority_update(
        actor=coordinator, authority=authority, version=authority.version, contacts=[person]
    )
    address = url("authority_detail", plan, authority.pk)
    public = get(client_as(None), address)
    assert "Median days (KM, 95 % interval)" in public
    assert "Kowalski" not in public and "Its procedures" not in public
    member = get(client_as(coordinator), address)
    assert "Kowalski" in member and "Its procedures" in member


def test_a_filtered_list_answers_htmx_with_the_table_only(
    plan: Masterplan, world: dict[str, Any], client_as: Any, viewer: Any
) -> None:
    response = client_as(viewer).get(
        url("procedure_list", plan) + "?q=Blockheizkraftwerk", HTTP_HX_REQUEST="true"
    )
    html = page(response)
    assert "<html" not in html
    assert "UIB-2026-005" in html and "UIB-2026-001" not in html


def test_a_day_before_the_application_shows_the_procedure_not_yet_received(
    plan: Masterplan, world: dict[str, Any], client_as: Any, coordinator: Any
) -> None:
    procedure = world["procedures"][0]
    html = get(
        client_as(coordinator), url("procedure_detail", plan, procedure.pk) + "?as_of=2025-12-01"
    )
    assert "the application had not been received yet" in html


def test_a_day_before_any_procedure_shows_empty_figures(
    plan: Masterplan, world: dict[str, Any], client_as: Any
) -> None:
    for name in ("dashboard", "benchmark"):
        html = get(client_as(None), url(name, plan) + "?as_of=1995-01-01")
        assert "UIB-2026" not in html


def test_the_rendered_dashboard_is_kept_per_audience_and_language_until_the_data_changes(
    plan: Masterplan, world: dict[str, Any], client_as: Any, viewer: Any, coordinator: Any
) -> None:
    member, public = client_as(viewer), client_as(None)
    address = url("dashboard", plan) + "?as_of=2026-07-25"

    def read(client: Client, language: str = "en") -> tuple[int, str]:
        with translation.override(language), CaptureQueriesContext(connection) as captured:
            html = page(client.get(address, HTTP_ACCEPT_LANGUAGE=language))
        return len(captured), html

    first_queries, first = read(member)
    again_queries, again = read(member)

    def body(html: str) -> str:  # the page around it has a new CSRF token every time
        return html[html.index('id="durations"') : html.index('id="method"')]

    assert again_queries < first_queries  # figures and HTML from the cache
    assert body(again) == body(first)
    assert "UIB-2026-005" in again
    _queries, seen = read(public)  # the members' page is never the public's
    assert "UIB-2026-005" not in seen and "Overdue and near the deadline" not in seen
    _queries, german = read(member, "de")
    assert "Überfällig" in german or "Frist" in german
    assert "Overdue and near the deadline" not in german
    assert "4 of them" not in first  # five received, one open: "1 of them open"
    services.event_add(
        actor=coordinator,
        procedure=world["procedures"][4],
        kind="decision",
        on=date(2026, 7, 20),
        outcome="approved",
    )
    _queries, changed = read(member)
    assert "UIB-2026-005" not in changed  # decided: no longer in the overdue list
    assert "0 of them open" in changed


def test_the_stages_are_named_in_the_readers_language_whoever_read_the_dashboard_first(
    plan: Masterplan, world: dict[str, Any], client_as: Any, viewer: Any, coordinator: Any
) -> None:
    procedure = world["procedures"][4]  # received 20 April 2026, complete 1 May
    for kind, on in (
        ("defects_requested", date(2026, 5, 5)),
        ("amended_application", date(2026, 5, 19)),
    ):
        services.event_add(actor=coordinator, procedure=procedure, kind=kind, on=on)
    member = client_as(viewer)
    address = url("dashboard", plan) + "?as_of=2026-07-25"
    with translation.override("de"):
        german = page(member.get(address, HTTP_ACCEPT_LANGUAGE="de"))
    english = get(member, address)
    assert "Antragsteller behebt Mängel" in german
    assert "Applicant remedies defects" in english and "Antragsteller behebt" not in english
