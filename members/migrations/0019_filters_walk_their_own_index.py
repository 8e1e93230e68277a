"""The member list's filters at 10 M members (members.filters.members_for_list, measured by
`make bench`, bench/filters.py): a subtree's list of one gender, one status or both walks the
index of that filter in name order, which carries the branch and the other filters
(PostgreSQL's INCLUDE; SQLite builds the indexes without it), instead of probing the branch
filter index once per branch and status (6,963 branches in a federation) and sorting what it
found. A list of a gender and a status walks an index of both, on PostgreSQL only (as
member_family_sort_idx of migration 0017): SQLite, which cannot carry the other columns,
would choose it and read a table row for each entry it passes."""

from django.db import migrations, models

BOTH = "member_gender_status_sort_idx"


def add_both(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {BOTH} ON members_member "
            "(gender, status, sort_key, id) INCLUDE (branch_id, birth_date)"
        )


def drop_both(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {BOTH}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0018_middle_names"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="member", name="member_gender_sort_idx"),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["gender", "sort_key", "id"],
                include=("branch", "status", "birth_date"),
                name="member_gender_sort_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="member", name="member_status_sort_idx"),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["status", "sort_key", "id"],
                include=("branch", "birth_date"),
                name="member_status_sort_idx",
            ),
        ),
        migrations.RunPython(add_both, drop_both, elidable=False),
    ]
