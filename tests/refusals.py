"""The database's own refusals, as the tests of its triggers read them."""

import pytest
from django.db import IntegrityError, transaction


def refused(write) -> str:
    """The message of the IntegrityError that `write()` raises, in a savepoint of its own (so
    the test's transaction goes on)."""
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        write()
    return str(error.value)
