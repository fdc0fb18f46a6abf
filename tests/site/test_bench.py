"""`masterplan bench`: the harness runs end to end and its table says what it measured."""

from __future__ import annotations

import dataclasses
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from masterplan.core.imports.runner import import_file
from masterplan.core.models import Masterplan
from masterplan.directory.models import Organization
from masterplan.site import benchmarks, import_bench
from masterplan.site.benchmarks import BenchReport, ListMeasurement, ListResult
from masterplan.site.management.commands.bench import exclusive, target_for


def test_quick_bench_compares_both_scales_and_the_import_in_one_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The permits' statistics against the reference and their imports at a tenth of --quick's
    # sizes (the scale workers inherit the environment): the figures' shape is what is tested.
    monkeypatch.setenv("MASTERPLAN_BENCH_PERMIT_RECORDS", "5000")
    monkeypatch.setenv("MASTERPLAN_BENCH_PERMIT_IMPORT_ROWS", "500")
    monkeypatch.setenv("MASTERPLAN_BENCH_PERMIT_RESAMPLES", "1")
    out = StringIO()
    results = tmp_path / "results.json"

    call_command(
        "bench", "--quick", "--output-dir", str(tmp_path), "--json", str(results), stdout=out
    )

    table = out.getvalue()
    for text in ("Organisation list page", "API people", "state ÷ city", "import_file()"):
        assert text in table
    assert "What the figures mean" in table
    # the apps' throughputs, e.g. the permit imports with their own peak memory (issue 12)
    for text in ("Permits: procedure CSV import, 500 rows", "Permits: XBau import, 50 messages"):
        assert text in table
    assert "peak memory above the start" in table
    data = json.loads(results.read_text())
    city, state = data["lists"]["city"], data["lists"]["state"]
    assert (city["masterplans"], state["masterplans"]) == (1, 5)
    assert len(city["measurements"][0]["times_ms"]) == 5
    assert [m["queries"] for m in city["measurements"]] == [
        m["queries"] for m in state["measurements"]
    ]
    assert data["imports"]["created"] == data["imports"]["rows"] == 2000
    assert data["imports"]["executemany_seconds"] > 0
    assert (tmp_path / "city.sqlite3").exists() and (tmp_path / "state.sqlite3").exists()


def measurement(key: str, queries: int, median_ms: float) -> ListMeasurement:
    return ListMeasurement(
        key=key,
        label=key,
        path="/",
        queries=queries,
        times_ms=[median_ms],
        bytes=0,
        cpu_ms=[median_ms / 2],
    )


def lists(masterplans: int, *measurements: ListMeasurement) -> ListResult:
    return ListResult(
        database="sqlite",
        database_version="SQLite 3",
        masterplans=masterplans,
        organizations=2000 * masterplans,
        people=5000 * masterplans,
        affiliations=0,
        plan_slug="bench-001",
        plan_organizations=2000,
        plan_people=5000,
        repeat=15,
        warmup=3,
        measurements=list(measurements),
    )


def test_the_table_flags_a_query_count_that_grows_with_the_data() -> None:
    report = BenchReport(
        config={"repeat": 15, "warmup": 3, "state_scale": 100, "city_scale": 1},
        database="SQLite",
        lists={
            "city": lists(1, measurement("orgs", 7, 10.0), measurement("people", 8, 20.0)),
            "state": lists(100, measurement("orgs", 7, 12.0), measurement("people", 33, 60.0)),
        },
    )

    table = benchmarks.render_report(report)

    assert report.differing_query_counts() == ["people"]
    assert "differs between city and state scale for: people" in table
    people_row = next(line for line in table.splitlines() if line.startswith("people"))
    assert people_row.split()[-4:] == ["3.00", "3.00", "1", "!"]  # ratios, samples, flag


def test_postgresql_targets_are_schemas_of_the_given_database() -> None:
    target = target_for(
        "state",
        database_url="postgresql://bench@db.example:5432/masterplan?sslmode=require",
        output_dir=Path("/unused"),
    )

    assert target.schema == "bench_state"
    assert target.url.startswith("postgresql://bench@db.example:5432/masterplan?")
    assert "sslmode=require" in target.url
    assert "options=-c%20search_path%3Dbench_state" in target.url


