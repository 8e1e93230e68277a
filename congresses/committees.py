"""Every write to a term's committee posts (mandates with dates) and to the delegates a
congress sends to the level above. Keyword-only, atomic; each checks the caller's rights
(unionrec.access) and, for what a congress decided, that it may still change
(congresses.read_only)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congresses import domain
from congresses.models import (
    Congress,
    Delegate,
    ObtainedBy,
    Post,
    PostEnd,
    PostKind,
    Term,
)
from congresses.read_only import check_open
from members import domain as members_domain
from members.models import Member
from unionrec.access import require
from unionrec.days import day_text


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
