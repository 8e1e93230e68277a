"""load_demo: the seed case, idempotent, never wiping what users entered."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from members import services
from members.models import Branch, Grant, Member, Role
from members.statistics import statistics

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_demo_records_the_seed_case_and_prints_the_logins():
    output = run()
    for login in ("admin", "secretary", "reviewer", "member"):
        assert login in output
        assert authenticate(username=login, password="demo") is not None
    chain = [b.code for b in Branch.objects.filter(depth__lte=4).order_by("path")]
    assert chain == ["vgcl", "hp-ldld", "hp-cdvc", "hp-skhcn"]
    union = Branch.objects.get(code="hp-skhcn")
    stats = statistics(union, date(2017, 12, 23))
    assert (stats.members, stats.women, str(stats.women_share), stats.sub_units) == (
        185,
        91,
        "49.2",
        6,
    )
    assert Grant.objects.get(user__username="secretary").branch == union
    assert Grant.objects.get(user__username="reviewer").branch.code == "hp-cdvc"
    assert Grant.objects.get(user__username="member").role == Role.MEMBER


def test_running_again_changes_nothing_and_keeps_user_data():
    run()
    union = Branch.objects.get(code="hp-skhcn")
    services.add_member(branch=union, full_name="Người Dùng Nhập", gender="female")
    counts = (Member.objects.count(), Branch.objects.count(), Grant.objects.count())
    run()
    assert (Member.objects.count(), Branch.objects.count(), Grant.objects.count()) == counts
    assert Member.objects.filter(full_name="Người Dùng Nhập").exists()


def test_reset_starts_over():
    run()
    union = Branch.objects.get(code="hp-skhcn")
    services.add_member(branch=union, full_name="Người Dùng Nhập", gender="female")
    run("--reset")
    assert not Member.objects.filter(full_name="Người Dùng Nhập").exists()
    stats = statistics(Branch.objects.get(code="hp-skhcn"), date(2017, 12, 23))
    assert (stats.members, stats.women) == (185, 91)


def test_the_demo_breaks_no_rule_and_certifies_2017_as_of_2017(capsys):
    """A fresh demo gives check_records nothing to list; its 2017 results are certified as of
    the congress day, not the day the demo was loaded."""
    from congresses.elections.models import Election

    run()
    certified = Election.objects.filter(congress__term__branch__code="hp-skhcn")
    assert set(certified.values_list("certified_on", flat=True)) == {date(2017, 12, 23)}
    call_command("check_records")  # exits with status 1 if anything is listed
    assert "0 bản ghi cần sửa." in capsys.readouterr().out
