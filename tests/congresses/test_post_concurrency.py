"""Two secretaries adding the same post at the same moment: where the rules allow one holder
(a chair), one succeeds and the other is refused, because writers of one term's posts take
turns (congresses.committees locks the term's row). Needs PostgreSQL: SQLite serialises
writers by itself."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from congresses import committees, services
from congresses.models import ObtainedBy, PostKind
from tests.congresses.helpers import DAY
from tests.factories import small_tree

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
]

WRITERS = 4


def test_of_chairs_added_at_once_only_one_is_recorded():
    tree = small_tree()
    term = services.create_term(branch=tree.union, starts_on=DAY)
    start = threading.Barrier(WRITERS)
    added, refused, errors = [], [], []

    def add_chair(index: int) -> None:
        try:
            start.wait()
            committees.add_post(
                term=term,
                kind=PostKind.CHAIR,
                person_name=f"Chủ Tịch {index}",
                starts_on=DAY,
                obtained_by=ObtainedBy.COMMITTEE,
            )
            added.append(index)
        except ValidationError as error:
            refused.append(error.message_dict)
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=add_chair, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(added) == 1 and len(refused) == WRITERS - 1
    assert all(list(refusal) == ["kind"] for refusal in refused)
    assert term.posts.filter(kind=PostKind.CHAIR).count() == 1
