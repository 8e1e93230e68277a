"""The members per sub-unit are frozen with a congress's totals (congresses.breakdown).

Congresses already held get theirs from the register as of their day (`reconstruct`), read as
members.statistics reads it: the latest tally of each direct sub-unit existing on the day, and
the members attached to the branch itself as a row of their own. Where the rows do not add up
to the totals frozen on the day (the register changed since), the congress is marked
`counted_rows_reconstructed` and check_records lists it; the frozen totals are never touched.

Historical models only, and no history rows: the breakdown is added, nothing recorded is
changed."""

from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery

# members.domain.PATH_END, copied so that this migration keeps its meaning: it sorts after
# every character of a materialized path, so [path, path + "~") is the path's subtree.
PATH_END = "~"


def register_rows(Branch, BranchTally, branch, day):
    """The rows of `branch` on `day` from the tallies, as congresses.breakdown stores them,
    and their total (members, women, unknown) as the branch's own tally has it."""
    latest = BranchTally.objects.filter(branch=OuterRef("pk"), day__lte=day).order_by("-day")
    children = (
        Branch.objects.filter(
            depth=branch.depth + 1, path__gte=branch.path, path__lt=branch.path + PATH_END
        )
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=day))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))
        .annotate(
            tally_members=Subquery(latest.values("members")[:1]),
            tally_women=Subquery(latest.values("women")[:1]),
            tally_unknown=Subquery(latest.values("unknown")[:1]),
        )
        .order_by("path")
        .values_list("code", "name", "short_name", "tally_members", "tally_women", "tally_unknown")
    )
    rows = [
        {
            "code": code,
            "name": name,
            "short_name": short_name,
            "members": m or 0,
            "women": w or 0,
            "unknown": u or 0,
        }
        for code, name, short_name, m, w, u in children
    ]
    own = (
        BranchTally.objects.filter(branch=branch, day__lte=day)
        .order_by("-day")
        .values_list("members", "women", "unknown")
        .first()
    )
    total = tuple(own) if own else (0, 0, 0)
    direct = [
        total[i] - sum(row[key] for row in rows)
        for i, key in enumerate(("members", "women", "unknown"))
    ]
    if any(direct):
        rows.append(
            {
                "code": branch.code,
                "name": branch.name,
                "short_name": branch.short_name,
                "members": direct[0],
                "women": direct[1],
                "unknown": direct[2],
                "direct": True,
            }
        )
    return rows


def reconstruct(apps, schema_editor):
    """The breakdown of every congress whose statistics were frozen, from the register as of
    the day they were counted; marked reconstructed where it does not add up to them."""
    Congress = apps.get_model("congresses", "Congress")
    Branch = apps.get_model("members", "Branch")
    BranchTally = apps.get_model("members", "BranchTally")
    held = Congress.objects.filter(counted_on__isnull=False).select_related("term__branch")
    for congress in held.order_by("pk").iterator(chunk_size=500):
        rows = register_rows(Branch, BranchTally, congress.term.branch, congress.counted_on)
        sums = tuple(sum(row[key] for row in rows) for key in ("members", "women", "unknown"))
        frozen = (
            congress.counted_members or 0,
            congress.counted_women or 0,
            congress.counted_unknown or 0,
        )
        Congress.objects.filter(pk=congress.pk).update(
            counted_sub_unit_rows=rows, counted_rows_reconstructed=sums != frozen
        )



class Migration(migrations.Migration):

    dependencies = [
        ('congresses', '0004_resolutions'),
        ('members', '0003_member_gender_sort_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='congress',
            name='counted_rows_reconstructed',
            field=models.BooleanField(default=False, help_text='Rebuilt later from the register as of the congress day, and not adding up to the totals frozen on the day.', verbose_name='members per sub-unit reconstructed'),
        ),
        migrations.AddField(
            model_name='congress',
            name='counted_sub_unit_rows',
            field=models.JSONField(blank=True, default=list, verbose_name='members per sub-unit (counted)'),
        ),
        migrations.AddField(
            model_name='historicalcongress',
            name='counted_rows_reconstructed',
            field=models.BooleanField(default=False, help_text='Rebuilt later from the register as of the congress day, and not adding up to the totals frozen on the day.', verbose_name='members per sub-unit reconstructed'),
        ),
        migrations.AddField(
            model_name='historicalcongress',
            name='counted_sub_unit_rows',
            field=models.JSONField(blank=True, default=list, verbose_name='members per sub-unit (counted)'),
        ),
        migrations.RunPython(reconstruct, migrations.RunPython.noop),
    ]
