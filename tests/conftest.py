import os

import pytest

os.environ.setdefault("UNIONREC_TESTING", "1")


@pytest.fixture(autouse=True)
def _vietnamese_by_default(settings):
    """Pages render in Vietnamese unless a test asks otherwise; assertions on messages pick
    the language explicitly."""
    settings.LANGUAGE_CODE = "vi"


def _loaded_once(django_db_blocker, *parts: str):
    """Load the demo's `parts` (members, congresses, resolutions) once for a module, in a
    transaction rolled back at its end; each test runs in a savepoint inside it
    (pytest-django's db fixture nests its atomic block), so a test's own changes go too.
    The demo is loaded through the services once per run, then copied (tests/demo_copy.py)."""
    from django.db import transaction

    from tests import demo_copy

    with django_db_blocker.unblock(), transaction.atomic():
        demo_copy.load(*parts)
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def _seed_for_module(django_db_setup, django_db_blocker):
    """The whole demo (members, terms and congresses, resolutions), loaded once for a
    module. Only for modules whose every test reads the demo: the small tree's logins and
    codes would meet the demo's."""
    yield from _loaded_once(django_db_blocker, "members", "congresses", "resolutions")


@pytest.fixture(scope="module")
def _members_demo_for_module(django_db_setup, django_db_blocker):
    """The demo's register alone, loaded once for a module (as `_seed_for_module`)."""
    yield from _loaded_once(django_db_blocker, "members")


@pytest.fixture
def english(settings):
    """Pages render in English."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def demo(db):
    """The demo data of the seed case: its register, loaded through the services once per
    run, then copied (tests/demo_copy.py)."""
    from members import demo as demo_data
    from tests import demo_copy

    demo_copy.load("members")
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
