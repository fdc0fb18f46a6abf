"""Draft sample objects of the permit monitor for the permission matrix (owned by own_org: the
building authority is own_org's, so its contributors record its procedures)."""

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
        name="Stadt Duisburg – Untere Bauaufsicht (Beispiel)",
        city="Duisburg",
        ags="05112000",
        organization=base.objects[Organization],
        publication=draft,
        is_sample=True,
    )
    kind = ProcedureType.objects.create(
        masterplan=plan,
        code="bauo-nrw-64",
        name="Baugenehmigung, vereinfachtes Verfahren",
        legal_basis="§ 64 BauO NRW 2018",
        completeness_days=14,
        decision_months=3,
        publication=draft,
    )
    procedure = Procedure.objects.create(
        masterplan=plan,
        reference="63-BG-2023-0815",
        authority=authority,
        procedure_type=kind,
        subject="Neubau einer Lagerhalle (Beispiel)",
        received=date(2023, 11, 6),
        complete=date(2023, 11, 20),
        publication=draft,
        is_sample=True,
    )
    return {
        Authority: authority,
        ProcedureType: kind,
        Procedure: procedure,
        ProcedureEvent: ProcedureEvent.objects.create(
            masterplan=plan,
            procedure=procedure,
            kind="formal_check",
            on=date(2023, 11, 20),
            publication=draft,
        ),
        ProcedureExtension: ProcedureExtension.objects.create(
            masterplan=plan,
            procedure=procedure,
            on=date(2024, 2, 1),
            months=1,
            reason="Stellungnahme der Bezirksregierung steht aus",
            publication=draft,
        ),
        PeerFigure: PeerFigure.objects.create(
            masterplan=plan,
            city="Essen",
            ags="05113000",
            year=2024,
            procedure_type="bauo-nrw-64",
            statistic="mean_closed",
            value=94.0,
            n=1200,
            start="complete",
            source="Stadt Essen, Bauordnungsamt (Beispiel)",
            publication=draft,
        ),
    }
