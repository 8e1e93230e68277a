"""Filters for member lists: the page's filter form and the API share these helpers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast

import django_filters
from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from unionrec.access import Need, Scope, scope_for
from unionrec.forms import QuickSelect
from unionrec.keyset import ids_first
from unionrec.plans import AnyOf, Unindexed, hides_columns, planned_column

from . import domain, search
from .counting import expected_members, register
from .disclosure import searches_personal
from .models import Branch, Gender, Member, MemberStatus
from .pickers import BranchFilter
from .statistics import today


def apply_member_search(
    queryset: QuerySet[Member], text: str, *, personal: bool = True
) -> QuerySet[Member]:
    """Names are matched folded (no diacritics, no case, đ as d), each word of the search on
    its own, anywhere in the name, so "hoang dung" finds "Hoàng Dũng" and "Hoàng Văn Dũng";
    text with a digit is also a card number, matched from its start. The text is cleaned as
    names are stored (members.domain.fold and clean_card), so a pasted zero-width space, soft
    hyphen or full-width letter finds the same members as the name typed plainly. A word that
    is a year (four digits) finds the members born that year, so namesakes part: "lan 1985"
    finds Lan born in 1985. Served by indexes on both databases (members.search). Card
    numbers and years are matched only with `personal` (members.disclosure.searches_personal):
    without it, a search with a year or a card number finds nobody."""
    return search.search(queryset, text, personal=personal)


def members_in_band(queryset: QuerySet[Member], band: str) -> QuerySet[Member]:
    """Members whose age today falls in `band` (one of members.domain.AGE_BANDS)."""
    if band not in {code for code, _low, _high in domain.AGE_BANDS}:
        return queryset.none()
    earliest, latest = domain.birth_dates_for_band(band, today())
    column = planned_column(queryset, "birth_date")
    queryset = queryset.filter(**{f"{column}__lte": latest})
    if earliest is not None:
        queryset = queryset.filter(**{f"{column}__gte": earliest})
    return queryset


def with_value(queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
    """Members whose `name` (gender, status) is `value`, through the column the list's plan
    chose (members_for_list)."""
    return queryset.filter(**{planned_column(queryset, name): value})


# --- The member list page -------------------------------------------------------------------


def age_band_choices() -> list[tuple[str, str]]:
    """AGE_BANDS as (code, label) in the active language (called per request, not at import)."""
    choices = []
    for code, low, high in domain.AGE_BANDS:
        if low == 0 and high is not None:
            label = gettext("Under %(high)s") % {"high": high}
        elif high is None:
            label = gettext("%(low)s and over") % {"low": low}
        else:
            label = gettext("%(low)s to %(last)s") % {"low": low, "last": high - 1}
        choices.append((code, label))
    return choices


def age_band_label(birth_date: date | None, labels: Mapping[str, str] | None = None) -> str:
    """The label of the age band a date of birth falls in today, in the active language, as a
    reviewer sees it (members.disclosure); "" if unknown. `labels`: age_band_choices() as a
    dict, for a caller that labels many rows and translates them once."""
    band = domain.age_band(birth_date, today())
    if not band:
        return ""
    return (labels if labels is not None else dict(age_band_choices())).get(band, "")


def readable_branches(request: HttpRequest | None) -> QuerySet[Branch]:
    """Branches whose members the user may read, in tree order: where the subtree filter looks
    the typed code up, so a code outside them is refused by the form as well as by the view."""
    user = getattr(request, "user", None)
    branches: QuerySet[Branch] = Branch.objects.filter(scope_for(user).readable_branch_filter())
    return branches.order_by("path")


class MemberListFilter(django_filters.FilterSet):  # type: ignore[misc]
    """The filters of the member list: a branch's subtree, gender, status, age band and a
    search on names (diacritics and case ignored) or card numbers. The branch is typed as its
    code (members.pickers), among the branches the requesting user may read."""

    branch = BranchFilter(
        label=_("Branch (with its sub-units)"), queryset=readable_branches, method="in_subtree"
    )
    gender = django_filters.ChoiceFilter(
        label=_("Gender"),
        choices=Gender.choices,
        empty_label=_("Any"),
        method="with_value",
        widget=QuickSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=MemberStatus.choices,
        empty_label=_("Any"),
        method="with_value",
        widget=QuickSelect,
    )
    age_band = django_filters.ChoiceFilter(
        label=_("Age"), choices=[], method="in_band", empty_label=_("Any"), widget=QuickSelect
    )
    search = django_filters.CharFilter(
        label=_("Name or card number"), method="search_names", max_length=150
    )

    class Meta:
        model = Member
        fields = ["branch", "gender", "status", "age_band", "search"]

    def __init__(self, *args: Any, branch: Branch | None = None, **kwargs: Any) -> None:
        """`branch`: the list's branch as the view found it in the user's reach
        (unionrec.access.list_branch), which the branch field then takes without a lookup."""
        super().__init__(*args, **kwargs)
        self.filters["age_band"].extra["choices"] = age_band_choices()
        self.filters["branch"].extra["known"] = branch

    def in_subtree(self, queryset: QuerySet[Member], name: str, value: Branch) -> QuerySet[Member]:
        return in_branches(queryset, Q(path__subtree=value.path))

    def in_band(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        return members_in_band(queryset, value)

    def with_value(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        return with_value(queryset, name, value)

    def search_names(self, queryset: QuerySet[Member], name: str, value: str) -> QuerySet[Member]:
        user = getattr(self.request, "user", None)
        personal = searches_personal(user, self.form.cleaned_data.get("branch"))
        return apply_member_search(queryset, value, personal=personal)


# --- Choosing the plan of a member list -----------------------------------------------------

WALK_MIN_MEMBERS = 2000  # below this, any plan is fast
# Walk when a list expects at least sqrt(WALK_FACTOR × register size) members (members_for_list).
WALK_FACTOR = 50
FILTERS = ("gender", "status", "age_band", "search")


def in_branches(queryset: QuerySet[Member], branches: Q) -> QuerySet[Member]:
    """Members of the branches matching `branches`, written as `branch_id IN (subquery)`.
    When the list walks (see members_for_list), the branch id is hidden behind `+ 0`, so that
    no index on it can serve the filter."""
    if "by_branch_path" in queryset.query.annotations:
        return queryset.filter(_on_joined_branch(branches))
    ids: Any = Branch.objects.filter(branches).values("pk")
    if any(mark in queryset.query.annotations for mark in LISTS_BRANCH_IDS):
        # The subtree's branch ids as a list: an index on the branch reads it as a bitmap that
        # PostgreSQL ANDs with the search's, and a walk checks each row against it as a hash
        # (a subquery is a join instead, probed row by row).
        listed = list(ids.values_list("pk", flat=True)[: BRANCH_IDS_MAX + 1])
        if len(listed) <= BRANCH_IDS_MAX:
            return queryset.filter(AnyOf(planned_column(queryset, "branch_id"), listed))
    return queryset.filter(**{f"{planned_column(queryset, 'branch_id')}__in": ids})


def _on_joined_branch(branches: Q) -> Q:
    """`branches` (a filter on Branch) as a filter on the member's joined branch."""
    joined = Q()
    joined.connector, joined.negated = branches.connector, branches.negated
    for child in branches.children:
        if isinstance(child, Q):
            joined.children.append(_on_joined_branch(child))
        else:  # a (lookup, value) pair
            name, value = cast(tuple[str, Any], child)
            joined.children.append((f"branch__{name}", value))
    return joined


