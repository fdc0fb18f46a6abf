"""Plan pages: overview, goal and measure pages, "my work", the CRUD forms."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from masterplan.core.models import Masterplan, Publication
from masterplan.directory.models import Organization
from masterplan.plans import services
from masterplan.plans.models import FieldOfAction, Goal, KeyResult, Measure, Milestone, StatusReport
from tests.factories import (
    FieldOfActionFactory,
    GoalFactory,
    KeyResultFactory,
    MeasureFactory,
    MilestoneFactory,
    OrganizationFactory,
    PersonFactory,
    seeded_statuses,
)
from tests.governance.factories import BodyFactory


def short(day: date) -> str:
    with translation.override("en"):
        return date_format(day, "SHORT_DATE_FORMAT")


def url(name: str, plan: Masterplan, *args: Any) -> str:
    return reverse(f"plans:{name}", args=[plan.slug, *args])


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    """The assertions read the English interface texts."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def statuses(plan: Masterplan) -> dict[str, Any]:
    return seeded_statuses(plan)


@pytest.fixture
def goal(plan: Masterplan, own_org: Organization) -> Goal:
    field = FieldOfActionFactory(masterplan=plan, name="Schnellere Genehmigungsverfahren")
    return GoalFactory(
        field=field,
        statement="Top 10 der Oberzentren bei Genehmigungen",
        responsible_organization=own_org,
    )


@pytest.fixture
def measure(goal: Goal, own_org: Organization, statuses: dict[str, Any]) -> Measure:
    return MeasureFactory(
        goal=goal,
        title="Digitaler Bauantrag",
        lead_organization=own_org,
        status=statuses["In Umsetzung"],
        planned_start=date(2025, 1, 1),
        planned_end=timezone.localdate() - timedelta(days=10),
        operational_body=BodyFactory(masterplan=goal.masterplan, name="AG Genehmigungen"),
    )


# --- Overview ---------------------------------------------------------------------------------


def test_overview_shows_the_tree_with_figures_and_method(
    plan: Masterplan, measure: Measure, client_as: Any
) -> None:
    KeyResultFactory(goal=measure.goal, current_value=90)  # (90 − 120) ÷ (60 − 120) = 50 %
    response = client_as(None).get(url("overview", plan))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Schnellere Genehmigungsverfahren" in content
    assert "Digitaler Bauantrag" in content
    assert '<progress max="100" value="50"' in content
    assert "<details" in content and "<summary" in content
    assert "weighted mean of its parts" in content  # the roll-up method next to the figures


def test_health_is_written_out_not_only_coloured(
    plan: Masterplan, measure: Measure, client_as: Any
) -> None:
    Measure.objects.filter(pk=measure.pk).update(health="red", health_reason="Personalmangel")
    content = client_as(None).get(url("overview", plan)).content.decode()
    assert "Off track" in content


def test_overview_filters_select_measures(
    plan: Masterplan, measure: Measure, other_org: Organization, client_as: Any
) -> None:
    MeasureFactory(goal=measure.goal, title="Gründerstipendium", lead_organization=other_org)
    response = client_as(None).get(url("overview", plan) + f"?organization={other_org.pk}")
    content = response.content.decode()
    assert "Gründerstipendium" in content
    assert "Digitaler Bauantrag" not in content
    assert "1 of 2 measures match the filters." in content


def test_overview_overdue_filter(plan: Masterplan, measure: Measure, client_as: Any) -> None:
    MeasureFactory(goal=measure.goal, title="Pünktliche Maßnahme")
    content = client_as(None).get(url("overview", plan) + "?overdue=on").content.decode()
    assert "Digitaler Bauantrag" in content
    assert "Pünktliche Maßnahme" not in content


