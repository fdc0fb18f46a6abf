"""Draft sample objects of the permit monitor for the permission matrix (owned by own_org)."""

from datetime import date
from typing import Any

from django.db.models import Model

from masterplan.core.models import Publication
from masterplan.directory.models import Organization
from masterplan.permits.models import (
    Authority,
    PeerFigure,
    Procedure,
    ProcedureEvent,
    ProcedureExtension,
    ProcedureType,
)


def objects(base: Any) -> dict[type[Model], Model]:
    plan = base.plan
    draft = Publication.DRAFT
    authority = Authority.objects.create(
        masterplan=plan,
        name="Stadt Duisburg – Untere Immissionsschutzbehörde",
        city="Duisburg",
        ags="05112000",
        kind="immission",
        organization=base.objects[Organization],
        publication=draft,
    )
    procedure_type = ProcedureType.objects.create(
        masterplan=plan,
        code="bimschg-19",
        name="Vereinfachtes Verfahren nach § 19 BImSchG",
        legal_basis="§ 19 BImSchG; § 10 (6a) BImSchG",
        completeness_months=1,
        decision_months=3,
        extensions_without_consent=1,
        extension_months=3,
        completeness_fiction=True,
        publication=draft,
    )
    procedure = Procedure.objects.create(
        masterplan=plan,
        reference="UIB-2026-0042",
        authority=authority,
        procedure_type=procedure_type,
        subject="Änderung einer Feuerungsanlage im Hafen Ruhrort",
        received=date(2026, 1, 5),
        complete=date(2026, 1, 20),
        publication=draft,
    )
    return {
        Authority: authority,
        ProcedureType: procedure_type,
        Procedure: procedure,
        ProcedureEvent: ProcedureEvent.objects.create(
            masterplan=plan,
            procedure=procedure,
            kind="statement_requested",
            on=date(2026, 1, 22),
            party="Bezirksregierung Düsseldorf",
            publication=draft,
        ),
        ProcedureExtension: ProcedureExtension.objects.create(
            masterplan=plan,
            procedure=procedure,
            on=date(2026, 4, 10),
            months=3,
            reason="Gutachten zur Luftreinhaltung nachgefordert",
            publication=draft,
        ),
        PeerFigure: PeerFigure.objects.create(
            masterplan=plan,
            city="Düsseldorf",
            year=2025,
            procedure_type="bimschg-19",
            statistic="km_median",
            value=95,
            n=400,
            start="complete",
            source="Stadt Düsseldorf, Umweltamt, Jahresbericht 2025",
            publication=draft,
        ),
    }