# What a walk in each sort's order hides from SQLite's planner (members_for_list): every filter
# column but the one that leads the sort's index, so that it reads that index in order (a range
# of dates or the branch id would make it read the range and sort it). A search's count hides
# what this sort's walk hides: the branch, not the date of birth nor the card (members_to_count).
COUNT_SEARCH_SORT = "birth_date"
WALK_HIDES: dict[str, tuple[str, ...]] = {
    "full_name": ("branch_id", "status", "birth_date"),  # member_gender_sort_idx serves gender
    "gender": ("branch_id", "status", "birth_date"),
    "status": ("branch_id", "gender", "birth_date"),
    "birth_date": ("branch_id", "gender", "status"),
    "branch": ("branch_id", "gender", "status", "birth_date"),
}


def members_for_list(
    scope: Scope,
    branch: Branch | None,
    filters: Mapping[str, Any] | None = None,
    *,
    sort: str = "full_name",
    walk: bool | None = None,
    numbered: bool = False,
) -> QuerySet[Member]:
    """The members a list shows, in a form the database can page quickly; `filters` are the
    list's filter values by name (FILTERS; a query string will do), which the caller applies.

    There are two plans (`make bench`, bench/filters.py). A list that finds many members
    walks the index of its sort (member_sort_idx for names) in order and stops after the
    page: about PAGE_SIZE × register ÷ found rows read. A list that finds few reads them
    through member_branch_filter_idx, branch by branch (status, gender and birth date in the
    index), and sorts them: about `found` rows read. So the list walks when it is expected to
    find at least sqrt(WALK_FACTOR × register) members (about 7,000 of 1 M, 22,000 of 10 M),
    estimated from the tallies (members.counting.expected_members); SQLite walks only when
    the other filters' columns are hidden from its planner (`+column`, WALK_HIDES).
    `walk=False` asks for the branch plan whatever the size (counting: the count reads the
    branch filter index, not the walk).
    PostgreSQL chooses between the same two plans from its statistics, but for one case:
    a list of the whole register, of one gender, in name order, where it walks the index of
    the other filter and skips the other gender's long runs of given names (women who left,
    10 M: 65 ms; men who left, last page: 191 ms). That list walks the index of its gender (and
    status) alone, its ids first, the date of birth hidden (0.3 ms; the status hidden too, the
    planner may sort every member of a rare gender: 600 ms). Within a subtree, hiding them made
    it read the subtree's members instead (a federation's active women in an age band: 0.5-2 s).
    On PostgreSQL a subtree's list in name order narrowed by an age band alone (at most
    SORT_READ_MAX expected) is read and sorted from the branch filter index (the name key
    hidden); one of a gender, a status or both walks that filter's index in name order, which
    carries the branch and the other filters (members.indexes); the page's ids read first.
    `numbered`: the page is asked for by number (an OFFSET), which walks the name order far
    into the subtree; its branches are then given as a list (BRANCH_IDS_MAX)."""
    queryset: QuerySet[Member] = Member.objects.all()
    if sort.removeprefix("-") == "branch":
        # Sorted by branch, the subtree is a range of the joined branches' paths, which the
        # database reads in order (not every branch of the tree checked against a list).
        queryset = queryset.alias(by_branch_path=Value(True))
    every = reads_every_branch(scope)
    whole = branch is None and every
    # One value a name, the last one given, as the filters read a query string: unpacked, a
    # QueryDict would give lists (a 500 on ?search=x&age_band=y, found by the fuzz run).
    filters = {name: filters.get(name) for name in filters} if filters else {}
    if walk is None and filters.get("search") and connection.vendor == "postgresql":
        hidden = _search_hides(scope, branch, filters, sort)
        unindexed = {f"unindexed_{column}": Unindexed(F(column)) for column in hidden}
        queryset = ids_first(queryset.alias(**unindexed, **{SEARCH_READ: Value(True)}))
        return _in_scope(queryset, scope, every)
    if walk is None:
        expected = expected_members(scope, branch, filters)
        walk = _walks(expected) and (
            connection.vendor == "sqlite" or (whole and _walks_by_gender(filters, sort))
        )
        if connection.vendor == "postgresql" and not whole:
            if _sorts_read(filters, sort, expected):
                queryset = ids_first(queryset.alias(unindexed_sort_key=Unindexed(F("sort_key"))))
            elif filters.get("gender") or filters.get("status"):
                queryset = ids_first(queryset)  # the walk of the filter's index reads it alone
            if numbered:
                queryset = queryset.alias(**{NUMBERED_READ: Value(True)})
    if walk:
        hidden = WALK_HIDES.get(sort.removeprefix("-"), WALK_HIDES["full_name"])
        if connection.vendor == "postgresql":  # the whole register by gender (see above)
            hidden, queryset = ("branch_id", "birth_date"), ids_first(queryset)
        queryset = queryset.alias(**{f"unindexed_{c}": Unindexed(F(c)) for c in hidden})
    elif _narrows_past_status(filters):
        # Any status spelt out: member_branch_filter_idx reaches the gender and birth date behind.
        queryset = queryset.filter(status__in=MemberStatus.values)
    return _in_scope(queryset, scope, every)


