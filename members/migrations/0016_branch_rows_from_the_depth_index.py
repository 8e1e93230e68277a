"""The index of the branches by depth and path also carries what a row of statistics names
(PostgreSQL's INCLUDE; SQLite rebuilds it as it was), so that the children of a federation
are read from it alone (members.statistics, measured by `make bench`)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0015_name_order_carries_the_name'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='branch',
            name='branch_depth_path_idx',
        ),
        migrations.AddIndex(
            model_name='branch',
            index=models.Index(fields=['depth', 'path', 'founded_on', 'dissolved_on'], include=('id', 'code', 'name', 'short_name', 'kind', 'numchild'), name='branch_depth_path_idx'),
        ),
    ]
