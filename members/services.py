"""Every write to the register. Keyword-only, typed, atomic; each keeps the tallies exact and
leaves history (django-simple-history records who changed what and when)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from unionrec.access import require
from unionrec.days import day_text

from . import domain, search, tallies
from .basis import ProcessingBasis
from .locks import lock_branches
from .models import (
    TAKEN,
    Branch,
    BranchKind,
    BranchMove,
    EndReason,
    Gender,
    LeaveReason,
    Member,
    Membership,
    MemberStatus,
)
from .statistics import today


def refuse_taken(errors: dict[str, list[str]], field: str, holders: QuerySet[Any]) -> None:
    """The one check of a unique value a user types (a card number, a branch code): if
    `holders` (the other records with that value) is not empty, `field` is refused with
    models.TAKEN only. Whose it is and where are not said: the holder may lie outside the
    caller's reach."""
    if holders.exists():
        errors.setdefault(field, []).append(_(TAKEN))


@contextmanager
def unless_taken(field: str, holders: QuerySet[Any]) -> Iterator[None]:
    """The write of a unique value a user typed, in a savepoint. Two saves of one value at the
    same moment both pass refuse_taken (neither sees the other's row yet); the database's
    unique constraint then refuses the second, and this refuses it as refuse_taken does
    (models.TAKEN under `field`: a 400 in the API, the message on the form), the caller's
    transaction still usable. The IntegrityError is taken for the value's constraint only if
    `holders` is no longer empty once it is rolled back; any other is raised as it is."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        errors: dict[str, list[str]] = {}
        refuse_taken(errors, field, holders)
        if not errors:
            raise
        raise ValidationError(errors) from None


class ConflictError(Exception):
    """The record changed since the form was read; nothing was saved."""


# --- Branches -------------------------------------------------------------------------------


@transaction.atomic
def create_branch(
    *,
    parent: Branch | None,
    code: str,
    name: str,
    kind: str,
    short_name: str = "",
    founded_on: date | None = None,
    dissolved_on: date | None = None,
    by: Any = None,
) -> Branch:
    if parent is not None:
        require(by, parent)
    elif by is not None and not by.is_superuser:
        raise PermissionDenied(_("Only an administrator can create a top-level branch."))
    branch = Branch(
        code=code,
        name=domain.clean_name(name),
        short_name=domain.clean_name(short_name),
        kind=kind,
        founded_on=founded_on,
        dissolved_on=dissolved_on,
    )
    branch.search_key = domain.branch_search_key(branch.name, branch.short_name)
    errors: dict[str, list[str]] = {}
    holders = Branch.objects.filter(code=code)
    refuse_taken(errors, "code", holders)
    try:
        branch.full_clean(exclude=["path", "depth", "numchild"], validate_unique=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with unless_taken("code", holders):
        if parent is None:
            return Branch.objects.add_root(instance=branch)  # type: ignore[no-any-return]
        return Branch.objects.add_child(parent, instance=branch)  # type: ignore[no-any-return]


@transaction.atomic
def update_branch(*, branch: Branch, by: Any = None, **fields: Any) -> Branch:
    require(by, branch)
    allowed = {"name", "short_name", "kind", "founded_on", "dissolved_on"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(branch, name, domain.clean_name(value) if name in {"name", "short_name"} else value)
    branch.search_key = domain.branch_search_key(branch.name, branch.short_name)
    branch.full_clean(exclude=["path", "depth", "numchild", "code"])
    branch.save()
    return branch


@transaction.atomic
def move_branch(*, branch: Branch, new_parent: Branch, by: Any = None, reason: str = "") -> Branch:
    """Move `branch` with its subtree under `new_parent`. Needs write rights over both the old
    and the new parent; refuses to move a branch into its own subtree; records the move and
    rebuilds the tallies of the old and the new ancestors (statistics follow the tree as it is
    now, for past days too)."""
    branch.refresh_from_db()
    new_parent.refresh_from_db()
    old_parent = branch.parent
    if old_parent is None:
        raise ValidationError(_("The top of the tree cannot be moved."))
    if domain.is_in_subtree(new_parent.path, branch.path):
        raise ValidationError(_("A branch cannot be moved under itself or one of its sub-units."))
    if old_parent.pk == new_parent.pk:
        raise ValidationError(_("The branch is already under %(parent)s.") % {"parent": new_parent})
    require(by, old_parent)
    require(by, new_parent)
    lock_branches([branch.path, new_parent.path])  # the tallies of both chains are rebuilt
    affected = set(
        Branch.objects.filter(path__in=domain.ancestor_paths(old_parent.path)).values_list(
            "pk", flat=True
        )
    )
    Branch.objects.move(branch, new_parent, "last-child")
    branch.refresh_from_db()
    affected |= set(
        Branch.objects.filter(path__in=domain.ancestor_paths(new_parent.path)).values_list(
            "pk", flat=True
        )
    )
    tallies.rebuild(affected)
    BranchMove.objects.create(
        branch=branch,
        old_parent=old_parent,
        new_parent=new_parent,
        moved_by=by if getattr(by, "is_authenticated", False) else None,
        reason=reason,
    )
    # treebeard rewrites paths with bulk UPDATEs; write one history row per moved branch.
    for moved in Branch.objects.subtree_of(branch):
        moved._change_reason = reason or "moved"
        moved.save(update_fields=["path", "depth"])
    return branch


# --- Members --------------------------------------------------------------------------------

MEMBER_FIELDS = {
    *("full_name", "gender", "birth_date", "ethnicity", "card_number", "joined_union_on"),
    *("processing_basis", "consent_on"),  # members.basis
}


def _validate_member(member: Member, *, started_on: date | None = None) -> None:
    errors: dict[str, list[str]] = {}
    now = today()
    if member.birth_date and member.birth_date > now:
        errors.setdefault("birth_date", []).append(_("The date of birth cannot be in the future."))
    if member.joined_union_on and member.joined_union_on > now:
        errors.setdefault("joined_union_on", []).append(
            _("The date of joining cannot be in the future.")
        )
    if member.birth_date and member.joined_union_on and member.joined_union_on < member.birth_date:
        errors.setdefault("joined_union_on", []).append(
            _("The date of joining cannot be before the date of birth.")
        )
    if started_on and member.birth_date and started_on < member.birth_date:
        errors.setdefault("started_on", []).append(
            _("Membership cannot start before the date of birth.")
        )
    if not domain.clean_name(member.full_name):
        errors.setdefault("full_name", []).append(_("Enter the member's full name."))
    if member.card_number:
        refuse_taken(errors, "card_number", _card_holders(member))
    if errors:
        raise ValidationError(errors)


def _card_holders(member: Member) -> QuerySet[Member]:
    """The other members with `member`'s card number (none when it has none)."""
    if not member.card_number:
        return Member.objects.none()
    return Member.objects.filter(card_number=member.card_number).exclude(pk=member.pk)


