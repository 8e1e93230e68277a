"""An audit row for every create, update and delete, checked model by model
(reliability-security test 47; tests/test_audit_trail.py checks that every model keeps a
history, and that every demo row has its creation in it).

On the whole demo, for every model that keeps a history (one test per model and per write, so
that a model added later fails here until someone adds its case to CASES):

- an update of one row, made the way users make it (the model's service where there is one,
  else the model's save()), adds one history row of type "~" that holds the new value, while
  the row before it holds the old one;
- a deletion made the way the application deletes that kind of record (its service, else the
  model's delete()) leaves a last history row of type "-" for the row's id, holding the row as
  it was. A model the application never deletes (its rows are protected, or a rule refuses)
  is listed in NOT_DELETED with the reason, and the test checks that the deletion is refused
  and leaves no "-" row; an entry that no longer holds fails.

Deletions the services refuse (a result once certified, a seat an election gave) leave no
"-" row either. Rows a service changes beside the one it is asked to change (the winners
of a lot, the targets moved down by a new one) get their own "~" rows: a queryset's update()
would write none, since simple-history never sees it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Model, ProtectedError

from congresses import committees, parts
from congresses import services as congress_services
from congresses.elections import certification, rounds
from congresses.elections import services as elections
from congresses.elections.models import Candidate, Decision, Election, ElectionKind, RoundVote
from congresses.models import (
    BodyMember,
    Congress,
    Delegate,
    DocumentKind,
    FirstMeeting,
    Guest,
    Post,
    PostEnd,
    PostKind,
)
from congresses.read_only import Conflict
from congresses.resolutions import progress
from congresses.resolutions import services as resolutions
from congresses.resolutions.models import (
    Campaign,
    Direction,
    Progress,
    Resolution,
    Review,
    ReviewItem,
    Target,
    TargetKind,
)
from members import import_lifetime, importer
from members import services as members
from members.models import (
    Branch,
    Grant,
    ImportJob,
    ImportStatus,
    LeaveReason,
    Member,
    Role,
)
from tests.member_lists import workbook
from tests.test_audit_trail import UNTRACKED, tracked

pytestmark = pytest.mark.django_db

UNION = "hp-skhcn"  # the demo's grassroots union; its secretary writes its whole subtree
REASON = "test 47: a correction"
PDF = b"%PDF-1.4\n% test 47\n%%EOF\n"

NOT_DELETED = {
    "members.Branch": "dissolved (dissolved_on), never deleted: no service deletes a branch, "
    "and its members, membership periods and terms protect it (PROTECT)",
    "congresses.Term": "no service, page or API deletes a term; its congress and its posts "
    "protect it (PROTECT)",
    "congresses.Congress": "no service, page or API deletes a congress; a recognised one is "
    "reopened and corrected, and its elections and resolution protect it (PROTECT)",
}


# --- The demo's rows and users ------------------------------------------------------------------


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def secretary() -> Any:
    return user("secretary")


def congress_of(year: int) -> Congress:
    return Congress.objects.select_related("term__branch").get(
        term__branch__code=UNION, held_on__year=year
    )


def reopened(year: int) -> Congress:
    """The demo congress of `year`, reopened by the administrator (all three are recognised,
    so read-only until then)."""
    return congress_services.reopen(congress_of(year), reason=REASON, by=user("admin"))


def reopened_election(kind: str) -> Election:
    """The certified demo election of 2017 of `kind`, its congress and it reopened."""
    congress = reopened(2017)
    election = Election.objects.get(congress=congress, kind=kind)
    return certification.reopen(election=election, reason=REASON, by=user("admin"))


def executive_2022(order: int) -> Post:
    """An executive seat the 2022 congress gave by hand (no election), by its place."""
    return Post.objects.get(
        term__congress=congress_of(2022), kind=PostKind.EXECUTIVE, order=order, election=None
    )


def free_member() -> Member:
    """A member who holds no post, seat, candidacy or login (nothing protects the row)."""
    taken = {
        *Post.objects.values_list("member_id", flat=True),
        *Delegate.objects.values_list("member_id", flat=True),
        *Candidate.objects.values_list("member_id", flat=True),
        *BodyMember.objects.values_list("member_id", flat=True),
    }
    return (
        Member.objects.filter(branch__code="hp-skhcn-vp", user=None, status="active")
        .exclude(pk__in=taken - {None})
        .order_by("card_number")
        .first()
    )


def resolution_2022() -> Resolution:
    """The resolution of the running term: no review has frozen its targets yet."""
    return Resolution.objects.get(congress=congress_of(2022))


def target_with_figures() -> Target:
    """A whole target (not split) of the running term, counted, with figures recorded."""
    found = Target.objects.filter(
        resolution=resolution_2022(), parent=None, kind=TargetKind.COUNT, progress__isnull=False
    )
    return found.order_by("pk").first()


def import_job() -> ImportJob:
    """A member list uploaded to the union and checked at once (the demo has no import)."""
    rows = [["Lò Thị Mai", "Nữ", "12/03/1990", "HP4701", "01/02/2019", "hp-skhcn-vp"]]
    job = importer.start(
        branch=Branch.objects.get(code=UNION),
        data=workbook(rows),
        filename="danh-sach.xlsx",
        by=secretary(),
        background=False,
    )
    assert job.status == ImportStatus.PREVIEWED, job.message
    return job


def document() -> Any:
    """The signed minutes attached to the 2022 congress (the demo has no document)."""
    congress = reopened(2022)
    return parts.attach_document(
        congress=congress,
        kind=DocumentKind.MINUTES,
        name="Biên bản.pdf",
        data=PDF,
        by=secretary(),
    )


# --- Updates --------------------------------------------------------------------------------------


@dataclass
class Edit:
    """One change of one row: `field` (an attname) of `row` becomes `new` when `apply` runs."""

    row: Model
    field: str
    new: Any
    apply: Callable[[], object]


def save_with(row: Model, field: str, new: Any) -> Edit:
    """The change made by the model's save() (no service changes this kind of row)."""

    def apply() -> None:
        setattr(row, field, new)
        row.save()

    return Edit(row, field, new, apply)


