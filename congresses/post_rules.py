"""The rules a term's committee posts follow (domain-rules §4), in one place for the services
that refuse a change (congresses.committees: add, end, delete; certification adds through
them) and for check_records, which lists the stored posts that break them:

- on any day a term has at most one chair and one head of the inspection committee;
- where the branch has an executive committee that day, the chair, the vice-chairs and the
  standing committee sit on it (the day rules: congresses.domain.post_breaches);
- where the congress records the election of a body, a post obtained at the congress or at
  the committee's first meeting names someone that certified election elected (by member, or
  by exact name for someone who is not a member); a past term entered without its elections
  is recorded as it was;
- a post entered by mistake is deleted with a reason, unless it comes from an election (the
  election is corrected instead) or the congress that gave it is recognised.

This module loads the posts and words the refusals and the findings; the day rules are pure."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from congresses import domain
from congresses.elections import domain as election_domain
from congresses.elections.domain import ELECTED_POST
from congresses.elections.models import Election, ElectionKind, ElectionStatus
from congresses.elections.results import outcome
from congresses.findings import Finding
from congresses.models import Congress, ObtainedBy, Post, Term
from congresses.read_only import why_read_only
from members.domain import clean_name
from unionrec.days import day_text

# The election whose certified result gives each post (the inverse of ELECTED_POST).
ELECTION_OF: dict[str, str] = {post.value: kind.value for kind, post in ELECTED_POST.items()}

# Posts that a body of the new term elects: the congress, or the committee at its first meeting.
ELECTED_HERE = (ObtainedBy.CONGRESS, ObtainedBy.COMMITTEE)

REASON_MAX_LENGTH = 100  # the history's change reason (simple-history's column)


def holder(member_id: int | None, person_name: str) -> str:
    return domain.holder_key(member_id, clean_name(person_name))


def mandate(post: Post) -> domain.Mandate:
    return domain.Mandate(
        key=post.pk or 0,
        kind=post.kind,
        holder=holder(post.member_id, post.person_name),
        starts_on=post.starts_on,
        ends_on=post.ends_on,
    )


def elects_executive(congress: Congress | None) -> bool:
    """congresses.domain.elects_executive, asked of the term's congress (none: False)."""
    if congress is None:
        return False
    executive = congress.elections.filter(kind=ElectionKind.EXECUTIVE).exists()
    return domain.elects_executive(congress.committee_size, executive_election=executive)


def post_text(post: Post) -> str:
    """A post as a user names it: "Chair: Nguyễn Văn A, from 23/12/2017"."""
    return _("%(post)s: %(name)s, from %(day)s") % {
        "post": post.get_kind_display(),
        "name": post.person_name,
        "day": day_text(post.starts_on),
    }


# --- The day rules: one chair, one head of inspection; the executive's posts on it ---------


def check_days(
    term: Term,
    *,
    before: Sequence[Post],
    after: Sequence[Post],
    field: str = NON_FIELD_ERRORS,
    two_holders_field: str | None = None,
    changed: int = 0,
) -> None:
    """ValidationError if changing the term's posts from `before` to `after` brings a breach
    of the day rules that was not there before: under `two_holders_field` for a second chair
    (or head of inspection), else under `field`. `changed` is the post being added (0), ended
    or deleted, for the wording. Breaches stored earlier stay as they are and block nothing
    else (check_records lists them)."""
    congress = Congress.objects.filter(term=term).first()
    breaches = domain.new_breaches(
        [mandate(p) for p in before],
        [mandate(p) for p in after],
        until=term.end,
        elects_executive=elects_executive(congress),
    )
    if breaches:
        posts = {p.pk or 0: p for p in after}
        errors: dict[str, list[str]] = {}
        for breach in breaches:
            two = breach.code == domain.PostBreach.TWO_HOLDERS
            name = (two_holders_field or field) if two else field
            errors.setdefault(name, []).append(_refusal(breach, posts, changed))
        raise ValidationError(errors)


def _refusal(breach: domain.Breach, posts: dict[int, Post], changed: int) -> str:
    post = posts[breach.mandate.key]
    values = {
        "name": post.person_name,
        "post": post.get_kind_display(),
        "day": day_text(breach.day),
    }
    if breach.code == domain.PostBreach.TWO_HOLDERS:
        assert breach.other is not None
        stored = breach.other if breach.mandate.key == changed else breach.mandate
        held = posts[stored.key]
        return _(
            "%(name)s holds the post %(post)s from %(day)s; a term has one at a time. End "
            "that mandate first, or delete it if it was entered by mistake."
        ) % {
            "name": held.person_name,
            "post": held.get_kind_display(),
            "day": day_text(held.starts_on),
        }
    if breach.mandate.key == changed:
        return (
            _(
                "%(name)s does not sit on the executive committee on %(day)s, and the "
                "%(post)s is elected from its members. Record their executive seat first."
            )
            % values
        )
    return (
        _(
            "%(name)s, %(post)s, would then not sit on the executive committee on %(day)s, and "
            "that post is elected from its members. End that post first, or record their "
            "executive seat."
        )
        % values
    )


# --- Posts given by an election recorded here ------------------------------------------------


def elected_holders(election: Election) -> set[str]:
    """Whom the election elected, as holders of posts."""
    return {
        holder(line.candidate.member_id, line.candidate.person_name)
        for line in outcome(election).elected
    }


def recorded_election(term: Term, kind: str) -> Election | None:
    """The election of the term's congress that gives posts of `kind`, if it is recorded."""
    election_kind = ELECTION_OF.get(kind)
    if election_kind is None:
        return None
    return Election.objects.filter(congress__term=term, kind=election_kind).first()


