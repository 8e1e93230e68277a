"""Elections through the services: setup, candidates, rounds, decisions, certification."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from congresses import services
from congresses.elections import certification, rounds
from congresses.elections import services as elections
from congresses.elections.models import (
    Candidate,
    Election,
    ElectionKind,
    ElectionStatus,
    Round,
    RoundVote,
)
from congresses.elections.results import outcome
from congresses.models import CongressStatus, Delegate, ObtainedBy, Post, PostKind
from congresses.read_only import Conflict
from tests.congresses.elections.helpers import CLEAR, NAMES, SHORT, TIE, enter, ids
from tests.congresses.helpers import DAY
from tests.factories import member, persona, user

pytestmark = pytest.mark.django_db


def test_an_executive_election_takes_the_congress_seats_attendance_and_the_charter(election):
    assert (election.seats, election.summoned, election.present) == (3, 30, 28)
    assert (election.elected_by, election.held_on, election.rules) == ("congress", DAY, "vgcl_2018")
    assert (election.denominator, election.threshold, election.tie_break) == (
        "collected",
        "majority",
        "further_round",
    )
    assert election.status == ElectionStatus.DRAFT


def test_the_ballot_lists_candidates_in_vietnamese_order_by_given_name(election):
    # Anh, Bình, Đức, Hà, Lan: given names first; đ after d
    ballot = [c.person_name for c in outcome(election).candidates]
    assert ballot == [
        "Lê Minh Anh",
        "Trần Văn Bình",
        "Đỗ Quang Đức",
        "Phạm Thu Hà",
        "Nguyễn Thị Lan",
    ]


def test_which_body_elects_what_is_enforced_with_the_rule(congress):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        elections.create_election(
            congress=congress, kind=ElectionKind.INSPECTION, elected_by="congress", seats=3
        )
    assert "Art. 29" in str(error.value)
    chair = elections.create_election(congress=congress, kind=ElectionKind.CHAIR)
    assert (chair.elected_by, chair.seats, chair.summoned) == ("committee", 1, 3)
    direct = elections.create_election(congress=congress, kind=ElectionKind.FULL_DELEGATE, seats=2)
    assert direct.elected_by == "congress"


def test_one_election_of_a_kind_per_congress_and_a_chair_is_one_seat(congress, election):
    with translation.override("en"), pytest.raises(ValidationError, match="already"):
        elections.create_election(congress=congress, kind=ElectionKind.EXECUTIVE)
    with translation.override("en"), pytest.raises(ValidationError, match="single seat"):
        elections.create_election(congress=congress, kind=ElectionKind.CHAIR, seats=2)


def test_the_unions_own_rules_need_every_field_and_their_source(congress):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        elections.create_election(
            congress=congress, kind=ElectionKind.EXECUTIVE, rules="custom", denominator="valid"
        )
    assert set(error.value.message_dict) == {
        "threshold",
        "tie_break",
        "vacancy_allowed",
        "rules_note",
    }
    custom = elections.create_election(
        congress=congress,
        kind=ElectionKind.EXECUTIVE,
        rules="custom",
        denominator="valid",
        threshold="majority",
        tie_break="lot",
        vacancy_allowed=False,
        max_rounds=3,
        rules_note="Thể lệ bầu cử do đại hội thông qua",
    )
    assert custom.rule_set.denominator == "valid" and custom.rule_set.max_rounds == 3


def test_a_member_outside_the_branch_cannot_stand(tree, election):
    stranger = member(tree.far_union, name="Hoàng Văn Xa")
    with translation.override("en"), pytest.raises(ValidationError, match="not a member"):
        elections.add_candidate(election=election, member=stranger)


@pytest.mark.parametrize(
    ("counts", "field", "text"),
    [
        ({"issued": 27}, "collected", "More ballots collected (28) than issued (27)"),
        ({"issued": 29, "collected": 29}, "issued", "than present (28)"),
        ({"invalid": 3, "valid": 24}, "invalid", "must add up to the 28 collected"),
        ({"blank": 29}, "blank", "More blank ballots"),
        ({"votes": {"Lê Minh Anh": 29}}, "vote", "than valid ballots that mark anyone (28)"),
        (
            {"votes": dict.fromkeys(NAMES, 28)},
            "votes",
            "than seats (3) × valid ballots that mark anyone (28)",
        ),
    ],
)
def test_impossible_counts_are_refused_beside_their_field_and_nothing_is_written(
    election, counts, field, text
):
    by_name = ids(election)
    votes = {by_name[n]: v for n, v in (dict.fromkeys(NAMES, 10) | counts.pop("votes", {})).items()}
    arguments = {"issued": 28, "collected": 28, "valid": 28, "invalid": 0, "blank": 0} | counts
    with translation.override("en"), pytest.raises(ValidationError) as error:
        rounds.enter_round(election=election, votes=votes, **arguments)
    fields = error.value.message_dict
    key = next(k for k in fields if k.startswith(field))
    assert text in " ".join(fields[key])
    assert not Round.objects.exists() and not RoundVote.objects.exists()
    assert Election.objects.get(pk=election.pk).version == election.version


def test_votes_must_cover_exactly_the_ballot(election):
    by_name = ids(election)
    with translation.override("en"), pytest.raises(ValidationError, match="every candidate"):
        rounds.enter_round(
            election=election,
            issued=28,
            collected=28,
            valid=28,
            invalid=0,
            votes={by_name["Lê Minh Anh"]: 20},
        )


def test_a_tie_for_the_last_seat_goes_to_a_further_round_among_the_tied_only(election):
    # 28 collected: more than half is 15. Anh 25, Bình 20, Đức 16 = Hà 16, Lan 3
    enter(election, TIE)
    result = outcome(election)
    assert [c.person_name for c in result.rounds[0].tied] == ["Đỗ Quang Đức", "Phạm Thu Hà"]
    assert [line.candidate.person_name for line in result.elected] == [
        "Lê Minh Anh",
        "Trần Văn Bình",
    ]
    assert result.awaiting == "round" and result.state.next_seats == 1
    assert [c.person_name for c in result.next_candidates] == ["Đỗ Quang Đức", "Phạm Thu Hà"]
    election.refresh_from_db()
    assert election.status == ElectionStatus.DRAFT
    # the further round may not offer anyone else
    with translation.override("en"), pytest.raises(ValidationError, match="every candidate"):
        enter(election, {"Đỗ Quang Đức": 10, "Phạm Thu Hà": 10, "Nguyễn Thị Lan": 8})
    second = enter(election, {"Đỗ Quang Đức": 17, "Phạm Thu Hà": 11})
    assert second.number == 2 and second.seats == 1
    result = outcome(election)
    assert result.complete
    assert [line.candidate.person_name for line in result.elected] == [
        "Lê Minh Anh",
        "Trần Văn Bình",
        "Đỗ Quang Đức",
    ]
    election.refresh_from_db()
    assert election.status == ElectionStatus.ENTERED


def test_certification_makes_the_elected_committee_members_from_the_congress_day(election):
    enter(election, CLEAR)
    election.refresh_from_db()
    certification.certify(election=election, expected_version=election.version)
    election.refresh_from_db()
    assert (election.status, election.revision) == (ElectionStatus.CERTIFIED, 1)
    posts = Post.objects.filter(election=election).order_by("order")
    assert [p.person_name for p in posts] == ["Lê Minh Anh", "Trần Văn Bình", "Đỗ Quang Đức"]
    assert {(p.kind, p.obtained_by, p.starts_on) for p in posts} == {
        (PostKind.EXECUTIVE, ObtainedBy.CONGRESS, DAY)
    }
    assert certification.verify(election)


def test_a_certified_result_is_read_only(election):
    enter(election, CLEAR)
    certification.certify(election=election)
    last = Round.objects.get(election=election)
    before = list(RoundVote.objects.values_list("votes", flat=True).order_by("pk"))
    with translation.override("en"):
        for attempt in (
            lambda: rounds.delete_round(round=last),
            lambda: rounds.correct_round(
                round=last, issued=28, collected=28, valid=28, invalid=0, votes={}
            ),
            lambda: elections.add_candidate(election=election, person_name="Ai đó"),
            lambda: elections.update_election(election=election, present=27),
            lambda: elections.delete_election(election=election),
        ):
            with pytest.raises(Conflict, match="certified"):
                attempt()
    assert list(RoundVote.objects.values_list("votes", flat=True).order_by("pk")) == before


def test_only_an_administrator_reopens_with_a_reason_and_corrections_keep_history(tree, election):
    enter(election, CLEAR)
    certification.certify(election=election)
    secretary = persona(tree, "secretary")
    admin = user("root", is_superuser=True)
    with pytest.raises(PermissionDenied):
        certification.reopen(election=election, reason="typo", by=secretary)
    with translation.override("en"), pytest.raises(ValidationError, match="reason"):
        certification.reopen(election=election, reason="  ", by=admin)
    certification.reopen(election=election, reason="Phiếu của Hà đếm sai", by=admin)
    election.refresh_from_db()
    assert election.status == ElectionStatus.ENTERED
    assert election.history.first().history_change_reason == "reopened: Phiếu của Hà đếm sai"

    # Hà had 18, not 16, and Đức 15: Hà is elected instead of Đức
    last = Round.objects.get(election=election)
    by_name = ids(election)
    corrected = {
        "Lê Minh Anh": 25,
        "Trần Văn Bình": 20,
        "Đỗ Quang Đức": 15,
        "Phạm Thu Hà": 18,
        "Nguyễn Thị Lan": 3,
    }
    rounds.correct_round(
        round=last,
        issued=28,
        collected=28,
        valid=28,
        invalid=0,
        votes={by_name[n]: v for n, v in corrected.items()},
        by=secretary,
    )
    ha = RoundVote.objects.get(round=last, candidate_id=by_name["Phạm Thu Hà"])
    assert [h.votes for h in ha.history.order_by("history_date")] == [16, 18]
    certification.certify(election=election, by=secretary)
    election.refresh_from_db()
    assert election.revision == 2
    holders = set(Post.objects.filter(election=election).values_list("person_name", flat=True))
    assert holders == {"Lê Minh Anh", "Trần Văn Bình", "Phạm Thu Hà"}
    removed = Post.history.filter(history_type="-").get()
    assert removed.person_name == "Đỗ Quang Đức"


def test_a_stale_version_is_a_conflict_and_writes_nothing(election):
    stale = election.version
    enter(
        election,
        CLEAR,
        expected_version=stale,
    )
    with translation.override("en"), pytest.raises(Conflict, match="Someone else"):
        certification.certify(election=election, expected_version=stale)
    assert Election.objects.get(pk=election.pk).status == ElectionStatus.ENTERED


def test_too_few_pass_the_congress_leaves_the_seat_vacant(election):
    # 28 collected: 14 is exactly half and fails (ĐL2018 Art. 10.3)
    enter(election, SHORT)
    result = outcome(election)
    assert result.awaiting == "decision"
    assert result.decisions == ("vote_again", "leave_vacant")
    with translation.override("en"), pytest.raises(Conflict, match="decides first"):
        enter(election, {"Đỗ Quang Đức": 10, "Phạm Thu Hà": 10, "Nguyễn Thị Lan": 8})
    rounds.record_decision(election=election, decision="leave_vacant")
    result = outcome(election)
    assert result.complete and result.state.vacant == 1
    certification.certify(election=election)
    assert Post.objects.filter(election=election).count() == 2


def test_voting_again_offers_everyone_not_elected_for_the_open_seat(election):
    enter(election, SHORT)
    rounds.record_decision(election=election, decision="vote_again")
    result = outcome(election)
    assert [c.person_name for c in result.next_candidates] == [
        "Đỗ Quang Đức",
        "Phạm Thu Hà",
        "Nguyễn Thị Lan",
    ]
    enter(election, {"Đỗ Quang Đức": 19, "Phạm Thu Hà": 7, "Nguyễn Thị Lan": 2})
    assert outcome(election).complete


def test_lots_settle_a_tie_under_a_rule_that_says_so(congress, people):
    election = elections.create_election(
        congress=congress,
        kind=ElectionKind.FULL_DELEGATE,
        seats=2,
        rules="custom",
        denominator="collected",
        threshold="majority",
        tie_break="lot",
        vacancy_allowed=True,
        rules_note="Thể lệ của đại hội",
    )
    for person in people[:3]:
        elections.add_candidate(election=election, member=person)
    enter(election, {"Lê Minh Anh": 20, "Trần Văn Bình": 15, "Nguyễn Thị Lan": 15})
    result = outcome(election)
    assert result.awaiting == "lot"
    with translation.override("en"), pytest.raises(ValidationError, match="Choose 1"):
        rounds.record_decision(election=election, decision="lot", lot_winners=[])
    lan = ids(election)["Nguyễn Thị Lan"]
    rounds.record_decision(election=election, decision="lot", lot_winners=[lan])
    result = outcome(election)
    assert result.complete and [line.by_lot for line in result.elected] == [False, True]
    certification.certify(election=election)
    assert list(Delegate.objects.order_by("order").values_list("person_name", "kind")) == [
        ("Lê Minh Anh", "full"),
        ("Nguyễn Thị Lan", "full"),
    ]


def test_only_the_last_round_changes_and_deleting_it_reopens_the_step(election):
    first = enter(
        election,
        TIE,
    )
    enter(election, {"Đỗ Quang Đức": 17, "Phạm Thu Hà": 11})
    with translation.override("en"), pytest.raises(Conflict, match="Only the last"):
        rounds.delete_round(round=first)
    rounds.delete_round(round=Round.objects.get(election=election, number=2))
    election.refresh_from_db()
    assert election.status == ElectionStatus.DRAFT
    assert outcome(election).awaiting == "round"


def test_the_digest_detects_an_update_behind_the_services(election):
    enter(election, CLEAR)
    certification.certify(election=election)
    election.refresh_from_db()
    RoundVote.objects.filter(candidate_id=ids(election)["Nguyễn Thị Lan"]).update(votes=4)
    assert not certification.verify(election)


def test_reviewers_cannot_change_an_election_and_recognition_freezes_it(tree, congress, election):
    reviewer = persona(tree, "reviewer")
    with pytest.raises(PermissionDenied):
        elections.add_candidate(election=election, person_name="Khách", by=reviewer)
    services.submit_for_recognition(congress)
    services.recognise(congress, decision="1/QĐ", decided_on=date(2018, 1, 5))
    with translation.override("en"), pytest.raises(Conflict, match="recognised"):
        elections.add_candidate(election=election, person_name="Khách")


def test_no_candidate_changes_once_rounds_are_entered(election):
    enter(election, TIE)
    with translation.override("en"), pytest.raises(Conflict, match="ballot"):
        elections.remove_candidate(candidate=Candidate.objects.first())
    with translation.override("en"), pytest.raises(Conflict, match="seats"):
        elections.update_election(election=election, seats=4)


def test_a_chair_elected_by_the_committee_from_outside_it_is_flagged(congress, election, people):
    enter(election, CLEAR)
    certification.certify(election=election)
    chair = elections.create_election(congress=congress, kind=ElectionKind.CHAIR, present=3)
    elections.add_candidate(election=chair, member=people[2])  # Lê Minh Anh, on the committee
    elections.add_candidate(election=chair, member=people[1])  # Nguyễn Thị Lan, not elected
    from congresses.elections.results import warnings_for

    with translation.override("en"):
        texts = warnings_for(chair, outcome(chair))
    assert any("Nguyễn Thị Lan" in t and "executive committee" in t for t in texts)
    assert not any("Lê Minh Anh" in t for t in texts)
    assert congress.status == CongressStatus.HELD


def test_the_demo_congress_elects_its_committee_of_9_from_11_by_the_charter(demo):
    from decimal import Decimal

    from congresses import demo as congress_demo

    congress_demo.load()
    executive = Election.objects.get(
        congress__held_on=DAY, kind=ElectionKind.EXECUTIVE, congress__term__branch__code="hp-skhcn"
    )
    result = outcome(executive)
    assert executive.status == ElectionStatus.CERTIFIED and certification.verify(executive)
    assert (len(result.candidates), len(result.elected), executive.seats) == (11, 9, 9)
    count = result.rounds[0].count
    assert (count.denominator, count.threshold_votes) == (176, 89)  # 2 × 89 > 176
    lines = result.rounds[0].lines
    tenth, eleventh = lines[9], lines[10]
    assert tenth.passed and not tenth.elected  # passed the threshold, no seat left
    assert (eleventh.votes, eleventh.percentage, eleventh.passed) == (88, Decimal("50.0"), False)
    posts = Post.objects.filter(election=executive)
    assert posts.count() == 9 and {p.starts_on for p in posts} == {DAY}
    chair = Election.objects.get(congress=executive.congress, kind=ElectionKind.CHAIR)
    assert chair.elected_by == "committee" and outcome(chair).complete
    assert Post.objects.get(election=chair).member == result.elected[0].candidate.member


def test_verify_results_finds_a_count_changed_behind_the_application(election):
    from io import StringIO

    from django.core.management import call_command

    enter(election, CLEAR)
    certification.certify(election=election)
    out = StringIO()
    call_command("verify_results", stdout=out)
    assert "1 certified result(s) checked, 0 mismatch(es)." in out.getvalue()
    Round.objects.filter(election=election).update(invalid=1, valid=27)
    out = StringIO()
    with pytest.raises(SystemExit) as stop:
        call_command("verify_results", stdout=out)
    assert stop.value.code == 1
    assert f"MISMATCH election {election.pk}" in out.getvalue()


@pytest.mark.parametrize(
    "counts",
    [
        {"issued": 20, "collected": 21, "valid": 21, "invalid": 0},  # collected > issued
        {"issued": 28, "collected": 28, "valid": 25, "invalid": 2},  # valid + invalid ≠ collected
        {"issued": 28, "collected": 28, "valid": 28, "invalid": 0, "blank": 29},
    ],
)
def test_the_database_refuses_impossible_ballots_behind_the_services(election, counts):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.create(election=election, number=1, seats=3, **counts)


def test_the_database_refuses_negative_votes(election):
    from django.db import IntegrityError, transaction

    round_ = Round.objects.create(
        election=election, number=1, seats=3, issued=28, collected=28, valid=28, invalid=0
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundVote.objects.create(round=round_, candidate=election.candidates.first(), votes=-1)
