"""The governance demo: Düsseldorf's steering committee and its year-opening meeting in the
town hall, the core-zone workshop series, Duisburg's structure and meetings."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from masterplan.core.demo import DUESSELDORF, DUISBURG
from masterplan.core.models import Masterplan
from masterplan.governance.models import (
    ActionItem,
    Body,
    BodyKind,
    Decision,
    Meeting,
    MeetingState,
)
from masterplan.governance.queries import decision_tracking
from masterplan.plans.models import Measure


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Masterplan]]:
    var_dir: Path = tmp_path_factory.mktemp("var")
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=var_dir, PASSWORD_HASHERS=fast_hashing),
        transaction.atomic(),
    ):
        try:
            call_command("demo", stdout=StringIO())
            yield {plan.slug: plan for plan in Masterplan.objects.all()}
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def plans(demo: dict[str, Masterplan], db: Any) -> dict[str, Masterplan]:
    return demo


def test_duesseldorf_year_opening_meeting_in_the_town_hall(plans: dict[str, Masterplan]) -> None:
    plan = plans[DUESSELDORF]
    steering = Body.objects.get(masterplan=plan, kind=BodyKind.STEERING_COMMITTEE)
    assert steering.chair is not None and steering.chair.family_name == "Keller"
    represented = set(steering.memberships.values_list("organization__external_id", flat=True))
    assert {"DUS-STADT", "DUS-IHK", "DUS-IKD", "DUS-AWI", "DUS-APS", "DUS-DGB"} <= represented
    opening = Meeting.objects.filter(body=steering, start__month=1).order_by("start").first()
    assert opening is not None
    assert opening.state == MeetingState.MINUTES_APPROVED
    assert (opening.street_address, opening.postal_code) == ("Marktplatz 2", "40213")
    assert opening.agenda_items.filter(is_public=False).exists()
    assert opening.attendances.filter(status="excused").count() == 1
    assert Decision.objects.filter(meeting=opening).count() == 4
    assert ActionItem.objects.filter(decision__meeting=opening).count() == 4
    assert Measure.objects.filter(operational_body=steering).exists()


def test_workshop_series_and_upcoming_meetings(plans: dict[str, Masterplan]) -> None:
    plan = plans[DUESSELDORF]
    series = Body.objects.get(masterplan=plan, kind=BodyKind.WORKSHOP_SERIES)
    today = timezone.localdate()
    starts = [timezone.localtime(m.start).date() for m in series.meetings.all()]
    assert any(d < today for d in starts) and any(d > today for d in starts)
    upcoming = Meeting.objects.filter(masterplan=plan, start__gt=timezone.now(), state="planned")
    assert upcoming.filter(agenda_items__isnull=False).exists()  # generated draft agenda


def test_duisburg_structure(plans: dict[str, Masterplan]) -> None:
    plan = plans[DUISBURG]
    kinds = set(Body.objects.filter(masterplan=plan).values_list("kind", flat=True))
    assert {"board", "steering_committee", "steering_group", "working_group"} <= kinds
    units = Body.objects.filter(masterplan=plan, kind=BodyKind.WORKING_GROUP)
    assert units.exists() and not units.filter(parent=None).exists()
    assert all(u.parent.kind == BodyKind.STEERING_GROUP for u in units)  # type: ignore[union-attr]
    assembly = Meeting.objects.get(masterplan=plan, start__year=2022)
    assert assembly.decisions.filter(title__contains="startport").exists()
    assert Meeting.objects.filter(masterplan=plan, start__gt=timezone.now()).count() >= 2


def test_decision_tracking_has_every_state(plans: dict[str, Masterplan]) -> None:
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    tracking = decision_tracking(
        user=admin, masterplan=plans[DUESSELDORF], today=timezone.localdate()
    )
    assert tracking.counts["open"] and tracking.counts["in_progress"] and tracking.counts["done"]


def test_reminders_are_due_in_the_demo(plans: dict[str, Masterplan]) -> None:
    from masterplan.governance.reminders import due_reminders

    kinds = {r.kind for r in due_reminders(timezone.localdate())}
    assert kinds == {"action_due_soon", "action_overdue", "minutes_not_approved"}


def test_the_core_zone_workshops_are_about_the_land_demos_zones(
    plans: dict[str, Masterplan],
) -> None:
    from masterplan.governance.models import AgendaItem
    from masterplan.land.models import CoreZone

    plan = plans[DUESSELDORF]
    reisholz = CoreZone.objects.get(masterplan=plan, name="Kernzone Reisholz")
    items = AgendaItem.objects.filter(core_zones=reisholz)
    assert items.count() == 3
    assert {item.meeting.title for item in items} == {"Workshop Kernzone Reisholz"}
