"""Fixtures of the congresses tests shared across their folders (terms, congresses and
committees here; elections/ and resolutions/ below, each with a conftest.py of its own)."""

import pytest
from rest_framework.test import APIClient

from congresses import services
from tests.congresses.helpers import DAY


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    """Uploaded files go to the test's own temporary folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api():
    """An API client that asks for English answers."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def term(tree):
    """The union's 5th term, from DAY."""
    return services.create_term(branch=tree.union, starts_on=DAY, ordinal=5)
