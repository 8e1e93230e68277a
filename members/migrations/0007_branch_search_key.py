"""Branches are found by typing (members.pickers): a code by its start, through the code's
index in byte order (the "C" collation on PostgreSQL, as paths), and a name by its folded
search key (members.domain.branch_search_key), stored and indexed here and filled for the
branches already recorded, in batches by id."""

from django.core.validators import RegexValidator
from django.db import migrations, models

import members.models
from members import domain

BATCH = 2000
CODE = RegexValidator(
    "^[a-z0-9]+(?:-[a-z0-9]+)*$", "Use lower-case letters, digits and single hyphens, e.g. hp-skhcn."
)


def fill_search_keys(apps, schema_editor):
    Branch = apps.get_model("members", "Branch")
    last = 0
    while True:
        rows = list(
            Branch.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "name", "short_name")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        Branch.objects.bulk_update(
            [
                Branch(pk=pk, search_key=domain.branch_search_key(name, short_name))
                for pk, name, short_name in rows
            ],
            ["search_key"],
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0006_search_index")]

    operations = [
        migrations.AlterField(
            model_name="branch",
            name="code",
            field=members.models.ByteOrderCharField(
                help_text="Stable identifier used in addresses and the API, e.g. hp-skhcn.",
                max_length=40,
                unique=True,
                validators=[CODE],
                verbose_name="code",
            ),
        ),
        migrations.AlterField(
            model_name="historicalbranch",
            name="code",
            field=members.models.ByteOrderCharField(
                db_index=True,
                help_text="Stable identifier used in addresses and the API, e.g. hp-skhcn.",
                max_length=40,
                validators=[CODE],
                verbose_name="code",
            ),
        ),
        migrations.AddField(
            model_name="branch",
            name="search_key",
            field=members.models.ByteOrderCharField(default="", editable=False, max_length=340),
        ),
        migrations.AddIndex(
            model_name="branch",
            index=models.Index(fields=["search_key"], name="branch_search_key_idx"),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop, elidable=True),
    ]
