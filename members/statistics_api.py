"""The answer of the statistics API (`/api/v1/branches/<code>/stats/`, members.api): a row of
figures per branch, with the small counts its caller may not see as null and named in `hidden`
(unionrec.small_cells), and the schema of that answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from unionrec.small_cells import ShownFigures, api_value, hidden_names

WITHHELD = ["members", "women", "unknown_gender", "women_share"]  # a row's figures withheld


def figures(row: ShownFigures) -> dict[str, Any]:
    """A statistics row; outside a secretary's or a reviewer's scope a small count and its
    share are null and named in `hidden` (unionrec.small_cells)."""
    counts = {
        "members": row.members,
        "women": row.women,
        "unknown_gender": row.unknown,
        "women_share": row.women_share,
    }
    return {
        "code": row.branch.code,
        "name": row.branch.name,
        **{name: api_value(value) for name, value in counts.items()},
        "sub_units": row.sub_units,
        "hidden": hidden_names(**counts),
    }


def _figures_schema() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """The fields of a statistics row, for the schema (`figures` writes them)."""
    hidden = "A count withheld (below `small_cell`, unionrec.small_cells), or a share of one: null."
    return {
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "members": serializers.IntegerField(allow_null=True, help_text=hidden),
        "women": serializers.IntegerField(allow_null=True, help_text=hidden),
        "unknown_gender": serializers.IntegerField(allow_null=True, help_text=hidden),
        "women_share": serializers.FloatField(
            allow_null=True, help_text="Percent, one decimal; null for no members, or withheld."
        ),
        "sub_units": serializers.IntegerField(),
        "hidden": serializers.ListField(
            child=serializers.ChoiceField(choices=WITHHELD),
            help_text="The figures of this row withheld (null above); empty when all are exact.",
        ),
    }


STATISTICS_SCHEMA = inline_serializer(
    "BranchStatistics",
    {
        **_figures_schema(),
        "as_of": serializers.DateField(),
        "small_cell": serializers.IntegerField(
            allow_null=True,
            help_text="Outside the scope of a secretary or a reviewer of the branch: counts "
            "below this are withheld, with the shares computed from them, and so is the next "
            "smallest figure of a column with one withheld. Null when every figure is exact.",
        ),
        "children": inline_serializer("BranchFigures", _figures_schema(), many=True),
    },
)