def edit_branch() -> Edit:
    branch = Branch.objects.get(code="hp-skhcn-vp")
    new = "CĐBP Văn phòng Sở (sửa)"
    return Edit(
        branch,
        "short_name",
        new,
        lambda: members.update_branch(branch=branch, short_name=new, by=secretary()),
    )


def edit_member() -> Edit:
    person = free_member()
    return Edit(
        person,
        "ethnicity",
        "Mường",
        lambda: members.update_member(member=person, ethnicity="Mường", by=secretary()),
    )


def edit_membership() -> Edit:
    person = free_member()
    period = person.periods.get(ended_on=None)
    day = date(2024, 6, 30)
    return Edit(
        period,
        "ended_on",
        day,
        lambda: members.mark_left(
            member=person, on=day, reason=LeaveReason.RETIRED, by=secretary()
        ),
    )


def edit_import_job() -> Edit:
    job = import_job()
    return Edit(
        job,
        "status",
        ImportStatus.CANCELLED,
        lambda: import_lifetime.cancel(job, by=secretary()),
    )


def edit_term() -> Edit:
    congress = reopened(2022)
    term = congress.term
    return Edit(
        term,
        "ordinal",
        term.ordinal + 10,
        lambda: congress_services.update_term(term=term, ordinal=term.ordinal + 10, by=secretary()),
    )


def edit_congress() -> Edit:
    congress = reopened(2022)
    venue = "Hội trường Liên đoàn Lao động thành phố"
    return Edit(
        congress,
        "venue",
        venue,
        lambda: congress_services.update_congress(congress=congress, venue=venue, by=secretary()),
    )


def edit_post() -> Edit:
    post = executive_2022(9)
    day = date(2024, 1, 15)
    return Edit(
        post,
        "ends_on",
        day,
        lambda: committees.end_post(post=post, on=day, reason=PostEnd.RESIGNED, by=secretary()),
    )


