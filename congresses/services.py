"""Every write to terms, congresses, committees and delegates. Keyword-only, typed, atomic;
history is kept by django-simple-history. Each service checks the caller's rights through
unionrec.access and refuses changes to a recognised congress."""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from congresses import domain
from congresses.models import (
    Body,
    BodyMember,
    Congress,
    CongressStatus,
    Delegate,
    Document,
    Guest,
    ObtainedBy,
    Post,
    PostEnd,
    PostKind,
    Term,
)
from congresses.read_only import check_open
from members import domain as members_domain
from members.models import Branch, Member, Membership
from members.statistics import statistics
from unionrec.access import require
from unionrec.days import day_text

# --- Terms --------------------------------------------------------------------------------


def term_years(kind: str) -> int:
    """The length of a term for a kind of branch (settings.UNIONREC_TERM_YEARS)."""
    years: dict[str, int] = getattr(settings, "UNIONREC_TERM_YEARS", {})
    return years.get(kind, domain.DEFAULT_TERM_YEARS)


def _check_overlap(term: Term) -> None:
    clash = (
        Term.objects.filter(branch_id=term.branch_id)
        .exclude(pk=term.pk)
        .filter(starts_on__lt=term.end, effective_end__gt=term.starts_on)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "starts_on": [
                    _("This term overlaps the term %(label)s (%(start)s – %(end)s).")
                    % {
                        "label": clash.label,
                        "start": day_text(clash.starts_on),
                        "end": day_text(clash.end),
                    }
                ]
            }
        )


def _save_term(term: Term) -> Term:
    term.label = domain.normalize_term_label(term.label)
    if Term.objects.filter(branch_id=term.branch_id, label=term.label).exclude(pk=term.pk).exists():
        raise ValidationError(
            {"label": [_("This branch already has a term %(label)s.") % {"label": term.label}]}
        )
    if term.ends_on <= term.starts_on:
        raise ValidationError({"ends_on": [_("A term ends after it starts.")]})
    _check_overlap(term)
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError:  # the database's own guard, should two writers race
        raise ValidationError(_("This term overlaps another term of the branch.")) from None
    return term


@transaction.atomic
def create_term(
    *,
    branch: Branch,
    starts_on: date,
    ends_on: date | None = None,
    label: str = "",
    ordinal: int | None = None,
    by: Any = None,
) -> Term:
    """A new term of `branch`; five years long unless the kind's setting or `ends_on` says
    otherwise; labelled from its years unless `label` is given."""
    require(by, branch)
    ends_on = ends_on or domain.default_term_end(starts_on, term_years(branch.kind))
    term = Term(
        branch=branch,
        starts_on=starts_on,
        ends_on=ends_on,
        label=label or domain.label_for(starts_on, ends_on),
        ordinal=ordinal,
    )
    return _save_term(term)


@transaction.atomic
def update_term(*, term: Term, by: Any = None, **fields: Any) -> Term:
    allowed = {"label", "ordinal", "starts_on", "ends_on"}
    if set(fields) - allowed:
        raise ValueError(f"not editable here: {sorted(set(fields) - allowed)}")
    require(by, term.branch)
    congress = Congress.objects.filter(term=term).first()
    if congress is not None:
        check_open(congress)
    for name, value in fields.items():
        setattr(term, name, value)
    return _save_term(term)


@transaction.atomic
def extend_term(
    *, term: Term, until: date, decision: str, decided_on: date, by: Any = None
) -> Term:
    """Record the higher union's extension of a term, by at most 30 months (ĐL2018 Art. 8.2)."""
    require(by, term.branch)
    if not decision.strip():
        raise ValidationError({"extension_decision": [_("Enter the decision's number.")]})
    if not domain.extension_allowed(term.ends_on, until):
        raise ValidationError(
            {
                "extended_until": [
                    _(
                        "An extension moves the end later by at most %(months)s months "
                        "(Charter 2018, Art. 8.2): until %(latest)s at the latest."
                    )
                    % {
                        "months": domain.MAX_EXTENSION_MONTHS,
                        "latest": day_text(
                            domain.add_months(term.ends_on, domain.MAX_EXTENSION_MONTHS)
                        ),
                    }
                ]
            }
        )
    term.extended_until = until
    term.extension_decision = decision.strip()
    term.extension_decided_on = decided_on
    return _save_term(term)


