"""What a secretary should know about a congress: the rules of domain-rules §2 and §4 that its
record does not meet (the kind of congress for its size, the committee's size, the quorum),
each with its source. A read model: the congress page shows it; nothing is refused."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congresses import domain
from congresses.models import Congress
from members.statistics import statistics


def congress_members(congress: Congress) -> int:
    """The members a congress's size rules are read against (the kind of congress, the
    committee's size, a chair only): those counted on its day when it was recorded as held,
    else the register's count on its day."""
    if congress.counted_members is not None:
        return congress.counted_members
    return statistics(congress.term.branch, congress.held_on).members


def congress_warnings(congress: Congress) -> list[str]:
    """What a secretary should know about the congress, each with its rule."""
    branch = congress.term.branch
    members = congress_members(congress)
    found = domain.congress_kind_warnings(
        congress.kind,
        members=members,
        higher_consent=bool(congress.higher_consent.strip()),
        extraordinary_reason=congress.extraordinary_reason,
    )
    messages = {
        "delegate_below_150": _(
            "A delegate congress below 150 members needs dispersed work and "
            "the higher union's consent (%(rule)s)."
        ),
        "extraordinary_without_consent": _(
            "An extraordinary congress needs the higher union's consent (%(rule)s)."
        ),
        "extraordinary_without_reason": _(
            "State the ground for the extraordinary congress (%(rule)s)."
        ),
    }
    texts = [messages[w.code] % {"rule": w.rule} for w in found]
    if congress.committee_size:
        size = domain.committee_size_warning(branch.kind, members, congress.committee_size)
        if size is not None:
            texts.append(
                ngettext(
                    "%(seats)s seat lies outside the bounds for this kind of branch: %(rule)s.",
                    "%(seats)s seats lie outside the bounds for this kind of branch: %(rule)s.",
                    congress.committee_size,
                )
                % {"seats": congress.committee_size, "rule": _(size.rule)}
            )
    quorum = congress.quorum
    if quorum is not None and not quorum.met:
        texts.append(
            _(
                "Quorum not met: %(present)s present of %(summoned)s summoned; at least "
                "%(required)s are needed (Charter 2018, Art. 10.1: two thirds)."
            )
            % {"present": quorum.present, "summoned": quorum.summoned, "required": quorum.required}
        )
    return texts
