"""`masterplan generate`: synthetic masterplans, small enough here to run in a test."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from masterplan.core import synthetic
from masterplan.core.models import Masterplan
from masterplan.directory.models import Affiliation, Organization, Person


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate", *args, stdout=out)
    return out.getvalue()


def small(prefix: str = "t", scale: int = 2) -> str:
    return generate(
        "--scale",
        str(scale),
        "--organizations",
        "40",
        "--people",
        "80",
        "--measures",
        "10",
        "--content-size",
        "0.02",
        "--plan-prefix",
        prefix,
    )


def test_generate_creates_the_masterplans_organisations_and_people_it_reports(db: Any) -> None:
    out = small()

    plans = Masterplan.objects.filter(slug__startswith="t-").order_by("slug")
    assert [p.slug for p in plans] == ["t-001-duesseldorf", "t-002-duisburg"]
    for plan in plans:
        assert Organization.objects.filter(masterplan=plan).count() == 40
        assert Person.objects.filter(masterplan=plan).count() == 80
        assert Affiliation.objects.filter(masterplan=plan).count() >= 70
    affiliations = Affiliation.objects.count()
    assert (
        f"Generated 2 masterplan(s) with 80 organisations, 160 people, {affiliations} affiliations"
    ) in out


def test_every_generated_row_is_marked_as_sample_data(db: Any) -> None:
    small()

    for model in (Masterplan, Organization, Person, Affiliation):
        assert model.objects.exists()
        assert not model.objects.filter(is_sample=False).exists()


def test_generated_rows_pass_model_validation(db: Any) -> None:
    small(scale=1)

    for model in (Organization, Person, Affiliation):
        for obj in model.objects.all():
            obj.full_clean()


def test_affiliations_stay_within_their_masterplan(db: Any) -> None:
    small()

    for affiliation in Affiliation.objects.select_related("person", "organization"):
        assert affiliation.person.masterplan_id == affiliation.masterplan_id
        assert affiliation.organization.masterplan_id == affiliation.masterplan_id


def test_each_plan_has_its_city_with_the_official_municipality_key(db: Any) -> None:
    small()

    city = Organization.objects.get(masterplan__slug="t-002-duisburg", kind="city")
    assert (city.name, city.ags) == ("Stadt Duisburg", "05112000")
    departments = Organization.objects.filter(masterplan=city.masterplan, parent=city)
    assert departments.filter(kind="city_department").exists()


def test_same_seed_gives_the_same_data(db: Any) -> None:
    small(prefix="a", scale=1)
    small(prefix="b", scale=1)

    def names(prefix: str) -> list[tuple[str, str]]:
        return list(
            Person.objects.filter(masterplan__slug__startswith=f"{prefix}-")
            .order_by("external_id")
            .values_list("given_name", "family_name")
        )

    assert names("a") == names("b")


def test_refuses_to_generate_into_an_existing_prefix(db: Any) -> None:
    small()

    with pytest.raises(CommandError, match="exist already"):
        small()
    assert Masterplan.objects.filter(slug__startswith="t-").count() == 2


def test_replace_deletes_the_earlier_plans_first(db: Any) -> None:
    small(scale=2)

    out = generate(
        "--organizations", "10", "--people", "5", "--measures", "5", "--content-size", "0.01",
        "--plan-prefix", "t", "--replace",
    )  # fmt: skip

    assert Masterplan.objects.filter(slug__startswith="t-").count() == 1
    assert Organization.objects.count() == 10
    assert "10 meetings" in out  # the apps' content is generated too, scaled down


def test_the_content_size_must_be_a_positive_share(db: Any) -> None:
    for value in ("0", "-1", "many", "11"):
        with pytest.raises(CommandError, match="content-size"):
            generate("--content-size", value, "--plan-prefix", "t")


def test_a_prefix_must_be_a_slug(db: Any) -> None:
    with pytest.raises(CommandError, match="plan-prefix"):
        generate("--plan-prefix", "Not a slug")


def test_municipality_keys_are_eight_digits_of_north_rhine_westphalia() -> None:
    keys = [m.ags for m in synthetic.MUNICIPALITIES]
    assert len(set(keys)) == len(keys)
    assert all(len(k) == 8 and k.isdigit() and k.startswith("05") for k in keys)
