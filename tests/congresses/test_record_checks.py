"""check_records and the pages list the stored records that break a rule (the framework;
each rule's own findings are tested beside the rule)."""

import pytest
from django.core.management import call_command
from django.utils.translation import gettext

from congresses import record_checks
from congresses.record_checks import Finding
from tests.congresses.helpers import text


def _one_finding(terms):
    for term in terms:
        yield Finding(
            term=term,
            record="Chủ tịch: Nguyễn Văn A",
            problem="Two chairs on one day.",
            fix="Delete the post entered by mistake.",
            url=f"/terms/{term.pk}/",
        )


def done(terms: int, problems: int) -> str:
    """The closing sentence in the active language ("Đã kiểm tra 1 nhiệm kỳ, 0 vấn đề cần
    sửa." in Vietnamese, the tests' default)."""
    sentence = gettext("%(terms)s term(s) checked, %(count)s problem(s) to fix.")
    return sentence % {"terms": terms, "count": problems}


@pytest.fixture
def one_rule(monkeypatch):
    monkeypatch.setattr(record_checks, "CHECKS", (("sample", _one_finding),))


def test_check_records_passes_when_every_record_holds(term, capsys):
    call_command("check_records")
    assert done(1, 0) in capsys.readouterr().out


def test_check_records_lists_each_breach_and_fails(term, one_rule, capsys):
    with pytest.raises(SystemExit) as stop:
        call_command("check_records", "--branch", term.branch.code)
    assert stop.value.code == 1
    out = capsys.readouterr().out
    assert (
        f"{term.branch.code} {term.label} · Chủ tịch: Nguyễn Văn A: Two chairs on one day." in out
    )
    assert "Delete the post entered by mistake." in out
    assert done(1, 1) in out


def test_check_records_limits_to_a_subtree(term, tree, one_rule, capsys):
    call_command("check_records", "--branch", tree.far.code)
    assert done(0, 0) in capsys.readouterr().out


def test_check_records_refuses_an_unknown_branch(term):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No branch has the code"):
        call_command("check_records", "--branch", "no-such-branch")


def test_term_page_flags_the_records_to_fix(term, one_rule, client_as, english):
    client = client_as("secretary")
    page = text(client.get(f"/terms/{term.pk}/"))
    assert 'id="record-problems"' in page
    assert "Two chairs on one day." in page
    assert f'href="/terms/{term.pk}/"' in page


def test_term_page_shows_no_flag_when_every_record_holds(term, client_as):
    page = text(client_as("secretary").get(f"/terms/{term.pk}/"))
    assert 'id="record-problems"' not in page