def _prepare(member: Member) -> None:
    member.full_name = domain.clean_name(member.full_name)
    member.card_number = domain.clean_card(member.card_number or "") or None
    member.ethnicity = domain.clean_name(member.ethnicity or "")
    member.search_key = domain.fold(member.full_name)
    member.sort_key = domain.name_sort_key(member.full_name)


@transaction.atomic
def add_member(
    *,
    branch: Branch,
    full_name: str,
    gender: str = Gender.UNKNOWN,
    birth_date: date | None = None,
    ethnicity: str = "",
    card_number: str | None = None,
    joined_union_on: date | None = None,
    started_on: date | None = None,
    processing_basis: str = ProcessingBasis.MEMBERSHIP,
    consent_on: date | None = None,
    by: Any = None,
) -> Member:
    """Register a member in `branch` from `started_on` (the joining date, else today)."""
    require(by, branch)
    started_on = started_on or joined_union_on or today()
    member = Member(
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        ethnicity=ethnicity,
        card_number=card_number,
        joined_union_on=joined_union_on,
        branch=branch,
        processing_basis=processing_basis,
        consent_on=consent_on,
    )
    _prepare(member)
    _validate_member(member, started_on=started_on)
    if started_on > today():
        raise ValidationError({"started_on": [_("Membership cannot start in the future.")]})
    if not branch.exists_on(started_on):
        raise ValidationError(
            {"started_on": [_("%(branch)s did not exist on that date.") % {"branch": branch}]}
        )
    member.full_clean(exclude=["search_key", "sort_key"], validate_unique=False)
    with unless_taken("card_number", _card_holders(member)):
        member.save()
    search.index_members([(member.pk, member.search_key)])
    period = Membership.objects.create(member=member, branch=branch, started_on=started_on)
    tallies.count_period(period, member.gender, +1)
    return member


