"""Every write to terms and congresses (their guests, bodies and documents are written by
congresses.parts, committee posts and delegates by congresses.committees). Keyword-only,
typed, atomic; history is kept by django-simple-history. Each service checks the caller's
rights through unionrec.access and refuses changes to a recognised congress
(congresses.read_only)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from congresses import breakdown, domain
from congresses.lifecycle import CongressAction, congress_actions, day_problem
from congresses.models import (
    Congress,
    CongressStatus,
    Term,
)
from congresses.read_only import check_open
from members import domain as members_domain
from members.models import Branch, Membership
from unionrec.access import require
from unionrec.days import day_text

# --- Terms --------------------------------------------------------------------------------


def term_years(kind: str) -> int:
    """The length of a term for a kind of branch (settings.UNIONREC_TERM_YEARS)."""
    years: dict[str, int] = getattr(settings, "UNIONREC_TERM_YEARS", {})
    return years.get(kind, domain.DEFAULT_TERM_YEARS)


def _check_overlap(term: Term) -> None:
    clash = (
        Term.objects.filter(branch_id=term.branch_id)
        .exclude(pk=term.pk)
        .filter(starts_on__lt=term.end, effective_end__gt=term.starts_on)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "starts_on": [
                    _("This term overlaps the term %(label)s (%(start)s – %(end)s).")
                    % {
                        "label": clash.label,
                        "start": day_text(clash.starts_on),
                        "end": day_text(clash.end),
                    }
                ]
            }
        )


def _save_term(term: Term) -> Term:
    term.label = domain.normalize_term_label(term.label)
    if Term.objects.filter(branch_id=term.branch_id, label=term.label).exclude(pk=term.pk).exists():
        raise ValidationError(
            {"label": [_("This branch already has a term %(label)s.") % {"label": term.label}]}
        )
    if term.ends_on <= term.starts_on:
        raise ValidationError({"ends_on": [_("A term ends after it starts.")]})
    _check_overlap(term)
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError:  # the database's own guard, should two writers race
        raise ValidationError(_("This term overlaps another term of the branch.")) from None
    return term


@transaction.atomic
def create_term(
    *,
    branch: Branch,
    starts_on: date,
    ends_on: date | None = None,
    label: str = "",
    ordinal: int | None = None,
    by: Any = None,
) -> Term:
    """A new term of `branch`; five years long unless the kind's setting or `ends_on` says
    otherwise; labelled from its years unless `label` is given."""
    require(by, branch)
    ends_on = ends_on or domain.default_term_end(starts_on, term_years(branch.kind))
    term = Term(
        branch=branch,
        starts_on=starts_on,
        ends_on=ends_on,
        label=label or domain.label_for(starts_on, ends_on),
        ordinal=ordinal,
    )
    return _save_term(term)


@transaction.atomic
def update_term(*, term: Term, by: Any = None, **fields: Any) -> Term:
    allowed = {"label", "ordinal", "starts_on", "ends_on"}
    if set(fields) - allowed:
        raise ValueError(f"not editable here: {sorted(set(fields) - allowed)}")
    require(by, term.branch)
    congress = Congress.objects.filter(term=term).first()
    if congress is not None:
        check_open(congress)
    for name, value in fields.items():
        setattr(term, name, value)
    return _save_term(term)


@transaction.atomic
def extend_term(
    *, term: Term, until: date, decision: str, decided_on: date, by: Any = None
) -> Term:
    """Record the higher union's extension of a term, by at most 30 months (ĐL2018 Art. 8.2)."""
    require(by, term.branch)
    if not decision.strip():
        raise ValidationError({"extension_decision": [_("Enter the decision's number.")]})
    if not domain.extension_allowed(term.ends_on, until):
        raise ValidationError(
            {
                "extended_until": [
                    _(
                        "An extension moves the end later by at most %(months)s months "
                        "(Charter 2018, Art. 8.2): until %(latest)s at the latest."
                    )
                    % {
                        "months": domain.MAX_EXTENSION_MONTHS,
                        "latest": day_text(
                            domain.add_months(term.ends_on, domain.MAX_EXTENSION_MONTHS)
                        ),
                    }
                ]
            }
        )
    term.extended_until = until
    term.extension_decision = decision.strip()
    term.extension_decided_on = decided_on
    return _save_term(term)


# --- Congresses -------------------------------------------------------------------------------

CONGRESS_FIELDS = {
    "kind",
    "preparatory_on",
    "held_on",
    "venue",
    "higher_consent",
    "extraordinary_reason",
    "summoned",
    "present",
    "committee_size",
    "reported_members",
    "reported_women",
    "reported_sub_units",
    "reported_reason",
}


def _validate_congress(congress: Congress, *, day_changed: bool = True) -> None:
    """Refuse a congress that cannot be; the order of its day with today and its elections
    (congresses.lifecycle.day_problem) is checked when the day is set or changed, so that a
    day stored before that rule does not stop other corrections."""
    errors: dict[str, list[str]] = {}
    term = congress.term
    if congress.preparatory_on and congress.preparatory_on > congress.held_on:
        errors.setdefault("preparatory_on", []).append(
            _("The preparatory session comes before the formal session.")
        )
    summoned, present = congress.summoned, congress.present
    if summoned is not None and present is not None and present > summoned:
        errors.setdefault("present", []).append(
            _("More present (%(present)s) than summoned (%(summoned)s).")
            % {"present": congress.present, "summoned": congress.summoned}
        )
    reported = (congress.reported_members, congress.reported_women, congress.reported_sub_units)
    if any(value is not None for value in reported) and not congress.reported_reason.strip():
        errors.setdefault("reported_reason", []).append(
            _("Say why the reported figures differ from the register.")
        )
    if congress.reported_women is not None:
        members = congress.reported_members
        if members is None:
            members = congress.counted_members
        if members is not None and congress.reported_women > members:
            errors.setdefault("reported_women", []).append(_("More women than members."))
    if congress.held_on > term.end:
        errors.setdefault("held_on", []).append(_("The congress is held before its term ends."))
    elif day_changed and (problem := day_problem(congress)) is not None:
        errors.setdefault("held_on", []).append(problem)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_congress(*, term: Term, held_on: date, by: Any = None, **fields: Any) -> Congress:
    """Plan the congress that opens `term`."""
    require(by, term.branch)
    if set(fields) - CONGRESS_FIELDS:
        raise ValueError(f"not editable here: {sorted(set(fields) - CONGRESS_FIELDS)}")
    if Congress.objects.filter(term=term).exists():
        raise ValidationError(_("This term has its congress already."))
    congress = Congress(term=term, held_on=held_on, **fields)
    _validate_congress(congress)
    congress.save()
    return congress