def edit_election() -> Edit:
    election = reopened_election(ElectionKind.EXECUTIVE)
    summoned = election.summoned + 5
    return Edit(
        election,
        "summoned",
        summoned,
        lambda: elections.update_election(election=election, summoned=summoned, by=secretary()),
    )


def _votes(round_: Any) -> dict[int, int]:
    return dict(round_.votes.values_list("candidate_id", "votes"))


def edit_round() -> Edit:
    """The last round corrected: one valid ballot was invalid."""
    election = reopened_election(ElectionKind.EXECUTIVE)
    round_ = election.rounds.get()
    return Edit(
        round_,
        "valid",
        round_.valid - 1,
        lambda: rounds.correct_round(
            round=round_,
            issued=round_.issued,
            collected=round_.collected,
            valid=round_.valid - 1,
            invalid=round_.invalid + 1,
            blank=round_.blank,
            votes=_votes(round_),
            by=secretary(),
        ),
    )


def edit_round_vote() -> Edit:
    """The last round corrected: the last candidate had one vote less."""
    election = reopened_election(ElectionKind.EXECUTIVE)
    round_ = election.rounds.get()
    vote = round_.votes.order_by("votes", "pk").first()
    votes = _votes(round_) | {vote.candidate_id: vote.votes - 1}
    return Edit(
        vote,
        "votes",
        vote.votes - 1,
        lambda: rounds.correct_round(
            round=round_,
            issued=round_.issued,
            collected=round_.collected,
            valid=round_.valid,
            invalid=round_.invalid,
            blank=round_.blank,
            votes=votes,
            by=secretary(),
        ),
    )


def edit_resolution() -> Edit:
    resolution = resolution_2022()
    preamble = "Nghị quyết Đại hội, bản đã sửa."
    return Edit(
        resolution,
        "preamble",
        preamble,
        lambda: resolutions.update_resolution(
            resolution=resolution, preamble=preamble, by=secretary()
        ),
    )


def edit_direction() -> Edit:
    direction = Direction.objects.filter(resolution=resolution_2022()).order_by("number").first()
    text = "Chăm lo việc làm và thu nhập của đoàn viên (sửa)."
    return Edit(
        direction,
        "text",
        text,
        lambda: resolutions.update_direction(direction=direction, text=text, by=secretary()),
    )


def edit_target() -> Edit:
    target = target_with_figures()
    title = f"{target.title} (sửa)"
    return Edit(
        target,
        "title",
        title,
        lambda: resolutions.update_target(target=target, title=title, by=secretary()),
    )


def edit_progress() -> Edit:
    figure = Progress.objects.filter(target=target_with_figures()).order_by("on").first()
    actual = figure.actual + 1
    return Edit(
        figure,
        "actual",
        actual,
        lambda: progress.correct_progress(figure=figure, actual=actual, by=secretary()),
    )


def edit_review_item() -> Edit:
    item = ReviewItem.objects.order_by("pk").first()
    text = "Hoàn thành chỉ tiêu phát triển đoàn viên (sửa)."
    return Edit(
        item, "text", text, lambda: progress.update_item(item=item, text=text, by=secretary())
    )


def edit_document() -> Edit:
    return save_with(document(), "original_name", "Biên bản đại hội (bản ký).pdf")


# --- Deletions ------------------------------------------------------------------------------------


@dataclass
class Removal:
    """The deletion of `row` when `apply` runs."""

    row: Model
    apply: Callable[[], object]


@dataclass
class Refusal:
    """A deletion of `row` the application refuses with `error` (see NOT_DELETED)."""

    row: Model
    apply: Callable[[], object]
    error: type[Exception]


def delete(row: Model) -> Removal:
    """The deletion by the model's delete() (no service deletes this kind of row; the admin
    site, where it lists the model, does this)."""
    return Removal(row, row.delete)


def remove_member() -> Removal:
    return delete(free_member())


def remove_membership() -> Removal:
    return delete(free_member().periods.get(ended_on=None))


