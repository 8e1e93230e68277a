"""Scope for the congress pages: every record is reached through its branch, as the member
pages do (unionrec.access: 404 outside the user's subtrees, 403 beyond the role)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from congresses.elections.models import Election
from congresses.models import Congress, Term
from members.models import Member
from unionrec.access import Need, check_branch


def term_for(request: HttpRequest, pk: int, *, need: Need) -> tuple[Term, Need]:
    term = Term.objects.select_related("branch").filter(pk=pk).first()
    if term is None:
        raise Http404
    return term, check_branch(request, term.branch, need=need)


def congress_for(request: HttpRequest, pk: int, *, need: Need) -> tuple[Congress, Need]:
    congress = Congress.objects.select_related("term__branch").filter(pk=pk).first()
    if congress is None:
        raise Http404
    return congress, check_branch(request, congress.term.branch, need=need)


def subtree_members(term: Term) -> QuerySet[Member]:
    """The people a post or a delegate seat of the term may be given to from the register."""
    return Member.objects.in_subtree(term.branch)


def election_for(request: HttpRequest, pk: int, *, need: Need) -> tuple[Election, Need]:
    election = Election.objects.select_related("congress__term__branch").filter(pk=pk).first()
    if election is None:
        raise Http404
    return election, check_branch(request, election.congress.term.branch, need=need)
