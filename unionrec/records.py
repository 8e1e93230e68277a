"""The records a URL names by id (a term, a congress, an election), reached through their
branch as every branch-owned record is (unionrec.access): 404 when the id does not exist or
the branch is outside the user's subtrees, 403 when it is within them but `need` is more
than the user's role gives. The pages of congresses and of reports resolve them here."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from congresses.elections.models import Election
from congresses.models import Congress, Term
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


def election_for(request: HttpRequest, pk: int, *, need: Need) -> tuple[Election, Need]:
    election = Election.objects.select_related("congress__term__branch").filter(pk=pk).first()
    if election is None:
        raise Http404
    return election, check_branch(request, election.congress.term.branch, need=need)