def test_htmx_request_gets_only_the_tree(
    plan: Masterplan, measure: Measure, client_as: Any
) -> None:
    response = client_as(None).get(url("overview", plan), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "Digitaler Bauantrag" in content
    assert "<html" not in content


def test_bad_filter_values_never_fail(plan: Masterplan, measure: Measure, client_as: Any) -> None:
    for query in ("?organization=abc", "?owner=-1", "?status=99999", "?health=<b>", "?overdue=x"):
        assert client_as(None).get(url("overview", plan) + query).status_code == 200


def test_drafts_are_not_shown_to_the_public(
    plan: Masterplan, measure: Measure, client_as: Any, viewer: Any
) -> None:
    Measure.objects.filter(pk=measure.pk).update(publication=Publication.DRAFT)
    assert "Digitaler Bauantrag" not in client_as(None).get(url("overview", plan)).content.decode()
    assert "Digitaler Bauantrag" in client_as(viewer).get(url("overview", plan)).content.decode()


def test_plan_summary_for_the_home_page(plan: Masterplan, measure: Measure, client_as: Any) -> None:
    content = client_as(None).get(url("summary", plan)).content.decode()
    assert "Progress of the plan" in content
    assert "<html" not in content


# --- Goal page --------------------------------------------------------------------------------


def test_goal_page_shows_key_results_with_history_and_measures(
    plan: Masterplan, measure: Measure, coordinator: Any, client_as: Any
) -> None:
    kr = KeyResultFactory(goal=measure.goal, name="Median-Verfahrensdauer")
    kr = services.key_result_update(
        actor=coordinator,
        key_result=kr,
        version=kr.version,
        current_value=Decimal("105"),
        current_as_of=date(2025, 6, 30),
    )
    services.key_result_update(
        actor=coordinator,
        key_result=kr,
        version=kr.version,
        current_value=Decimal("90"),
        current_as_of=date(2026, 6, 30),
    )
    content = client_as(None).get(measure.goal.get_absolute_url()).content.decode()
    assert "Median-Verfahrensdauer" in content
    assert "History: 2 recorded values" in content
    assert content.index(short(date(2026, 6, 30))) < content.index(short(date(2025, 6, 30)))
    assert "Digitaler Bauantrag" in content
    assert "Computed from the key results below." in content


# --- Measure page -----------------------------------------------------------------------------


def test_measure_page_shows_schedule_milestones_and_method(
    plan: Masterplan, measure: Measure, client_as: Any
) -> None:
    today = timezone.localdate()
    MilestoneFactory(measure=measure, title="Pilotbezirk", due=today - timedelta(days=5))
    MilestoneFactory(
        measure=measure, title="Ausschreibung", due=date(2025, 3, 1), achieved_on=date(2025, 2, 20)
    )
    content = client_as(None).get(measure.get_absolute_url()).content.decode()
    assert "10 days late" in content
    assert "1 milestone overdue" in content
    assert 'class="timeline"' in content
    assert content.index("Ausschreibung") < content.index("Pilotbezirk")  # by due date
    assert f"achieved on {short(date(2025, 2, 20))}" in content
    assert "overdue" in content
    assert "Days late = days between the planned end" in content


def test_measure_page_shows_dependencies_both_ways(
    plan: Masterplan, measure: Measure, coordinator: Any, client_as: Any
) -> None:
    first = MeasureFactory(goal=measure.goal, title="E-Akte einführen")
    later = MeasureFactory(goal=measure.goal, title="Online-Sprechstunde")
    services.measure_set_dependencies(actor=coordinator, measure=measure, depends_on=[first])
    services.measure_set_dependencies(actor=coordinator, measure=later, depends_on=[measure])
    content = client_as(None).get(measure.get_absolute_url()).content.decode()
    depends_on = content.index('id="depends-on"')
    needed_by = content.index('id="needed-by"')
    assert depends_on < content.index("E-Akte einführen") < needed_by
    assert needed_by < content.index("Online-Sprechstunde")


def test_measure_page_shows_the_audit_history_with_names(
    plan: Masterplan, measure: Measure, statuses: Any, coordinator: Any, client_as: Any
) -> None:
    services.measure_move(
        actor=coordinator, measure=measure, version=measure.version, status=statuses["Abschluss"]
    )
    content = client_as(coordinator).get(measure.get_absolute_url()).content.decode()
    history = content[content.index('id="history"') :]
    assert "Measure changed" in history  # not "plans.measure.updated"
    assert "plans.measure" not in history
    assert "In Umsetzung → Abschluss" in history


def test_measure_history_reads_german(
    plan: Masterplan, measure: Measure, statuses: Any, coordinator: Any, client_as: Any
) -> None:
    """The history showed `plans.measure.updated`, `green → red`, `True` and ISO dates."""
    services.measure_update(
        actor=coordinator,
        measure=measure,
        version=measure.version,
        health="red",
        health_reason="Fördermittelbescheid steht aus",
        planned_end=date(2027, 6, 30),
        publication=Publication.DRAFT,
    )
    response = client_as(coordinator).get(measure.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")
    history = response.content.decode()
    history = history[history.index('id="history"') :]
    assert "Maßnahme geändert" in history
    assert "Im Plan → Kritisch" in history
    assert "30.06.2027" in history and "2027-06-30" not in history
    assert "Veröffentlicht → Entwurf" in history
    for technical in ("plans.measure", "green", "red", "published", "True"):
        assert technical not in history, technical


def test_the_reason_for_a_rating_stays_internal(
    plan: Masterplan, measure: Measure, coordinator: Any, viewer: Any, client_as: Any
) -> None:
    """Internal reasons for red/amber reached the public (page and API)."""
    services.measure_update(
        actor=coordinator,
        measure=measure,
        version=measure.version,
        health="red",
        health_reason="Kämmerei gibt die Mittel erst nach der Haushaltssperre frei.",
    )
    reason = "Kämmerei gibt die Mittel erst nach der Haushaltssperre frei."
    api = f"/api/plans/{plan.slug}/plan/measures/{measure.pk}"
    assert reason not in client_as(None).get(measure.get_absolute_url()).content.decode()
    assert client_as(None).get(api).json()["health_reason"] == ""
    assert client_as(None).get(api).json()["health"] == "red"  # the rating itself is public
    assert reason in client_as(viewer).get(measure.get_absolute_url()).content.decode()
    assert client_as(viewer).get(api).json()["health_reason"] == reason


def test_status_reports_are_listed_newest_first(
    plan: Masterplan, measure: Measure, contributor: Any, client_as: Any
) -> None:
    for start, text in ((date(2026, 1, 1), "Erstes Quartal"), (date(2026, 4, 1), "Zweites")):
        services.status_report_submit(
            actor=contributor,
            measure=Measure.objects.get(pk=measure.pk),
            period_start=start,
            period_end=start + timedelta(days=89),
            health="green",
            progress=40,
            narrative=text,
            publication=Publication.PUBLISHED,
        )
    content = client_as(None).get(measure.get_absolute_url()).content.decode()
    assert content.index("Zweites") < content.index("Erstes Quartal")
    assert "not reviewed yet" in content


def test_submit_form_only_for_editors(
    plan: Masterplan, measure: Measure, contributor: Any, viewer: Any, client_as: Any
) -> None:
    assert (
        'id="new-status-report"'
        in client_as(contributor).get(measure.get_absolute_url()).content.decode()
    )
    assert (
        'id="new-status-report"'
        not in client_as(viewer).get(measure.get_absolute_url()).content.decode()
    )


# --- CRUD -------------------------------------------------------------------------------------


def test_coordinator_creates_field_goal_key_result_and_measure(
    plan: Masterplan, own_org: Organization, statuses: Any, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    response = client.post(
        url("field_create", plan), {"name": "Start-ups", "position": 1, "publication": "published"}
    )
    field = FieldOfAction.objects.get(name="Start-ups")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#field-{field.pk}")

    response = client.post(
        url("goal_create", plan),
        {
            "field": field.pk,
            "statement": "Alle Start-ups als Mitglieder",
            "priority": "high",
            "position": 0,
            "publication": "published",
        },
    )
    goal = Goal.objects.get(statement="Alle Start-ups als Mitglieder")
    assert response["Location"] == goal.get_absolute_url()

    response = client.post(
        url("key_result_create", plan, goal.pk),
        {
            "name": "Start-ups mit Mitgliedschaft",
            "baseline_value": "0",
            "baseline_date": "2024-01-01",
            "target_value": "40",
            "target_date": "2026-12-31",
            "current_value": "12",
            "current_as_of": "2025-06-30",
            "publication": "published",
        },
    )
    assert response.status_code == 302, response.content.decode()
    kr = KeyResult.objects.get(goal=goal)
    assert list(kr.readings.values_list("value", flat=True)) == [Decimal("12")]

    response = client.post(
        url("measure_create", plan),
        {
            "goal": goal.pk,
            "title": "Startport-Kooperation",
            "lead_organization": own_org.pk,
            "status": statuses["Idee"].pk,
            "health": "green",
            "publication": "published",
        },
    )
    measure = Measure.objects.get(title="Startport-Kooperation")
    assert response["Location"] == measure.get_absolute_url()


def test_new_key_result_value_is_kept_in_the_history(
    plan: Masterplan, goal: Goal, contributor: Any, client_as: Any
) -> None:
    kr = KeyResultFactory(goal=goal)
    response = client_as(contributor).post(
        url("key_result_value", plan, kr.pk),
        {"current_value": "95", "current_as_of": "2026-03-31", "version": kr.version},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#key-result-{kr.pk}")
    kr.refresh_from_db()
    assert kr.current_value == Decimal("95")
    assert [(r.measured_on, r.value) for r in kr.readings.all()] == [
        (date(2026, 3, 31), Decimal("95"))
    ]


def test_contributor_can_only_lead_for_their_organisation(
    plan: Masterplan,
    goal: Goal,
    other_org: Organization,
    statuses: Any,
    contributor: Any,
    client_as: Any,
) -> None:
    response = client_as(contributor).post(
        url("measure_create", plan),
        {
            "goal": goal.pk,
            "title": "Fremde Maßnahme",
            "lead_organization": other_org.pk,
            "status": statuses["Idee"].pk,
            "health": "green",
            "publication": "draft",
        },
    )
    assert response.status_code == 400
    assert not Measure.objects.filter(title="Fremde Maßnahme").exists()


def test_stale_measure_edit_is_refused_and_keeps_the_input(
    plan: Masterplan, measure: Measure, statuses: Any, coordinator: Any, client_as: Any
) -> None:
    old_version = measure.version
    services.measure_update(
        actor=coordinator, measure=measure, version=old_version, title="Digitaler Bauantrag 2.0"
    )
    response = client_as(coordinator).post(
        url("measure_edit", plan, measure.pk),
        {
            "goal": measure.goal_id,
            "title": "Mein Titel",
            "lead_organization": measure.lead_organization_id,
            "status": measure.status_id,
            "health": "green",
            "publication": "published",
            "version": old_version,
        },
    )
    assert response.status_code == 409
    assert 'value="Mein Titel"' in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).title == "Digitaler Bauantrag 2.0"


def test_measure_edit_sets_dependencies(
    plan: Masterplan, measure: Measure, coordinator: Any, client_as: Any
) -> None:
    first = MeasureFactory(goal=measure.goal, title="E-Akte einführen")
    response = client_as(coordinator).post(
        url("measure_edit", plan, measure.pk),
        {
            "goal": measure.goal_id,
            "title": measure.title,
            "lead_organization": measure.lead_organization_id,
            "status": measure.status_id,
            "health": "amber",
            "health_reason": "Schnittstelle fehlt",
            "depends_on": [first.pk],
            "publication": "published",
            "version": measure.version,
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert list(measure.depends_on.all()) == [first]
    assert measure.health == "amber"


def test_milestone_is_added_and_achieved(
    plan: Masterplan, measure: Measure, contributor: Any, client_as: Any
) -> None:
    client = client_as(contributor)
    response = client.post(
        url("milestone_create", plan, measure.pk),
        {"title": "Pilot im Bezirk Mitte", "due": "2026-09-30", "publication": "published"},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(title="Pilot im Bezirk Mitte")
    response = client.post(
        url("milestone_achieve", plan, milestone.pk),
        {"achieved_on": "2026-09-15", "version": milestone.version},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"{measure.get_absolute_url()}#milestones")
    milestone.refresh_from_db()
    assert milestone.achieved_on == date(2026, 9, 15)


def test_coordinator_deletes_a_measure(
    plan: Masterplan, measure: Measure, coordinator: Any, client_as: Any
) -> None:
    response = client_as(coordinator).post(
        url("measure_delete", plan, measure.pk), {"version": measure.version}
    )
    assert response.status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert Measure.all_objects.get(pk=measure.pk).deleted_at is not None


# --- My work ----------------------------------------------------------------------------------


@pytest.fixture
def work(
    plan: Masterplan, measure: Measure, other_org: Organization, statuses: Any
) -> dict[str, Any]:
    """Own measure (overdue, active, no report) and another organisation's measure at risk."""
    today = timezone.localdate()
    other = MeasureFactory(
        goal=measure.goal,
        title="IHK-Gründungsberatung",
        lead_organization=other_org,
        status=statuses["In Umsetzung"],
        health="amber",
        health_reason="Beraterstelle unbesetzt",
    )
    MilestoneFactory(measure=measure, title="Eigener Meilenstein", due=today + timedelta(days=3))
    MilestoneFactory(measure=other, title="Fremder Meilenstein", due=today - timedelta(days=3))
    MilestoneFactory(measure=measure, title="Ferner Meilenstein", due=today + timedelta(days=90))
    return {"own": measure, "other": other}


def test_my_work_of_a_contributor_covers_their_organisation(
    plan: Masterplan, work: Any, contributor: Any, client_as: Any
) -> None:
    content = client_as(contributor).get(url("my_work", plan)).content.decode()
    assert "You act for <strong>Wirtschaft für Duisburg e. V.</strong>" in content
    assert "Eigener Meilenstein" in content
    assert "Fremder Meilenstein" not in content
    assert "Ferner Meilenstein" not in content
    assert "IHK-Gründungsberatung" not in content
    reports_due = content[
        content.index('id="my-reports-due"') : content.index('id="my-unreviewed"')
    ]
    assert "Digitaler Bauantrag" in reports_due


def test_my_work_of_a_coordinator_covers_the_plan(
    plan: Masterplan, work: Any, coordinator: Any, contributor: Any, client_as: Any
) -> None:
    today = timezone.localdate()
    services.status_report_submit(
        actor=contributor,
        measure=work["own"],
        period_start=today - timedelta(days=90),
        period_end=today,
        health="green",
        progress=60,
        narrative="Pilot läuft",
    )
    content = client_as(coordinator).get(url("my_work", plan)).content.decode()
    assert "You act for the whole plan" in content
    assert "Fremder Meilenstein" in content and "Eigener Meilenstein" in content
    assert "IHK-Gründungsberatung" in content  # at risk
    unreviewed = content[content.index('id="my-unreviewed"') :]
    assert "Status reports to review" in unreviewed
    assert StatusReport.objects.count() == 1
    assert "Digitaler Bauantrag" in unreviewed


def test_people_are_offered_as_owner_filter(
    plan: Masterplan, measure: Measure, client_as: Any
) -> None:
    person = PersonFactory(masterplan=plan, given_name="Jennifer", family_name="Kleff")
    Measure.objects.filter(pk=measure.pk).update(responsible_person=person)
    content = client_as(None).get(url("overview", plan) + f"?owner={person.pk}").content.decode()
    assert "Jennifer Kleff" in content
    assert "Digitaler Bauantrag" in content


def test_filters_offer_only_who_leads_or_owns_a_measure(
    plan: Masterplan, measure: Measure, client_as: Any
) -> None:
    owner = PersonFactory(masterplan=plan, given_name="Jennifer", family_name="Kleff")
    PersonFactory(masterplan=plan, given_name="Karl", family_name="Ohnemaßnahme")
    OrganizationFactory(masterplan=plan, name="Bäckerei ohne Maßnahme")
    Measure.objects.filter(pk=measure.pk).update(responsible_person=owner)
    content = client_as(None).get(url("overview", plan)).content.decode()
    assert f'<option value="{owner.pk}">Jennifer Kleff</option>' in content
    assert f'<option value="{measure.lead_organization_id}">' in content
    assert "Ohnemaßnahme" not in content
    assert "Bäckerei ohne Maßnahme" not in content


# --- Deleting ---------------------------------------------------------------------------------


def test_field_with_goals_is_not_deleted_and_the_reason_shown(
    plan: Masterplan, goal: Goal, coordinator: Any, client_as: Any
) -> None:
    client = client_as(coordinator)
    response = client.post(
        url("field_delete", plan, goal.field_id), {"version": goal.field.version}, follow=True
    )
    assert "still has goals" in response.content.decode()
    assert FieldOfAction.objects.filter(pk=goal.field_id).exists()


def test_key_result_and_milestone_are_deleted_by_the_lead_organisation(
    plan: Masterplan, measure: Measure, contributor: Any, client_as: Any
) -> None:
    kr = KeyResultFactory(goal=measure.goal)
    milestone = MilestoneFactory(measure=measure)
    client = client_as(contributor)
    assert client.post(url("key_result_delete", plan, kr.pk), {"version": 1}).status_code == 302
    response = client.post(url("milestone_delete", plan, milestone.pk), {"version": 1})
    assert response["Location"].endswith("#milestones")
    assert not KeyResult.objects.filter(pk=kr.pk).exists()
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_goal_without_measures_is_deleted_by_a_coordinator(
    plan: Masterplan, goal: Goal, coordinator: Any, client_as: Any
) -> None:
    response = client_as(coordinator).post(url("goal_delete", plan, goal.pk), {"version": 1})
    assert response.status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_history_and_names_are_for_members_only(
    plan: Masterplan, measure: Measure, contributor: Any, viewer: Any, client_as: Any
) -> None:
    services.status_report_submit(
        actor=contributor,
        measure=measure,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        health="green",
        progress=30,
        narrative="Pilot gestartet",
        publication=Publication.PUBLISHED,
    )
    public = client_as(None).get(measure.get_absolute_url()).content.decode()
    member = client_as(viewer).get(measure.get_absolute_url()).content.decode()
    assert "Pilot gestartet" in public and "Pilot gestartet" in member
    assert 'id="history"' not in public and "beitrag" not in public
    assert 'id="history"' in member and "beitrag" in member


def test_conflict_takes_over_dependencies_changed_by_someone_else(
    plan: Masterplan, measure: Measure, coordinator: Any, contributor: Any, client_as: Any
) -> None:
    from masterplan.plans.forms import MeasureForm

    opened = MeasureForm(instance=measure, masterplan=plan).initial
    first = MeasureFactory(goal=measure.goal, title="E-Akte einführen")
    services.measure_update_with_dependencies(
        actor=coordinator, measure=measure, version=measure.version, depends_on=[first]
    )
    data = {
        "goal": measure.goal_id,
        "title": "Digitaler Bauantrag für alle",
        "lead_organization": measure.lead_organization_id,
        "status": measure.status_id,
        "health": "green",
        "publication": "published",
        "version": opened["version"],
        "original": opened["original"],
    }
    client = client_as(contributor)
    response = client.post(url("measure_edit", plan, measure.pk), data)
    content = response.content.decode()
    assert response.status_code == 409
    assert f'<option value="{first.pk}" selected>' in content  # taken over, not lost
    assert 'value="Digitaler Bauantrag für alle"' in content

    version = Measure.objects.get(pk=measure.pk).version
    response = client.post(
        url("measure_edit", plan, measure.pk), {**data, "version": version, "depends_on": first.pk}
    )
    assert response.status_code == 302
    saved = Measure.objects.get(pk=measure.pk)
    assert saved.title == "Digitaler Bauantrag für alle"
    assert list(saved.depends_on.all()) == [first]
