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
from django.utils.translation import ngettext

from congresses import domain, post_rules
from congresses.elections.models import Election
from congresses.models import (
    Congress,
    Delegate,
    ObtainedBy,
    Post,
    PostEnd,
    PostKind,
    Term,
)
from congresses.read_only import Conflict, check_open
from members import domain as members_domain
from members.models import Member
from unionrec.access import require
from unionrec.days import day_text


def _by_election_share(kind: str) -> tuple[int, int] | None:
    shares: dict[str, tuple[int, int]] = getattr(settings, "UNIONREC_BY_ELECTION_SHARE", {})
    return shares.get(kind)


def _locked_term(term_id: int) -> Term:
    """The term, its row locked until the transaction ends: writers of one term's posts take
    turns, so two secretaries adding a chair at the same moment cannot both pass the rules
    (SQLite serialises writers by itself)."""
    return Term.objects.select_for_update().select_related("branch").get(pk=term_id)


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
    election: Election | None = None,
    by: Any = None,
) -> Post:
    """A person takes a post of the term from `starts_on`, if the posts still follow the rules
    of congresses.post_rules afterwards (one chair at a time; the chair, vice-chairs and
    standing committee on the executive; a post given at the congress or the first meeting to
    someone its recorded election elected). A by-election or appointment to the executive
    committee beyond the term's cap needs the higher union's consent (ĐL2018 Art. 11.4: 2/3
    of the seats at a grassroots union and the units inside it, 1/2 above). `election`: the
    certified election the post comes from (certification)."""
    require(by, term.branch)
    term = _locked_term(term.pk)
    congress = Congress.objects.filter(term=term).first()
    if congress is not None and obtained_by in post_rules.ELECTED_HERE:
        check_open(congress)
    if kind not in PostKind.values or obtained_by not in ObtainedBy.values:
        raise ValidationError(_("Choose a post and how it was obtained."))
    if member is not None:
        person_name = person_name or member.full_name
    person_name = members_domain.clean_name(person_name)
    if not person_name:
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
    person_field = "member" if member is not None else "person_name"
    post_rules.check_elected(
        term=term,
        kind=kind,
        obtained_by=obtained_by,
        holder_of=post_rules.holder(member.pk if member else None, person_name),
        name=person_name,
        field=person_field,
        election=election,
    )
    _check_by_election_cap(term, congress, kind, obtained_by, consent_decision)
    post = Post(
        term=term,
        kind=kind,
        member=member,
        person_name=person_name,
        starts_on=starts_on,
        obtained_by=obtained_by,
        recognition_decision=recognition_decision.strip(),
        recognised_on=recognised_on,
        consent_decision=consent_decision.strip(),
        order=term.posts.count() + 1 if order is None else order,
        election=election,
    )
    before = list(term.posts.all())
    post_rules.check_days(
        term, before=before, after=[*before, post], field=person_field, two_holders_field="kind"
    )
    post.save()
    return post


def _check_by_election_cap(
    term: Term, congress: Congress | None, kind: str, obtained_by: str, consent_decision: str
) -> None:
    mid_term = obtained_by in (ObtainedBy.BY_ELECTION, ObtainedBy.APPOINTMENT)
    if not mid_term or kind != PostKind.EXECUTIVE or consent_decision.strip():
        return
    seats = congress.committee_size if congress else None
    if not seats:
        return
    cap = domain.by_election_cap(seats, term.branch.kind, _by_election_share(term.branch.kind))
    filled = term.posts.filter(
        kind=PostKind.EXECUTIVE,
        obtained_by__in=[ObtainedBy.BY_ELECTION, ObtainedBy.APPOINTMENT],
    ).count()
    if filled >= cap:
        raise ValidationError(
            {
                "consent_decision": [
                    ngettext(
                        "By-elections have filled %(filled)s of the %(cap)s seat allowed "
                        "in this term (a committee of %(seats)s; Charter 2018, Art. 11.4). "
                        "Another needs the higher union's consent: enter its decision.",
                        "By-elections have filled %(filled)s of the %(cap)s seats allowed "
                        "in this term (a committee of %(seats)s; Charter 2018, Art. 11.4). "
                        "Another needs the higher union's consent: enter its decision.",
                        cap,
                    )
                    % {"filled": filled, "cap": cap, "seats": seats}
                ]
            }
        )


@transaction.atomic
def end_post(*, post: Post, on: date, reason: str, by: Any = None) -> Post:
    """The holder leaves the post on `on` (resignation, death, transfer, ...); the row stays,
    so the committee of any earlier day can still be listed. Refused where the posts would
    then break the rules of congresses.post_rules (an executive seat ended while its holder
    stays chair)."""
    require(by, post.term.branch)
    term = _locked_term(post.term_id)
    post = Post.objects.select_for_update().get(pk=post.pk)
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
    before = list(term.posts.all())
    post.ends_on = on
    post.end_reason = reason
    after = [post if p.pk == post.pk else p for p in before]
    post_rules.check_days(term, before=before, after=after, field="on", changed=post.pk)
    post._change_reason = reason  # type: ignore[attr-defined]
    post.save()
    return post


@transaction.atomic
def delete_post(*, post: Post, reason: str, by: Any = None) -> None:
    """A post entered by mistake is deleted: it never was a mandate, so it leaves the
    committee of every day, the term summary and the dossier (a mandate that was held ends
    with end_post instead). The row's history keeps it with `reason`. Refused for a post that
    comes from an election, one given at a recognised congress (congresses.post_rules
    .why_not_deletable), and where the posts left would break the rules (the executive seat
    of the chair)."""
    require(by, post.term.branch)
    term = _locked_term(post.term_id)
    post = Post.objects.select_for_update().get(pk=post.pk)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for deleting the post.")]})
    if len(reason) > post_rules.REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": [
                    _("Keep the reason within %(n)s characters.")
                    % {"n": post_rules.REASON_MAX_LENGTH}
                ]
            }
        )
    refusal = post_rules.why_not_deletable(post, Congress.objects.filter(term=term).first())
    if refusal is not None:
        raise Conflict(refusal)
    before = list(term.posts.all())
    after = [p for p in before if p.pk != post.pk]
    post_rules.check_days(term, before=before, after=after, changed=post.pk)
    post._change_reason = reason  # type: ignore[attr-defined]
    post.delete()


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
