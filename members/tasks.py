"""Background tasks of the register (Django's tasks framework; the django-tasks-db worker
`manage.py db_worker` runs them, and `make run` starts one beside the server). Arguments are
primary keys; the permission is checked again when the task runs."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from .jobs import ImportJob


@task
def check_import(job_id: int) -> str:
    """Check the rows of an uploaded member list (writes nothing to the register)."""
    job = ImportJob.objects.select_related("branch", "user").get(pk=job_id)
    from .importer import check

    return check(job).status


@task
def commit_import(job_id: int, user_id: int | None) -> str:
    """Write a checked member list to the register, all or nothing (the job was marked as
    being written by importer.request_commit, which queued this task)."""
    job = ImportJob.objects.select_related("branch", "user").get(pk=job_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    from .importer import commit

    return commit(job, by=user, claimed=True).status
