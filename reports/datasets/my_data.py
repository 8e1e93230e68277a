"""Everything the register stores about one member, for the member themselves (issue 15,
item 2; reliability-security test 53): their record, membership periods, posts, delegations,
candidacies with their votes, the history rows of the record and of the periods, and their
correction requests. The one source of `/me/data.json` and `/me/data.pdf`
(reports.formats.my_data), so the two files hold the same.

Every stored column of each row is listed, read from the models' fields (a field added to
the record later appears here without a change), except:
- the link from a row back to the member (every row here is theirs);
- other people: the accounts of those who changed a row, entered a round or answered a
  request (`history_user`, `entered_by`, `answered_by`), and the other candidates' votes;
- search and sort keys derived from the name (the name itself is listed).
A candidacy or a post is theirs when it is linked to their record; one that only names them
in text is not found here.

Language-neutral, as every dataset: codes, dates and stored text; labels (fields' verbose
names, choices' labels, sections' titles) are lazy and translate when a format reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congresses.elections.models import Candidate, RoundVote
from congresses.models import Delegate, Post
from members.models import CorrectionRequest, Member, Membership

Value = str | int | bool | None

# Columns never listed (see the module's docstring).
OTHER_PEOPLE = frozenset({"history_user", "entered_by", "answered_by"})
DERIVED = frozenset({"search_key", "sort_key"})
HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass(frozen=True)
class Item:
    """One stored column: its name, its label (lazy), its value as stored (a code, an ISO
    day, a number, text) and, for a choice or a linked row, what it reads as."""

    key: str
    label: Any
    value: Value
    shown: Any = None


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    rows: tuple[tuple[Item, ...], ...]


@dataclass(frozen=True)
class MyData:
    member_id: int
    full_name: str
    branch_name: str
    generated_at: datetime
    sections: tuple[Section, ...]

    def as_json(self) -> dict[str, Any]:
        """The JSON file's content: each section a list of rows, each row `{column: value}`
        (the record a single object)."""
        data: dict[str, Any] = {
            "generated_at": self.generated_at.isoformat(),
            "member_id": self.member_id,
        }
        for section in self.sections:
            rows = [{item.key: item.value for item in row} for row in section.rows]
            data[section.key] = rows[0] if section.key == "record" else rows
        return data


def _stored(value: Any) -> Value:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def row_items(obj: models.Model, *, skip: frozenset[str] = frozenset()) -> tuple[Item, ...]:
    """Every concrete column of `obj` but those skipped, OTHER_PEOPLE and DERIVED."""
    items = []
    for field in obj._meta.concrete_fields:
        if field.name in skip or field.name in OTHER_PEOPLE or field.name in DERIVED:
            continue
        label = field.verbose_name
        if field.is_relation:
            related = getattr(obj, field.name)
            text = None if related is None else str(related)
            items.append(Item(field.name, label, text))
            continue
        value = getattr(obj, field.attname)
        shown = None
        if field.name == "history_type":
            shown = HISTORY_TYPES.get(value)
        elif field.choices and value not in (None, ""):
            shown = dict(field.flatchoices).get(value)
        items.append(Item(field.name, label, _stored(value), shown))
    return tuple(items)


def _section(key: str, title: Any, rows: Any, skip: frozenset[str]) -> Section:
    return Section(key, title, tuple(row_items(row, skip=skip) for row in rows))


def _votes(member: Member) -> tuple[tuple[Item, ...], ...]:
    votes = (
        RoundVote.objects.filter(candidate__member=member)
        .select_related("round__election__congress__term__branch")
        .order_by("round__election__held_on", "round__number", "id")
    )
    return tuple(
        (
            Item("election", _("election"), str(vote.round.election)),
            Item("round", _("round"), vote.round.number),
            Item("votes", _("votes"), vote.votes),
            Item("won_by_lot", _("won by lot"), vote.won_by_lot),
        )
        for vote in votes
    )


def my_data(member: Member) -> MyData:
    """Everything stored about `member` (see the module's docstring), rows oldest first."""
    me = frozenset({"member"})
    periods = member.periods.select_related("branch").order_by("started_on", "id")
    posts = Post.objects.filter(member=member).select_related("term__branch", "election")
    delegates = Delegate.objects.filter(member=member).select_related(
        "congress__term__branch", "election__congress__term__branch"
    )
    candidacies = Candidate.objects.filter(member=member).select_related(
        "election__congress__term__branch"
    )
    history = member.history.select_related("branch", "user").order_by("history_date")
    period_history = (
        Membership.history.filter(member_id=member.pk)
        .select_related("branch")
        .order_by("history_date", "history_id")
    )
    corrections = CorrectionRequest.objects.filter(member=member).order_by("created_at", "id")
    sections = (
        _section("record", _("Member record"), [member], frozenset()),
        _section("periods", _("Membership periods"), periods, me),
        _section("posts", _("Posts held"), posts.order_by("starts_on", "id"), me),
        _section("delegates", _("Delegations"), delegates.order_by("id"), me),
        _section("candidacies", _("Candidacies"), candidacies.order_by("election_id"), me),
        Section("votes", _("Votes received"), _votes(member)),
        _section("history", _("History of the record"), history, frozenset()),
        _section("period_history", _("History of the periods"), period_history, me),
        _section("correction_requests", _("Correction requests"), corrections, me),
    )
    return MyData(member.pk, member.full_name, member.branch.name, timezone.now(), sections)
