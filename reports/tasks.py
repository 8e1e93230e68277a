"""Background tasks of reports (Django's tasks framework, run by the django-tasks-db worker
`manage.py db_worker` that `make run` starts). Arguments are primary keys; the owner's
permission is checked again when the task runs (reports.exports.run)."""

from __future__ import annotations

from django.tasks import task


@task
def run_export(job_id: int) -> str:
    """Write a queued export job's file; returns the job's final status."""
    from .exports import run

    return run(job_id).status


@task
def delete_expired_exports() -> int:
    """Delete expired export files (every export does this first too); returns how many."""
    from .exports import delete_expired

    return delete_expired()