# --- Congresses -------------------------------------------------------------------------------

CONGRESS_FIELDS = {
    "kind",
    "preparatory_on",
    "held_on",
    "venue",
    "higher_consent",
    "extraordinary_reason",
    "summoned",
    "present",
    "committee_size",
    "reported_members",
    "reported_women",
    "reported_sub_units",
    "reported_reason",
}


def _validate_congress(congress: Congress) -> None:
    errors: dict[str, list[str]] = {}
    term = congress.term
    if congress.preparatory_on and congress.preparatory_on > congress.held_on:
        errors.setdefault("preparatory_on", []).append(
            _("The preparatory session comes before the formal session.")
        )
    summoned, present = congress.summoned, congress.present
    if summoned is not None and present is not None and present > summoned:
        errors.setdefault("present", []).append(
            _("More present (%(present)s) than summoned (%(summoned)s).")
            % {"present": congress.present, "summoned": congress.summoned}
        )
    reported = (congress.reported_members, congress.reported_women, congress.reported_sub_units)
    if any(value is not None for value in reported) and not congress.reported_reason.strip():
        errors.setdefault("reported_reason", []).append(
            _("Say why the reported figures differ from the register.")
        )
    if congress.reported_women is not None:
        members = congress.reported_members
        if members is None:
            members = congress.counted_members
        if members is not None and congress.reported_women > members:
            errors.setdefault("reported_women", []).append(_("More women than members."))
    if congress.held_on > term.end:
        errors.setdefault("held_on", []).append(_("The congress is held before its term ends."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_congress(*, term: Term, held_on: date, by: Any = None, **fields: Any) -> Congress:
    """Plan the congress that opens `term`."""
    require(by, term.branch)
    if set(fields) - CONGRESS_FIELDS:
        raise ValueError(f"not editable here: {sorted(set(fields) - CONGRESS_FIELDS)}")
    if Congress.objects.filter(term=term).exists():
        raise ValidationError(_("This term has its congress already."))
    congress = Congress(term=term, held_on=held_on, **fields)
    _validate_congress(congress)
    congress.save()
    return congress


@transaction.atomic
def update_congress(*, congress: Congress, by: Any = None, **fields: Any) -> Congress:
    if set(fields) - CONGRESS_FIELDS:
        raise ValueError(f"not editable here: {sorted(set(fields) - CONGRESS_FIELDS)}")
    congress = (
        Congress.objects.select_for_update().select_related("term__branch").get(pk=congress.pk)
    )
    require(by, congress.term.branch)
    check_open(congress)
    day_changed = "held_on" in fields and fields["held_on"] != congress.held_on
    for name, value in fields.items():
        setattr(congress, name, value)
    _validate_congress(congress)
    if day_changed and congress.status != CongressStatus.PLANNED:
        freeze_statistics(congress)
    congress.save()
    return congress


def counted_age_bands(branch: Branch, day: date) -> dict[str, int]:
    """Members of the subtree on `day` per age band (members.domain.AGE_BANDS), plus
    "unknown" for those without a birth date."""
    births = Membership.objects.on(day).filter(branch__path__subtree=branch.path)
    bands: Counter[str] = Counter()
    for birth in births.values_list("member__birth_date", flat=True).iterator():
        bands[members_domain.age_band(birth, day) or "unknown"] += 1
    return {code: bands.get(code, 0) for code, _l, _h in members_domain.AGE_BANDS} | (
        {"unknown": bands["unknown"]} if bands.get("unknown") else {}
    )


def freeze_statistics(congress: Congress) -> None:
    """Store the branch's statistics on the congress day with the congress (not saved here).
    Later edits of the register do not change them (issue: statistics frozen at the congress)."""
    branch, day = congress.term.branch, congress.held_on
    figures = statistics(branch, day)
    congress.counted_on = day
    congress.counted_members = figures.members
    congress.counted_women = figures.women
    congress.counted_unknown = figures.unknown
    congress.counted_sub_units = figures.sub_units
    congress.counted_age_bands = counted_age_bands(branch, day)


@transaction.atomic
def record_held(congress: Congress, *, by: Any = None) -> Congress:
    """planned -> held: the congress took place; its statistics are frozen now."""
    congress = (
        Congress.objects.select_for_update().select_related("term__branch").get(pk=congress.pk)
    )
    require(by, congress.term.branch)
    if congress.status != CongressStatus.PLANNED:
        raise ValidationError(_("Only a planned congress can be recorded as held."))
    from members.statistics import today

    if congress.held_on > today():
        raise ValidationError(
            {"held_on": [_("A congress cannot be recorded as held before its day.")]}
        )
    if congress.summoned is None or congress.present is None:
        raise ValidationError(_("Record how many were summoned and how many were present first."))
    freeze_statistics(congress)
    congress.status = CongressStatus.HELD
    congress.save()
    return congress


@transaction.atomic
def submit_for_recognition(congress: Congress, *, by: Any = None) -> Congress:
    """held -> awaiting recognition: the file goes to the higher union."""
    congress = Congress.objects.select_for_update().get(pk=congress.pk)
    require(by, congress.term.branch)
    if congress.status != CongressStatus.HELD:
        raise ValidationError(_("Only a held congress can be sent for recognition."))
    if not congress.committee_size:
        raise ValidationError(_("Record the number of executive committee seats first."))
    congress.status = CongressStatus.AWAITING_RECOGNITION
    congress.save()
    return congress


@transaction.atomic
def recognise(congress: Congress, *, decision: str, decided_on: date, by: Any = None) -> Congress:
    """awaiting recognition -> recognised, with the higher union's decision. Recording it
    needs write rights over the level above (the higher union recognises)."""
    congress = (
        Congress.objects.select_for_update().select_related("term__branch").get(pk=congress.pk)
    )
    branch = congress.term.branch
    require(by, branch.parent or branch)
    if congress.status != CongressStatus.AWAITING_RECOGNITION:
        raise ValidationError(_("Only a congress awaiting recognition can be recognised."))
    if not decision.strip():
        raise ValidationError({"recognition_decision": [_("Enter the decision's number.")]})
    if decided_on < congress.held_on:
        raise ValidationError({"recognised_on": [_("Recognition comes after the congress.")]})
    congress.recognition_decision = decision.strip()
    congress.recognised_on = decided_on
    congress.status = CongressStatus.RECOGNISED
    congress.save()
    return congress


@transaction.atomic
def reopen(congress: Congress, *, reason: str, by: Any) -> Congress:
    """An administrator reopens a recognised congress for a correction; the reason is kept in
    its history."""
    if not getattr(by, "is_superuser", False):
        raise PermissionDenied(_("Only an administrator can reopen a recognised congress."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for reopening.")]})
    congress = Congress.objects.select_for_update().get(pk=congress.pk)
    if congress.status != CongressStatus.RECOGNISED:
        raise ValidationError(_("Only a recognised congress can be reopened."))
    congress.status = CongressStatus.AWAITING_RECOGNITION
    congress._change_reason = reason.strip()  # type: ignore[attr-defined]
    congress.save()
    return congress


# --- Guests, bodies, documents --------------------------------------------------------------


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


# --- Committee posts and delegates ----------------------------------------------------------


def _by_election_share(kind: str) -> tuple[int, int] | None:
    shares: dict[str, tuple[int, int]] = getattr(settings, "UNIONREC_BY_ELECTION_SHARE", {})
    return shares.get(kind)


@transaction.atomic
def add_post(
    *,
    term: Term,
    kind: str,
    starts_on: date,
    obtained_by: str,
    member: Member | None = None,
    person_name: str = "",
    recognition_decision: str = "",
    recognised_on: date | None = None,
    consent_decision: str = "",
    order: int | None = None,
    by: Any = None,
) -> Post:
    """A person takes a post of the term from `starts_on`. A by-election or appointment to the
    executive committee beyond the term's cap needs the higher union's consent (ĐL2018
    Art. 11.4: 2/3 of the seats at a grassroots union and the units inside it, 1/2 above)."""
    require(by, term.branch)
    congress = Congress.objects.filter(term=term).first()
    if congress is not None and obtained_by in (ObtainedBy.CONGRESS, ObtainedBy.COMMITTEE):
        check_open(congress)
    if kind not in PostKind.values or obtained_by not in ObtainedBy.values:
        raise ValidationError(_("Choose a post and how it was obtained."))
    if member is not None:
        person_name = person_name or member.full_name
    if not person_name.strip():
        raise ValidationError({"person_name": [_("Enter the name of the person.")]})
    if not term.starts_on <= starts_on < term.end:
        raise ValidationError(
            {
                "starts_on": [
                    _("The date lies outside the term (%(start)s – %(end)s).")
                    % {"start": day_text(term.starts_on), "end": day_text(term.end)}
                ]
            }
        )
    if (
        member is not None
        and term.posts.held_on(starts_on).filter(member=member, kind=kind).exists()
    ):
        raise ValidationError(
            {
                "member": [
                    _("%(name)s already holds this post on that day.") % {"name": member.full_name}
                ]
            }
        )
    mid_term = obtained_by in (ObtainedBy.BY_ELECTION, ObtainedBy.APPOINTMENT)
    if mid_term and kind == PostKind.EXECUTIVE and not consent_decision.strip():
        seats = congress.committee_size if congress else None
        if seats:
            cap = domain.by_election_cap(
                seats, term.branch.kind, _by_election_share(term.branch.kind)
            )
            filled = term.posts.filter(
                kind=PostKind.EXECUTIVE,
                obtained_by__in=[ObtainedBy.BY_ELECTION, ObtainedBy.APPOINTMENT],
            ).count()
            if filled >= cap:
                raise ValidationError(
                    {
                        "consent_decision": [
                            _(
                                "By-elections have filled %(filled)s of the %(cap)s seats "
                                "allowed in this term (%(seats)s seats; Charter 2018, Art. 11.4). "
                                "Another needs the higher union's consent: enter its decision."
                            )
                            % {"filled": filled, "cap": cap, "seats": seats}
                        ]
                    }
                )
    if order is None:
        order = term.posts.count() + 1
    return Post.objects.create(
        term=term,
        kind=kind,
        member=member,
        person_name=members_domain.clean_name(person_name),
        starts_on=starts_on,
        obtained_by=obtained_by,
        recognition_decision=recognition_decision.strip(),
        recognised_on=recognised_on,
        consent_decision=consent_decision.strip(),
        order=order,
    )


@transaction.atomic
def end_post(*, post: Post, on: date, reason: str, by: Any = None) -> Post:
    """The holder leaves the post on `on` (resignation, death, transfer, ...); the row stays,
    so the committee of any earlier day can still be listed."""
    post = Post.objects.select_for_update().select_related("term__branch").get(pk=post.pk)
    require(by, post.term.branch)
    if post.ends_on is not None:
        raise ValidationError(_("This mandate has ended already."))
    if reason not in PostEnd.values:
        raise ValidationError({"reason": [_("Choose why the mandate ends.")]})
    if on <= post.starts_on:
        raise ValidationError(
            {
                "on": [
                    _("The mandate ends after it began (%(day)s).")
                    % {"day": day_text(post.starts_on)}
                ]
            }
        )
    post.ends_on = on
    post.end_reason = reason
    post._change_reason = reason  # type: ignore[attr-defined]
    post.save()
    return post


@transaction.atomic
def add_delegate(
    *,
    congress: Congress,
    kind: str,
    member: Member | None = None,
    person_name: str = "",
    order: int | None = None,
    by: Any = None,
) -> Delegate:
    require(by, congress.term.branch)
    check_open(congress)
    if member is not None:
        person_name = person_name or member.full_name
    if not person_name.strip():
        raise ValidationError({"person_name": [_("Enter the delegate's name.")]})
    siblings = congress.delegates.filter(kind=kind)
    if order is None:
        order = siblings.count() + 1
    elif siblings.filter(order=order).exists():
        raise ValidationError({"order": [_("Another delegate has this place in the order.")]})
    return Delegate.objects.create(
        congress=congress,
        kind=kind,
        member=member,
        person_name=members_domain.clean_name(person_name),
        order=order,
    )


@transaction.atomic
def remove_delegate(*, delegate: Delegate, by: Any = None) -> None:
    require(by, delegate.congress.term.branch)
    check_open(delegate.congress)
    delegate.delete()
