"""The board: one column per status, moves with optimistic locking, with and without HTMX."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization
from masterplan.plans import services
from masterplan.plans.models import Measure
from tests.factories import GoalFactory, MeasureFactory, seeded_statuses
from tests.governance.factories import BodyFactory


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def statuses(plan: Masterplan) -> dict[str, Any]:
    return seeded_statuses(plan)


@pytest.fixture
def measure(plan: Masterplan, own_org: Organization, statuses: Any) -> Measure:
    return MeasureFactory(
        goal=GoalFactory(field__masterplan=plan),
        title="Gewerbeflächen-Monitoring",
        lead_organization=own_org,
        status=statuses["In Vorbereitung"],
        operational_body=BodyFactory(masterplan=plan, name="AG Flächen"),
    )


def board_url(plan: Masterplan) -> str:
    return reverse("plans:board", args=[plan.slug])


def move_url(measure: Measure) -> str:
    return reverse("plans:measure_move", args=[measure.masterplan.slug, measure.pk])


def column_of(content: str, measure: Measure) -> str:
    """The heading of the column that holds the measure's card."""
    card = content.index(f'id="measure-card-{measure.pk}"')
    heading = content.rindex('class="board-column__heading', 0, card)
    return content[content.index(">", heading) + 1 : content.index("<span", heading)].strip()


def test_board_has_a_column_per_status_with_the_cards(
    plan: Masterplan, measure: Measure, client_as: Any, viewer: Any
) -> None:
    content = client_as(viewer).get(board_url(plan)).content.decode()
    for name in ("Idee", "In Vorbereitung", "In Umsetzung", "Abschluss", "Umgesetzt", "Gestoppt"):
        assert f">{name} <span" in content
    assert column_of(content, measure) == "In Vorbereitung"
    assert "draggable" not in content  # viewers cannot move cards
    assert 'name="status"' not in content


def test_editors_get_previous_and_next_buttons(
    plan: Masterplan, measure: Measure, client_as: Any, contributor: Any
) -> None:
    content = client_as(contributor).get(board_url(plan)).content.decode()
    assert 'draggable="true"' in content
    assert f'name="version" value="{measure.version}"' in content
    assert "Idee<span" in content and "In Umsetzung<span" in content


def test_next_never_leads_from_done_to_stopped(
    plan: Masterplan, measure: Measure, statuses: Any, client_as: Any, contributor: Any
) -> None:
    """The board offered "Umgesetzt → Gestoppt" as the next step."""
    from masterplan.plans import queries

    done = MeasureFactory(
        goal=measure.goal,
        title="Standortmarketing-Kampagne",
        lead_organization=measure.lead_organization,
        status=statuses["Umgesetzt"],
    )
    stopped = MeasureFactory(
        goal=measure.goal,
        title="Seilbahn Hafen–Innenstadt",
        lead_organization=measure.lead_organization,
        status=statuses["Gestoppt"],
    )
    cards = {
        card.node.measure.pk: card
        for column in queries.board(
            user=contributor, masterplan=plan, today=timezone.localdate()
        ).columns
        for card in column.cards
    }
    assert (cards[done.pk].previous_status, cards[done.pk].next_status) == (
        statuses["Abschluss"],
        None,
    )
    assert (cards[stopped.pk].previous_status, cards[stopped.pk].next_status) == (None, None)
    content = client_as(contributor).get(board_url(plan)).content.decode()
    assert "Gestoppt<span" not in content  # no button leads there


def test_move_without_javascript_redirects_back_to_the_board(
    plan: Masterplan, measure: Measure, statuses: Any, client_as: Any, contributor: Any
) -> None:
    response = client_as(contributor).post(
        move_url(measure) + "?unit=AG+Fl%C3%A4chen",
        {"status": statuses["In Umsetzung"].pk, "version": measure.version},
    )
    assert response.status_code == 302
    assert response["Location"] == board_url(plan) + "?unit=AG+Fl%C3%A4chen"
    measure.refresh_from_db()
    assert measure.status == statuses["In Umsetzung"]
    assert measure.actual_start is not None  # the service starts an active measure
    assert AuditEntry.objects.filter(action="plans.measure.updated").count() == 1


