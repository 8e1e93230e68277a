"""The name order's index (member_sort_idx) takes the branch as a key column instead of an
INCLUDE column. PostgreSQL reads it the same way (the name order, then the id: unique before
the branch). SQLite, which builds no INCLUDE columns, then finds the branch in the index too,
so that a subtree's walk of the name order reads no table row (1 M members, a federation's
`?page=200`: 35 -> 4 ms). Rebuilds the index: at 10 M members on PostgreSQL about a minute,
the member table locked for writes meanwhile (docs/operations.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0019_filters_walk_their_own_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="member", name="member_sort_idx"),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["sort_key", "id", "branch"],
                name="member_sort_idx",
                include=["search_key", "birth_date", "card_number"],
            ),
        ),
    ]
