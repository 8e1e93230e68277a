"""Indexes measured by `make bench` (issue 14): the branch index of the statistics gains the
branches' dates, so that the sub-units existing on a day are counted from the index alone; the
member list gets an index for each sort it offers and a branch-led index of what the tallies
cannot count (status, gender, birth date), within a subtree and over the whole register
(bench/filters.py). The plain index of the branch
foreign key goes: the two new indexes that lead with the branch serve every lookup by branch.
It is dropped by name, since letting Django alter the field would copy the whole member table
on SQLite."""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "members_member"


def _branch_indexes(schema_editor: object) -> list[str]:
    """The names of the indexes on the branch column alone (the foreign key's own index)."""
    connection = schema_editor.connection  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["unique"] and info["columns"] == ["branch_id"]
    ]


def drop_branch_index(apps: object, schema_editor: object) -> None:
    for name in _branch_indexes(schema_editor):
        schema_editor.execute(f'DROP INDEX "{name}"')  # type: ignore[attr-defined]


def restore_branch_index(apps: object, schema_editor: object) -> None:
    if not _branch_indexes(schema_editor):
        schema_editor.execute(  # type: ignore[attr-defined]
            f'CREATE INDEX "members_member_branch_id_idx" ON "{TABLE}" ("branch_id")'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_branch_search_key"),
    ]

    operations = [
        # The sub-units of a branch's children counted from the index alone (statistics).
        migrations.RemoveIndex(model_name="branch", name="branch_depth_path_idx"),
        migrations.AddIndex(
            model_name="branch",
            index=models.Index(
                fields=["depth", "path", "founded_on", "dissolved_on"],
                name="branch_depth_path_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="member", name="member_birth_idx"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="member",
                    name="branch",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="members.branch",
                        verbose_name="branch",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_branch_index, restore_branch_index, elidable=False),
            ],
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["status", "sort_key", "id"], name="member_status_sort_idx"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["birth_date", "sort_key", "id"], name="member_birth_sort_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["branch", "sort_key", "id"], name="member_branch_sort_idx"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["branch", "status", "gender", "birth_date"],
                name="member_branch_filter_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["status", "gender", "birth_date"], name="member_filter_idx"
            ),
        ),
    ]
