"""A meeting in a browser, from invitation to approved minutes; then decision tracking and the
action-item list. axe-core checks the governance pages in German and English."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization, Person
from masterplan.governance import services
from masterplan.governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyKind,
    Decision,
    ImplementationState,
    Meeting,
    MeetingState,
)
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import blocking_violations, broken_references
from tests.factories import MeasureFactory, PersonFactory
from tests.governance.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def committee(
    plan: Masterplan, own_org: Organization, other_org: Organization, admin: Any
) -> dict[str, Any]:
    """Duisburg's steering committee with three members and an operational unit."""
    body = BodyFactory(
        masterplan=plan,
        name="Lenkungskreis Masterplan Wirtschaft",
        short_name="LK",
        kind=BodyKind.STEERING_COMMITTEE,
        organization=own_org,
        purpose="Sparringspartner für die Entscheidungen an der Spitze.",
    )
    unit = BodyFactory(masterplan=plan, name="AG Flächen", parent=body, organization=own_org)
    MeasureFactory(
        goal__field__masterplan=plan,
        title="Flächenpool Kernzonen",
        lead_organization=own_org,
        operational_body=unit,
    )
    people = []
    for given, family, organization, role in (
        ("Sören", "Link", own_org, "chair"),
        ("Werner", "Schaurte-Küppers", other_org, "member"),
        ("Andrea", "Demming-Rosenberg", own_org, "secretary"),
    ):
        person = PersonFactory(masterplan=plan, given_name=given, family_name=family)
        services.membership_create(
            actor=admin,
            body=body,
            person=person,
            organization=organization,
            role=role,
            voting_right=role != "secretary",
            publication=Publication.PUBLISHED,
        )
        people.append(person)
    return {"body": body, "people": people, "unit": unit}


def main(page: Any) -> Any:
    return page.get_by_role("main")


def save(page: Any) -> None:
    main(page).get_by_role("button", name="Save").click()


