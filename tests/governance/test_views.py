"""Governance pages: what each role sees, and that the forms write through the services."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from masterplan.core.models import AuditEntry, Masterplan, Publication
from masterplan.directory.models import Organization
from masterplan.governance import services
from masterplan.governance.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Body,
    BodyKind,
    Decision,
    FeedToken,
    ImplementationState,
    Meeting,
    MeetingState,
)
from tests.factories import PersonFactory, UserFactory
from tests.governance.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BodyFactory,
    DecisionFactory,
    MeetingFactory,
)


def url(name: str, plan: Masterplan, *args: Any) -> str:
    return reverse(f"governance:{name}", args=[plan.slug, *args])


@pytest.fixture
def committee(plan: Masterplan, own_org: Organization) -> Body:
    return BodyFactory(
        masterplan=plan,
        name="Lenkungskreis Masterplan Wirtschaft",
        short_name="LK",
        kind=BodyKind.STEERING_COMMITTEE,
        organization=own_org,
    )


@pytest.fixture
def meeting(committee: Body) -> Meeting:
    meeting = MeetingFactory(body=committee, title="Jahresauftakt im Rathaus")
    AgendaItemFactory(meeting=meeting, position=1, number="1", title="Rückblick und Ausblick")
    AgendaItemFactory(
        meeting=meeting,
        position=2,
        number="2",
        title="Personalien im Lenkungskreis",
        is_public=False,
    )
    return meeting


def content(response: Any) -> str:
    return response.content.decode()


def de(text: str) -> str:
    """The text as the German page shows it (the test client asks for German)."""
    with translation.override("de"):
        return translation.gettext(text)


ERROR_MESSAGE = "kern-alert--danger"


# --- Visibility -------------------------------------------------------------------------------


def test_the_public_sees_public_agenda_items_only(meeting: Meeting, client_as: Any) -> None:
    page = content(client_as(None).get(meeting.get_absolute_url()))
    assert "Rückblick und Ausblick" in page
    assert "Personalien im Lenkungskreis" not in page


def test_a_user_without_a_role_in_the_plan_does_not_see_non_public_items(
    meeting: Meeting, other_coordinator: Any, client_as: Any
) -> None:
    page = content(client_as(other_coordinator).get(meeting.get_absolute_url()))
    assert "Rückblick und Ausblick" in page
    assert "Personalien im Lenkungskreis" not in page


def test_members_of_the_plan_see_non_public_items_marked(
    meeting: Meeting, viewer: Any, client_as: Any
) -> None:
    page = content(client_as(viewer).get(meeting.get_absolute_url()))
    assert "Personalien im Lenkungskreis" in page
    assert de("not public") in page


def test_a_non_public_meeting_is_hidden_from_the_public(
    meeting: Meeting, client_as: Any, viewer: Any
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(is_public=False)
    hidden = client_as(None).get(meeting.get_absolute_url())
    # As for a draft: the public is sent to the login, nothing of the meeting is shown.
    assert hidden.status_code == 302 and "/accounts/login/" in hidden["Location"]
    assert client_as(viewer).get(meeting.get_absolute_url()).status_code == 200


def test_non_public_decisions_stay_off_the_public_tracking_page(
    meeting: Meeting, client_as: Any, viewer: Any
) -> None:
    DecisionFactory(meeting=meeting, title="Kernzonen-Workshops fortsetzen")
    DecisionFactory(meeting=meeting, title="Vertrauliche Personalentscheidung", is_public=False)
    public = content(client_as(None).get(url("decision_list", meeting.masterplan)))
    member = content(client_as(viewer).get(url("decision_list", meeting.masterplan)))
    assert "Kernzonen-Workshops fortsetzen" in public
    assert "Vertrauliche Personalentscheidung" not in public
    assert "Vertrauliche Personalentscheidung" in member


def test_decisions_and_action_items_export_what_the_list_shows(
    meeting: Meeting, client_as: Any, viewer: Any
) -> None:
    import io

    import openpyxl

    DecisionFactory(meeting=meeting, reference="LK-2026-01", title="Kernzonen-Workshops fortsetzen")
    DecisionFactory(meeting=meeting, title="Vertrauliche Personalentscheidung", is_public=False)
    ActionItemFactory(meeting=meeting, title="Eigentümer im Hafen ansprechen")

    def rows(response: Any) -> list[list[Any]]:
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
        return [[cell.value for cell in row] for row in sheet.iter_rows()]

    export = url("decision_export", meeting.masterplan)
    public = rows(client_as(None).get(export, HTTP_ACCEPT_LANGUAGE="de"))
    assert public[0][:2] == ["Aktenzeichen", "Titel"]
    assert [row[1] for row in public[1:]] == ["Kernzonen-Workshops fortsetzen"]
    member = rows(client_as(viewer).get(export))
    assert "Vertrauliche Personalentscheidung" in [row[1] for row in member[1:]]
    DecisionFactory(meeting=meeting, title="Flächenpool einrichten", implementation_state="done")
    filtered = rows(client_as(viewer).get(export + "?state=done"))
    assert [row[1] for row in filtered[1:]] == ["Flächenpool einrichten"]

    actions = url("action_export", meeting.masterplan)
    assert client_as(None).get(actions).status_code == 302  # members only, as the list
    assert "Eigentümer im Hafen ansprechen" in [r[0] for r in rows(client_as(viewer).get(actions))]


def test_draft_bodies_are_not_listed_for_the_public(
    committee: Body, plan: Masterplan, client_as: Any, viewer: Any
) -> None:
    BodyFactory(masterplan=plan, name="AG Flächen (Entwurf)", publication=Publication.DRAFT)
    public = content(client_as(None).get(url("body_list", plan)))
    assert "Lenkungskreis Masterplan Wirtschaft" in public
    assert "AG Flächen (Entwurf)" not in public
    assert "AG Flächen (Entwurf)" in content(client_as(viewer).get(url("body_list", plan)))


def test_action_items_are_for_members_only(
    meeting: Meeting, client_as: Any, viewer: Any, other_coordinator: Any
) -> None:
    ActionItemFactory(meeting=meeting, title="Termine mit den Eigentümern abstimmen")
    plan = meeting.masterplan
    assert client_as(None).get(url("action_list", plan)).status_code == 302
    assert client_as(other_coordinator).get(url("action_list", plan)).status_code == 404
    assert "Termine mit den Eigentümern" in content(client_as(viewer).get(url("action_list", plan)))
    assert "Termine mit den Eigentümern" not in content(
        client_as(None).get(meeting.get_absolute_url())
    )


# --- Body page --------------------------------------------------------------------------------


def test_the_chair_links_only_where_the_visitor_may_follow(
    committee: Body, plan: Masterplan, client_as: Any, viewer: Any
) -> None:
    """A chair whose record is not published linked the public to a login page."""
    chair = PersonFactory(
        masterplan=plan, given_name="Michael", family_name="Rüscher", publication=Publication.DRAFT
    )
    committee.chair = chair
    committee.save()
    person_url = reverse("directory:person_detail", args=[plan.slug, chair.pk])
    public = content(client_as(None).get(committee.get_absolute_url()))
    assert person_url not in public and "Rüscher" not in public
    assert de("not published") in public
    member = content(client_as(viewer).get(committee.get_absolute_url()))
    assert person_url in member and "Michael Rüscher" in member
    assert client_as(viewer).get(person_url).status_code == 200


def test_body_page_shows_members_meetings_decisions_and_units(
    meeting: Meeting, committee: Body, plan: Masterplan, own_org: Organization, client_as: Any
) -> None:
    person = PersonFactory(masterplan=plan, given_name="Andree", family_name="Haack")
    services.membership_create(
        actor=UserFactory(is_superuser=True),
        body=committee,
        person=person,
        organization=own_org,
        role="chair",
        publication=Publication.PUBLISHED,
    )
    DecisionFactory(meeting=meeting, reference="LK-2026-01", title="Kernzonen fortsetzen")
    BodyFactory(masterplan=plan, name="AG Kernzonen", parent=committee)
    page = content(client_as(None).get(committee.get_absolute_url()))
    for text in (
        "Andree Haack",
        de("Chair"),
        "Jahresauftakt im Rathaus",
        "LK-2026-01",
        "AG Kernzonen",
    ):
        assert text in page, text


# --- Meeting states ---------------------------------------------------------------------------


def post_state(client: Any, meeting: Meeting, state: str, version: int | None = None) -> Any:
    return client.post(
        url("meeting_transition", meeting.masterplan, meeting.pk),
        {"state": state, "version": meeting.version if version is None else version},
        follow=True,
    )


def test_coordinator_invites_with_a_button(
    meeting: Meeting, coordinator: Any, client_as: Any
) -> None:
    response = post_state(client_as(coordinator), meeting, MeetingState.INVITED)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.INVITED
    assert de("Invited") in content(response)


def test_an_impossible_transition_is_explained_not_a_500(
    meeting: Meeting, coordinator: Any, client_as: Any
) -> None:
    response = post_state(client_as(coordinator), meeting, MeetingState.MINUTES_APPROVED)
    meeting.refresh_from_db()
    assert response.status_code == 200
    assert meeting.state == MeetingState.PLANNED
    assert ERROR_MESSAGE in content(response)


def test_an_unknown_state_is_refused(meeting: Meeting, coordinator: Any, client_as: Any) -> None:
    response = post_state(client_as(coordinator), meeting, "<script>")
    meeting.refresh_from_db()
    assert response.status_code == 200
    assert meeting.state == MeetingState.PLANNED


def test_a_stale_state_button_changes_nothing(
    meeting: Meeting, coordinator: Any, client_as: Any
) -> None:
    response = post_state(client_as(coordinator), meeting, MeetingState.INVITED, version=0)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED
    assert ERROR_MESSAGE in content(response)


def test_other_organisations_contributor_cannot_change_the_state(
    meeting: Meeting, other_contributor: Any, client_as: Any
) -> None:
    response = client_as(other_contributor).post(
        url("meeting_transition", meeting.masterplan, meeting.pk),
        {"state": MeetingState.INVITED, "version": meeting.version},
    )
    assert response.status_code == 403


def test_stale_meeting_edit_shows_the_conflict_page(
    meeting: Meeting, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    edit = url("meeting_edit", meeting.masterplan, meeting.pk)
    form = client.get(edit).context["form"]
    services.meeting_update(
        actor=coordinator, meeting=meeting, version=meeting.version, title="Jahresauftakt 2027"
    )
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        title="Jahresauftakt im Rathaus (neu)",
        start="2026-01-20T10:00",
        publication=Publication.PUBLISHED,
        is_public="on",
    )
    response = client.post(edit, data)
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.title == "Jahresauftakt 2027"


# --- Recording a meeting ----------------------------------------------------------------------


def test_attendance_is_recorded_for_all_members_in_one_form(
    meeting: Meeting, committee: Body, plan: Masterplan, coordinator: Any, client_as: Any
) -> None:
    admin = UserFactory(is_superuser=True)
    people = [PersonFactory(masterplan=plan) for _ in range(3)]
    for person in people:
        services.membership_create(actor=admin, body=committee, person=person)
    client = client_as(coordinator)
    page = content(client.get(meeting.get_absolute_url()))
    assert page.count('type="radio"') == 9
    client.post(
        url("attendance_record", plan, meeting.pk),
        {
            f"person-{people[0].pk}": "present",
            f"person-{people[1].pk}": "excused",
            f"person-{people[2].pk}": "absent",
        },
    )
    statuses = dict(Attendance.objects.filter(meeting=meeting).values_list("person_id", "status"))
    assert statuses == {people[0].pk: "present", people[1].pk: "excused", people[2].pk: "absent"}


def test_bad_attendance_input_changes_nothing(
    meeting: Meeting, committee: Body, plan: Masterplan, coordinator: Any, client_as: Any
) -> None:
    person = PersonFactory(masterplan=plan)
    services.membership_create(actor=UserFactory(is_superuser=True), body=committee, person=person)
    response = client_as(coordinator).post(
        url("attendance_record", plan, meeting.pk), {f"person-{person.pk}": "asleep"}, follow=True
    )
    assert response.status_code == 200
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_decision_and_action_item_from_an_agenda_item(
    meeting: Meeting, coordinator: Any, client_as: Any, own_org: Organization
) -> None:
    client = client_as(coordinator)
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.HELD)
    item = AgendaItem.objects.get(meeting=meeting, number="1")
    plan = meeting.masterplan
    response = client.post(
        url("decision_create", plan, item.pk),
        {
            "reference": "LK-2026-01",
            "title": "Kernzonen-Workshops fortsetzen",
            "decided_on": "2026-01-20",
            "vote_kind": "vote",
            "votes_yes": "9",
            "votes_no": "1",
            "votes_abstain": "0",
            "responsible_organization": own_org.pk,
            "is_public": "on",
            "publication": Publication.PUBLISHED,
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(agenda_item=item)
    assert (decision.meeting_id, decision.votes_yes) == (meeting.pk, 9)
    response = client.post(
        url("action_create", plan, item.pk),
        {
            "title": "Termine mit den Eigentümern abstimmen",
            "decision": decision.pk,
            "owner_organization": own_org.pk,
            "due": "2026-03-31",
            "status": "open",
            "publication": Publication.PUBLISHED,
        },
    )
    assert response.status_code == 302
    action = ActionItem.objects.get(agenda_item=item)
    assert (action.meeting_id, action.decision_id) == (meeting.pk, decision.pk)
    assert AuditEntry.objects.filter(action="governance.actionitem.created").exists()


def test_a_vote_without_counts_is_refused_with_a_message(
    meeting: Meeting, coordinator: Any, client_as: Any
) -> None:
    item = AgendaItem.objects.get(meeting=meeting, number="1")
    response = client_as(coordinator).post(
        url("decision_create", meeting.masterplan, item.pk),
        {
            "title": "Kernzonen-Workshops fortsetzen",
            "decided_on": "2026-01-20",
            "vote_kind": "vote",
            "publication": Publication.PUBLISHED,
        },
    )
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_minutes_then_approval(meeting: Meeting, coordinator: Any, client_as: Any) -> None:
    client = client_as(coordinator)
    post_state(client, meeting, MeetingState.HELD)
    meeting.refresh_from_db()
    client.post(
        url("minutes_edit", meeting.masterplan, meeting.pk),
        {"minutes_text": "Der Lenkungskreis hat getagt.", "version": meeting.version},
    )
    meeting.refresh_from_db()
    post_state(client, meeting, MeetingState.MINUTES_APPROVED)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_APPROVED
    assert meeting.minutes_approved_on is not None


def test_the_draft_agenda_button_adds_items(
    meeting: Meeting, coordinator: Any, client_as: Any
) -> None:
    before = AgendaItem.objects.filter(meeting=meeting).count()
    response = client_as(coordinator).post(
        url("agenda_draft", meeting.masterplan, meeting.pk), follow=True
    )
    assert response.status_code == 200
    assert AgendaItem.objects.filter(meeting=meeting).count() > before


def test_the_meeting_page_links_the_review_report_for_the_period(
    meeting: Meeting, viewer: Any, client_as: Any
) -> None:
    page = content(client_as(viewer).get(meeting.get_absolute_url()))
    assert reverse("plans:review_report", args=[meeting.masterplan.slug]) + "?start=" in page


# --- Decision tracking ------------------------------------------------------------------------


def test_tracking_groups_by_state_with_age(meeting: Meeting, client_as: Any, viewer: Any) -> None:
    decided = timezone.localdate() - timedelta(days=40)
    DecisionFactory(meeting=meeting, title="Flächenpool aufbauen", decided_on=decided)
    page = content(client_as(viewer).get(url("decision_list", meeting.masterplan)))
    assert 'id="state-open"' in page and 'id="state-done"' in page
    assert ">40<" in page


def test_marking_done_needs_evidence(meeting: Meeting, coordinator: Any, client_as: Any) -> None:
    decision = DecisionFactory(meeting=meeting)
    target = url("decision_implementation", meeting.masterplan, decision.pk)
    client = client_as(coordinator)
    refused = client.post(target, {"implementation_state": "done", "version": decision.version})
    assert refused.status_code == 400
    decision.refresh_from_db()
    assert decision.implementation_state == ImplementationState.OPEN
    done = client.post(
        target,
        {
            "implementation_state": "done",
            "implementation_evidence": "Drei Workshops 2026 durchgeführt.",
            "version": decision.version,
        },
    )
    assert done.status_code == 302
    decision.refresh_from_db()
    assert decision.implementation_state == ImplementationState.DONE


def test_tracking_filters_never_fail(meeting: Meeting, client_as: Any) -> None:
    for query in ("?body=abc", "?state=<x>", "?body=999999", "?state=done"):
        assert (
            client_as(None).get(url("decision_list", meeting.masterplan) + query).status_code == 200
        )


# --- Action items -----------------------------------------------------------------------------


def test_action_list_filters_overdue_and_owner(
    meeting: Meeting, plan: Masterplan, viewer: Any, client_as: Any, own_org: Organization
) -> None:
    today = timezone.localdate()
    owner = PersonFactory(masterplan=plan, given_name="Rasmus", family_name="Beck")
    ActionItemFactory(meeting=meeting, title="Überfällig", due=today - timedelta(days=3))
    ActionItemFactory(
        meeting=meeting, title="Später fällig", due=today + timedelta(days=30), owner_person=owner
    )
    client = client_as(viewer)
    overdue = content(client.get(url("action_list", plan) + "?overdue=on"))
    assert "Überfällig" in overdue and "Später fällig" not in overdue
    with translation.override("de"):
        days = translation.ngettext("%(days)s day overdue", "%(days)s days overdue", 3)
    assert days % {"days": 3} in overdue
    by_owner = content(client.get(url("action_list", plan) + f"?owner={owner.pk}"))
    assert "Später fällig" in by_owner and "Überfällig" not in by_owner


def test_action_list_answers_htmx_with_the_table_only(
    meeting: Meeting, viewer: Any, client_as: Any
) -> None:
    ActionItemFactory(meeting=meeting, title="Termine abstimmen")
    response = client_as(viewer).get(
        url("action_list", meeting.masterplan) + "?q=Termine", headers={"HX-Request": "true"}
    )
    assert "Termine abstimmen" in content(response)
    assert "<html" not in content(response)


def test_action_list_bad_filters_never_fail(meeting: Meeting, viewer: Any, client_as: Any) -> None:
    for query in ("?owner=x", "?status=<b>", "?sort=;drop", "?page=-3", "?per_page=1e9"):
        response = client_as(viewer).get(url("action_list", meeting.masterplan) + query)
        assert response.status_code == 200, query


# --- Calendar ---------------------------------------------------------------------------------


def test_calendar_month_shows_the_meeting_and_navigation(meeting: Meeting, client_as: Any) -> None:
    page = content(client_as(None).get(url("calendar_month", meeting.masterplan, 2026, 1)))
    assert "Jahresauftakt im Rathaus" in page
    assert url("calendar_month", meeting.masterplan, 2025, 12) in page
    assert url("calendar_month", meeting.masterplan, 2026, 2) in page
    assert '<th scope="col"' in page and "<caption" in page


def test_a_crawler_following_next_month_comes_to_an_end(meeting: Meeting, client_as: Any) -> None:
    """ "Next month" used to lead on for ever (a crawler trap): it ends two years after the
    last meeting or today, and months beyond answer 404."""
    from masterplan.governance.queries import CALENDAR_REACH_MONTHS

    client = client_as(None)
    today = timezone.localdate()
    start = timezone.localtime(meeting.start)
    last = max(start.year * 12 + start.month - 1, today.year * 12 + today.month - 1)
    page_url = url("calendar_month", meeting.masterplan, start.year, start.month)
    pages = 0
    while page_url:
        page = content(client.get(page_url))
        pages += 1
        assert pages < 200, "the calendar never ends"
        found = re.search(r'rel="next" href="([^"]+)"', page)
        page_url = found.group(1) if found else ""
    beyond = last + CALENDAR_REACH_MONTHS + 1
    assert pages == beyond - (start.year * 12 + start.month - 1)
    edge = url("calendar_month", meeting.masterplan, beyond // 12, beyond % 12 + 1)
    assert client.get(edge).status_code == 404


def test_calendar_refuses_impossible_months(plan: Masterplan, client_as: Any) -> None:
    assert client_as(None).get(url("calendar_month", plan, 2026, 13)).status_code == 404
    assert client_as(None).get(url("calendar", plan)).status_code == 200


# --- Documents --------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n% Einladung Jahresauftakt\n"


def upload(client: Any, meeting: Meeting, *, name: str, data: bytes, public: bool) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields: dict[str, Any] = {
        "kind": "invitation",
        "name": "Einladung",
        "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
    }
    if public:
        fields["is_public"] = "on"
    return client.post(url("document_upload", meeting.masterplan, meeting.pk), fields)


def test_document_upload_and_permission_checked_download(
    meeting: Meeting, coordinator: Any, client_as: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert (
        upload(client_as(coordinator), meeting, name="e.pdf", data=PDF, public=False).status_code
        == 302
    )
    document = meeting.documents.get()
    download = url("document_download", meeting.masterplan, document.pk)
    assert client_as(coordinator).get(download).content == PDF
    assert client_as(None).get(download).status_code in (302, 404)


def test_a_file_of_the_wrong_type_is_refused_with_a_message(
    meeting: Meeting, coordinator: Any, client_as: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    response = upload(client_as(coordinator), meeting, name="x.exe", data=b"MZ", public=True)
    assert response.status_code == 400
    assert "EXE" in content(response) or ".exe" in content(response)
    assert not meeting.documents.exists()


def test_meeting_created_from_the_body_page(
    committee: Body, coordinator: Any, client_as: Any
) -> None:
    response = client_as(coordinator).post(
        url("meeting_create", committee.masterplan, committee.pk),
        {
            "title": "Sitzung des Lenkungskreises",
            "start": "2026-03-05T14:00",
            "location_name": "Rathaus",
            "publication": Publication.PUBLISHED,
        },
    )
    meeting = Meeting.objects.get(body=committee)
    assert response["Location"] == meeting.get_absolute_url()
    local = timezone.localtime(meeting.start)
    assert (local.date(), local.hour) == (date(2026, 3, 5), 14)


# --- Private calendar feeds -------------------------------------------------------------------


def test_a_member_creates_a_private_feed_and_sees_its_address_once(
    committee: Body, viewer: Any, client_as: Any
) -> None:
    client = client_as(viewer)
    target = url("feed_tokens", committee.masterplan)
    created = content(
        client.post(target, {"action": "create", "label": "Outlook", "body": committee.pk})
    )
    token = FeedToken.objects.get(user=viewer)
    assert "/feeds/private/" in created
    assert token.body_id == committee.pk and token.label == "Outlook"
    assert "/feeds/private/" not in content(client.get(target))


def test_a_member_revokes_a_private_feed(committee: Body, viewer: Any, client_as: Any) -> None:
    new = services.feed_token_create(actor=viewer, masterplan=committee.masterplan)
    client_as(viewer).post(
        url("feed_tokens", committee.masterplan), {"action": "revoke", "token": new.token.pk}
    )
    new.token.refresh_from_db()
    assert new.token.revoked_at is not None


def test_nobody_revokes_someone_elses_feed(
    committee: Body, viewer: Any, coordinator: Any, client_as: Any
) -> None:
    new = services.feed_token_create(actor=coordinator, masterplan=committee.masterplan)
    response = client_as(viewer).post(
        url("feed_tokens", committee.masterplan),
        {"action": "revoke", "token": new.token.pk},
        follow=True,
    )
    new.token.refresh_from_db()
    assert new.token.revoked_at is None
    assert ERROR_MESSAGE in content(response)


def test_viewers_see_action_items_without_edit_links(
    meeting: Meeting, viewer: Any, coordinator: Any, client_as: Any
) -> None:
    item = ActionItemFactory(meeting=meeting, title="Termine abstimmen")
    edit = url("action_edit", meeting.masterplan, item.pk)
    assert edit not in content(client_as(viewer).get(url("action_list", meeting.masterplan)))
    assert edit in content(client_as(coordinator).get(url("action_list", meeting.masterplan)))


def test_an_agenda_item_moves_down_and_the_agenda_is_renumbered(
    meeting: Meeting, coordinator: Any, client_as: Any
) -> None:
    first = AgendaItem.objects.get(meeting=meeting, number="1")
    client_as(coordinator).post(
        url("agenda_item_move", meeting.masterplan, first.pk),
        {"direction": "down", "version": first.version},
    )
    first.refresh_from_db()
    assert first.number == "2"


def test_a_bad_move_direction_is_explained(
    meeting: Meeting, coordinator: Any, client_as: Any
) -> None:
    first = AgendaItem.objects.get(meeting=meeting, number="1")
    response = client_as(coordinator).post(
        url("agenda_item_move", meeting.masterplan, first.pk),
        {"direction": "sideways", "version": first.version},
        follow=True,
    )
    assert response.status_code == 200
    assert ERROR_MESSAGE in content(response)


def test_contributors_assign_free_action_items_to_their_own_organisation(
    plan: Masterplan,
    contributor: Any,
    own_org: Organization,
    other_org: Organization,
    client_as: Any,
) -> None:
    page = content(client_as(contributor).get(url("action_create_free", plan)))
    assert own_org.name in page
    assert other_org.name not in page


def test_calendar_shows_one_body_when_filtered(
    meeting: Meeting, plan: Masterplan, client_as: Any
) -> None:
    other = MeetingFactory(body=BodyFactory(masterplan=plan), title="AG Flächen tagt")
    page = content(
        client_as(None).get(url("calendar_month", plan, 2026, 1) + f"?body={other.body_id}")
    )
    assert "AG Flächen tagt" in page
    assert "Jahresauftakt im Rathaus" not in page
    assert url("calendar_month", plan, 2026, 2) + f"?body={other.body_id}" in page


def test_a_stale_implementation_update_shows_the_conflict(
    meeting: Meeting, coordinator: Any, client_as: Any
) -> None:
    decision = DecisionFactory(meeting=meeting)
    services.decision_set_implementation(
        actor=coordinator, decision=decision, version=decision.version, state="in_progress"
    )
    response = client_as(coordinator).post(
        url("decision_implementation", meeting.masterplan, decision.pk),
        {"implementation_state": "dropped", "implementation_evidence": "x", "version": 1},
    )
    assert response.status_code == 409
    decision.refresh_from_db()
    assert decision.implementation_state == "in_progress"


def test_the_public_reads_the_minutes_only_once_approved(
    meeting: Meeting, client_as: Any, viewer: Any
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(
        state=MeetingState.HELD, minutes_text="Entwurf: Der Lenkungskreis hat getagt."
    )
    assert "Entwurf: Der Lenkungskreis" not in content(
        client_as(None).get(meeting.get_absolute_url())
    )
    assert "Entwurf: Der Lenkungskreis" in content(
        client_as(viewer).get(meeting.get_absolute_url())
    )
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.MINUTES_APPROVED)
    assert "Entwurf: Der Lenkungskreis" in content(client_as(None).get(meeting.get_absolute_url()))


def test_cancel_on_the_create_pages_leads_back(
    committee: Body, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    plan = committee.masterplan
    assert f'href="{url("body_list", plan)}"' in content(client.get(url("body_create", plan)))
    new_meeting = content(client.get(url("meeting_create", plan, committee.pk)))
    assert f'href="{committee.get_absolute_url()}"' in new_meeting


def test_the_body_list_shows_parts_under_their_body(
    committee: Body, plan: Masterplan, client_as: Any
) -> None:
    BodyFactory(masterplan=plan, name="AG Flächen", parent=committee)
    BodyFactory(masterplan=plan, name="Arbeitskreis Ansiedlung")
    page = content(client_as(None).get(url("body_list", plan)))
    names = ("Arbeitskreis Ansiedlung", "Lenkungskreis Masterplan Wirtschaft", "AG Flächen")
    order = [page.index(f">{name}<") for name in names]
    assert order == sorted(order)
    assert "body-depth-1" in page


def test_the_public_gets_no_link_to_the_action_items(
    plan: Masterplan, client_as: Any, viewer: Any
) -> None:
    actions = url("action_list", plan)
    assert actions not in content(client_as(None).get(url("body_list", plan)))
    assert actions in content(client_as(viewer).get(url("body_list", plan)))


def test_attaching_the_review_report_is_queued(
    meeting: Meeting, coordinator: Any, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_as(coordinator).post(
            url("review_report_attach", meeting.masterplan, meeting.pk)
        )
    assert response.status_code == 302
    assert response["Location"].endswith("#documents")
    assert len(callbacks) == 1


def test_tree_order_keeps_bodies_whose_parents_form_a_cycle() -> None:
    from types import SimpleNamespace

    from masterplan.governance.views import in_tree_order

    def row(pk: int, parent: int | None) -> Any:
        return SimpleNamespace(body=SimpleNamespace(pk=pk, parent_id=parent))

    rows = [row(1, None), row(2, 1), row(3, 4), row(4, 3), row(5, 99)]
    ordered = [(r.body.pk, depth) for r, depth in in_tree_order(rows)]  # type: ignore[arg-type]
    assert ordered[:3] == [(1, 0), (2, 1), (5, 0)]
    assert sorted(pk for pk, _depth in ordered) == [1, 2, 3, 4, 5]


def test_a_board_is_called_vorstand_not_the_plans_status_board(plan: Masterplan) -> None:
    with translation.override("de"):
        assert str(BodyKind.BOARD.label) == "Vorstand / Leitung"
        assert str(translation.gettext("Board")) == "Statustafel"  # the plans' page
