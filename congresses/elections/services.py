"""Every write to the setup of elections: an election of a congress (or of its new
executive committee), its rule set and its candidates. Keyword-only, typed, atomic; history
is kept by django-simple-history (old and new values of every row). The rounds are entered
in congresses.elections.rounds; certification is congresses.elections.certification.

Every change goes through congresses.elections.changes (locked, checked, versioned)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congresses.elections import counting, domain
from congresses.elections.changes import open_for_change, save_change
from congresses.elections.lifecycle import day_problem
from congresses.elections.models import (
    Candidate,
    Election,
    ElectionKind,
    Elector,
    RoundVote,
    RulePreset,
)
from congresses.elections.results import outcome
from congresses.models import Congress
from congresses.read_only import Conflict, check_open
from members import domain as members_domain
from members.models import Gender, Member
from unionrec.access import require
from unionrec.days import day_text

# --- Setting up an election -----------------------------------------------------------------

RULE_FIELDS = ("denominator", "threshold", "tie_break", "vacancy_allowed", "max_rounds")
SETUP_FIELDS = {"kind", "elected_by", "seats", "rules", "rules_note", *RULE_FIELDS}
ATTENDANCE_FIELDS = {"held_on", "summoned", "present"}


def _apply_rules(election: Election, given: Mapping[str, Any]) -> None:
    """A preset fills the rule fields with its values; the union's own rules take them as
    given, and need their source."""
    preset = counting.PRESETS.get(election.rules)
    if election.rules not in RulePreset.values:
        raise ValidationError({"rules": [_("Choose a rule set.")]})
    if preset is not None:
        election.denominator = preset.denominator.value
        election.threshold = preset.threshold.value
        election.tie_break = preset.tie_break.value
        election.vacancy_allowed = preset.vacancy_allowed
        election.max_rounds = preset.max_rounds
        return
    missing = [name for name in RULE_FIELDS[:4] if given.get(name) in (None, "")]
    errors = {name: [_("The union's own rules need this.")] for name in missing}
    if not (election.rules_note or "").strip():
        errors["rules_note"] = [_("Name the election rules the congress adopted.")]
    if errors:
        raise ValidationError(errors)
    for name in RULE_FIELDS:
        setattr(election, name, given.get(name))


def _validate_setup(election: Election) -> None:
    congress = election.congress
    term = congress.term
    errors: dict[str, list[str]] = {}
    kind = election.kind
    if kind not in ElectionKind.values:
        raise ValidationError({"kind": [_("Choose what is elected.")]})
    if election.elected_by not in Elector.values or not domain.may_elect(kind, election.elected_by):
        allowed = ", ".join(
            str(Elector(e).label) for e in domain.ELECTORS[domain.ElectionKind(kind)]
        )
        errors["elected_by"] = [
            _("%(what)s is elected by: %(allowed)s (%(rule)s).")
            % {
                "what": ElectionKind(kind).label,
                "allowed": allowed,
                "rule": _(domain.ELECTOR_RULES[domain.ElectionKind(kind)]),
            }
        ]
    if election.seats is None or election.seats < 1:
        errors["seats"] = [_("At least one seat.")]
    elif kind in domain.SINGLE_SEAT and election.seats != 1:
        errors["seats"] = [_("%(what)s is a single seat.") % {"what": ElectionKind(kind).label}]
    if election.held_on < congress.held_on:
        errors["held_on"] = [
            _("An election of the congress cannot come before the congress (%(day)s).")
            % {"day": day_text(congress.held_on)}
        ]
    elif election.held_on >= term.end:
        errors["held_on"] = [
            _("The date lies after the term (until %(end)s).") % {"end": day_text(term.end)}
        ]
    summoned, present = election.summoned, election.present
    if summoned is not None and present is not None and present > summoned:
        errors["present"] = [
            _("More present (%(present)s) than summoned (%(summoned)s).")
            % {"present": present, "summoned": summoned}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_election(
    *,
    congress: Congress,
    kind: str,
    seats: int | None = None,
    elected_by: str = "",
    held_on: date | None = None,
    summoned: int | None = None,
    present: int | None = None,
    rules: str = RulePreset.VGCL_2018,
    rules_note: str = "",
    by: Any = None,
    **rule_fields: Any,
) -> Election:
    """A new election of `congress`. By default the body that elects it is the usual one for
    its kind, the executive's seats are the number the congress voted for, it is held on the
    congress day with the congress's attendance (or, at the committee's first meeting, with
    the committee's seats summoned), and it is counted by the Charter's rules."""
    if set(rule_fields) - set(RULE_FIELDS):
        raise ValueError(f"not a rule field: {sorted(set(rule_fields) - set(RULE_FIELDS))}")
    congress = Congress.objects.select_related("term__branch").get(pk=congress.pk)
    require(by, congress.term.branch)
    check_open(congress)
    if kind in ElectionKind.values and congress.elections.filter(kind=kind).exists():
        raise ValidationError(
            {
                "kind": [
                    _("This congress has an election of the %(what)s already.")
                    % {"what": ElectionKind(kind).label}
                ]
            }
        )
    elector = elected_by or (domain.default_elector(kind) if kind in ElectionKind.values else "")
    by_congress = elector == Elector.CONGRESS
    if seats is None:
        seats = 1 if kind in domain.SINGLE_SEAT else None
        if kind == ElectionKind.EXECUTIVE:
            seats = congress.committee_size
    if summoned is None and present is None:
        summoned = congress.summoned if by_congress else congress.committee_size
        present = congress.present if by_congress else None
    if seats is None:
        raise ValidationError({"seats": [_("Enter the number of seats.")]})
    election = Election(
        congress=congress,
        kind=kind,
        elected_by=elector,
        seats=seats,
        held_on=held_on or congress.held_on,
        summoned=summoned,
        present=present,
        rules=rules,
        rules_note=rules_note.strip(),
    )
    _apply_rules(election, rule_fields)
    _validate_setup(election)
    try:
        with transaction.atomic():
            election.save()
    except IntegrityError:
        raise ValidationError(
            {
                "kind": [
                    _("This congress has an election of the %(what)s already.")
                    % {"what": ElectionKind(kind).label}
                ]
            }
        ) from None
    return election


@transaction.atomic
def update_election(
    *, election: Election, expected_version: int | None = None, by: Any = None, **fields: Any
) -> Election:
    """Change an election's setup. What is elected, by whom, the seats and the rules can
    change only until the first round is entered (they decide how it is counted); the day and
    the attendance until the result is certified, the day never after the rounds were
    entered (congresses.elections.lifecycle.day_problem)."""
    unknown = set(fields) - SETUP_FIELDS - ATTENDANCE_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    election = open_for_change(election, by=by, expected_version=expected_version)
    changed = {name for name, value in fields.items() if getattr(election, name) != value}
    if changed & SETUP_FIELDS and election.rounds.exists():
        raise Conflict(
            _(
                "Rounds are entered: what is elected, the seats and the rules can no longer "
                "change. Delete the rounds first."
            )
        )
    kind_changed = "kind" in changed
    for name, value in fields.items():
        if name not in RULE_FIELDS:
            setattr(election, name, value)
    if (
        kind_changed
        and election.congress.elections.filter(kind=election.kind).exclude(pk=election.pk).exists()
    ):
        raise ValidationError(
            {
                "kind": [
                    _("This congress has an election of the %(what)s already.")
                    % {"what": ElectionKind(election.kind).label}
                ]
            }
        )
    if changed & SETUP_FIELDS:
        _apply_rules(
            election, {name: fields.get(name, getattr(election, name)) for name in RULE_FIELDS}
        )
    _validate_setup(election)
    if "held_on" in changed and (problem := day_problem(election)) is not None:
        raise ValidationError({"held_on": [problem]})
    if election.present is not None:
        most = election.rounds.order_by("-issued").values_list("issued", flat=True).first()
        if most is not None and most > election.present:
            raise ValidationError(
                {
                    "present": [
                        ngettext(
                            "A round issued %(issued)s ballot: more than %(present)s present.",
                            "A round issued %(issued)s ballots: more than %(present)s present.",
                            most,
                        )
                        % {"issued": most, "present": election.present}
                    ]
                }
            )
    save_change(election)
    return election


@transaction.atomic
def delete_election(*, election: Election, by: Any = None) -> None:
    """Delete an election that was never certified, with its candidates and rounds."""
    election = open_for_change(election, by=by)
    if election.revision:
        raise Conflict(_("A result that was once certified is corrected, never deleted."))
    RoundVote.objects.filter(round__election=election).delete()
    election.rounds.all().delete()
    election.candidates.all().delete()
    election.delete()


# --- Candidates ---------------------------------------------------------------------------------


def _no_rounds_yet(election: Election) -> None:
    if election.rounds.exists():
        raise Conflict(
            _("Rounds are entered: the ballot can no longer change. Delete the rounds first.")
        )


@transaction.atomic
def add_candidate(
    *,
    election: Election,
    member: Member | None = None,
    person_name: str = "",
    gender: str = "",
    expected_version: int | None = None,
    by: Any = None,
) -> Candidate:
    """A name on the ballot: a member of the branch's subtree, or someone named (a guest
    nominated from outside, where the rules allow it)."""
    election = open_for_change(election, by=by, expected_version=expected_version)
    _no_rounds_yet(election)
    branch = election.congress.term.branch
    if member is not None:
        if not Member.objects.in_subtree(branch).filter(pk=member.pk).exists():
            raise ValidationError(
                {
                    "member": [
                        _("%(name)s is not a member of %(branch)s.")
                        % {"name": member.full_name, "branch": branch.display_name}
                    ]
                }
            )
        if election.candidates.filter(member=member).exists():
            raise ValidationError(
                {"member": [_("%(name)s is a candidate already.") % {"name": member.full_name}]}
            )
        person_name = person_name or member.full_name
        gender = gender or member.gender
    name = members_domain.clean_name(person_name)
    if not name:
        raise ValidationError({"person_name": [_("Enter the candidate's name.")]})
    if gender and gender not in Gender.values:
        raise ValidationError({"gender": [_("Choose a gender from the list.")]})
    candidate = Candidate.objects.create(
        election=election,
        member=member,
        person_name=name,
        gender=gender or Gender.UNKNOWN,
        sort_key=members_domain.name_sort_key(name),
    )
    save_change(election, outcome(election))
    return candidate


@transaction.atomic
def remove_candidate(
    *, candidate: Candidate, expected_version: int | None = None, by: Any = None
) -> None:
    election = open_for_change(candidate.election, by=by, expected_version=expected_version)
    _no_rounds_yet(election)
    candidate.delete()
    save_change(election, outcome(election))


@transaction.atomic
def add_candidates(
    *,
    election: Election,
    people: Sequence[Mapping[str, Any]],
    expected_version: int | None = None,
    by: Any = None,
) -> list[Candidate]:
    """Several names on the ballot in one step (a pasted list), all or none: each through
    add_candidate, with its rules. Every refused person is reported, keyed by their position
    in `people` ("0", "1", …), and then nothing is added; a state refusal (Conflict) stops at
    once."""
    if not people:
        raise ValidationError(_("No candidate to add."))
    added: list[Candidate] = []
    errors: dict[str, list[str]] = {}
    version = expected_version
    for position, person in enumerate(people):
        try:
            added.append(
                add_candidate(election=election, expected_version=version, by=by, **person)
            )
        except Conflict:
            raise
        except ValidationError as error:
            errors[str(position)] = error.messages
        else:
            version = None  # checked by the first; the election stays locked until the end
    if errors:
        raise ValidationError(errors)
    return added
