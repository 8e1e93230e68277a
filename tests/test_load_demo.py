"""load_demo: the seed case, idempotent, never wiping what users entered."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils.translation import gettext

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
    from congresses.models import Term

    sentence = gettext("%(terms)s term(s) checked, %(count)s problem(s) to fix.")
    assert sentence % {"terms": Term.objects.count(), "count": 0} in capsys.readouterr().out


def test_demo_texts_are_vietnamese_when_the_catalogues_were_never_compiled(settings, tmp_path):
    """On a fresh checkout (no .mo: they are not kept in git) load_demo compiles the project's
    catalogues itself, so the review items it drafts are stored in Vietnamese."""
    import shutil

    from congresses.resolutions.models import ReviewItem

    locale = tmp_path / "locale"
    shutil.copytree(settings.BASE_DIR / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [locale]
    assert not list(locale.rglob("*.mo"))
    output = run()
    assert "compiled the message catalogues" in output
    assert (locale / "vi" / "LC_MESSAGES" / "django.mo").exists()
    drafted = list(ReviewItem.objects.filter(drafted=True).values_list("text", flat=True))
    assert "Tỷ lệ công đoàn bộ phận đạt vững mạnh: đạt chỉ tiêu, 100\u00a0%." in drafted
    assert not [text for text in drafted if "achieved" in text or "not met" in text]


def test_a_catalogue_edited_after_it_was_compiled_is_compiled_again(settings, tmp_path):
    import os

    from unionrec.management.commands.load_demo import stale_catalogues

    messages = tmp_path / "vi" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    po, mo = messages / "django.po", messages / "django.mo"
    po.write_text("")
    mo.write_bytes(b"")
    settings.LOCALE_PATHS = [tmp_path]
    os.utime(po, (1_000, 1_000))
    os.utime(mo, (2_000, 2_000))
    assert stale_catalogues() == []
    os.utime(po, (3_000, 3_000))
    assert stale_catalogues() == [po]