def test_coordinator_runs_a_meeting_from_invitation_to_approved_minutes(
    page_as: Any, plan: Masterplan, committee: dict[str, Any], coordinator: Any
) -> None:
    body: Body = committee["body"]
    people: list[Person] = committee["people"]
    page = page_as(coordinator, locale="en-GB")
    page.goto(f"/p/{plan.slug}/governance/")
    screenshot(page, "governance-body-list")
    main(page).get_by_role("link", name="Lenkungskreis Masterplan Wirtschaft").first.click()
    expect(page.get_by_role("heading", name=body.name, level=1)).to_be_visible()
    expect(page.locator("#members").locator("xpath=../..")).to_contain_text("Sören Link")
    screenshot(page, "governance-body-detail")

    # A new meeting.
    main(page).get_by_role("link", name="New meeting").click()
    page.locator("#id_title").fill("Jahresauftakt im Rathaus")
    page.locator("#id_start").fill("2026-01-20T09:00")
    page.locator("#id_end").fill("2026-01-20T12:00")
    page.locator("#id_location_name").fill("Rathaus Duisburg, Ratssaal")
    page.locator("#id_street_address").fill("Burgplatz 19")
    page.locator("#id_postal_code").fill("47051")
    page.locator("#id_locality").fill("Duisburg")
    page.locator("#id_is_public").check()
    page.locator("#id_publication").select_option("published")
    screenshot(page, "governance-meeting-form")
    save(page)
    expect(page.get_by_role("heading", name="Jahresauftakt im Rathaus", level=1)).to_be_visible()
    meeting = Meeting.objects.get(body=body)

    # Agenda: two items, the second not public, with a sub-item.
    for title, public in (
        ("Rückblick auf die erreichten Meilensteine", True),
        ("Personalien", False),
    ):
        main(page).get_by_role("link", name="Add agenda item", exact=True).click()
        page.locator("#id_title").fill(title)
        if not public:
            page.locator("#id_is_public").uncheck()
        page.locator("#id_publication").select_option("published")
        save(page)
        expect(page.locator("#agenda").locator("xpath=..")).to_be_visible()
    first = AgendaItem.objects.get(meeting=meeting, number="1")
    page.locator(f"a[href$='agenda/new/?parent={first.pk}']").click()
    page.locator("#id_title").fill("Kernzonen-Workshops 2026")
    page.locator("#id_publication").select_option("published")
    save(page)
    expect(page.locator(".agenda")).to_contain_text("1.1")
    expect(page.locator(".agenda")).to_contain_text("not public")

    # Invite.
    main(page).get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status").first).to_contain_text("Invited")

    # Attendance for the three members in one form.
    for person, status in zip(people, ("present", "excused", "present"), strict=True):
        page.locator(f"input[name='person-{person.pk}'][value='{status}']").check()
    screenshot(page, "governance-meeting-invited")
    main(page).get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("status").first).to_contain_text("attendance has been recorded")
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 2

    # Held; a decision and an action item from agenda item 1.
    main(page).get_by_role("button", name="Mark as held").click()
    expect(page.get_by_role("status").first).to_contain_text("Held")
    page.locator(f"#item-{first.pk}").get_by_role(
        "link", name=re.compile("^Record decision")
    ).click()
    page.locator("#id_reference").fill("LK-2026-01")
    page.locator("#id_title").fill("Kernzonen-Workshops fortsetzen")
    page.locator("#id_text").fill("Die Workshops je Kernzone werden 2026 fortgesetzt.")
    page.locator("#id_responsible_organization").select_option(
        label="Wirtschaft für Duisburg e. V."
    )
    page.locator("#id_publication").select_option("published")
    screenshot(page, "governance-decision-form")
    save(page)
    expect(page.locator("#decisions").locator("xpath=..")).to_contain_text("LK-2026-01")
    decision = Decision.objects.get(meeting=meeting)

    page.locator(f"#item-{first.pk}").get_by_role(
        "link", name=re.compile("^Add action item")
    ).click()
    page.locator("#id_title").fill("Termine mit den Eigentümern abstimmen")
    page.locator("#id_decision").select_option(str(decision.pk))
    page.locator("#id_owner_person").select_option(str(people[2].pk))
    page.locator("#id_owner_organization").select_option(label="Wirtschaft für Duisburg e. V.")
    page.locator("#id_due").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    page.locator("#id_publication").select_option("published")
    save(page)
    action = ActionItem.objects.get(meeting=meeting)
    expect(page.locator(f"#action-{action.pk}")).to_contain_text("Andrea Demming-Rosenberg")

    # Minutes, then approval.
    main(page).get_by_role("link", name="Write minutes").click()
    page.locator("#id_minutes_text").fill("Der Lenkungskreis blickt auf 2025 zurück.")
    save(page)
    main(page).get_by_role("button", name="Approve minutes").click()
    expect(page.get_by_role("status").first).to_contain_text("Minutes approved")
    screenshot(page, "governance-meeting-approved")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_APPROVED
    assert meeting.minutes_approved_on == timezone.localdate()

    # Decision tracking: the new decision is open; it is marked in progress with evidence.
    page.goto(f"/p/{plan.slug}/governance/decisions/")
    open_group = page.locator("section.state-group").filter(has=page.locator("#state-open"))
    expect(open_group).to_contain_text("Kernzonen-Workshops fortsetzen")
    screenshot(page, "governance-decision-tracking")
    open_group.get_by_role("link", name=re.compile("^Update implementation")).click()
    page.locator("#id_implementation_state").select_option("in_progress")
    page.locator("#id_implementation_evidence").fill("Erster Workshop im März terminiert.")
    save(page)
    progress = page.locator("section.state-group").filter(has=page.locator("#state-in_progress"))
    expect(progress).to_contain_text("Erster Workshop im März terminiert.")
    assert Decision.objects.get(pk=decision.pk).implementation_state == "in_progress"

    # The action-item list, filtered to overdue items (HTMX refresh).
    page.goto(f"/p/{plan.slug}/governance/actions/")
    page.get_by_label("Only overdue").check()
    expect(page).to_have_url(re.compile("overdue=on"))
    expect(page.locator("#results")).to_contain_text("Termine mit den Eigentümern abstimmen")
    expect(page.locator("#results")).to_contain_text("2 days overdue")
    screenshot(page, "governance-action-list")


def test_the_public_never_sees_the_non_public_item(
    page_as: Any, plan: Masterplan, committee: dict[str, Any]
) -> None:
    meeting = MeetingFactory(
        body=committee["body"], title="Jahresauftakt im Rathaus", state=MeetingState.INVITED
    )
    AgendaItemFactory(meeting=meeting, position=1, number="1", title="Rückblick")
    AgendaItemFactory(meeting=meeting, position=2, number="2", title="Personalien", is_public=False)
    page = page_as(None)
    page.goto(meeting.get_absolute_url())
    expect(page.locator(".agenda")).to_contain_text("Rückblick")
    expect(page.locator(".agenda")).not_to_contain_text("Personalien")
    screenshot(page, "governance-meeting-public")


