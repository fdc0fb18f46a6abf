"""Imports read, check and write a file in batches: memory does not grow with the file, an
error in a late batch still leaves the database as it was, and the batches change nothing."""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

import pytest
from django.utils import translation

from masterplan.core.imports import get_importer, importer
from masterplan.core.imports.runner import import_file
from masterplan.core.models import AuditEntry, Masterplan
from masterplan.directory.models import Organization

ORGS = "directory.organizations"


def organisations(
    rows: int, *, prefix: str = "ORG", late: dict[int, tuple[str, str]] | None = None
) -> bytes:
    """A file of `rows` organisations; every tenth names the row before it as its parent.
    `late` gives other (kind, parent) cells to rows by number (the header is row 1)."""
    lines = ["Externe ID;Name;Art;Stadt;Übergeordnete Organisation"]
    for index in range(rows):
        parent = f"{prefix}-{index - 1}" if index % 10 == 9 else ""
        kind, parent = (late or {}).get(index + 2, ("company", parent))
        lines.append(f"{prefix}-{index};Ruhrort Logistik {index} GmbH;{kind};Duisburg;{parent}")
    return ("\r\n".join(lines) + "\r\n").encode()


def run(plan: Masterplan, actor: Any, content: bytes, *, dry_run: bool = False) -> Any:
    with translation.override("en"):
        return import_file(
            importer=ORGS,
            masterplan=plan,
            actor=actor,
            content=content,
            filename="x.csv",
            dry_run=dry_run,
        )


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 100 rows and few remembered cells, so that a few thousand rows behave as a
    million would with the real sizes."""
    monkeypatch.setattr(get_importer(ORGS), "batch_size", 100)
    monkeypatch.setattr(importer, "PARSED_CELLS_KEPT", 50)


def traced_peak(plan: Masterplan, actor: Any, content: bytes) -> int:
    """The peak of Python's allocations during an import, in bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        report = run(plan, actor, content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.ok, report.errors
    return peak


def test_memory_does_not_grow_with_the_rows_of_the_file(
    plan: Masterplan, coordinator: Any, small_batches: None
) -> None:
    small = traced_peak(plan, coordinator, organisations(400, prefix="SMALL"))
    large = traced_peak(plan, coordinator, organisations(1600, prefix="LARGE"))

    # What is kept of the whole file is its external IDs, some 150 bytes each; a file held in
    # memory took about 5,000 bytes a row.
    per_row = (large - small) / 1200
    assert per_row < 500, f"{per_row:.0f} bytes more for each further row"


def database() -> tuple[int, int]:
    return Organization.all_objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize(
    ("late", "reason"),
    [
        ({480: ("Raumschiff", "")}, "Not an allowed value."),  # a cell that cannot be read
        ({480: ("company", "DUS-UNBEKANNT")}, "Unknown reference"),  # against the database
    ],
)
def test_a_bad_row_late_in_the_file_leaves_the_database_unchanged(
    plan: Masterplan,
    coordinator: Any,
    small_batches: None,
    monkeypatch: pytest.MonkeyPatch,
    late: dict[int, tuple[str, str]],
    reason: str,
) -> None:
    written = []
    write_batch = importer.ModelImporter.write_batch
    monkeypatch.setattr(
        importer.ModelImporter,
        "write_batch",
        lambda self, run, plans: written.append(len(plans)) or write_batch(self, run, plans),
    )
    before = database()

    report = run(plan, coordinator, organisations(500, late=late))

    assert [(e.row, reason in e.reason) for e in report.errors] == [(480, True)]
    assert sum(written) == 400  # the first four batches were written, then rolled back
    assert database() == before
    assert (report.created, report.updated) == (0, 0)


def test_a_parent_further_down_the_file_is_set_when_it_is_inserted(
    plan: Masterplan, coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_importer(ORGS), "batch_size", 1)
    content = (
        "Externe ID;Name;Art;Übergeordnete Organisation\r\n"
        "DU-STARTPORT;startport;company;DU-WFD\r\n"
        "DU-WFD;Wirtschaftsförderung Duisburg;association;\r\n"
    ).encode()

    report = run(plan, coordinator, content)

    assert (report.ok, report.created) == (True, 2)
    startport = Organization.objects.get(masterplan=plan, external_id="DU-STARTPORT")
    wfd = Organization.objects.get(masterplan=plan, external_id="DU-WFD")
    assert startport.parent_id == wfd.pk
    entry = AuditEntry.objects.get(
        action="directory.organization.imported", object_repr="startport"
    )
    assert entry.changes["parent"] == [None, wfd.pk]


def snapshot(plan: Masterplan) -> list[Any]:
    """The plan's organisations and the import's audit entries, without keys and times."""
    organisations = Organization.all_objects.filter(masterplan=plan).order_by("external_id")
    parents = dict(organisations.values_list("pk", "external_id"))
    entries = AuditEntry.objects.filter(masterplan=plan).order_by("object_repr", "action")
    return [
        [
            (o.external_id, o.name, o.kind, o.city, parents.get(o.parent_id), o.version)
            for o in organisations
        ],
        [(e.action, e.object_repr, sorted(e.changes)) for e in entries],
    ]


@pytest.mark.parametrize("dry_run", [True, False])
def test_batches_of_one_row_give_the_same_result_as_one_batch(
    plan: Masterplan,
    other_plan: Masterplan,
    admin: Any,
    monkeypatch: pytest.MonkeyPatch,
    dry_run: bool,
) -> None:
    # Parents before and after their children, an update, a cycle-free change of a parent.
    first = (
        "Externe ID;Name;Art;Übergeordnete Organisation\r\n"
        "A;Alpha;company;\r\nB;Beta;company;A\r\nC;Gamma;company;\r\n"
    ).encode()
    second = (
        "Externe ID;Name;Art;Übergeordnete Organisation\r\n"
        "D;Delta;company;E\r\nB;Beta neu;company;C\r\nE;Epsilon;company;A\r\n"
        "C;Gamma;company;E\r\nF;Phi;union;D\r\n"
    ).encode()
    reports = []
    for masterplan, size in ((plan, 1000), (other_plan, 1)):
        monkeypatch.setattr(get_importer(ORGS), "batch_size", size)
        assert run(masterplan, admin, first).ok
        reports.append(run(masterplan, admin, second, dry_run=dry_run).to_json())

    assert reports[0] == reports[1]
    assert snapshot(plan) == snapshot(other_plan)


def test_a_cycle_across_batches_is_found(
    plan: Masterplan, coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_importer(ORGS), "batch_size", 1)
    content = (
        "Externe ID;Name;Art;Übergeordnete Organisation\r\n"
        "A;Alpha;company;C\r\nB;Beta;company;A\r\nC;Gamma;company;B\r\nD;Delta;company;A\r\n"
    ).encode()

    report = run(plan, coordinator, content)

    assert [(e.row, e.value) for e in report.errors] == [(2, "C"), (3, "A"), (4, "B")]
    assert all("its own ancestor" in e.reason for e in report.errors)
    assert not Organization.objects.filter(masterplan=plan).exists()
