"""Picking a person for a post, a delegate seat or a candidacy from the register.

The people offered are the active members of the term's branch and its sub-units
(`people_of`); they are found with the member list's search
(members.filters.apply_member_search: parts of names without diacritics, a card number from
its start, a year of birth) and labelled so that namesakes part: name · year of birth · card
number · sub-unit. The picker's suggestions (congresses.views.people), the person forms
(congresses.forms.PersonForm) and the pasted ballot (congresses.elections.ballot_list) read
them here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from congresses.models import Term
from members import domain
from members.filters import apply_member_search
from members.models import Member, MemberStatus

SUGGESTIONS = 10  # the picker lists this many; more letters narrow them
CHOICES = 20  # a form lists this many matches to choose from; above, it asks for more letters


def people_of(term: Term) -> QuerySet[Member]:
    """The members a post, a delegate seat or a candidacy of the term may be given to."""
    members = term.register_members().filter(status=MemberStatus.ACTIVE)
    return members.select_related("branch").order_by("sort_key", "pk")


def details(member: Member) -> str:
    """What tells a member from a namesake: year of birth · card number · sub-unit."""
    parts = [
        str(member.birth_date.year) if member.birth_date else "",
        member.card_number or "",
        member.branch.display_name,
    ]
    return " · ".join(part for part in parts if part)


def person_label(member: Member) -> str:
    return f"{member.full_name} · {details(member)}"


def find_people(members: QuerySet[Member], text: str, *, limit: int) -> list[Member]:
    """The members `text` names: the one whose card number it is, else those the member
    search finds, in name order, at most `limit` (ask for one more to know there are more)."""
    card = domain.clean_card(text)
    if not card:
        return []
    exact = members.filter(card_number=card).first()
    if exact is not None:
        return [exact]
    return list(apply_member_search(members, text)[:limit])


def names(member: Member, text: str) -> bool:
    """Whether `text` finds `member` (their card number, or a search that lists them): a
    choice made among the matches stands only while the text that offered it is unchanged."""
    if member.card_number and member.card_number == domain.clean_card(text):
        return True
    return apply_member_search(Member.objects.filter(pk=member.pk), text).exists()


# A pasted line may start with its number in the list: "1. ", "2) ", "3 - ".
LINE_NUMBER = re.compile(r"^\d{1,3}\s*[.)\-–]\s+")


@dataclass(frozen=True)
class PastedLine:
    """A line of a pasted list and the members it names (none, one, or namesakes)."""

    text: str
    matches: tuple[Member, ...]


def pasted_lines(members: QuerySet[Member], text: str) -> list[PastedLine]:
    """Each non-blank line of `text` with the members it names exactly: the one with that card
    number, else those whose name is the line's, cleaned as names are stored
    (members.domain.clean_name). Nothing is guessed: "Nguyen Van An" does not name
    "Nguyễn Văn An"."""
    lines = [LINE_NUMBER.sub("", domain.clean_name(raw)) for raw in text.splitlines()]
    lines = [line for line in lines if line]
    by_card = {
        m.card_number: m
        for m in members.filter(card_number__in={domain.clean_card(line) for line in lines})
    }
    by_name: dict[str, list[Member]] = {}
    for m in members.filter(full_name__in=set(lines)):
        by_name.setdefault(m.full_name, []).append(m)
    return [
        PastedLine(line, (found,))
        if (found := by_card.get(domain.clean_card(line)))
        else PastedLine(line, tuple(by_name.get(line, [])[:CHOICES]))
        for line in lines
    ]