def organization_file(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "organisations.csv"
    import_bench.write_organization_csv(path, rows, seed=1)
    return path


def test_the_generated_csv_passes_the_importers_check(
    plan: Masterplan, coordinator: Any, tmp_path: Path
) -> None:
    path = organization_file(tmp_path, 60)

    with path.open("rb") as file:
        report = import_file(
            importer=import_bench.IMPORTER,
            masterplan=plan,
            actor=coordinator,
            content=file,
            filename="organisations.csv",
            dry_run=True,
        )

    assert report.ok, report.errors
    assert report.created == 60


def test_the_raw_insert_writes_the_same_rows_with_their_parents(
    plan: Masterplan, tmp_path: Path
) -> None:
    path = organization_file(tmp_path, 300)

    assert import_bench.raw_insert(path, plan) == 300

    organizations = Organization.objects.filter(masterplan=plan)
    assert organizations.count() == 300
    assert organizations.exclude(parent=None).exists()


def test_the_executemany_insert_writes_the_same_rows_with_their_parents(
    plan: Masterplan, tmp_path: Path
) -> None:
    path = organization_file(tmp_path, 300)

    assert import_bench.executemany_insert(path, plan) == 300

    organizations = Organization.objects.filter(masterplan=plan)
    assert organizations.count() == 300
    with_parent = organizations.exclude(parent=None).select_related("parent")
    assert with_parent.exists()
    assert all(o.parent.masterplan_id == plan.pk for o in with_parent)


def test_a_second_run_on_the_same_databases_is_refused(tmp_path: Path) -> None:
    with exclusive(tmp_path / ".lock"), pytest.raises(CommandError, match="Another"):
        call_command("bench", "--quick", "--output-dir", str(tmp_path), stdout=StringIO())


def test_throughputs_of_the_apps_are_pooled_over_rounds_and_compared() -> None:
    city = lists(1, measurement("orgs", 7, 10.0))
    state = lists(100, measurement("orgs", 7, 12.0))
    city.throughputs = [("OParl walk, meetings", "rows/s", [4000.0])]
    state.throughputs = [("OParl walk, meetings", "rows/s", [3000.0])]
    second = benchmarks.list_result_from(
        json.loads(json.dumps(dataclasses.asdict(lists(100, measurement("orgs", 7, 11.0)))))
        | {"throughputs": [["OParl walk, meetings", "rows/s", [3400.0]]]}
    )
    benchmarks.add_round(state, second)
    report = BenchReport(
        config={"repeat": 15, "warmup": 3, "state_scale": 100, "city_scale": 1},
        database="SQLite",
        lists={"city": city, "state": state},
    )

    table = benchmarks.render_report(report)

    row = next(line for line in table.splitlines() if "OParl walk" in line)
    # state: median of 3000 and 3400 = 3200; 3200 / 4000 = 0.80
    assert row.split()[-3:] == ["4,000.0", "3,200.0", "0.80"]


def test_main_pages_are_compared_with_the_organisation_list_page_of_the_same_run() -> None:
    city = lists(
        1,
        measurement("orgs_page", 7, 30.0),
        measurement("people_page", 8, 45.0),
        measurement("plan_overview", 13, 210.0),
        measurement("api_people", 7, 400.0),  # not a main page: no ratio
    )
    state = lists(
        100,
        measurement("orgs_page", 7, 40.0),
        measurement("people_page", 8, 50.0),
        measurement("plan_overview", 13, 160.0),
        measurement("api_people", 7, 380.0),
    )
    main = {"people_page", "plan_overview"}

    ratios = benchmarks.main_page_ratios(city, main)

    assert [(r.key, r.ratio, r.met) for r in ratios] == [
        ("people_page", 1.5, True),
        ("plan_overview", 7.0, False),
    ]
    lines = benchmarks.ratio_lines(city, state, main)
    row = next(line for line in lines if "plan_overview" in line)
    assert row.split()[-4:] == ["7.0", "4.0", "NOT", "met"]  # city 210/30, state 160/40
    assert benchmarks.main_page_ratios(lists(1, measurement("people_page", 8, 45.0)), main) == []


def test_the_report_prints_the_ratios_and_the_pdf_times() -> None:
    city = lists(1, measurement("orgs_page", 7, 30.0), measurement("review_report", 16, 120.0))
    state = lists(100, measurement("orgs_page", 7, 30.0), measurement("review_report", 16, 90.0))
    city.pdfs = [
        benchmarks.PdfMeasurement("review_report_pdf", "Review report PDF", "/", [1800.0], [40.0])
    ]
    state.pdfs = [
        benchmarks.PdfMeasurement("review_report_pdf", "Review report PDF", "/", [2500.0], [60.0])
    ]
    report = BenchReport(
        config={"repeat": 15, "warmup": 3, "state_scale": 100, "city_scale": 1},
        database="SQLite",
        lists={"city": city, "state": state},
    )

    table = benchmarks.render_report(report)

    assert "Main pages ÷ organisation list page of the same run (target ≤ 5 ×)" in table
    review = next(line for line in table.splitlines() if line.startswith("  review_report"))
    assert review.split()[-3:] == ["4.0", "3.0", "met"]
    pdf = next(line for line in table.splitlines() if "Review report PDF" in line)
    assert pdf.split()[-4:] == ["1.80s", "0.04s", "2.50s", "0.06s"]
