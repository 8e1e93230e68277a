"""Certifying an election's result and reopening it: a certified result is read-only and
sealed with a digest of its counts; its elected hold their posts (or delegate seats) from the
election day. Only an administrator reopens a result, with a reason kept in the history."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congresses import committees
from congresses.domain import FROM_THE_EXECUTIVE
from congresses.elections import domain
from congresses.elections.changes import locked, open_for_change, save_change
from congresses.elections.lifecycle import (
    ElectionAction,
    certified_on_problem,
    election_actions,
)
from congresses.elections.models import Candidate, Election, ElectionStatus, Elector
from congresses.elections.results import Outcome, outcome
from congresses.elections.services import RULE_FIELDS
from congresses.models import Delegate, Post
from congresses.read_only import Conflict
from members.statistics import today


def canonical(election: Election) -> str:
    """The certified result as canonical JSON: the setup, the ballot and every count. Its
    SHA-256 is stored at certification; verify() recomputes it."""
    payload = {
        "election": election.pk,
        "congress": election.congress_id,
        "kind": election.kind,
        "elected_by": election.elected_by,
        "seats": election.seats,
        "held_on": election.held_on.isoformat(),
        "summoned": election.summoned,
        "present": election.present,
        "rules": election.rules,
        "rule_fields": [getattr(election, name) for name in RULE_FIELDS],
        "revision": election.revision,
        "candidates": [
            [c.pk, c.member_id, c.person_name, c.gender] for c in election.candidates.order_by("pk")
        ],
        "rounds": [
            [
                r.number,
                r.seats,
                r.issued,
                r.collected,
                r.valid,
                r.invalid,
                r.blank,
                r.decision,
                [[v.candidate_id, v.votes, v.won_by_lot] for v in r.votes.order_by("candidate_id")],
            ]
            for r in election.rounds.order_by("number")
        ],
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(election: Election) -> str:
    return hashlib.sha256(canonical(election).encode()).hexdigest()


def verify(election: Election) -> bool:
    """Whether the stored counts are still those that were certified (an out-of-band UPDATE
    of a round or a vote changes the digest)."""
    return election.status != ElectionStatus.CERTIFIED or digest(election) == election.digest


def _holder(candidate: Candidate) -> tuple[str, Any]:
    return (
        ("member", candidate.member_id) if candidate.member_id else ("name", candidate.person_name)
    )


def _make_posts(election: Election, result: Outcome, by: Any) -> None:
    """The elected hold their posts from the election day. On a re-certification, posts of
    those still elected stay as they are (with anything recorded since), others are removed.
    The posts follow the rules of every post (congresses.post_rules, through add_post): where
    they would not, nothing is certified and the reason is given."""
    post_kind = domain.ELECTED_POST[domain.ElectionKind(election.kind)]
    if post_kind in FROM_THE_EXECUTIVE:
        _check_executive_first(election)
    obtained = "congress" if election.elected_by == Elector.CONGRESS else "committee"
    wanted = {
        _holder(line.candidate): (rank, line) for rank, line in enumerate(result.elected, start=1)
    }
    for post in Post.objects.filter(election=election):
        holder = ("member", post.member_id) if post.member_id else ("name", post.person_name)
        if holder in wanted:
            del wanted[holder]
        else:
            post._change_reason = "not elected after a correction"  # type: ignore[attr-defined]
            post.delete()
    for rank, line in wanted.values():
        try:
            committees.add_post(
                term=election.congress.term,
                kind=post_kind,
                starts_on=election.held_on,
                obtained_by=obtained,
                member=line.candidate.member,
                person_name=line.candidate.person_name,
                order=rank,
                election=election,
                by=by,
            )
        except ValidationError as refusal:
            raise Conflict(refusal.messages) from None


def _check_executive_first(election: Election) -> None:
    """The chair, vice-chairs and standing committee are elected from the executive committee
    (domain-rules §4): its election, where recorded, is certified first, so that its members
    hold their seats when these posts are given."""
    executive = Election.objects.filter(
        congress=election.congress, kind=domain.ElectionKind.EXECUTIVE
    ).first()
    if executive is not None and not executive.is_certified:
        raise Conflict(
            _(
                "Certify the election of the executive committee first: this election "
                "chooses from its members."
            )
        )


def _make_delegates(election: Election, result: Outcome, by: Any) -> None:
    kind = domain.ELECTED_DELEGATE[domain.ElectionKind(election.kind)]
    Delegate.objects.filter(election=election).delete()
    for line in result.elected:
        delegate = committees.add_delegate(
            congress=election.congress,
            kind=kind,
            member=line.candidate.member,
            person_name=line.candidate.person_name,
            by=by,
        )
        delegate.election = election
        delegate.save(update_fields=["election"])


@transaction.atomic
def certify(
    *,
    election: Election,
    certified_on: date | None = None,
    expected_version: int | None = None,
    by: Any = None,
) -> Election:
    """entered -> certified: the result becomes read-only, its counts are sealed with a
    digest, and the elected become posts of the term (or delegates) from the election day.
    `certified_on` is the day of certification the secretary enters (today by default): not
    before the election, not in the future (congresses.elections.lifecycle)."""
    election = open_for_change(election, by=by, expected_version=expected_version)
    result = outcome(election)
    election_actions(election, result).check(ElectionAction.CERTIFY)
    day = certified_on or today()
    if (problem := certified_on_problem(election, day)) is not None:
        raise ValidationError({"certified_on": [problem]})
    election.revision += 1
    election.status = ElectionStatus.CERTIFIED
    election.certified_on = day
    election.certified_at = timezone.now()
    election.certified_by = by if getattr(by, "is_authenticated", False) else None
    if election.kind in domain.ELECTED_POST:
        _make_posts(election, result, by)
    else:
        _make_delegates(election, result, by)
    election.digest = digest(election)
    save_change(election, reason=f"certified: revision {election.revision}")
    return election


@transaction.atomic
def reopen(*, election: Election, reason: str, by: Any) -> Election:
    """certified -> entered, for a correction: administrators only, with a reason kept in the
    history. The posts stay until the corrected result is certified again."""
    if not getattr(by, "is_superuser", False):
        raise PermissionDenied(_("Only an administrator can reopen a certified result."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for reopening.")]})
    election = locked(election)
    election_actions(election).check(ElectionAction.REOPEN)
    election.status = ElectionStatus.ENTERED
    save_change(election, reason=f"reopened: {reason.strip()}")
    return election
