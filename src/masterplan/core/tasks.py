"""Import jobs: a file uploaded in the browser, checked and imported here or in the background.

Small files are imported in the request; larger ones by the task `run_import_job`, run by
`masterplan worker` (django-tasks database backend). The job's whole lifecycle (create, start,
run, apply a dry run) lives here beside its task, so that the import framework
(core/imports/) knows nothing of jobs. Tasks take ids, are enqueued after the commit and are
idempotent: a job that is already running or done is not run again.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from masterplan.core.actors import Actor
from masterplan.core.imports.registry import get_importer
from masterplan.core.imports.report import ImportReport
from masterplan.core.imports.runner import Progress, import_file
from masterplan.core.models import ImportJob
from masterplan.core.permissions import can_manage, ensure

if TYPE_CHECKING:
    from masterplan.core.models import Masterplan

logger = logging.getLogger(__name__)


def import_job_create(
    *,
    importer: str,
    masterplan: Masterplan,
    actor: Actor,
    content: bytes,
    filename: str,
    dry_run: bool,
    options: dict[str, Any] | None = None,
) -> ImportJob:
    """A job for an uploaded file; the current language is kept for its messages, the
    importer's options (its options form's cleaned data) for the import after a dry run."""
    model_importer = get_importer(importer)
    ensure(can_manage(actor, masterplan))
    return ImportJob.objects.create(
        masterplan=masterplan,
        actor=actor if actor.is_authenticated else None,
        importer=importer,
        filename=filename[:255],
        content=content,
        dry_run=dry_run,
        options=options or {},
        rows_total=model_importer.estimate_rows(content),
        result={"language": translation.get_language() or settings.LANGUAGE_CODE},
    )


def runs_in_background(job: ImportJob) -> bool:
    return job.rows_total > settings.IMPORT_BACKGROUND_ROWS


def import_job_start(job: ImportJob) -> None:
    """Small files are imported right away; large ones by the worker after the commit."""
    if not runs_in_background(job):
        import_job_run(job.pk)
        return
    job_id = job.pk
    transaction.on_commit(lambda: run_import_job.enqueue(job_id))


@task()
def run_import_job(job_id: int) -> str:
    """Check and import the file of an ImportJob; returns the job's final state."""
    job = import_job_run(job_id)
    if job is None:
        return "skipped"
    if job.state == ImportJob.State.FAILED:
        # Marks the task as failed for the operators; the job page tells the user.
        raise RuntimeError(f"Import job {job_id} failed; see the log for the error.")
    return str(job.state)


def import_job_run(job_id: int) -> ImportJob | None:
    """Run a waiting job; a job that is already running or done is left alone (idempotent)."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.PENDING).update(
        state=ImportJob.State.RUNNING, rows_done=0
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("masterplan", "actor").get(pk=job_id)
    language = job.result.get("language") or settings.LANGUAGE_CODE
    last_update = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last_update[0] >= 0.5:
            last_update[0] = now
            ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)

    try:
        with translation.override(language):
            report = run_job_import(job, progress)
    except Exception:
        logger.exception("Import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED, finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    result = {"language": language, "report": report.to_json()}
    done = {
        "state": ImportJob.State.DONE,
        "finished_at": timezone.now(),
        "result": result,
        "rows_done": report.rows,
        "rows_total": report.rows,
    }
    if not job.dry_run:
        done["content"] = b""  # imported: the upload is no longer needed
    ImportJob.objects.filter(pk=job_id).update(**done)
    job.refresh_from_db()
    return job


def run_job_import(job: ImportJob, progress: Progress) -> ImportReport:
    """The import of a job, as the user who uploaded it and only while they may import."""
    report = ImportReport(importer=job.importer, filename=job.filename, dry_run=job.dry_run)
    # A job's actor is None only when that user was deleted: never run it as "the system".
    if job.actor is None or not can_manage(job.actor, job.masterplan):
        report.add_error(
            None, "", "", _("The user who uploaded the file may no longer import into this plan.")
        )
        return report
    return import_file(
        importer=job.importer,
        masterplan=job.masterplan,
        actor=job.actor,
        content=bytes(job.content),
        filename=job.filename,
        dry_run=job.dry_run,
        progress=progress,
        options=job.options,
    )


def import_job_apply(job: ImportJob) -> bool:
    """Turn a successful dry run into the real import of the same file (only once)."""
    report = import_job_report(job)
    if report is None or not report.ok or not job.dry_run:
        return False
    language = job.result.get("language")
    claimed = ImportJob.objects.filter(pk=job.pk, dry_run=True, state=ImportJob.State.DONE).update(
        dry_run=False,
        state=ImportJob.State.PENDING,
        rows_done=0,
        rows_total=report.rows,
        finished_at=None,
        result={"language": language},
    )
    if not claimed:
        return False
    job.refresh_from_db()
    import_job_start(job)
    return True


def import_job_report(job: ImportJob) -> ImportReport | None:
    data = job.result.get("report")
    return ImportReport.from_json(data) if data else None
