"""The words of a split target whose parts do not add up to the whole (the rule is
congresses.resolutions.domain.split_gap): the warning the target page, the resolution page
and the API give, with the difference, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from congresses.resolutions import domain
from unionrec.templatetags.unionrec import amount, with_unit  # in the reader's language


def split_text(gap: domain.SplitGap) -> str:
    """A split that does not add up, in the reader's language, with the difference: "The
    parts add up to 180, 14 short of the target 194." """
    values = {
        "parts": amount(gap.combined),
        "gap": amount(abs(gap.difference)),
        "whole": amount(gap.expected),
        "target": amount(gap.target),
        "baseline": amount(gap.baseline),
    }
    short = gap.difference < 0
    if gap.measure == domain.Measure.WEIGHTED_AVERAGE:
        values["parts"], values["whole"] = (
            with_unit(values["parts"], "%"),
            with_unit(values["whole"], "%"),
        )
        if short:
            text = _(
                "The parts' weighted average is %(parts)s, %(gap)s points below the target "
                "%(whole)s."
            )
        else:
            text = _(
                "The parts' weighted average is %(parts)s, %(gap)s points above the target "
                "%(whole)s."
            )
    elif gap.baseline is not None:
        if short:
            text = _(
                "The parts add up to %(parts)s, %(gap)s short of the %(whole)s the target adds "
                "to its baseline (%(baseline)s → %(target)s)."
            )
        else:
            text = _(
                "The parts add up to %(parts)s, %(gap)s more than the %(whole)s the target "
                "adds to its baseline (%(baseline)s → %(target)s)."
            )
    elif short:
        text = _("The parts add up to %(parts)s, %(gap)s short of the target %(whole)s.")
    else:
        text = _("The parts add up to %(parts)s, %(gap)s more than the target %(whole)s.")
    return text % values
