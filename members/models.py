"""The organisation: branches (a tree), members, their membership periods and the subtree
tallies. Users' grants (members.grants) and import jobs (members.jobs) have modules of their
own, imported at the end of this one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from . import domain
from .basis import ProcessingBasisFields
from .indexes import BRANCH_DEPTH_PATH_INDEX, MEMBER_INDEXES

if TYPE_CHECKING:
    from unionrec.access import Scope


class ByteOrderCharField(models.CharField):  # type: ignore[type-arg]
    """A CharField compared byte by byte: the "C" collation on PostgreSQL (SQLite's default
    BINARY already is). Paths and sort keys need it so that ranges and ORDER BY follow the
    key's own order and the index serves `>=`/`<`."""

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class BranchKind(models.TextChoices):
    """Levels of the union (domain-rules §1). Sub-unions and groups live inside a grassroots
    union and are not levels of their own (Guidance 03/HD-TLĐ §11)."""

    CONFEDERATION = "confederation", _("Confederation")
    FEDERATION = "federation", _("Federation (province or national sector)")
    UPPER_UNION = "upper_union", _("Union above the grassroots")
    GRASSROOTS = "grassroots", _("Grassroots union")
    SUB_UNION = "sub_union", _("Sub-union")
    GROUP = "group", _("Union group")


class BranchQuerySet(MP_NodeQuerySet):  # type: ignore[misc]
    def subtree_of(self, branch: Branch) -> BranchQuerySet:
        return self.filter(path__subtree=branch.path)

    def children_of(self, branch: Branch) -> BranchQuerySet:
        return self.filter(path__subtree=branch.path, depth=branch.depth + 1)

    def existing_on(self, day: date) -> BranchQuerySet:
        return self.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=day)).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
        )

    def visible_to(self, user: Any) -> BranchQuerySet:
        from unionrec.access import scope_for

        return self.filter(scope_for(user).branch_filter())


class BranchManager(MP_NodeManager):  # type: ignore[misc]
    def get_queryset(self) -> BranchQuerySet:
        return BranchQuerySet(self.model, using=self._db).order_by("path")

    def subtree_of(self, branch: Branch) -> BranchQuerySet:
        return self.get_queryset().subtree_of(branch)

    def children_of(self, branch: Branch) -> BranchQuerySet:
        return self.get_queryset().children_of(branch)

    def visible_to(self, user: Any) -> BranchQuerySet:
        return self.get_queryset().visible_to(user)


code_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lower-case letters, digits and single hyphens, e.g. hp-skhcn."),
)


