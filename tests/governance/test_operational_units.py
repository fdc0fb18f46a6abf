"""The measure ↔ operational unit link: plans owns it, governance owns the bodies.

Writes across the two apps go through the owner's audited, versioned services.
"""

from __future__ import annotations

from typing import Any

import pytest

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.core.references import create_named
from masterplan.governance import services
from masterplan.governance.models import Body, BodyKind
from masterplan.plans.importers import OPERATIONAL_UNIT_NAME_LENGTH
from masterplan.plans.models import Measure, operational_unit_model
from tests.factories import MeasureFactory
from tests.governance.factories import BodyFactory


def test_the_measures_unit_is_a_governance_body() -> None:
    assert operational_unit_model() is Body
    assert Body._meta.get_field("name").max_length == OPERATIONAL_UNIT_NAME_LENGTH


def test_deleting_a_body_releases_its_measures_with_audit_and_version(
    plan: Masterplan, coordinator: Any
) -> None:
    body = BodyFactory(masterplan=plan, name="AG Genehmigungen")
    dialogue = MeasureFactory(
        goal__field__masterplan=plan, title="Dialogformat Genehmigungen", operational_body=body
    )
    other = MeasureFactory(goal=dialogue.goal, title="Start-up-Wettbewerb der DBI")

    services.body_delete(actor=coordinator, body=body, version=body.version)

    dialogue.refresh_from_db()
    other_version = other.version
    other.refresh_from_db()
    assert dialogue.operational_body_id is None
    assert dialogue.version == 2
    assert other.version == other_version
    entry = AuditEntry.objects.get(
        action="plans.measure.updated", object_type="plans.measure", object_id=str(dialogue.pk)
    )
    assert entry.changes == {"operational_body": [body.pk, None]}
    assert entry.actor == coordinator


def test_working_groups_named_by_measures_are_made_by_governance(
    plan: Masterplan, coordinator: Any
) -> None:
    ids = create_named(
        Measure._meta.get_field("operational_body").related_model,  # type: ignore[arg-type]
        actor=coordinator,
        masterplan=plan,
        names={"AG Genehmigungen": True, "AG Flächen": False},
    )
    bodies = {b.name: b for b in Body.objects.filter(pk__in=ids.values())}
    assert bodies["AG Genehmigungen"].kind == BodyKind.WORKING_GROUP
    assert bodies["AG Genehmigungen"].is_published
    assert not bodies["AG Flächen"].is_published
    logged = AuditEntry.objects.filter(action="governance.body.imported", actor=coordinator)
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(map(str, ids.values()))


def test_a_model_without_a_registered_creator_is_refused(plan: Masterplan) -> None:
    with pytest.raises(LookupError, match=r"plans\.measure"):
        create_named(Measure, actor=None, masterplan=plan, names={"X": True})
