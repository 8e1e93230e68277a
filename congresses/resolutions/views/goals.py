"""The goals page (/goals/): the current term's directions, campaigns and targets of a branch and
of the branches above it, with progress bars and verdicts, readable on a phone.

- The member role sees, for each member grant, its branch and every branch above it (its own
  first, then upwards): the goals it contributes to. Nothing about other members is shown.
- Leadership (secretaries, reviewers, superusers) sees its branch (`?branch=<code>` picks one
  in its subtree: 404 outside it, as unionrec.access.branch_for does) and the branches of its
  subtree that have a current resolution, their targets at risk first, PAGE_SIZE branches a
  page read by keyset (`?cursor=`, unionrec.keyset) without COUNT(*), so the last page costs
  what the first does; a `?page=N` of an old bookmark is ignored (the first page).
- `?on=dd/mm/yyyy` shows the standing of another day; an invalid day shows the form's error
  and today's standing.

All figures come from the read model congresses.resolutions.goals; this module only arranges
them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from congresses.resolutions.goals import (
    VERDICT_ORDER,
    BranchGoals,
    TargetStatus,
    counts_by_verdict,
    flatten,
    goals_of,
    risk_first,
    statuses_of,
    verdict_text,
)
from congresses.resolutions.models import Resolution
from congresses.resolutions.views import target_lines
from members.domain import ancestor_paths, is_in_subtree
from members.models import Branch
from members.statistics import today
from unionrec import keyset
from unionrec.access import Need, Scope, branch_for, scope_for
from unionrec.forms import DayForm
from unionrec.small_cells import ShownTarget, shown_target

PAGE_SIZE = 25  # branches of the subtree list on one page
# The subtree list in tree order: a branch has one running term, but the id keeps the order
# total should a term hold two resolutions.
SUBTREE_KEYS = ("congress__term__branch__path", "id")


@dataclass(frozen=True)
class Line:
    """A target (or a part of a split one) as the page shows it."""

    status: TargetStatus
    label: str  # the verdict in the reader's language
    is_part: bool
    shown: ShownTarget  # its figures, small counts withheld outside the scope

    @property
    def verdict_code(self) -> str:
        """The verdict's code for the page's markup, blank when withheld (or none yet)."""
        return self.status.verdict_code if self.shown.verdict else ""


@dataclass
class Section:
    """One branch's goals: its resolution's directions, campaigns and targets."""

    goals: BranchGoals
    anchor: str
    lines: list[Line] = field(default_factory=list)
    more: list[Line] = field(default_factory=list)  # folded away: not at risk (subtree list)
    counts: list[tuple[str, str, int]] = field(default_factory=list)  # verdict, label, n
    compact: bool = False  # the subtree list: no directions or campaigns
    repeated: bool = False  # already shown higher up the page: a link to it only

    @property
    def hidden(self) -> bool:
        """Whether a small count is withheld (the note under the targets)."""
        return any(line.shown.hidden or not line.shown.verdict for line in self.lines + self.more)

    @property
    def blocks(self) -> list[tuple[bool, int, SafeString]]:
        """The lines to list, then those folded away (folded, how many, their items drawn by
        target_lines); empty ones left out."""
        return [
            (folded, len(lines), target_lines.drawn(lines, compact=self.compact))
            for folded, lines in ((False, self.lines), (True, self.more))
            if lines
        ]


@dataclass
class Group:
    """A heading of the page with its branches."""

    anchor: str
    heading: str
    intro: str
    sections: list[Section]
    page: keyset.Page | None = None

    @property
    def title_tag(self) -> str:
        """The level of the branches' titles: under the group's heading, or in its place."""
        return "h3" if self.heading else "h2"


def _line(status: TargetStatus, scope: Scope) -> Line:
    """A target as the page lists it. Every listed target's page opens for its reader
    (Target.objects.visible_to holds the targets of every resolution whose goals they see).
    Outside the scope of a secretary or a reviewer of its responsible branch (the member
    role), a small count is withheld (unionrec.small_cells), as on the target page and in
    the API."""
    exact = scope.covers(status.target.branch.path, Need.READ)  # small_cells.exact_for
    return Line(
        status=status,
        label=status.verdict_label,
        is_part=status.target.parent_id is not None,
        shown=shown_target(status, exact=exact),
    )


def _counts(goals: BranchGoals, lines: list[Line]) -> list[tuple[str, str, int]]:
    """The targets by verdict; a verdict withheld is not counted, so the counts keep it."""
    withheld = {line.status.target.pk for line in lines if not line.shown.verdict}
    counted = counts_by_verdict(goals.targets, withheld=withheld)
    return [
        (verdict.value, verdict_text(verdict.value), counted[verdict.value])
        for verdict in VERDICT_ORDER
        if counted[verdict.value]
    ]


def _section(goals: BranchGoals, scope: Scope, *, shown: set[int]) -> Section:
    """A branch's full goals, targets in the resolution's order with their parts under them;
    a branch already on the page becomes a link to it."""
    branch = goals.branch
    repeated = branch.pk in shown
    section = Section(
        goals=goals, anchor="" if repeated else f"goals-{branch.code}", repeated=repeated
    )
    shown.add(branch.pk)
    section.lines = [_line(status, scope) for status in flatten(goals.targets)]
    section.counts = _counts(goals, section.lines)
    return section


def _chain(
    branch: Branch, day: date, scope: Scope, *, shown: set[int], upwards: bool = True
) -> list[Section]:
    """The branch and (`upwards`) every branch above it, nearest first (a few queries a
    level; the tree is a handful of levels deep)."""
    paths = ancestor_paths(branch.path) if upwards else [branch.path]
    branches = Branch.objects.filter(path__in=paths).order_by("-depth")
    found = [
        BranchGoals(each, None, None, []) if each.pk in shown else goals_of(each, day)
        for each in branches
    ]
    prefetch_related_objects(
        [goals.resolution for goals in found if goals.resolution], "directions", "campaigns"
    )
    return [_section(goals, scope, shown=shown) for goals in found]


def subtree_ordering() -> keyset.Ordering:
    return keyset.ordering(Resolution, "subtree", SUBTREE_KEYS)


def _subtree(branch: Branch, day: date, scope: Scope, cursor: keyset.Cursor | None) -> Group:
    """The branches below `branch` with a resolution for the term running on `day`, in tree
    order, PAGE_SIZE a page from `cursor`; each with its targets at risk first (parts among
    them)."""
    # The term's conditions on the join itself (not `term IN (the subtree's current terms)`),
    # so the database can walk the subtree's branches in path order and stop at the page's
    # last row instead of listing every current term of the subtree first.
    resolutions = (
        Resolution.objects.filter(
            congress__term__starts_on__lte=day,
            congress__term__effective_end__gt=day,
            congress__term__branch__path__subtree=branch.path,
        )
        .exclude(congress__term__branch=branch)
        .select_related("congress__term__branch")
    )
    page = keyset.read_page(resolutions, subtree_ordering(), cursor, PAGE_SIZE)
    found = statuses_of(page.rows, day)
    sections = []
    for resolution in page.rows:
        term = resolution.congress.term
        goals = BranchGoals(term.branch, term, resolution, found[resolution.pk])
        lines = [_line(status, scope) for status in risk_first(flatten(goals.targets))]
        sections.append(
            Section(
                goals=goals,
                anchor=f"subtree-{term.branch.code}",
                compact=True,
                lines=[line for line in lines if line.status.at_risk],
                more=[line for line in lines if not line.status.at_risk],
                counts=_counts(goals, lines),
            )
        )
    intro = _(
        "Branches of %(branch)s with a resolution for the current term, %(size)s a page; "
        "in each, the targets not met or at risk come first."
    ) % {"branch": branch.display_name, "size": PAGE_SIZE}
    return Group("subtree", _("Across the subtree"), intro, sections, page=page)


def _default_lead(scope: Scope) -> Branch | None:
    """The branch leadership sees without ?branch=: that of its first secretary or reviewer
    grant (the outermost), for a superuser the first top-level branch."""
    found: Branch | None = None
    if scope.read_paths:
        found = Branch.objects.filter(path=scope.read_paths[0]).first()
    elif scope.superuser:
        found = Branch.objects.filter(depth=1).order_by("path").first()
    return found


def _groups(
    request: HttpRequest, scope: Scope, day: date, cursor: keyset.Cursor | None
) -> tuple[list[Group], Branch | None]:
    """What the page shows, and the branch leadership looks at (None for the member role);
    `cursor` places the page of the subtree list."""
    code = request.GET.get("branch")
    lead, starts = None, []
    if code:
        chosen = branch_for(request, code, need=Need.STATS)  # 404 beyond the user's reach
        if scope.covers(chosen.path, Need.READ):
            lead = chosen
        else:
            starts = [chosen]
    else:
        lead = _default_lead(scope)
        member_paths = [p for p in scope.member_paths if not (lead and is_in_subtree(p, lead.path))]
        starts = list(Branch.objects.filter(path__in=member_paths).order_by("path"))
    groups: list[Group] = []
    shown: set[int] = set()
    if lead is not None:
        # Leadership reads its own subtree only: the branches above are another union's
        # records (reliability-security test 3), as on every other page.
        own = _chain(lead, day, scope, shown=shown, upwards=False)
        groups.append(Group("branch-goals", "", "", own))
        groups.append(_subtree(lead, day, scope, cursor))
    for start in starts:
        intro = _("The branch first, then every branch above it: the targets it contributes to.")
        heading = _("%(branch)s and the branches above it") % {"branch": start.name}
        groups.append(
            Group(f"chain-{start.code}", heading, intro, _chain(start, day, scope, shown=shown))
        )
    return groups, lead


def _switches(user: Any) -> list[Branch]:
    """The branches of the user's grants, to switch between when there are several."""
    grants = user.grants.select_related("branch").order_by("branch__path")
    branches = list({grant.branch.pk: grant.branch for grant in grants}.values())
    if user.is_superuser:
        branches += list(Branch.objects.filter(depth=1).exclude(pk__in=[b.pk for b in branches]))
    return branches if len(branches) > 1 else []


@require_safe
def goals_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    day_form = DayForm(request.GET or None)
    day = today()
    if day_form.is_valid() and day_form.cleaned_data["on"]:
        day = day_form.cleaned_data["on"]
    cursor, refused = keyset.from_query(request.GET.get("cursor"), subtree_ordering())
    groups, lead = _groups(request, scope, day, cursor)
    context = {
        "groups": groups,
        "lead": lead,
        "day": day,
        "day_form": day_form,
        "switches": _switches(request.user),
        "no_role": scope.is_empty,
        "bad_cursor": refused,
    }
    return render(request, "congresses/goals.html", context, status=400 if refused else 200)