def remove_post() -> Removal:
    reopened(2022)  # a seat the congress gave is read-only while it is recognised
    post = executive_2022(9)
    return Removal(
        post,
        lambda: committees.delete_post(post=post, reason="entered by mistake", by=secretary()),
    )


def remove_delegate() -> Removal:
    congress = reopened(2017)
    delegate = Delegate.objects.filter(congress=congress, election=None).order_by("pk").last()
    return Removal(delegate, lambda: committees.remove_delegate(delegate=delegate, by=secretary()))


def remove_guest() -> Removal:
    guest = Guest.objects.filter(congress=reopened(2017)).order_by("pk").last()
    return Removal(guest, lambda: parts.remove_guest(guest=guest, by=secretary()))


def remove_body_member() -> Removal:
    seat = BodyMember.objects.filter(congress=reopened(2017)).order_by("pk").last()
    return Removal(seat, lambda: parts.remove_body_member(seat=seat, by=secretary()))


def remove_election() -> Removal:
    """An election recorded at the 2022 congress, deleted before any result (one certified
    once is corrected, never deleted: delete_election refuses it)."""
    congress = reopened(2022)
    election = elections.create_election(
        congress=congress, kind=ElectionKind.EXECUTIVE, by=secretary()
    )
    return Removal(election, lambda: elections.delete_election(election=election, by=secretary()))


def _chair_round() -> Any:
    return reopened_election(ElectionKind.CHAIR).rounds.get()


def remove_round() -> Removal:
    round_ = _chair_round()
    return Removal(round_, lambda: rounds.delete_round(round=round_, by=secretary()))


def remove_round_vote() -> Removal:
    round_ = _chair_round()
    return Removal(round_.votes.get(), lambda: rounds.delete_round(round=round_, by=secretary()))


def remove_candidate() -> Removal:
    """The chair's only candidate, once the round was deleted (a ballot with rounds is kept)."""
    round_ = _chair_round()
    rounds.delete_round(round=round_, by=secretary())
    candidate = Candidate.objects.get(election=round_.election)
    return Removal(
        candidate, lambda: elections.remove_candidate(candidate=candidate, by=secretary())
    )


def remove_direction() -> Removal:
    direction = Direction.objects.filter(resolution=resolution_2022()).order_by("number").last()
    return Removal(
        direction, lambda: resolutions.remove_direction(direction=direction, by=secretary())
    )


def remove_campaign() -> Removal:
    campaign = Campaign.objects.filter(resolution=resolution_2022()).order_by("order").last()
    return Removal(campaign, lambda: resolutions.remove_campaign(campaign=campaign, by=secretary()))


def remove_target() -> Removal:
    target = target_with_figures()
    return Removal(target, lambda: resolutions.remove_target(target=target, by=secretary()))


def remove_progress() -> Removal:
    """A figure goes with its target (remove_target: no service deletes a figure alone)."""
    target = target_with_figures()
    return Removal(
        target.progress.order_by("on").first(),
        lambda: resolutions.remove_target(target=target, by=secretary()),
    )


def remove_review_item() -> Removal:
    item = ReviewItem.objects.order_by("pk").last()
    return Removal(item, lambda: progress.remove_item(item=item, by=secretary()))


def refuse_branch() -> Refusal:
    branch = Branch.objects.get(code="hp-skhcn-vp")
    return Refusal(branch, branch.delete, ProtectedError)


def refuse_term() -> Refusal:
    term = congress_of(2022).term
    return Refusal(term, term.delete, ProtectedError)


def refuse_congress() -> Refusal:
    congress = congress_of(2017)
    return Refusal(congress, congress.delete, ProtectedError)


# --- Each model's update and deletion -----------------------------------------------------------


def first(model: type[Model], **where: Any) -> Model:
    return model._default_manager.filter(**where).order_by("pk").first()


