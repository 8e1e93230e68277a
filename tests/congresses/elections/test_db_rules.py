"""The database keeps the count's last rule itself (reliability-security test 41,
congresses.elections.db_rules): no candidate has more votes in a round than the round's valid
ballots that mark anyone, however the rows are written; the services' corrections go through,
and the rule is put back after a migration rebuilds its tables."""

from __future__ import annotations

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from congresses.elections import rounds
from congresses.elections.db_rules import RULE
from congresses.elections.models import Round, RoundVote
from tests.congresses.elections.helpers import TIE, enter, ids
from tests.refusals import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered(election):
    """The first round: 28 valid ballots, 1 of them blank, so 27 mark anyone; Anh has 25."""
    return enter(election, TIE, blank=1)


def test_a_vote_above_the_marked_ballots_is_refused_by_the_database(entered):
    anh = entered.votes.get(votes=25)
    assert RULE in refused(lambda: RoundVote.objects.filter(pk=anh.pk).update(votes=28))
    assert RoundVote.objects.filter(pk=anh.pk).update(votes=27) == 1  # all 27: allowed
    fewer = Round.objects.filter(pk=entered.pk)
    assert RULE in refused(lambda: fewer.update(valid=26, collected=26))
    assert RULE in refused(lambda: fewer.update(blank=2))
    entered.refresh_from_db()
    assert (entered.valid, entered.blank) == (28, 1)


def test_a_new_vote_row_above_the_marked_ballots_is_refused(entered, election):
    vote = entered.votes.get(votes=3)
    candidate = vote.candidate_id
    vote.delete()
    row = RoundVote(round=entered, candidate_id=candidate, votes=28)
    assert RULE in refused(row.save)


def test_a_correction_that_lowers_or_raises_the_ballots_goes_through(entered, election):
    by_name = ids(election)
    lower = {by_name[n]: v for n, v in (TIE | {"Lê Minh Anh": 10, "Trần Văn Bình": 9}).items()}
    fewer = rounds.correct_round(
        round=entered, issued=28, collected=20, valid=20, invalid=0, blank=0, votes=lower
    )
    assert fewer.valid == 20 and fewer.votes.get(candidate_id=by_name["Lê Minh Anh"]).votes == 10
    higher = {by_name[n]: v for n, v in TIE.items()}
    more = rounds.correct_round(
        round=fewer, issued=28, collected=28, valid=28, invalid=0, blank=0, votes=higher
    )
    assert more.valid == 28 and more.votes.get(candidate_id=by_name["Lê Minh Anh"]).votes == 25


def test_the_rule_is_put_back_after_a_migration(entered):
    anh = entered.votes.get(votes=25)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("roundvote_within_ballots_insert", "roundvote_within_ballots_update"):
                cursor.execute(f"DROP TRIGGER {name}")
        else:
            cursor.execute("DROP TRIGGER roundvote_within_ballots ON congresses_roundvote")
    assert RoundVote.objects.filter(pk=anh.pk).update(votes=28) == 1  # no rule: it went in
    RoundVote.objects.filter(pk=anh.pk).update(votes=25)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert RULE in refused(lambda: RoundVote.objects.filter(pk=anh.pk).update(votes=28))


def test_a_round_never_issues_more_ballots_than_delegates_present(entered, election):
    from congresses.elections.db_rules import PRESENT_RULE
    from congresses.elections.models import Election

    assert election.present == 28 and entered.issued == 28
    rounds_ = Round.objects.filter(pk=entered.pk)
    assert PRESENT_RULE in refused(lambda: rounds_.update(issued=29))
    elections_ = Election.objects.filter(pk=election.pk)
    assert PRESENT_RULE in refused(lambda: elections_.update(present=27))
    assert elections_.update(present=29) == 1  # more present than ballots issued: fine


def test_delegates_present_never_exceed_those_summoned(election):
    from congresses.elections.models import Election

    assert (election.summoned, election.present) == (30, 28)
    elections_ = Election.objects.filter(pk=election.pk)
    assert "election_present_within_summoned" in refused(lambda: elections_.update(present=31))