@transaction.atomic
def update_member(
    *, member: Member, version: int | None = None, by: Any = None, **fields: Any
) -> Member:
    """Change a member's personal fields. With `version` (the one the form was read at), a
    concurrent change is refused with ConflictError instead of being overwritten."""
    unknown = set(fields) - MEMBER_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    current = _locked(member)
    require(by, current.branch)
    if version is not None and current.version != version:
        raise ConflictError
    old_gender, old_key = current.gender, current.search_key
    for name, value in fields.items():
        setattr(current, name, value)
    _prepare(current)
    _validate_member(current)
    current.full_clean(exclude=["search_key", "sort_key"], validate_unique=False)
    current.version += 1
    with unless_taken("card_number", _card_holders(current)):
        current.save()
    if current.search_key != old_key:
        search.index_members([(current.pk, current.search_key)])
    if current.gender != old_gender:
        for period in current.periods.select_related("branch"):
            tallies.count_period(period, old_gender, -1)
            tallies.count_period(period, current.gender, +1)
    current.refresh_from_db()
    return current


def _locked(member: Member, *also: Branch) -> Member:
    """The member's row, locked for the change after the branches of all their periods and
    `also` with their ancestors: branches before members, root first (members.locks), so a
    writer of one member and an import of its branch queue instead of deadlocking."""
    paths = Membership.objects.filter(member_id=member.pk).values_list("branch__path", flat=True)
    lock_branches([*paths, *(branch.path for branch in also)])
    return Member.objects.select_for_update(of=("self",)).select_related("branch").get(pk=member.pk)


def _open_period(member: Member) -> Membership:
    period = member.periods.select_related("branch").filter(ended_on__isnull=True).first()
    if period is None:
        raise ValidationError(_("%(member)s is not an active member.") % {"member": member})
    return period


def _check_end(period: Membership, on: date, field: str) -> None:
    if on <= period.started_on:
        raise ValidationError(
            {
                field: [
                    _("The date must be after the current period began (%(day)s).")
                    % {"day": day_text(period.started_on)}
                ]
            }
        )
    if on > today():
        raise ValidationError({field: [_("The date cannot be in the future.")]})


@transaction.atomic
def transfer_member(*, member: Member, to_branch: Branch, on: date, by: Any = None) -> Member:
    """Close the member's current period on `on` and open one in `to_branch` from `on`. Needs
    write rights over both branches."""
    member = _locked(member, to_branch)
    period = _open_period(member)
    require(by, period.branch)
    require(by, to_branch)
    if period.branch_id == to_branch.pk:
        raise ValidationError(
            {"to_branch": [_("The member already belongs to %(branch)s.") % {"branch": to_branch}]}
        )
    _check_end(period, on, "on")
    if not to_branch.exists_on(on):
        raise ValidationError(
            {"to_branch": [_("%(branch)s did not exist on that date.") % {"branch": to_branch}]}
        )
    tallies.count_period(period, member.gender, -1)
    period.ended_on = on
    period.end_reason = EndReason.TRANSFERRED
    period.save()
    tallies.count_period(period, member.gender, +1)
    new_period = Membership.objects.create(member=member, branch=to_branch, started_on=on)
    tallies.count_period(new_period, member.gender, +1)
    member.branch = to_branch
    member.version += 1
    member._change_reason = f"transferred to {to_branch.code}"  # type: ignore[attr-defined]
    member.save()
    member.refresh_from_db()
    return member


@transaction.atomic
def mark_left(*, member: Member, on: date, reason: str, by: Any = None) -> Member:
    """Close the member's last period on `on` (not counted from that day on), with a reason."""
    member = _locked(member)
    period = _open_period(member)
    require(by, period.branch)
    if reason not in LeaveReason.values:
        raise ValidationError({"reason": [_("Choose a reason for leaving.")]})
    _check_end(period, on, "on")
    tallies.count_period(period, member.gender, -1)
    period.ended_on = on
    period.end_reason = EndReason.LEFT
    period.save()
    tallies.count_period(period, member.gender, +1)
    member.status = MemberStatus.LEFT
    member.left_on = on
    member.leave_reason = reason
    member.version += 1
    member.save()
    member.refresh_from_db()
    return member


__all__ = [
    "BranchKind",
    "ConflictError",
    "add_member",
    "create_branch",
    "mark_left",
    "move_branch",
    "transfer_member",
    "update_branch",
    "update_member",
]