CASES: dict[str, tuple[Callable[[], Edit], Callable[[], Removal | Refusal]]] = {
    "members.Branch": (edit_branch, refuse_branch),
    "members.Grant": (
        lambda: save_with(first(Grant, user__username="reviewer"), "role", Role.SECRETARY),
        lambda: delete(first(Grant, user__username="reviewer")),
    ),
    "members.ImportJob": (edit_import_job, lambda: delete(import_job())),
    "members.Member": (edit_member, remove_member),
    "members.Membership": (edit_membership, remove_membership),
    "congresses.Term": (edit_term, refuse_term),
    "congresses.Congress": (edit_congress, refuse_congress),
    "congresses.Guest": (
        lambda: save_with(first(Guest), "title", "Phó Chủ tịch thường trực"),
        remove_guest,
    ),
    "congresses.BodyMember": (
        lambda: save_with(first(BodyMember), "role", "Thư ký"),
        remove_body_member,
    ),
    "congresses.Document": (edit_document, lambda: delete(document())),
    "congresses.Post": (edit_post, remove_post),
    "congresses.Delegate": (
        lambda: save_with(first(Delegate), "order", 9),
        remove_delegate,
    ),
    "congresses.FirstMeeting": (
        lambda: save_with(first(FirstMeeting), "minutes_by", "Lê Thị Thư"),
        lambda: delete(first(FirstMeeting)),
    ),
    "congresses.Election": (edit_election, remove_election),
    "congresses.Candidate": (
        lambda: save_with(first(Candidate), "person_name", "Nguyễn Văn Sửa"),
        remove_candidate,
    ),
    "congresses.Round": (edit_round, remove_round),
    "congresses.RoundVote": (edit_round_vote, remove_round_vote),
    "congresses.Resolution": (edit_resolution, lambda: delete(resolution_2022())),
    "congresses.Direction": (edit_direction, remove_direction),
    "congresses.Campaign": (
        lambda: save_with(first(Campaign), "name", "Lao động giỏi (sửa)"),
        remove_campaign,
    ),
    "congresses.Target": (edit_target, remove_target),
    "congresses.Progress": (edit_progress, remove_progress),
    "congresses.Review": (
        lambda: save_with(first(Review), "held_on", date(2020, 7, 11)),
        lambda: delete(first(Review)),
    ),
    "congresses.ReviewItem": (edit_review_item, remove_review_item),
}

LABELS = sorted(tracked())


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Uploaded files (a document, a member list) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path


def history_of(row: Model) -> list[Any]:
    history = tracked()[row._meta.label]
    return list(history.objects.filter(id=row.pk).order_by("history_id"))


def live(row: Model, *fields: str) -> dict[str, Any]:
    return type(row)._default_manager.filter(pk=row.pk).values(*fields).get()


def test_every_model_has_its_cases_and_every_exemption_holds():
    assert set(CASES) == set(LABELS), "add the update and deletion of each new model to CASES"
    assert set(NOT_DELETED) <= set(LABELS), "no stale exemption"  # each one: its Refusal below
    assert not set(NOT_DELETED) & set(UNTRACKED)


@pytest.mark.parametrize("label", LABELS)
def test_an_update_adds_a_change_row_with_the_new_value(_seed_for_module, label):
    assert label in CASES, f"{label}: add how it is updated and deleted to CASES"
    edit = CASES[label][0]()
    assert edit.row._meta.label == label
    old = live(edit.row, edit.field)[edit.field]
    assert old != edit.new
    before = history_of(edit.row)
    assert before, "the row's creation is in its history"
    edit.apply()
    assert live(edit.row, edit.field)[edit.field] == edit.new
    rows = history_of(edit.row)
    assert rows[: len(before)] == before  # nothing rewritten
    added = rows[len(before) :]
    assert [row.history_type for row in added] == ["~"], "one change row"
    assert getattr(added[0], edit.field) == edit.new
    assert getattr(rows[len(before) - 1], edit.field) == old  # the row before: the old value


