"""Names stored before members.domain.clean_name removed invisible characters and folded
full-width letters are cleaned as the services now clean them, and their search and sort keys
recomputed, so that a stored name is found by the name typed.

Historical models; in batches by id, writing only the rows that change. A member whose name,
ethnicity or card number changes gets a history row ("names cleaned"), so the change is seen
on the record; a row whose only change is its keys (not kept in history) gets none. Nothing
stops the migration: a name that would be left empty is kept as it was, and so is a card
number whose cleaned form another member already has.

The cleaning and the keys come from members.domain (pure functions, the standard library
only): the keys must be the ones the services compute, so that search and order agree.
"""

from django.db import migrations
from django.utils import timezone

from members import domain

BATCH = 2000
REASON = "names cleaned"  # a fixed code, translated by unionrec's change_reason filter
PERSONAL = ("full_name", "ethnicity", "card_number")
KEYS = ("search_key", "sort_key")


def cleaned(full_name, ethnicity, card_number):
    """(full_name, ethnicity, card_number) as the services store them now."""
    name = domain.clean_name(full_name or "")[:150] or full_name
    card = (domain.clean_card(card_number)[:40] or None) if card_number else card_number
    return name, domain.clean_name(ethnicity or "")[:60], card


def clean_names(apps, schema_editor):
    """Clean every member's name, ethnicity and card number, and recompute the keys."""
    Member = apps.get_model("members", "Member")
    HistoricalMember = apps.get_model("members", "HistoricalMember")
    copied = [
        field.attname
        for field in HistoricalMember._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    now = timezone.now()
    last = 0
    while True:
        rows = list(
            Member.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", *PERSONAL, *KEYS)[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        changes = {}
        for pk, full_name, ethnicity, card, search_key, sort_key in rows:
            name, ethnicity_now, card_now = cleaned(full_name, ethnicity, card)
            keys = (domain.fold(name)[:150], domain.name_sort_key(name))
            if (name, ethnicity_now, card_now, *keys) != (
                full_name,
                ethnicity,
                card,
                search_key,
                sort_key,
            ):
                changes[pk] = (name, ethnicity_now, card_now, *keys)
        if changes:
            write(Member, HistoricalMember, copied, changes, now)


def write(Member, HistoricalMember, copied, changes, now):
    """Save the changed rows of one batch, with a history row where a recorded field changed."""
    members = list(Member.objects.filter(pk__in=changes).order_by("pk"))
    history = []
    taken = set()  # card numbers given in this batch
    for member in members:
        name, ethnicity, card, search_key, sort_key = changes[member.pk]
        if card != member.card_number and card is not None:
            if card in taken or Member.objects.filter(card_number=card).exists():
                card = member.card_number  # another member holds the cleaned number: keep it
            else:
                taken.add(card)
        recorded = (name, ethnicity, card) != (
            member.full_name,
            member.ethnicity,
            member.card_number,
        )
        member.full_name, member.ethnicity, member.card_number = name, ethnicity, card
        member.search_key, member.sort_key = search_key, sort_key
        if recorded:
            member.version += 1
            values = {attname: getattr(member, attname) for attname in copied}
            history.append(
                HistoricalMember(
                    **values, history_date=now, history_type="~", history_change_reason=REASON
                )
            )
    Member.objects.bulk_update(
        members, [*PERSONAL, *KEYS, "version"], batch_size=BATCH
    )
    HistoricalMember.objects.bulk_create(history, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_import_jobs"),
    ]

    operations = [
        migrations.RunPython(clean_names, migrations.RunPython.noop, elidable=True),
    ]