def _in_scope(queryset: QuerySet[Member], scope: Scope, every: bool) -> QuerySet[Member]:
    if every:  # no branch condition for the planner to weigh
        return queryset
    return in_branches(queryset, scope.readable_branch_filter())


SEARCH_READ = "search_read"  # the alias that marks a list with a search on PostgreSQL
NUMBERED_READ = "numbered_read"  # ... and a page by number (`?page=N`, an OFFSET)
# A list marked with either gives its subtree's branches as a list of ids (AnyOf), unless it
# has more than this: a walk of the name order checks each row against the list as a hash and
# stops at the page. Given a subquery instead, the planner joins it and reads and sorts the
# whole range (10 M, a federation of 6,963 branches: page 200 in 14 ms with the list, 190 ms
# with the subquery; "dung", 1 ms and 128 ms).
BRANCH_IDS_MAX = 20_000
LISTS_BRANCH_IDS = (SEARCH_READ, NUMBERED_READ)
# PostgreSQL: a subtree's list narrowed by an age band expected to find at most this many
# members is read from the branch filter index alone and sorted: 35,000 in about 35 ms.
SORT_READ_MAX = 40_000
# PostgreSQL (bench, 10 M members): a search whose matches over the whole register are at most
# this many is read through the words' index and sorted (_search_hides); more are found by
# walking the name order, whose index carries the folded name ("vo thi", 30,000 matches: read
# and sorted 235 ms, walked a few ms) ...
SEARCH_READ_MAX = 10_000
SUBTREE_READ_MAX = 150_000  # ... and a subtree of at most this many members, from its side
# A search bounded to a range of the name order (members.search._bounds) walks it when that
# reads at most this many index entries for a page of WALK_PAGE rows (the range's size ×
# WALK_PAGE ÷ the matches the list is expected to find): 100,000 entries about 20 ms.
BOUND_WALK_MAX = 100_000
WALK_PAGE = 50
# The columns a list's sort walks an index of, hidden when a search is read and sorted.
SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "gender": ("gender", "sort_key"),
    "status": ("status", "sort_key"),
    "birth_date": ("birth_date", "sort_key"),
}


