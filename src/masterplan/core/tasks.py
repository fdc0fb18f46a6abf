"""Background tasks of the core app, run by `masterplan worker` (django-tasks database backend).

Tasks take ids, are enqueued after the commit (see imports.import_job_start) and are
idempotent: a job that is already running or done is not run again.
"""

from __future__ import annotations

from django_tasks import task

from masterplan.core.imports import import_job_run
from masterplan.core.models import ImportJob


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
