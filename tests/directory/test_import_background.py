"""Large files run as a background task; the browser polls a progress fragment."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from masterplan.core.imports.runner import import_file
from masterplan.core.models import ImportJob, Masterplan, PlanRole
from masterplan.core.tasks import import_job_run, run_import_job
from masterplan.directory.models import Organization

UPLOAD = "/p/duisburg/directory/organizations/import/"
JOBS = "/p/duisburg/directory/imports/"
ROWS = 5
CONTENT = (
    "Externe ID;Name;Art\r\n"
    + "".join(f"DU-LOG-{i};Ruhrort Logistik {i} GmbH;company\r\n" for i in range(ROWS))
).encode()
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def client(coordinator: Any, client_as: Any, settings: Any) -> Client:
    settings.IMPORT_BACKGROUND_ROWS = 2
    client: Client = client_as(coordinator)
    client.cookies["django_language"] = "en"
    return client


def start(client: Client, *, dry_run: bool = False) -> ImportJob:
    data: dict[str, Any] = {"file": SimpleUploadedFile("logistik.csv", CONTENT)}
    if dry_run:
        data["dry_run"] = "on"
    client.post(UPLOAD, data)
    return ImportJob.objects.get()


def test_a_large_file_waits_for_the_worker_with_a_polling_progress_bar(
    plan: Masterplan, client: Client
) -> None:
    job = start(client)
    assert job.state == ImportJob.State.PENDING
    assert not Organization.objects.exists()
    page = client.get(f"{JOBS}?job={job.pk}").content.decode()
    assert f'hx-get="{JOBS}?job={job.pk}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert '<progress class="progress-meter" max="5" value="0">' in page
    fragment = client.get(f"{JOBS}?job={job.pk}", headers={"HX-Request": "true"})
    assert "Waiting for the background worker" in fragment.content.decode()
    assert "HX-Redirect" not in fragment


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_the_task_is_enqueued_after_the_commit_and_the_worker_runs_it(
    plan: Masterplan, client: Client
) -> None:
    job = start(client)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "masterplan.core.tasks.run_import_job"
    assert queued.args_kwargs == {"args": [job.pk], "kwargs": {}}
    call_command("worker", batch=True)
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.rows_total) == ("done", ROWS, ROWS)
    assert Organization.objects.count() == ROWS


def test_when_done_the_fragment_stops_polling_and_sends_the_browser_to_the_result(
    plan: Masterplan, client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        job = start(client, dry_run=True)
    fragment = client.get(f"{JOBS}?job={job.pk}", headers={"HX-Request": "true"})
    assert fragment["HX-Redirect"] == f"{JOBS}?job={job.pk}"
    assert "hx-trigger" not in fragment.content.decode()
    page = client.get(f"{JOBS}?job={job.pk}").content.decode()
    assert "Dry run: 5 new, 0 changed, 0 unchanged." in page
    assert "imported in the background" in page


def test_applying_a_large_dry_run_runs_in_the_background_too(
    plan: Masterplan, client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        job = start(client, dry_run=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(JOBS, {"job": job.pk})
    job.refresh_from_db()
    assert (job.dry_run, job.state) == (False, "pending")
    assert len(callbacks) == 1
    callbacks[0]()
    assert Organization.objects.count() == ROWS


def test_a_job_that_is_done_is_not_run_again(plan: Masterplan, client: Client) -> None:
    job = start(client)
    assert import_job_run(job.pk) is not None
    assert run_import_job.call(job.pk) == "skipped"
    assert import_job_run(job.pk) is None
    assert Organization.objects.count() == ROWS


def test_progress_is_reported_while_the_rows_are_checked(
    plan: Masterplan, coordinator: Any
) -> None:
    rows = 1200
    content = ("Name;Art\n" + "Ruhrort Logistik GmbH;company\n" * rows).encode()
    calls: list[tuple[int, int]] = []
    import_file(
        importer="directory.organizations",
        masterplan=plan,
        actor=coordinator,
        content=content,
        filename="x.csv",
        dry_run=True,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(500, rows), (1000, rows), (rows, rows)]


def test_a_job_whose_uploader_lost_the_role_imports_nothing(
    plan: Masterplan, client: Client, coordinator: Any
) -> None:
    job = start(client)
    PlanRole.objects.filter(user=coordinator).update(role="viewer")
    with translation.override("en"):
        import_job_run(job.pk)
    job.refresh_from_db()
    assert job.state == "done"
    assert job.result["report"]["errors"][0][3] == (
        "The user who uploaded the file may no longer import into this plan."
    )
    assert not Organization.objects.exists()


def test_a_job_whose_uploader_was_deleted_does_not_run_as_the_system(
    plan: Masterplan, client: Client, coordinator: Any
) -> None:
    job = start(client)
    coordinator.delete()
    import_job_run(job.pk)
    job.refresh_from_db()
    assert job.result["report"]["error_count"] == 1
    assert not Organization.objects.exists()