def _search_hides(
    scope: Scope, branch: Branch | None, filters: Mapping[str, Any], sort: str
) -> tuple[str, ...]:
    """The columns a search list hides from PostgreSQL's planner (see members_for_list).

    Walking a sort's index in order until a page is found is quick only when the matches are
    spread evenly along it, which names are not: the members of one given name sit together in
    name order (a search for "hoang dung" walks a million names to reach the Dũngs), and so do
    long runs of one gender. The planner, which assumes an even spread, walks as soon as it
    expects a few thousand matches. So a search that finds few members reads them and sorts
    them: through the index of the names' words when the whole register holds at most
    SEARCH_READ_MAX matches, else, in a subtree of at most SUBTREE_READ_MAX members, through
    the branch's indexes (the name key hidden too, or the planner reads the words' index).
    A common search over a larger list is left to the walk. A search bounded to a range of the
    name order by a word held only as a given name or only as a family name
    (members.search._bounds) walks that range when a page is found within BOUND_WALK_MAX
    entries of it: its words and year are hidden, or the planner, which takes the range as
    independent of the words it stands for, expects a handful of matches and reads them all
    ("hoang dung" in a federation: 15,000 rows read for 26).
    Either way the page's ids are read first (unionrec.keyset.ids_first): a walk of the name
    order then reads its index alone (it carries the folded name)."""
    text = str(filters["search"])
    sort_columns = SORT_COLUMNS.get(sort.removeprefix("-"), ("sort_key",))
    matches = search.expected_matches(text)
    members = expected_members(scope, branch, {**filters, "search": None})
    bound = search.bound_size(text) if sort.removeprefix("-") == "full_name" else None
    if bound is not None:
        found = max(matches * members / max(register().size, 1), 1)
        if WALK_PAGE * bound <= BOUND_WALK_MAX * found:
            return ("search_key", "birth_date")  # walk the bound range of the name order
    if matches <= min(SEARCH_READ_MAX, members):
        return sort_columns  # the matches through the words' index, then the subtree's
    if members <= SUBTREE_READ_MAX:
        return (*sort_columns, "search_key")  # the subtree's members through its branches
    return ()


