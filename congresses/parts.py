"""Every write to the parts of a congress's record: its guests, the members of its bodies
(presidium, secretariat, counting board) and its documents. Keyword-only, atomic; each checks
the caller's rights (unionrec.access) and that the congress may still change
(congresses.read_only)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from congresses.models import (
    Body,
    BodyMember,
    Congress,
    Document,
    Guest,
)
from congresses.read_only import check_open
from members import domain as members_domain
from members.models import Member
from unionrec.access import require


@transaction.atomic
def add_guest(
    *,
    congress: Congress,
    name: str,
    title: str = "",
    organisation: str = "",
    order: int | None = None,
    by: Any = None,
) -> Guest:
    require(by, congress.term.branch)
    check_open(congress)
    if not name.strip():
        raise ValidationError({"name": [_("Enter the guest's name.")]})
    if order is None:
        order = congress.guests.count() + 1
    return Guest.objects.create(
        congress=congress,
        name=members_domain.clean_name(name),
        title=title.strip(),
        organisation=organisation.strip(),
        order=order,
    )


@transaction.atomic
def add_body_member(
    *,
    congress: Congress,
    body: str,
    name: str,
    role: str = "",
    member: Member | None = None,
    order: int | None = None,
    by: Any = None,
) -> BodyMember:
    require(by, congress.term.branch)
    check_open(congress)
    if body not in Body.values:
        raise ValidationError({"body": [_("Choose one of the congress's bodies.")]})
    if member is not None:
        name = name or member.full_name
    if not name.strip():
        raise ValidationError({"name": [_("Enter a name.")]})
    if order is None:
        order = congress.body_members.filter(body=body).count() + 1
    return BodyMember.objects.create(
        congress=congress,
        body=body,
        name=members_domain.clean_name(name),
        role=role.strip(),
        member=member,
        order=order,
    )


@transaction.atomic
def remove_guest(*, guest: Guest, by: Any = None) -> None:
    require(by, guest.congress.term.branch)
    check_open(guest.congress)
    guest.delete()


@transaction.atomic
def remove_body_member(*, seat: BodyMember, by: Any = None) -> None:
    require(by, seat.congress.term.branch)
    check_open(seat.congress)
    seat.delete()


def _sniff(head: bytes, data: bytes) -> tuple[str, str] | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if head.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return None  # macros: never stored
        if "word/document.xml" in names:
            return (
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
            )
        if "mimetype" in names and "content.xml" in names:
            return "application/vnd.oasis.opendocument.text", "odt"
    return None


@transaction.atomic
def attach_document(
    *, congress: Congress, kind: str, name: str, data: bytes, by: Any = None
) -> Document:
    """Store a congress document safely: capped in size, typed by its content (PDF, DOCX or
    ODT, no macros), under a name the server chooses."""
    require(by, congress.term.branch)
    check_open(congress)
    cap = getattr(settings, "UNIONREC_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
    if len(data) > cap:
        raise ValidationError(
            {"file": [_("The file is larger than %(mb)s MB.") % {"mb": cap // (1024 * 1024)}]}
        )
    if not data:
        raise ValidationError({"file": [_("The file is empty.")]})
    sniffed = _sniff(data[:8], data)
    if sniffed is None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "Only PDF, Word (.docx) and OpenDocument (.odt) files without macros "
                        "can be attached."
                    )
                ]
            }
        )
    content_type, extension = sniffed
    stored = f"{uuid.uuid4().hex}.{extension}"
    document = Document(
        congress=congress,
        kind=kind,
        stored_name=stored,
        original_name=members_domain.clean_name(name)[:255] or stored,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    document.file.save(stored, ContentFile(data), save=False)
    document.save()
    return document
