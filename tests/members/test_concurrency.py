"""Concurrent writers keep the tallies exact (reliability-security §3 and test 59)."""

import threading
from datetime import date

import pytest
from django.db import close_old_connections, connection

from members import services
from members.models import Member
from members.statistics import direct_count, statistics
from tests.factories import small_tree

pytestmark = pytest.mark.django_db(transaction=True)

THREADS, EACH = 4, 15


def test_parallel_additions_and_departures_keep_tallies_exact():
    tree = small_tree()
    targets = [tree.unit_a, tree.unit_b, tree.other, tree.far_union]
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            for n in range(EACH):
                added = services.add_member(
                    branch=targets[index],
                    full_name=f"Người {index} {n}",
                    gender="female" if n % 2 else "male",
                    started_on=date(2016, 1, 1 + n),
                )
                if n % 5 == 0:
                    services.mark_left(member=added, on=date(2020, 1, 1), reason="other")
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Member.objects.count() == THREADS * EACH
    for day in (date(2016, 1, 10), date(2019, 12, 31), date(2020, 1, 1)):
        for node in (tree.root, tree.prov, tree.union, tree.far):
            node.refresh_from_db()
            assert statistics(node, day).counts == direct_count(node, day)
    assert statistics(tree.root, date(2020, 1, 1)).members == THREADS * (EACH - 3)