def reads_every_branch(scope: Scope) -> bool:
    """Whether the user reads the members of the whole register: a superuser, or a reader of
    every tree's root."""
    if scope.superuser:
        return True
    if not any(len(path) == domain.PATH_STEP for path in scope.read_paths):
        return False  # no root read: no question to ask the database
    roots = Branch.objects.filter(depth=1).values_list("path", flat=True)
    return all(scope.covers(path, Need.READ) for path in roots)


def counts_apart(queryset: QuerySet[Member]) -> bool:
    """Whether the list's own query is not the form to count it in (members_to_count): it
    hides columns from the planner (a walk, a read and sort), or lists its branches' ids (a
    search, a page by number), which a count's plan weighs one by one (6,963: 9 ms)."""
    return hides_columns(queryset) or any(m in queryset.query.annotations for m in LISTS_BRANCH_IDS)


def members_to_count(
    scope: Scope, branch: Branch | None, filters: Mapping[str, Any]
) -> QuerySet[Member]:
    """The members a walking list counts, in the form its count reads fastest (a count would
    otherwise walk the whole of the sort's index): through the branch filter index; with a
    search, through the search's own indexes, the branch hidden from SQLite's planner as a
    walk hides it (else it reads every member of the branch and checks the search)."""
    if filters.get("search") and connection.vendor == "sqlite":  # its FTS5 table joined
        walked = members_for_list(scope, branch, filters, sort=COUNT_SEARCH_SORT, walk=True)
        return search.joining_index(walked)
    return members_for_list(scope, branch, filters, walk=False)


def _narrows_past_status(filters: Mapping[str, Any]) -> bool:
    """Whether `filters` leave the status open and narrow by gender or age band."""
    return not filters.get("status") and bool(filters.get("gender") or filters.get("age_band"))


def _walks_by_gender(filters: Mapping[str, Any], sort: str) -> bool:
    """Whether a walk on PostgreSQL needs the gender's own index (see members_for_list)."""
    return bool(filters.get("gender")) and sort.removeprefix("-") == "full_name"


def _sorts_read(filters: Mapping[str, Any], sort: str, expected: float) -> bool:
    """Whether a filtered list of a subtree on PostgreSQL is read and sorted from the branch
    filter index (see members_for_list): one of an age band alone."""
    alone = filters.get("age_band") and not (filters.get("gender") or filters.get("status"))
    return bool(alone) and sort.removeprefix("-") == "full_name" and expected <= SORT_READ_MAX


def _walks(expected: float) -> bool:
    return expected >= WALK_MIN_MEMBERS and expected * expected >= WALK_FACTOR * register().size
