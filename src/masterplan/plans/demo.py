"""The two seed partnerships as tenants (see ../shared/seeds/)."""

from __future__ import annotations

from datetime import date
from typing import Any

from masterplan.core.models import Publication
from masterplan.plans.models import Masterplan
from masterplan.plans.services import masterplan_create

DUESSELDORF = "duesseldorf"
DUISBURG = "duisburg"


def load(*, actor: Any) -> dict[str, Masterplan]:
    duesseldorf = masterplan_create(
        actor=actor,
        name="Masterplan Industrie Düsseldorf",
        slug=DUESSELDORF,
        city="Düsseldorf",
        ags="05111000",
        description=(
            "Initiative von Stadt, IHK, Industrieunternehmen, Verbänden und Vereinen zur "
            "Sicherung und Weiterentwicklung des Industriestandortes Düsseldorf: Qualifizierung "
            "der Kernzonen, strategisches Flächenmanagement, Industrieakzeptanz und Klimaschutz."
        ),
        publication=Publication.PUBLISHED,
    )
    duisburg = masterplan_create(
        actor=actor,
        name="Masterplan Wirtschaft für Duisburg",
        slug=DUISBURG,
        city="Duisburg",
        ags="05112000",
        signed_on=date(2017, 3, 1),
        description=(
            "Im März 2017 von Stadt, IHK und Unternehmerverband unterzeichnet; die Großzahl der "
            "Projekte ist umgesetzt. Jetzt mit klarem Fokus auf zentrale Themen: schnellere "
            "Genehmigungsverfahren, Start-ups und der Wirtschaftsdialog."
        ),
        publication=Publication.PUBLISHED,
    )
    return {DUESSELDORF: duesseldorf, DUISBURG: duisburg}