def test_htmx_move_answers_with_the_redrawn_board(
    plan: Masterplan, measure: Measure, statuses: Any, client_as: Any, contributor: Any
) -> None:
    response = client_as(contributor).post(
        move_url(measure),
        {"status": statuses["In Umsetzung"].pk, "version": measure.version},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.startswith('<div id="board"')
    assert column_of(content, measure) == "In Umsetzung"
    assert "moved to “In Umsetzung”" in content
    assert f'data-moved="{measure.pk}"' in content


def test_stale_move_is_refused_with_409_and_shows_the_current_state(
    plan: Masterplan,
    measure: Measure,
    statuses: Any,
    client_as: Any,
    contributor: Any,
    coordinator: Any,
) -> None:
    stale = measure.version
    services.measure_move(
        actor=coordinator, measure=measure, version=stale, status=statuses["Gestoppt"]
    )
    before = Measure.objects.get(pk=measure.pk)
    entries = AuditEntry.objects.count()

    response = client_as(contributor).post(
        move_url(measure),
        {"status": statuses["In Umsetzung"].pk, "version": stale},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else" in content
    assert column_of(content, measure) == "Gestoppt"
    assert f'name="version" value="{before.version}"' in content  # the card can move again
    after = Measure.objects.get(pk=measure.pk)
    assert (after.status_id, after.version) == (before.status_id, before.version)
    assert AuditEntry.objects.count() == entries


def test_stale_move_without_javascript_shows_the_whole_page(
    plan: Masterplan, measure: Measure, statuses: Any, client_as: Any, coordinator: Any
) -> None:
    services.measure_update(
        actor=coordinator, measure=measure, version=measure.version, title="Flächenmonitoring"
    )
    response = client_as(coordinator).post(
        move_url(measure), {"status": statuses["Idee"].pk, "version": measure.version}
    )
    assert response.status_code == 409
    assert "<html" in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).status == statuses["In Vorbereitung"]


def test_viewers_and_other_organisations_cannot_move(
    plan: Masterplan,
    measure: Measure,
    statuses: Any,
    client_as: Any,
    viewer: Any,
    other_contributor: Any,
) -> None:
    data = {"status": statuses["In Umsetzung"].pk, "version": measure.version}
    assert client_as(viewer).post(move_url(measure), data).status_code == 403
    assert client_as(other_contributor).post(move_url(measure), data).status_code == 403
    assert Measure.objects.get(pk=measure.pk).status == statuses["In Vorbereitung"]


def test_status_of_another_plan_is_refused(
    plan: Masterplan,
    other_plan: Masterplan,
    measure: Measure,
    client_as: Any,
    coordinator: Any,
) -> None:
    foreign = seeded_statuses(other_plan)["Umgesetzt"]
    response = client_as(coordinator).post(
        move_url(measure), {"status": foreign.pk, "version": measure.version}
    )
    assert response.status_code == 400
    assert Measure.objects.get(pk=measure.pk).version == measure.version


def test_move_needs_post(measure: Measure, client_as: Any, coordinator: Any) -> None:
    assert client_as(coordinator).get(move_url(measure)).status_code == 405


def test_board_filters_by_working_group(
    plan: Masterplan, measure: Measure, client_as: Any, viewer: Any
) -> None:
    startups = BodyFactory(masterplan=plan, name="AG Start-ups")
    MeasureFactory(goal=measure.goal, title="Gründungsberatung", operational_body=startups)
    content = client_as(viewer).get(board_url(plan) + f"?unit={startups.pk}").content.decode()
    assert "Gründungsberatung" in content
    assert "Gewerbeflächen-Monitoring" not in content
    assert f'<option value="{measure.operational_body_id}">AG Flächen</option>' in content


def test_stopped_measure_is_not_called_finished(
    plan: Masterplan, measure: Measure, statuses: Any, client_as: Any, viewer: Any
) -> None:
    Measure.objects.filter(pk=measure.pk).update(
        status=statuses["Gestoppt"], planned_end="2025-01-31"
    )
    content = client_as(viewer).get(board_url(plan)).content.decode()
    card = content[content.index(f'id="measure-card-{measure.pk}"') :]
    assert "stopped: not late" in card[: card.index("</li>")]
    assert "finished" not in card[: card.index("</li>")]
