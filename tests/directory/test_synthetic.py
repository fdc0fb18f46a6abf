"""The directory's synthetic data (`masterplan generate`): shaped like the business register."""

from __future__ import annotations

import random
import statistics

from masterplan.core.models import Publication
from masterplan.core.synthetic import MUNICIPALITIES
from masterplan.directory import synthetic


def test_most_records_are_published() -> None:
    rows = synthetic.organization_rows(
        random.Random(1), municipality=MUNICIPALITIES[0], count=2000, id_prefix="X"
    )
    published = sum(r.fields["publication"] == Publication.PUBLISHED for r in rows)
    assert 0.9 < published / len(rows) < 1


def test_employees_are_skewed_like_the_business_register() -> None:
    """Most firms are small (median under 10), a few are large (250 or more)."""
    rows = synthetic.organization_rows(
        random.Random(1), municipality=MUNICIPALITIES[0], count=2000, id_prefix="X"
    )
    staff = [r.fields["employees"] for r in rows if r.fields["kind"] == "company"]
    staff = [s for s in staff if s is not None]
    assert statistics.median(staff) < 10
    assert 0.002 < sum(s >= 250 for s in staff) / len(staff) < 0.05


def test_company_names_carry_a_german_legal_form() -> None:
    rows = synthetic.organization_rows(
        random.Random(2), municipality=MUNICIPALITIES[1], count=500, id_prefix="X"
    )
    companies = [r.fields for r in rows if r.fields["kind"] == "company"]
    with_form = [
        c for c in companies if synthetic.LEGAL_FORM_AT_END.search(c["legal_name"] or c["name"])
    ]
    assert len(with_form) / len(companies) > 0.95