@transaction.atomic
def update_congress(*, congress: Congress, by: Any = None, **fields: Any) -> Congress:
    if set(fields) - CONGRESS_FIELDS:
        raise ValueError(f"not editable here: {sorted(set(fields) - CONGRESS_FIELDS)}")
    congress = (
        Congress.objects.select_for_update().select_related("term__branch").get(pk=congress.pk)
    )
    require(by, congress.term.branch)
    check_open(congress)
    day_changed = "held_on" in fields and fields["held_on"] != congress.held_on
    for name, value in fields.items():
        setattr(congress, name, value)
    _validate_congress(congress, day_changed=day_changed)
    if day_changed and congress.status != CongressStatus.PLANNED:
        freeze_statistics(congress)
    congress.save()
    return congress


def counted_age_bands(branch: Branch, day: date) -> dict[str, int]:
    """Members of the subtree on `day` per age band (members.domain.AGE_BANDS), plus
    "unknown" for those without a birth date."""
    births = Membership.objects.on(day).filter(branch__path__subtree=branch.path)
    bands: Counter[str] = Counter()
    for birth in births.values_list("member__birth_date", flat=True).iterator():
        bands[members_domain.age_band(birth, day) or "unknown"] += 1
    return {code: bands.get(code, 0) for code, _l, _h in members_domain.AGE_BANDS} | (
        {"unknown": bands["unknown"]} if bands.get("unknown") else {}
    )


def freeze_statistics(congress: Congress) -> None:
    """Store the branch's statistics on the congress day with the congress (not saved here):
    the totals and the members per sub-unit from one reading of the register, so the rows add
    up to the totals (congresses.breakdown). Later edits of the register do not change them
    (issue: statistics frozen at the congress)."""
    branch, day = congress.term.branch, congress.held_on
    figures, rows = breakdown.count_on(branch, day)
    congress.counted_on = day
    congress.counted_members = figures.members
    congress.counted_women = figures.women
    congress.counted_unknown = figures.unknown
    congress.counted_sub_units = figures.sub_units
    congress.counted_sub_unit_rows = breakdown.rows_for_storage(rows)
    congress.counted_rows_reconstructed = False
    congress.counted_age_bands = counted_age_bands(branch, day)


@transaction.atomic
def record_held(congress: Congress, *, by: Any = None) -> Congress:
    """planned -> held: the congress took place; its statistics are frozen now. Refused
    (Conflict) unless congresses.lifecycle allows it: planned, its day come, its attendance
    recorded."""
    congress = (
        Congress.objects.select_for_update().select_related("term__branch").get(pk=congress.pk)
    )
    require(by, congress.term.branch)
    congress_actions(congress).check(CongressAction.HOLD)
    freeze_statistics(congress)
    congress.status = CongressStatus.HELD
    congress.save()
    return congress


@transaction.atomic
def submit_for_recognition(congress: Congress, *, by: Any = None) -> Congress:
    """held -> awaiting recognition: the file goes to the higher union."""
    congress = Congress.objects.select_for_update().get(pk=congress.pk)
    require(by, congress.term.branch)
    congress_actions(congress).check(CongressAction.SUBMIT)
    congress.status = CongressStatus.AWAITING_RECOGNITION
    congress.save()
    return congress


@transaction.atomic
def recognise(congress: Congress, *, decision: str, decided_on: date, by: Any = None) -> Congress:
    """awaiting recognition -> recognised, with the higher union's decision. Recording it
    needs write rights over the level above (the higher union recognises)."""
    congress = (
        Congress.objects.select_for_update().select_related("term__branch").get(pk=congress.pk)
    )
    branch = congress.term.branch
    require(by, branch.parent or branch)
    congress_actions(congress).check(CongressAction.RECOGNISE)
    if not decision.strip():
        raise ValidationError({"recognition_decision": [_("Enter the decision's number.")]})
    if decided_on < congress.held_on:
        raise ValidationError({"recognised_on": [_("Recognition comes after the congress.")]})
    congress.recognition_decision = decision.strip()
    congress.recognised_on = decided_on
    congress.status = CongressStatus.RECOGNISED
    congress.save()
    return congress


@transaction.atomic
def reopen(congress: Congress, *, reason: str, by: Any) -> Congress:
    """An administrator reopens a recognised congress for a correction; the reason is kept in
    its history."""
    if not getattr(by, "is_superuser", False):
        raise PermissionDenied(_("Only an administrator can reopen a recognised congress."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for reopening.")]})
    congress = Congress.objects.select_for_update().get(pk=congress.pk)
    congress_actions(congress).check(CongressAction.REOPEN)
    congress.status = CongressStatus.AWAITING_RECOGNITION
    congress._change_reason = reason.strip()  # type: ignore[attr-defined]
    congress.save()
    return congress
