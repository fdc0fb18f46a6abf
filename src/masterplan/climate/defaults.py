"""Global default emission factors from the packaged reference table.

The table (`static/climate/emission-factors-de.csv`, a copy of the project's reference file,
`;`-separated) is loaded by a data migration as global factors (no masterplan). Rules:
- rows whose basis mentions the upstream chain are kept for reference with basis "upstream";
  the balance uses direct factors only (GHG Protocol Scope 1 and 2: combustion only);
- electricity factors apply to their year only; fuel factors (natural gas) are a property of
  the fuel and apply to every year, with the table's year as their vintage.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).parent / "static" / "climate" / "emission-factors-de.csv"
YEAR_SPECIFIC = {"electricity_grid_mix", "electricity_residual_mix", "district_heat"}


def published_year(source: str, fallback: int) -> int:
    found = re.findall(r"(?:19|20)\d\d", source)
    return int(found[-1]) if found else fallback


def reference_factors(path: Path = REFERENCE) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            year = int(row["year"])
            upstream = "upstream" in row["basis"]
            rows.append(
                {
                    "carrier": row["carrier"],
                    "year": year if row["carrier"] in YEAR_SPECIFIC else None,
                    "value": Decimal(row["value"].replace(",", ".")),
                    "unit": row["unit"],
                    "basis": "upstream" if upstream else "direct",
                    "status": row["status"][:60],
                    "source": f"{row['source']} ({row['basis']})"[:300],
                    "vintage": published_year(row["source"], year),
                    "external_id": f"REF-{row['carrier']}-{year}-{'up' if upstream else 'direct'}",
                    "publication": "published",
                }
            )
    return rows
