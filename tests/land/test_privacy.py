"""Erasing a person also clears them from the land module: contact of a parcel, name and
address on a site request (the company's need stays)."""

from __future__ import annotations

from typing import Any

import pytest

from masterplan.core.models import Masterplan
from masterplan.core.privacy import ERASED, erase_personal_data, export_personal_data, find_subject
from masterplan.land.models import Parcel, SiteRequest
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_request_contact_is_exported_and_erased(plan: Masterplan, admin: Any) -> None:
    person = PersonFactory(masterplan=plan, email="a.kemper@tischlerei-kemper.de")
    request = SiteRequest.objects.create(
        masterplan=plan,
        title="Werkstatt mit Lager",
        company_name="Tischlerei Kemper",
        contact_name="Anna Kemper",
        contact_email="a.kemper@tischlerei-kemper.de",
        area_min_m2=1_500,
    )
    parcel = Parcel.objects.create(
        masterplan=plan, name="Werkstatthof", area_type="GE", area_m2=2_000, contact=person
    )
    subject = find_subject(email="a.kemper@tischlerei-kemper.de")
    exported = export_personal_data(subject)["land.people"]
    assert {entry["type"] for entry in exported} >= {"land.siterequest", "land.parcel"}

    erase_personal_data(actor=admin, subject=subject)

    request.refresh_from_db()
    parcel.refresh_from_db()
    assert (request.contact_name, request.contact_email) == (ERASED, "")
    assert request.company_name == "Tischlerei Kemper" and parcel.contact is None