@pytest.fixture
def recorded(committee: dict[str, Any], plan: Masterplan, coordinator: Any) -> Meeting:
    """A held meeting with agenda, decisions (one done), an overdue action item, attendance."""
    now = timezone.localtime()
    meeting = MeetingFactory(
        body=committee["body"],
        title="Sitzung des Lenkungskreises",
        start=now.replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=3),
        state=MeetingState.HELD,
        minutes_text="Protokoll folgt.",
    )
    MeetingFactory(
        body=committee["body"],
        title="Nächste Sitzung",
        start=now.replace(hour=14, minute=0, second=0, microsecond=0) + timedelta(days=10),
    )
    item = AgendaItemFactory(meeting=meeting, position=1, number="1", title="Rückblick")
    AgendaItemFactory(meeting=meeting, position=2, number="2", title="Personalien", is_public=False)
    DecisionFactory(meeting=meeting, agenda_item=item, title="Flächenpool aufbauen")
    DecisionFactory(
        meeting=meeting,
        reference="LK-2025-07",
        title="Gründerpreis ausloben",
        decided_on=timezone.localdate() - timedelta(days=120),
        implementation_state=ImplementationState.DONE,
        implementation_evidence="Preis im Oktober verliehen.",
        implementation_changed_on=timezone.localdate() - timedelta(days=10),
    )
    ActionItemFactory(
        meeting=meeting,
        agenda_item=item,
        title="Eigentümer anschreiben",
        owner_person=committee["people"][0],
        due=timezone.localdate() - timedelta(days=5),
    )
    for person in committee["people"]:
        Attendance.objects.create(masterplan=plan, meeting=meeting, person=person)
    return meeting


def governance_pages(meeting: Meeting) -> dict[str, str]:
    slug = meeting.masterplan.slug
    body = meeting.body
    return {
        "body-list": f"/p/{slug}/governance/",
        "body-detail": body.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "decisions": f"/p/{slug}/governance/decisions/",
        "actions": f"/p/{slug}/governance/actions/",
        "calendar": f"/p/{slug}/governance/calendar/",
        "meeting-edit": f"{meeting.get_absolute_url()}edit/",
        "agenda-item-new": f"{meeting.get_absolute_url()}agenda/new/",
        "membership-new": f"{body.get_absolute_url()}members/new/",
        "feed-tokens": f"/p/{slug}/governance/calendar/private/",
        "body-new": f"/p/{slug}/governance/bodies/new/",
    }


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_governance_pages_have_no_serious_accessibility_violation(
    locale: str, page_as: Any, recorded: Meeting, coordinator: Any
) -> None:
    page = page_as(coordinator, locale=locale)
    problems = []
    for name, path in governance_pages(recorded).items():
        page.goto(path)
        screenshot(page, f"governance-a11y-{name}-{locale[:2]}")
        found = blocking_violations(page) + broken_references(page)
        problems += [f"{path}: {problem}" for problem in found]
    assert not problems, "\n".join(problems)


def test_public_governance_pages_have_no_serious_accessibility_violation(
    page_as: Any, recorded: Meeting
) -> None:
    page = page_as(None)
    problems = []
    for name in ("body-list", "body-detail", "meeting", "decisions", "calendar"):
        path = governance_pages(recorded)[name]
        page.goto(path)
        screenshot(page, f"governance-a11y-public-{name}")
        problems += [f"{path}: {p}" for p in blocking_violations(page) + broken_references(page)]
    assert not problems, "\n".join(problems)


def test_the_invitation_goes_out_and_the_answers_come_back(
    page_as: Any, plan: Masterplan, committee: dict[str, Any], coordinator: Any
) -> None:
    """Einladung versenden in German: the send log, the member without an address, an answer
    through the personal link, and the answers on the page; axe on both pages."""
    from django.core import mail

    from masterplan.governance.models import MeetingRsvp

    body: Body = committee["body"]
    people: list[Person] = committee["people"]
    for person, email in zip(people[:2], ("link@duisburg.de", "schaurte@ihk.de"), strict=True):
        Person.objects.filter(pk=person.pk).update(email=email)
    meeting = MeetingFactory(
        body=body,
        title="Sitzung des Lenkungskreises",
        start=timezone.now() + timedelta(days=14),
        invitation_text="Wir laden Sie herzlich ein.",
    )
    AgendaItemFactory(meeting=meeting, title="Begrüßung")
    page = page_as(coordinator)
    page.goto(f"/p/{plan.slug}/governance/meetings/{meeting.pk}/")
    main(page).get_by_role("button", name="Einladung versenden").click()
    expect(page.locator("#mailings").locator("xpath=..")).to_contain_text("Andrea Demming")
    assert sorted(m.to[0] for m in mail.outbox) == ["link@duisburg.de", "schaurte@ihk.de"]

    answer = re.search(r"Ich nehme teil: (\S+)", mail.outbox[0].body)
    assert answer is not None
    rsvp = page_as(None)
    rsvp.goto(answer.group(1).split("/rsvp/", 1)[1].join(["/rsvp/", ""]))
    screenshot(rsvp, "governance-rsvp")
    assert blocking_violations(rsvp) == []
    rsvp.get_by_role("button", name="Ich nehme teil").click()
    expect(rsvp.get_by_role("status")).to_contain_text("Sie nehmen teil")
    assert MeetingRsvp.objects.filter(meeting=meeting, answer="yes").count() == 1

    page.reload()
    expect(page.locator("#mailings").locator("xpath=..")).to_contain_text("1 nehmen teil")
    screenshot(page, "governance-meeting-mailings")
    assert blocking_violations(page) + broken_references(page) == []
