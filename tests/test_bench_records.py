"""The bench's congress records (bench.records) on a small generated tree: rows the models and
record checks accept, deterministic for a seed, and every situation of the calendar present."""

import random
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from bench import records
from bench.generate import Writer, build_tree
from bench.shape import shape_for
from congresses.filters import Situation
from congresses.models import Congress, CongressStatus, Term
from congresses.resolutions.models import Progress, Target
from members.models import Branch
from tests.factories import user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-12-05 09:00 +0700", tick=False):
        yield


def generate(seed: int = 7) -> dict[str, int]:
    """A tree of 200 branches written as the bench writes it, then its congress records."""
    rng = random.Random(seed)
    tree = build_tree(shape_for(200), rng)
    connection.ensure_connection()
    Writer().insert(Branch, tree.columns, iter(tree.rows))
    return records.generate(rng=rng, today=TODAY, say=lambda _text: None)


def test_generated_records_break_no_rule():
    counts = generate()
    assert counts["terms"] == Term.objects.count() > 150
    assert counts["targets"] == Target.objects.count() > 0
    assert Target.objects.filter(parent__isnull=False).exists()  # split targets
    assert Progress.objects.count() == counts["figures"] > 0
    out = StringIO()
    call_command("check_records", stdout=out)  # exits with status 1 (SystemExit) on a problem
    statuses = set(Congress.objects.values_list("status", flat=True))
    assert statuses == set(CongressStatus.values)
    extended = Term.objects.filter(extended_until__isnull=False).first()
    assert extended is not None and extended.effective_end == extended.extended_until


def test_the_same_seed_gives_the_same_records():
    generate(seed=11)
    first = list(Term.objects.order_by("pk").values_list("branch_id", "starts_on", "ends_on"))
    Progress.objects.all().delete()
    Target.objects.filter(parent__isnull=False).delete()
    Target.objects.all().delete()
    from congresses.resolutions.models import Campaign, Direction, Resolution

    for model in (Direction, Campaign, Resolution, Congress, Term):
        model.objects.all().delete()
    Branch.objects.all().delete()
    generate(seed=11)
    again = list(Term.objects.order_by("pk").values_list("branch_id", "starts_on", "ends_on"))
    assert again == first


def test_the_calendar_and_the_goals_page_show_them(client):
    generate()
    client.force_login(user("admin", is_superuser=True))
    for situation in Situation.values:
        response = client.get(reverse("congresses:calendar"), {"situation": situation})
        assert response.status_code == 200
        rows = response.context["page"].rows
        assert rows, situation
        assert all(getattr(record, f"is_{situation}") for record in rows)
        assert f'data-situation="{situation}"' in response.content.decode()
    root = Branch.objects.get(depth=1)
    response = client.get(reverse("congresses:goals"), {"branch": root.code})
    assert response.status_code == 200
    html = response.content.decode()
    assert records.MEMBERS_TITLE in html and records.TRAINED_TITLE in html
    subtree = response.context["groups"][1]
    assert subtree.sections  # federations and upper unions with a resolution
    verdicts = {line.status.verdict_code for s in subtree.sections for line in s.lines + s.more}
    assert {"on_track", "at_risk"} <= verdicts
