"""Member imports, all or nothing: an upload becomes an ImportJob, its rows are checked
(members.imports.build_preview, which writes nothing), and a preview without errors can be
committed: every new member and every change in one transaction, or none of them.

Small files are checked and committed within the request; larger ones
(settings.UNIONREC_IMPORT_BACKGROUND_BYTES) by the tasks of members.tasks, which a
django-tasks-db worker runs. The permission is checked again when a task runs. At commit time
the rows the preview read are checked again inside the transaction, against the register as
it is then: what is written is exactly what a preview of that moment shows, and importing the
same file twice changes nothing the second time (its rows are then "unchanged")."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from unionrec.access import require
from unionrec.jobs import fail_stale

from . import bulk, domain, import_lifetime, search, tallies
from .basis import ProcessingBasis
from .jobs import ImportJob, ImportStatus
from .locks import lock_branches
from .models import Branch, Gender, Member, Membership, MemberStatus
from .statistics import today

PERSONAL_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "card_number",
    "joined_union_on",
)


def background_bytes() -> int:
    return int(getattr(settings, "UNIONREC_IMPORT_BACKGROUND_BYTES", 200 * 1024))


def _touch(job: ImportJob, status: str, **fields: Any) -> None:
    """Save the job's new status and the given fields only (its preview can be megabytes); an
    import that ends so loses its file once this is committed (members.import_lifetime)."""
    job.status = status
    job.heartbeat_at = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "heartbeat_at", *fields])
    import_lifetime.discard_if_ended(job)


def start(
    *,
    branch: Branch,
    data: bytes,
    filename: str,
    by: Any = None,
    language: str = "vi",
    background: bool | None = None,
) -> ImportJob:
    """Keep the upload as a job and check it now, or queue the check for a worker when the
    file is large (`background` None) or when asked to. The user's file name is kept for
    display only."""
    require(by, branch)
    stored = f"{uuid.uuid4().hex}.bin"
    job = ImportJob(
        branch=branch,
        user=by if getattr(by, "is_authenticated", False) else None,
        filename=domain.clean_name(filename)[:255] or stored,
        stored_name=stored,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        language=language[:10],
    )
    job.file.save(stored, ContentFile(data), save=False)
    job.save()
    if background is None:
        background = len(data) > background_bytes()
    if background:
        from .tasks import check_import

        transaction.on_commit(lambda: check_import.enqueue(job.pk))
    else:
        check(job)
    return job


def _preview(job: ImportJob, user: Any) -> Any:
    from .import_files import ImportRefused
    from .imports import build_preview

    try:
        with job.file.open("rb") as handle:
            data = handle.read()
    except (ValueError, OSError):  # no file: past its time (members.import_lifetime), or lost
        return ImportRefused("gone")
    try:
        return build_preview(branch=job.branch, data=data, filename=job.filename, user=user)
    except ImportRefused as refusal:
        return refusal


def check(job: ImportJob) -> ImportJob:
    """Check every row of the job's file and keep the preview (nothing is written to the
    register)."""
    from .import_files import ImportRefused

    user = job.user
    with translation.override(job.language):
        if not _still_allowed(job, user):
            return job
        _touch(job, ImportStatus.CHECKING, started_at=timezone.now())
        result = _preview(job, user)
        if isinstance(result, ImportRefused):
            _touch(job, ImportStatus.REFUSED, message=str(result), finished_at=timezone.now())
            return job
        _touch(
            job,
            ImportStatus.PREVIEWED,
            preview=stored(result),
            rows=len(result.rows),
            message="",
            finished_at=timezone.now(),
        )
    return job


def stored(preview: Any) -> dict[str, Any]:
    """What a job keeps of a preview: its JSON form with the flat list of errors."""
    errors = [
        {"row": row, "column": column, "message": message}
        for row, column, message in preview.errors
    ]
    return dict(preview.as_dict()) | {"errors": errors}


def request_commit(job: ImportJob, *, by: Any) -> ImportJob:
    """Commit a checked job: now for a small file, else through a worker."""
    require(by, job.branch)
    if job.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("Only a checked import can be committed."))
    if not job.preview.get("ok"):
        raise ValidationError(_("Correct the rows with errors and upload the file again."))
    if not _claim(job):
        return job
    if job.size > background_bytes():
        from .tasks import commit_import

        transaction.on_commit(lambda: commit_import.enqueue(job.pk, by.pk if by else None))
        return job
    return commit(job, by=by, claimed=True)


def _claim(job: ImportJob) -> bool:
    """Mark a checked job as being written, unless another request did it first: of two
    commits of one job (a double click, two people on its page) one writes, and the other
    leaves the job as the first one leaves it (refreshed here)."""
    now = timezone.now()
    pending = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEWED)
    if not pending.update(status=ImportStatus.COMMITTING, started_at=now, heartbeat_at=now):
        job.refresh_from_db()
        return False
    _touch(job, ImportStatus.COMMITTING, started_at=now)  # the same values, with history
    return True


def commit(job: ImportJob, *, by: Any, claimed: bool = False) -> ImportJob:
    """Write the job's rows, all or nothing. `claimed`: request_commit has already marked the
    job as being written (for its worker); otherwise the job must still be checked and
    unclaimed, else it is returned as it is.

    Inside the transaction the import's branch and its ancestors are locked first
    (members.locks: a row without a card number matches a member of the whole subtree), then
    the rows the preview read are checked again against the register (the file is not read
    again): two secretaries committing the same list at once queue, and the second finds
    the first's members and adds none of them again. Any error then (a card number taken
    meanwhile) writes nothing and shows the new preview. When the register changed since the
    preview, the job keeps the preview of the moment it was written, with a message saying
    so. The job's "committed" is saved in the same transaction as the rows, so a killed
    worker never leaves one without the other."""
    from .imports import check_parsed, parsed_from_preview

    with translation.override(job.language):
        if not _still_allowed(job, by):
            return job
        if not claimed and not _claim(job):
            return job
        try:
            parsed = parsed_from_preview(job.preview)
        except (KeyError, ValueError):
            text = _("Correct the rows with errors and upload the file again.")
            _touch(job, ImportStatus.FAILED, finished_at=timezone.now(), message=text)
            return job
        try:
            with transaction.atomic():
                lock_branches([job.branch.path])
                result = check_parsed(parsed, branch=job.branch, user=by)
                if not result.ok:
                    raise _Stale(result)
                created, updated = apply(result, by=by, reason=f"import {job.pk}")
                _touch(
                    job,
                    ImportStatus.COMMITTED,
                    created_count=created,
                    updated_count=updated,
                    finished_at=timezone.now(),
                    **_as_written(job, result),
                )
        except _Stale as stale:
            _touch(
                job,
                ImportStatus.PREVIEWED,
                preview=stored(stale.preview),
                message=_(
                    "The register changed since the preview: see the errors; nothing was written."
                ),
                finished_at=timezone.now(),
            )
            return job
        except (ValidationError, IntegrityError) as error:
            text = " ".join(getattr(error, "messages", [])) or _(
                "A card number was taken by another change meanwhile; check the file again."
            )
            _touch(job, ImportStatus.FAILED, message=text, finished_at=timezone.now())
            return job
    return job


def _as_written(job: ImportJob, result: Any) -> dict[str, Any]:
    """The job's preview and message after its commit: the preview as checked at the moment
    of writing when its counts differ from those the user saw (another import or change
    wrote some of the same members meanwhile), with a message saying so."""
    fresh = stored(result)
    if fresh["counts"] == job.preview.get("counts"):
        return {"message": ""}
    text = _(
        "The register changed between the preview and the import (another import or change "
        "meanwhile): only what the register still lacked was written. The figures below are "
        "those of the moment of writing."
    )
    return {"message": text, "preview": fresh}


def _still_allowed(job: ImportJob, user: Any) -> bool:
    """The permission again, when the work runs (a role may have been removed since the
    upload): if it is gone, the job fails with the reason and nothing is written."""
    try:
        require(user, job.branch)
    except PermissionDenied as refusal:
        _touch(job, ImportStatus.FAILED, message=str(refusal), finished_at=timezone.now())
        return False
    return True


class _Stale(Exception):
    def __init__(self, preview: Any) -> None:
        super().__init__("stale preview")
        self.preview = preview


def _started_on(branch: Branch, joined: date | None) -> date:
    """A new member's period starts when they joined the union, or on the branch's founding
    if that came later; today when the file says nothing."""
    day = joined or today()
    if branch.founded_on and day < branch.founded_on:
        day = branch.founded_on
    return min(day, today())


def apply(preview: Any, *, by: Any, reason: str) -> tuple[int, int]:
    """Write a preview without errors: the new members with their membership periods and
    the changed personal fields of matched members, with their history rows (who, why).
    Runs inside the caller's transaction. Returns (created, updated).

    New rows go in with one multi-row INSERT per thousand rows and table (members.bulk):
    the ORM's per-value compilation would hold the write lock for tens of seconds for a
    20,000-row list. The values were checked by the preview; the database's constraints
    (unique card numbers, foreign keys) still guard them."""
    user = by if getattr(by, "is_authenticated", False) else None
    user_id = user.pk if user else None
    when = timezone.now()
    new_rows = [row for row in preview.rows if row.action == "new"]
    change_rows = [row for row in preview.rows if row.action == "update"]
    branches = {b.pk: b for b in Branch.objects.filter(pk__in={r.branch_id for r in new_rows})}
    people = []
    for row in new_rows:
        values = row.values
        name = domain.clean_name(values["full_name"])
        people.append(
            {
                "full_name": name,
                "gender": values.get("gender") or Gender.UNKNOWN,
                "birth_date": values.get("birth_date"),
                "ethnicity": values.get("ethnicity") or "",
                "card_number": (values.get("card_number") or "").strip().upper() or None,
                "joined_union_on": values.get("joined_union_on"),
                "consent_on": values.get("consent_on"),  # a day of consent: that is the basis
                "processing_basis": ProcessingBasis.CONSENT
                if values.get("consent_on")
                else ProcessingBasis.MEMBERSHIP,
                "branch_id": row.branch_id,
                "status": MemberStatus.ACTIVE,
                "leave_reason": "",
                "version": 1,
                "search_key": domain.fold(name),
                "sort_key": domain.name_sort_key(name),
            }
        )
    for person, pk in zip(people, bulk.insert_returning(Member, people), strict=True):
        person["id"] = pk
    search.index_members((person["id"], person["search_key"]) for person in people)
    bulk.insert_history(Member.history.model, people, user_id=user_id, reason=reason, when=when)
    periods = [
        {
            "member_id": person["id"],
            "branch_id": person["branch_id"],
            "end_reason": "",
            "started_on": _started_on(branches[person["branch_id"]], person["joined_union_on"]),
        }
        for person in people
    ]
    for period, pk in zip(periods, bulk.insert_returning(Membership, periods), strict=True):
        period["id"] = pk
    bulk.insert_history(
        Membership.history.model, periods, user_id=user_id, reason=reason, when=when
    )
    tallies.add_periods(
        (branches[p["branch_id"]].path, p["started_on"], None, person["gender"])
        for p, person in zip(periods, people, strict=True)
    )
    return len(people), _update(change_rows, user=user, reason=reason)


def _update(rows: list[Any], *, user: Any, reason: str) -> int:
    if not rows:
        return 0
    people = {
        m.pk: m
        for m in Member.objects.select_for_update().filter(pk__in=[r.member_id for r in rows])
    }
    changed: list[Member] = []
    gender_moves: list[tuple[Member, str]] = []
    for row in rows:
        person = people[row.member_id]
        before = person.gender
        for name, (_old, new) in row.changes.items():
            if name in PERSONAL_FIELDS:
                setattr(person, name, new)
        person.full_name = domain.clean_name(person.full_name)
        person.card_number = (person.card_number or "").strip().upper() or None
        person.search_key = domain.fold(person.full_name)
        person.sort_key = domain.name_sort_key(person.full_name)
        person.version += 1
        changed.append(person)
        if person.gender != before:
            gender_moves.append((person, before))
    bulk_update_with_history(
        changed,
        Member,
        [*PERSONAL_FIELDS, "search_key", "sort_key", "version"],
        batch_size=1000,
        default_user=user,
        default_change_reason=reason,
    )
    search.index_members((person.pk, person.search_key) for person in changed)
    for person, old_gender in gender_moves:
        for period in person.periods.select_related("branch"):
            tallies.count_period(period, old_gender, -1)
            tallies.count_period(period, person.gender, +1)
    return len(changed)


def mark_stale(jobs: QuerySet[ImportJob]) -> None:
    """Jobs whose worker stopped (killed, restarted) without finishing are marked failed, in
    the job's language (unionrec.jobs.fail_stale); the register holds none of their rows,
    since a commit is one transaction."""
    fail_stale(
        jobs,
        active=(ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.COMMITTING),
        failed=ImportStatus.FAILED,
        message=gettext_lazy(
            "The import stopped before it finished; nothing was written. Upload the file again."
        ),
        task_paths=("members.tasks.check_import", "members.tasks.commit_import"),
    )