def check_elected(
    *,
    term: Term,
    kind: str,
    obtained_by: str,
    holder_of: str,
    name: str,
    field: str,
    election: Election | None = None,
) -> None:
    """ValidationError if a post obtained at the congress or at the committee's first meeting
    names someone whom the recorded election of that post did not elect, or if that election
    is not certified yet. `election`: the election the post comes from (certification passes
    it while it certifies)."""
    if obtained_by not in ELECTED_HERE:
        return
    election = election or recorded_election(term, kind)
    if election is None:
        return  # a past term entered without its elections
    what = election.get_kind_display()
    if not election.is_certified:
        raise ValidationError(
            {
                "obtained_by": [
                    _(
                        "The election (%(what)s) is recorded for this congress but its result "
                        "is not certified: certify it, and those it elected take their posts."
                    )
                    % {"what": what}
                ]
            }
        )
    if holder_of not in elected_holders(election):
        raise ValidationError(
            {
                field: [
                    _("%(name)s was not elected in the certified election (%(what)s, %(day)s).")
                    % {"name": name, "what": what, "day": day_text(election.held_on)}
                ]
            }
        )


# --- Deleting a post entered by mistake ---------------------------------------------------------


def why_not_deletable(post: Post, congress: Congress | None) -> str | None:
    """Why the post may not be deleted now, in the active language; None when it may. A post
    from an election is corrected through the election (its certification adds and removes
    its posts); a post the congress or its committee gave is read-only once the congress is
    recognised."""
    if post.election is not None:
        return _(
            "This post comes from an election (%(what)s): correct that election (an "
            "administrator reopens a certified result) and certify it again."
        ) % {"what": post.election.get_kind_display()}
    if congress is not None and post.obtained_by in ELECTED_HERE:
        return why_read_only(congress)
    return None


def deleted_posts(term: Term) -> QuerySet[Any]:
    """The term's deleted posts (entered by mistake; or no longer elected when a corrected
    result was certified again), latest first: their history's last rows, with who deleted
    them and why."""
    history: QuerySet[Any] = Post.history.filter(term_id=term.pk, history_type="-")
    return history.select_related("history_user").order_by("-history_date")


# --- Stored posts that break the rules (check_records) -----------------------------------------


def _fix(post: Post, congress: Congress | None, fix: str) -> str:
    """`fix`, preceded by what must happen first when the post cannot be deleted now (a
    recognised congress is reopened by an administrator; an election is corrected)."""
    first = why_not_deletable(post, congress)
    return f"{first} {fix}" if first else fix


def _url(term: Term, post: Post) -> str:
    return reverse("congresses:term", args=[term.pk]) + f"?on={day_text(post.starts_on)}#committee"


def day_rule_findings(terms: QuerySet[Term]) -> Iterator[Finding]:
    """Stored posts that break the day rules: two chairs (or heads of inspection) on one day,
    a chair, vice-chair or standing member off the executive committee."""
    executive = Election.objects.filter(congress__term=OuterRef("pk"), kind=ElectionKind.EXECUTIVE)
    chosen = (
        terms.filter(Exists(Post.objects.filter(term=OuterRef("pk"))))
        .select_related("branch", "congress")
        .annotate(executive_election=Exists(executive))
    )
    for term in chosen:
        congress = getattr(term, "congress", None)
        elects = domain.elects_executive(
            congress.committee_size if congress is not None else None,
            executive_election=term.executive_election,
        )
        posts = {p.pk: p for p in term.posts.select_related("election")}
        breaches = domain.post_breaches(
            [mandate(p) for p in posts.values()], until=term.end, elects_executive=elects
        )
        for breach in breaches:
            post = posts[breach.mandate.key]
            if breach.code == domain.PostBreach.TWO_HOLDERS:
                assert breach.other is not None
                problem = _(
                    "Held on %(day)s together with %(other)s; a term has one %(post)s on any day."
                ) % {
                    "day": day_text(breach.day),
                    "other": post_text(posts[breach.other.key]),
                    "post": post.get_kind_display(),
                }
                fix = _("End the earlier mandate, or delete the post entered by mistake.")
            else:
                problem = _(
                    "Not on the executive committee on %(day)s, whose members elect this post."
                ) % {"day": day_text(breach.day)}
                fix = _("Record the executive seat, or delete the post entered by mistake.")
            yield Finding(
                term, post_text(post), problem, _fix(post, congress, fix), _url(term, post)
            )


def not_elected_findings(terms: QuerySet[Term]) -> Iterator[Finding]:
    """Stored posts obtained at the congress or the first meeting whose holder the certified
    election of that post did not elect."""
    elections = (
        Election.objects.filter(
            congress__term__in=terms, status=ElectionStatus.CERTIFIED, kind__in=ELECTED_POST
        )
        .select_related("congress__term__branch")
        .order_by("congress__term__branch__path", "congress__held_on", "held_on", "id")
    )
    for election in elections:
        term = election.congress.term
        kind = ELECTED_POST[election_domain.ElectionKind(election.kind)]
        posts = term.posts.filter(kind=kind, obtained_by__in=ELECTED_HERE).select_related(
            "election"
        )
        elected = elected_holders(election) if posts.exists() else set()
        for post in posts:
            if holder(post.member_id, post.person_name) not in elected:
                yield Finding(
                    term,
                    post_text(post),
                    _("Not elected in the certified election (%(what)s, %(day)s).")
                    % {"what": election.get_kind_display(), "day": day_text(election.held_on)},
                    _fix(post, election.congress, _("Delete the post entered by mistake.")),
                    _url(term, post),
                )
