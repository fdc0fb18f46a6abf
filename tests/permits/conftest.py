"""The permit monitor's hand-computed example, shared by the query, page and API tests.

`world`: Duisburg's immission control authority (its procedures recorded by own_org's
contributors) with five § 19 BImSchG procedures (3 months from the complete application),
all received 5 January 2026 and complete ten days later but the last. Net days: 40, 60, 100
decided; 80 withdrawn; one received 20 April, complete 1 May and open (60 days by 30 June).

`peers`: Essen, which shares its records (six procedures of the same type, decided after 30 to
35 net days), and Köln and Dortmund, which publish only a mean of closed cases from receipt.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.permits import services
from masterplan.permits.models import Authority, ClockStart, Procedure, ProcedureType, Statistic


@pytest.fixture
def world(plan: Masterplan, coordinator: Any, own_org: Organization) -> dict[str, Any]:
    services.ensure_default_types(actor=coordinator, masterplan=plan)
    bimschg_19 = ProcedureType.objects.get(masterplan=plan, code="bimschg-19")
    authority = services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Stadt Duisburg – Untere Immissionsschutzbehörde",
        city="Duisburg",
        ags="05112000",
        kind="immission",
        organization=own_org,
    )
    start = date(2026, 1, 5)

    def record(ref: str, end_after: int, **extra: Any) -> Procedure:
        complete = start + timedelta(days=10)
        ended = complete + timedelta(days=end_after)
        fields = {"withdrawn": ended, "outcome": "withdrawn"} if extra else {"decided": ended}
        return services.procedure_create(
            actor=coordinator,
            masterplan=plan,
            authority=authority,
            procedure_type=bimschg_19,
            reference=ref,
            subject="Änderung einer Feuerungsanlage",
            received=start,
            complete=complete,
            **fields,
        )

    procedures = [
        record("UIB-2026-001", 40),
        record("UIB-2026-002", 60),
        record("UIB-2026-003", 100),
        record("UIB-2026-004", 80, withdrawn=True),
    ]
    late = services.procedure_create(
        actor=coordinator,
        masterplan=plan,
        authority=authority,
        procedure_type=bimschg_19,
        reference="UIB-2026-005",
        subject="Neubau eines Blockheizkraftwerks",
        received=date(2026, 4, 20),
        complete=date(2026, 5, 1),
    )
    return {"authority": authority, "type": bimschg_19, "procedures": [*procedures, late]}


@pytest.fixture
def peers(plan: Masterplan, coordinator: Any, world: dict[str, Any]) -> Authority:
    """Essen's authority (besides the peer figures of Köln and Dortmund)."""
    essen = services.authority_create(
        actor=coordinator,
        masterplan=plan,
        name="Stadt Essen – Immissionsschutz",
        city="Essen",
        is_own=False,
    )
    for i in range(6):
        services.procedure_create(
            actor=coordinator,
            masterplan=plan,
            authority=essen,
            procedure_type=world["type"],
            reference=f"E-{i}",
            received=date(2026, 1, 5),
            complete=date(2026, 1, 15),
            decided=date(2026, 1, 15) + timedelta(days=30 + i),
        )
    for city, value in (("Köln", 150.0), ("Dortmund", 120.0)):
        services.peer_figure_create(
            actor=coordinator,
            masterplan=plan,
            city=city,
            year=2025,
            procedure_type="bimschg-19",
            statistic=Statistic.MEAN_OF_CLOSED,
            value=value,
            n=200,
            start=ClockStart.RECEIVED,
            source="Ratsinformation (Beispiel)",
        )
    return essen
