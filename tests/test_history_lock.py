"""History that cannot be rewritten (issue 16 item 2, reliability-security test 48,
unionrec.history_lock): the database refuses UPDATE and DELETE on every history table, except
through the one unlocked path (a member's erasure); deleting a user empties the user column of
their history rows and changes nothing else; the triggers come back after a migration; the
test suite's flushes still work."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from members import services
from members.erasure import erase_member
from members.models import Member
from tests.factories import member, user
from tests.refusals import refused
from unionrec.history_lock import RULE, history_tables, unlocked

History = Member.history.model


@pytest.fixture
def lan(tree):
    return member(tree.union, "Nguyễn Thị Lan", card_number="HP-0012345")


@pytest.mark.django_db
def test_every_history_table_is_covered():
    tables = [table for table, _columns in history_tables()]
    assert len(tables) >= 20 and "members_historicalmember" in tables
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT event_object_table FROM information_schema.triggers")
        guarded = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= guarded


@pytest.mark.django_db
def test_a_history_row_is_neither_changed_nor_deleted(lan):
    rows = History.objects.filter(id=lan.pk)
    assert RULE in refused(lambda: rows.update(full_name="Someone else"))
    assert RULE in refused(lambda: rows.update(history_user=None, full_name="Someone else"))
    assert RULE in refused(lambda: rows.delete())
    with connection.cursor() as cursor:  # nor by hand at the database
        table = History._meta.db_table
        assert RULE in refused(lambda: cursor.execute(f"DELETE FROM {table}"))  # noqa: S608
    assert rows.get().full_name == "Nguyễn Thị Lan"


@pytest.mark.django_db
def test_changing_a_member_adds_history_and_keeps_the_old_rows(lan):
    services.update_member(member=lan, full_name="Nguyễn Thị Lan Anh")
    assert list(
        History.objects.filter(id=lan.pk).order_by("history_id").values_list("full_name", flat=True)
    ) == [
        "Nguyễn Thị Lan",
        "Nguyễn Thị Lan Anh",
    ]


@pytest.mark.django_db
def test_deleting_a_user_keeps_their_history_rows_with_the_user_column_empty(tree):
    clerk = user("clerk", "secretary", tree.union)
    person = member(tree.union, "Lê Văn Nam")
    person.full_name, person._history_user = "Lê Văn Nam Anh", clerk  # as a page's change
    person.save()
    before = list(History.objects.filter(id=person.pk).order_by("history_id").values())
    assert [row["history_user_id"] for row in before] == [None, clerk.pk]
    get_user_model().objects.filter(pk=clerk.pk).delete()
    after = list(History.objects.filter(id=person.pk).order_by("history_id").values())
    assert after == [{**row, "history_user_id": None} for row in before]


@pytest.mark.django_db
def test_the_erasure_is_the_one_path_that_rewrites_history(lan, tree):
    erase_member(lan, reason="Yêu cầu của đoàn viên", by=None)
    names = set(History.objects.filter(id=lan.pk).values_list("full_name", flat=True))
    assert "Nguyễn Thị Lan" not in names
    with unlocked():
        History.objects.filter(id=lan.pk).update(history_change_reason="checked")
    rows = History.objects.filter(id=lan.pk)
    assert RULE in refused(lambda: rows.update(history_change_reason="after"))  # locked again


@pytest.mark.django_db
def test_a_failed_unlocked_block_leaves_history_locked(lan):
    with pytest.raises(RuntimeError), unlocked():
        raise RuntimeError("stopped half-way")
    rows = History.objects.filter(id=lan.pk)
    assert RULE in refused(lambda: rows.update(full_name="x"))


@pytest.mark.django_db
def test_the_triggers_come_back_after_a_migration(lan):
    table = History._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f'DROP TRIGGER "{table}_no_update"')
        else:
            cursor.execute(f'DROP TRIGGER "{table}_append_only" ON "{table}"')
    rows = History.objects.filter(id=lan.pk)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert RULE in refused(lambda: rows.update(full_name="x"))


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_history_tables(tree):
    member(tree.union, "Trần Văn Bình")
    assert History.objects.exists()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert not History.objects.exists()