@pytest.mark.parametrize("label", LABELS)
def test_a_deletion_leaves_a_last_row_of_the_row_as_it_was(_seed_for_module, label):
    assert label in CASES, f"{label}: add how it is updated and deleted to CASES"
    removal = CASES[label][1]()
    row, pk = removal.row, removal.row.pk  # delete() leaves the instance without its pk
    assert row._meta.label == label
    history = tracked()[label]
    fields = [
        f.attname
        for f in history.instance_type._meta.concrete_fields
        if f.attname in {h.attname for h in history._meta.concrete_fields}
    ]
    rows = type(row)._default_manager.filter(pk=pk)
    was = rows.values(*fields).get()
    if isinstance(removal, Refusal):
        assert label in NOT_DELETED
        with pytest.raises(removal.error):
            removal.apply()
        assert rows.values(*fields).get() == was
        assert not history.objects.filter(id=pk, history_type="-").exists()
        return
    assert label not in NOT_DELETED, f"{label} is deleted: remove it from NOT_DELETED"
    removal.apply()
    assert not rows.exists()
    last = history.objects.filter(id=pk).latest("history_id")
    assert last.history_type == "-"
    assert {name: getattr(last, name) for name in fields} == was


# --- Changes a service makes to rows beside the one it is asked to change ----------------------


def test_lots_drawn_add_a_change_row_to_the_winners_votes(_seed_for_module):
    """Delegates elected at the 2017 congress under rules that settle a tie by lot."""
    congress = reopened(2017)
    election = elections.create_election(
        congress=congress,
        kind=ElectionKind.FULL_DELEGATE,
        seats=2,
        rules="custom",
        denominator="collected",
        threshold="majority",
        tie_break="lot",
        vacancy_allowed=True,
        rules_note="Thể lệ bầu cử của đại hội",
        by=secretary(),
    )
    people = Member.objects.filter(branch__code="hp-skhcn-ql").order_by("card_number")[:3]
    ballot = [elections.add_candidate(election=election, member=p, by=secretary()) for p in people]
    rounds.enter_round(
        election=election,
        issued=176,
        collected=176,
        valid=176,
        invalid=0,
        votes=dict(zip([c.pk for c in ballot], [120, 100, 100], strict=True)),
        by=secretary(),
    )
    drawn = RoundVote.objects.get(candidate=ballot[2])
    before = len(history_of(drawn))
    rounds.record_decision(
        election=election, decision=Decision.LOT, lot_winners=[ballot[2].pk], by=secretary()
    )
    assert RoundVote.objects.get(pk=drawn.pk).won_by_lot
    rows = history_of(drawn)
    assert len(rows) == before + 1
    assert (rows[-1].history_type, rows[-1].won_by_lot) == ("~", True)


def test_a_target_put_first_adds_a_change_row_to_the_targets_it_moves(_seed_for_module):
    resolution = resolution_2022()
    moved = list(resolution.targets.filter(parent=None).order_by("order"))
    counts = {target.pk: len(history_of(target)) for target in moved}
    resolutions.add_target(
        resolution=resolution,
        title="Phát triển đoàn viên mới",
        kind=TargetKind.COUNT,
        target_value=Decimal(10),
        order=1,
        by=secretary(),
    )
    for target in moved:
        rows = history_of(target)
        assert Target.objects.get(pk=target.pk).order == target.order + 1
        assert len(rows) == counts[target.pk] + 1
        assert (rows[-1].history_type, rows[-1].order) == ("~", target.order + 1)


def test_a_refused_deletion_through_a_service_leaves_no_row(_seed_for_module):
    """A result certified once is corrected, never deleted (delete_election), and a seat the
    election gave is corrected through it (delete_post): refused, with no "-" row."""
    election = reopened_election(ElectionKind.EXECUTIVE)
    with pytest.raises(Conflict):
        elections.delete_election(election=election, by=secretary())
    post = Post.objects.filter(election=election).order_by("pk").last()
    with pytest.raises(Conflict):
        committees.delete_post(post=post, reason="entered by mistake", by=secretary())
    assert not Election.history.filter(id=election.pk, history_type="-").exists()
    assert not Post.history.filter(id=post.pk, history_type="-").exists()
