"""`masterplan import` and `masterplan export` on the command line."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization
from tests.factories import OrganizationFactory

DATA = Path(__file__).parent.parent / "data"
GOOD = DATA / "good" / "organisationen_utf8_bom_semikolon.csv"


def run(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    language = ("--language", "en") if args[0] == "import" else ()
    call_command(*args, *language, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_import_prints_a_summary_and_records_the_system_as_actor(plan: Masterplan) -> None:
    out, _err = run("import", "--plan", "duisburg", "--kind", "organizations", str(GOOD))
    assert "Imported: 4 new, 0 changed, 0 unchanged." in out
    assert Organization.objects.count() == 4
    assert set(AuditEntry.objects.values_list("actor_label", flat=True)) == {"system"}


def test_dry_run_lists_the_changes_and_saves_nothing(plan: Masterplan) -> None:
    out, _err = run(
        "import", "--plan", "duisburg", "--kind", "organizations", "--dry-run", str(GOOD)
    )
    assert "+ row 3 Niederrheinische IHK: external_id: – → DU-IHK" in out
    assert "Dry run: 4 new, 0 changed, 0 unchanged. Nothing was saved." in out
    assert not Organization.objects.exists()


def test_errors_are_printed_and_the_exit_status_is_not_zero(plan: Masterplan) -> None:
    stderr = io.StringIO()
    with pytest.raises(
        CommandError, match="2 error\\(s\\) found in 2 row\\(s\\); nothing was saved"
    ):
        call_command(
            "import",
            "--plan",
            "duisburg",
            "--kind",
            "organizations",
            "--language",
            "en",
            str(DATA / "bad" / "zyklus.csv"),
            stderr=stderr,
        )
    assert stderr.getvalue().splitlines()[0] == (
        "row 2, column “Übergeordnete Organisation”, value “DU-B”: "
        "This reference would make the record its own ancestor (a cycle)."
    )
    assert not Organization.objects.exists()


def test_progress_bar(plan: Masterplan) -> None:
    _out, err = run(
        "import", "--plan", "duisburg", "--kind", "organizations", "--progress", str(GOOD)
    )
    assert "\rChecking rows [##############################] 4/4\n" in err


def test_import_as_a_user_checks_that_they_coordinate_the_plan(
    plan: Masterplan, viewer: Any
) -> None:
    with pytest.raises(CommandError, match="lesen is not a coordinator of duisburg"):
        run("import", "--plan", "duisburg", "--kind", "people", "--user", "lesen", str(GOOD))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--plan", "essen", "--kind", "organizations"), "No masterplan “essen”. Known: duisburg."),
        (
            ("--plan", "duisburg", "--kind", "widgets"),
            "kind “widgets”. Known kinds: energy_reports, organizations, people, .*measures",
        ),
    ],
)
def test_unknown_plan_or_kind(args: tuple[str, ...], message: str, plan: Masterplan) -> None:
    with pytest.raises(CommandError, match=message):
        run("import", *args, str(GOOD))


def test_export_writes_every_record_of_the_plan(plan: Masterplan, tmp_path: Path) -> None:
    OrganizationFactory(
        masterplan=plan, external_id="DU-DRAFT", name="Entwurf GmbH", publication="draft"
    )
    target = tmp_path / "organisationen.csv"
    run("export", "--plan", "duisburg", "--kind", "organizations", "--output", str(target))
    text = target.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[1].startswith("DU-DRAFT;Entwurf GmbH;")


def test_export_then_import_changes_nothing(plan: Masterplan, tmp_path: Path) -> None:
    run("import", "--plan", "duisburg", "--kind", "organizations", str(GOOD))
    target = tmp_path / "organisationen.xlsx"
    run(
        "export",
        "--plan",
        "duisburg",
        "--kind",
        "organizations",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    out, _err = run("import", "--plan", "duisburg", "--kind", "organizations", str(target))
    assert "Imported: 0 new, 0 changed, 4 unchanged." in out
