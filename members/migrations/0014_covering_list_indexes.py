"""Two indexes of the member list carry columns they are not sorted by (PostgreSQL's INCLUDE;
SQLite has no such clause, and there they are rebuilt as they were): the name order carries the
branch, and the branch filter index the name key and the id, so that the plans that read many
index entries (a deep page of a subtree, a federation's former members of one gender) read the
index alone (members.indexes, measured by `make bench`)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0013_processing_basis"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="member",
            name="member_sort_idx",
        ),
        migrations.RemoveIndex(
            model_name="member",
            name="member_branch_filter_idx",
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["sort_key", "id"], include=("branch",), name="member_sort_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                fields=["branch", "status", "gender", "birth_date"],
                include=("sort_key", "id"),
                name="member_branch_filter_idx",
            ),
        ),
    ]
