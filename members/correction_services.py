"""The writes of correction requests (members.corrections): a member asks, a secretary
answers. Keyword-only, typed, atomic, as every service of the register."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionrec.access import Need, require

from .corrections import TEXT_MAX_LENGTH, CorrectionRequest, CorrectionStatus
from .models import Member


def _checked_text(text: str, field: str, empty: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError({field: empty})
    if len(cleaned) > TEXT_MAX_LENGTH:
        message = _("At most %(count)s characters.") % {"count": TEXT_MAX_LENGTH}
        raise ValidationError({field: message})
    return cleaned


@transaction.atomic
def request_correction(*, member: Member, by: Any, text: str) -> CorrectionRequest:
    """A request by the member's own account (`by` must be the user linked to `member`):
    nobody asks in someone else's name."""
    if member.user_id is None or member.user_id != getattr(by, "pk", None):
        raise ValidationError(_("Only the member can ask for a correction of their record."))
    return CorrectionRequest.objects.create(
        member=member,
        requested_by=by,
        text=_checked_text(text, "text", _("Write what should be corrected.")),
    )


@transaction.atomic
def answer_correction(*, request: CorrectionRequest, by: Any, answer: str) -> CorrectionRequest:
    """The answer of a user with write rights on the member's branch (PermissionDenied
    otherwise). A request is answered once; a second answer is refused."""
    locked = (
        CorrectionRequest.objects.select_for_update()
        .select_related("member__branch")
        .get(pk=request.pk)
    )
    require(by, locked.member.branch, Need.WRITE)
    if locked.status != CorrectionStatus.OPEN:
        raise ValidationError(_("This request has already been answered."))
    locked.answer = _checked_text(answer, "answer", _("Write an answer."))
    locked.status = CorrectionStatus.ANSWERED
    locked.answered_by = by
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    return locked
