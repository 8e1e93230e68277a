import os

import pytest

os.environ.setdefault("UNIONREC_TESTING", "1")


@pytest.fixture(autouse=True)
def _vietnamese_by_default(settings):
    """Pages render in Vietnamese unless a test asks otherwise; assertions on messages pick
    the language explicitly."""
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def english(settings):
    """Pages render in English."""
    settings.LANGUAGE_CODE = "en"


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


@pytest.fixture
def api(tree):
    """An API client authenticated as the small tree's secretary (modules may define their
    own `api`)."""
    from rest_framework.test import APIClient

    from tests.factories import persona

    client = APIClient()
    client.force_authenticate(persona(tree, "secretary"))
    return client


@pytest.fixture
def client_as(client, tree):
    """Log the test client in as a persona of the small tree (tests/factories.PERSONAS),
    "prov-secretary" (secretary of the level above the union), "admin" (a superuser) or a
    stranger with no grant (any other name); each account is made once per test."""
    from tests.factories import persona, user

    accounts = {}

    def login(name):
        if name not in accounts:
            if name in {"secretary", "reviewer", "member"}:
                accounts[name] = persona(tree, name)
            elif name == "prov-secretary":
                accounts[name] = user(name, "secretary", tree.prov)
            else:
                accounts[name] = user(name, is_superuser=name == "admin")
        client.force_login(accounts[name])
        return client

    return login