class Branch(MP_Node):  # type: ignore[misc]
    """A union organisation at any level. Its code is stable and appears in URLs and the API;
    its place in the tree is a django-treebeard materialized path (steps of 4 characters)."""

    path = ByteOrderCharField(max_length=255, unique=True)
    code = ByteOrderCharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("Stable identifier used in addresses and the API, e.g. hp-skhcn."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BranchKind.choices)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # name and short name folded (domain.branch_search_key), kept by the services
    search_key = ByteOrderCharField(max_length=340, editable=False, default="")

    history = HistoricalRecords(excluded_fields=["numchild", "search_key"])
    objects = BranchManager()

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["path"]
        indexes = [
            BRANCH_DEPTH_PATH_INDEX,  # members.indexes
            models.Index(fields=["search_key"], name="branch_search_key_idx"),
            # The sub-units that do not exist on a day, few today (members.statistics).
            models.Index(fields=["depth", "founded_on", "path"], name="branch_founded_idx"),
            models.Index(fields=["depth", "dissolved_on", "path"], name="branch_dissolved_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gt=models.F("founded_on")),
                name="branch_dissolved_after_founded",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def parent(self) -> Branch | None:
        """The branch directly above, read from the path (no treebeard helper)."""
        path = domain.parent_path(self.path)
        return None if path is None else Branch.objects.filter(path=path).first()

    def exists_on(self, day: date) -> bool:
        return (self.founded_on is None or self.founded_on <= day) and (
            self.dissolved_on is None or self.dissolved_on > day
        )


class BranchMove(models.Model):
    """A recorded move of a branch (with its subtree) under another parent. treebeard's
    move() rewrites paths in bulk and leaves no history; this row is that history."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="moves")
    old_parent = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("from")
    )
    new_parent = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    moved_at = models.DateTimeField(_("moved at"), auto_now_add=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("branch move")
        verbose_name_plural = _("branch moves")
        ordering = ["-moved_at"]

    def __str__(self) -> str:
        return f"{self.branch} → {self.new_parent}"


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", pgettext_lazy("gender", "Unknown")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")


class LeaveReason(models.TextChoices):
    RESIGNED = "resigned", _("Left the union at own request")
    LEFT_WORKPLACE = "left_workplace", _("Left the workplace")
    RETIRED = "retired", _("Retired")
    DIED = "died", _("Died")
    EXPELLED = "expelled", _("Expelled")
    OTHER = "other", _("Other")


class MemberQuerySet(models.QuerySet["Member"]):
    def visible_to(self, user: Any) -> MemberQuerySet:
        from unionrec.access import scope_for

        return self.filter(scope_for(user).member_filter())

    def in_subtree(self, branch: Branch) -> MemberQuerySet:
        return self.filter(branch__path__subtree=branch.path)

    def in_scope(self, scope: Scope) -> MemberQuerySet:
        return self.filter(scope.member_filter())


# Existence without identity: a card number or a branch code that another record holds is
# refused with this message alone, never whose or where, since that record may lie outside the
# reach of whoever typed it (members.services.refuse_taken; the import's preview too). Marked
# for translation here and translated where it is shown.
TAKEN = gettext_noop("This is already taken. If it should be free, ask an administrator.")

card_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$",
    _("A card number is the text printed on the card: letters and digits (with . / -)."),
)


class Member(ProcessingBasisFields):
    """A union member. `branch` and `status` describe the latest membership period; the periods
    themselves answer who belonged where on any past day. (Processing basis: members.basis.)"""

    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)
    card_number = models.CharField(
        _("union card number"),
        max_length=40,
        null=True,
        blank=True,
        unique=True,
        validators=[card_validator],
    )
    joined_union_on = models.DateField(_("joined the union on"), null=True, blank=True)
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("branch"),
        db_index=False,  # member_branch_sort_idx and member_branch_filter_idx lead with it
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=LeaveReason.choices, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("user account"),
    )
    # Derived by members.domain from full_name; kept in step by the services.
    search_key = models.CharField(max_length=150, editable=False, db_index=True)
    sort_key = ByteOrderCharField(max_length=255, editable=False)
    # Optimistic locking: a form carries the version it was read at.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["search_key", "sort_key"])
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["sort_key", "id"]
        indexes = MEMBER_INDEXES  # the member list's plans (members.indexes)
        constraints = [
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values), name="member_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=MemberStatus.ACTIVE, left_on__isnull=True)
                | Q(status=MemberStatus.LEFT, left_on__isnull=False),
                name="member_left_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def masked_card_number(self) -> str:
        """The last four characters only, for lists (members.domain.mask_card)."""
        return domain.mask_card(self.card_number)


class EndReason(models.TextChoices):
    TRANSFERRED = "transferred", _("Transferred")
    LEFT = "left", _("Left the union")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def on(self, day: date) -> MembershipQuerySet:
        """Periods that include `day`. A period is half-open: a member who leaves on day D is
        no longer counted on D."""
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


class Membership(models.Model):
    """One period of a member in one branch: [started_on, ended_on)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods")
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="periods", verbose_name=_("branch")
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        ordering = ["member", "started_on"]
        indexes = [models.Index(fields=["branch", "started_on"], name="membership_branch_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_open_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.branch.code} [{self.started_on}, {self.ended_on or '…'})"


class BranchTallyQuerySet(models.QuerySet["BranchTally"]):
    def on_or_before(self, day: date) -> BranchTallyQuerySet:
        """Rows of `day` and earlier, newest first. A row holds the counts at the end of its
        day and stands until the next row, so the first of these is the count on `day`."""
        return self.filter(day__lte=day).order_by("-day")

    def before(self, day: date) -> BranchTallyQuerySet:
        """Rows strictly before `day`, newest first: the counts a change on `day` starts from."""
        return self.filter(day__lt=day).order_by("-day")


class BranchTally(models.Model):
    """Counts of a branch's whole subtree as they stand at the end of `day`, one row per day on
    which they changed. Maintained by members.services on every membership change (and rebuilt
    from the periods after a move or a bulk load), so that statistics for any branch on any
    day are one index lookup instead of a count over millions of member rows
    (performance.md)."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="tallies")
    day = models.DateField()
    members = models.IntegerField(default=0)
    women = models.IntegerField(default=0)
    unknown = models.IntegerField(default=0)

    objects = BranchTallyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "day"], name="tally_branch_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} @ {self.day}: {self.members}"

    def counts(self) -> domain.Counts:
        return domain.Counts(self.members, self.women, self.unknown)


# Models with modules of their own, imported (and re-exported) here so that Django finds them
# in members.models, and so does every importer that names them from here.
from .corrections import CorrectionRequest as CorrectionRequest  # noqa: E402
from .corrections import CorrectionStatus as CorrectionStatus  # noqa: E402
from .grants import Grant as Grant  # noqa: E402
from .grants import Role as Role  # noqa: E402
from .jobs import ImportJob as ImportJob  # noqa: E402
from .jobs import ImportStatus as ImportStatus  # noqa: E402
from .lookups import Prefix as Prefix  # noqa: E402
from .lookups import Subtree as Subtree  # noqa: E402
