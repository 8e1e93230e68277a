import os

import pytest

os.environ.setdefault("UNIONREC_TESTING", "1")


@pytest.fixture(autouse=True)
def _vietnamese_by_default(settings):
    """Pages render in Vietnamese unless a test asks otherwise; assertions on messages pick
    the language explicitly."""
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def demo(db):
    """The demo data of the seed case, loaded through the services."""
    from members import demo as demo_data

    demo_data.load()
    return demo_data


@pytest.fixture
def tree(db):
    from tests.factories import small_tree

    return small_tree()
