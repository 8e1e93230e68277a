"""Terms, congresses and committees through the services."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from congresses import committees, parts, services
from congresses.models import Congress, CongressStatus, ObtainedBy, Post, PostEnd, PostKind, Term
from members import services as member_services
from members.models import Branch
from tests.congresses.helpers import fill_by_elections
from tests.factories import member, persona, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def unnumbered_term(tree):
    """The union's term from 23/12/2017, without the ordinal of the shared `term`."""
    return services.create_term(branch=tree.union, starts_on=date(2017, 12, 23))


def test_term_defaults_to_five_years_with_a_label(unnumbered_term):
    assert (unnumbered_term.ends_on, unnumbered_term.label) == (date(2022, 12, 23), "2017–2022")


def test_a_label_with_a_hyphen_names_the_same_term(tree, unnumbered_term):
    with pytest.raises(ValidationError) as error:
        services.create_term(branch=tree.union, starts_on=date(2030, 1, 1), label="2017-2022")
    assert "2017–2022" in str(error.value)


def test_overlapping_terms_are_refused_with_a_clear_message(tree, unnumbered_term):
    with pytest.raises(ValidationError) as error:
        services.create_term(branch=tree.union, starts_on=date(2020, 1, 1))
    assert "23/12/2017" in str(error.value)
    nxt = services.create_term(branch=tree.union, starts_on=date(2022, 12, 23))  # touching: fine
    assert unnumbered_term.next == nxt and nxt.previous == unnumbered_term
    assert Term.objects.filter(branch=tree.union).count() == 2


def test_the_database_itself_refuses_overlapping_terms(tree, unnumbered_term):
    """The guard holds even for writes that bypass the services (an exclusion constraint on
    PostgreSQL, triggers on SQLite)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(
            branch=tree.union, label="x", starts_on=date(2019, 1, 1), ends_on=date(2024, 1, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.filter(pk=unnumbered_term.pk).update(
            ends_on=date(2023, 1, 1)
        )  # still alone: fine
        Term.objects.create(
            branch=tree.union, label="y", starts_on=date(2022, 12, 31), ends_on=date(2027, 1, 1)
        )
    Term.objects.create(
        branch=tree.other, label="z", starts_on=date(2019, 1, 1), ends_on=date(2024, 1, 1)
    )  # other branches are independent
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert {"term_no_overlap_insert", "term_no_overlap_update"} <= {
                row[0] for row in cursor.fetchall()
            }


def test_extension_up_to_30_months_is_recorded_with_its_decision(tree, unnumbered_term):
    with pytest.raises(ValidationError):
        services.extend_term(
            term=unnumbered_term,
            until=date(2025, 12, 24),
            decision="12/QĐ",
            decided_on=date(2022, 10, 1),
        )
    services.extend_term(
        term=unnumbered_term,
        until=date(2023, 6, 30),
        decision="12/QĐ",
        decided_on=date(2022, 10, 1),
    )
    unnumbered_term.refresh_from_db()
    assert (unnumbered_term.end, unnumbered_term.extension_decision) == (date(2023, 6, 30), "12/QĐ")
    with pytest.raises(ValidationError):  # the extended term now covers early 2023
        services.create_term(branch=tree.union, starts_on=date(2023, 1, 1))


def test_statistics_are_frozen_when_the_congress_is_recorded(tree, unnumbered_term):
    lan = member(tree.unit_a, started_on=date(2015, 1, 1), birth_date=date(1990, 5, 1))
    member(tree.unit_b, "Trần Văn Nam", "male", date(2016, 1, 1))
    congress = services.create_congress(
        term=unnumbered_term, held_on=date(2017, 12, 23), summoned=2, present=2, committee_size=3
    )
    services.record_held(congress)
    congress.refresh_from_db()
    assert (
        congress.counted_members,
        congress.counted_women,
        str(congress.counted_women_share),
        congress.counted_sub_units,
    ) == (2, 1, "50.0", 2)
    assert congress.counted_age_bands["under-30"] == 1
    # later edits to the register do not change the frozen figures
    member_services.mark_left(member=lan, on=date(2018, 1, 1), reason="retired")
    member(tree.unit_a, "Lê Thị Mới", started_on=date(2017, 1, 1))
    congress.refresh_from_db()
    assert (congress.counted_members, congress.counted_women) == (2, 1)


def test_demo_congress_freezes_the_seed_figures(demo):
    from congresses import demo as congress_demo

    congress_demo.load()
    seed = Congress.objects.get(term__branch__code="hp-skhcn", held_on=date(2017, 12, 23))
    assert (
        seed.counted_members,
        seed.counted_women,
        str(seed.counted_women_share),
        seed.counted_sub_units,
    ) == (185, 91, "49.2", 6)
    assert seed.status == CongressStatus.RECOGNISED
    assert seed.term.posts.filter(kind=PostKind.EXECUTIVE).count() == 9
    assert seed.guests.first().name.startswith("Chủ tịch Công đoàn Viên chức")
    today_terms = Term.objects.current_on(date(2026, 11, 24)).filter(branch__code="hp-skhcn")
    assert [t.label for t in today_terms] == ["2022–2027"]


def test_reported_figures_need_a_reason(tree, unnumbered_term):
    congress = services.create_congress(term=unnumbered_term, held_on=date(2017, 12, 23))
    with pytest.raises(ValidationError) as error:
        services.update_congress(congress=congress, reported_members=190)
    assert "reported_reason" in error.value.message_dict
    services.update_congress(
        congress=congress, reported_members=190, reported_reason="Hai đoàn viên chưa vào sổ"
    )


def test_lifecycle_and_read_only_after_recognition(tree, unnumbered_term):
    congress = services.create_congress(
        term=unnumbered_term, held_on=date(2017, 12, 23), summoned=10, present=9, committee_size=3
    )
    with pytest.raises(ValidationError):
        services.recognise(congress, decision="1/QĐ", decided_on=date(2018, 1, 5))
    services.record_held(congress)
    services.submit_for_recognition(congress)
    secretary = persona(tree, "secretary")  # secretary of the union, not of the level above
    with pytest.raises(PermissionDenied):
        services.recognise(congress, decision="1/QĐ", decided_on=date(2018, 1, 5), by=secretary)
    services.recognise(
        congress,
        decision="1/QĐ",
        decided_on=date(2018, 1, 5),
        by=user("prov-sec", "secretary", tree.prov),
    )
    congress.refresh_from_db()
    assert congress.status == CongressStatus.RECOGNISED
    with pytest.raises(ValidationError):
        services.update_congress(congress=congress, venue="Elsewhere")
    with pytest.raises(ValidationError):
        parts.add_guest(congress=congress, name="Someone")
    with pytest.raises(PermissionDenied):
        services.reopen(congress, reason="typo", by=secretary)
    services.reopen(congress, reason="Sửa số người dự", by=user("root", is_superuser=True))
    congress.refresh_from_db()
    assert congress.status == CongressStatus.AWAITING_RECOGNITION
    assert congress.history.first().history_change_reason == "Sửa số người dự"
    services.update_congress(congress=congress, present=8)


def test_by_election_cap_is_enforced_with_a_clear_message(tree, unnumbered_term):
    congress = services.create_congress(
        term=unnumbered_term, held_on=date(2017, 12, 23), committee_size=3
    )
    # 2/3 of 3 seats at a grassroots union: 2 by-elections allowed
    fill_by_elections(unnumbered_term, by_election_name="Bầu bổ sung")
    with pytest.raises(ValidationError) as error:
        committees.add_post(
            term=unnumbered_term,
            kind=PostKind.EXECUTIVE,
            person_name="Thêm nữa",
            starts_on=date(2020, 1, 1),
            obtained_by=ObtainedBy.BY_ELECTION,
        )
    # Vietnamese, the default language: "filled 2 of the 2 seats allowed ... Art. 11.4"
    assert "bầu bổ sung 2 trên tổng số 2" in str(error.value)
    assert "khoản 4 Điều 11" in str(error.value)
    committees.add_post(
        term=unnumbered_term,
        kind=PostKind.EXECUTIVE,
        person_name="Thêm nữa",
        starts_on=date(2020, 1, 1),
        obtained_by=ObtainedBy.BY_ELECTION,
        consent_decision="9/QĐ-CĐVC",
    )
    assert congress.term.posts.count() == 6


def test_committee_of_any_day_keeps_history(tree, unnumbered_term):
    chair = committees.add_post(
        term=unnumbered_term,
        kind=PostKind.CHAIR,
        person_name="Chủ tịch Cũ",
        starts_on=date(2017, 12, 23),
        obtained_by=ObtainedBy.COMMITTEE,
    )
    committees.end_post(post=chair, on=date(2019, 6, 1), reason=PostEnd.RESIGNED)
    committees.add_post(
        term=unnumbered_term,
        kind=PostKind.CHAIR,
        person_name="Chủ tịch Mới",
        starts_on=date(2019, 7, 1),
        obtained_by=ObtainedBy.BY_ELECTION,
    )
    assert [p.person_name for p in unnumbered_term.posts.committee_on(date(2018, 1, 1))] == [
        "Chủ tịch Cũ"
    ]
    assert list(unnumbered_term.posts.committee_on(date(2019, 6, 15))) == []
    assert [p.person_name for p in unnumbered_term.posts.committee_on(date(2020, 1, 1))] == [
        "Chủ tịch Mới"
    ]
    assert Post.objects.get(pk=chair.pk).history.first().history_change_reason == "resigned"


def test_documents_are_checked_by_content_and_stored_under_server_names(
    tree, unnumbered_term, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    congress = services.create_congress(term=unnumbered_term, held_on=date(2017, 12, 23))
    with pytest.raises(ValidationError):
        parts.attach_document(congress=congress, kind="minutes", name="x.pdf", data=b"MZ\x90\x00")
    settings.UNIONREC_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        parts.attach_document(
            congress=congress, kind="minutes", name="a.pdf", data=b"%PDF-" + b"x" * 20
        )
    settings.UNIONREC_DOCUMENT_MAX_BYTES = 1024
    document = parts.attach_document(
        congress=congress, kind="minutes", name="../../etc/passwd.pdf", data=b"%PDF-1.7 minutes"
    )
    assert document.content_type == "application/pdf"
    assert ".." not in document.file.name and "passwd" not in document.file.name
    assert document.original_name == "../../etc/passwd.pdf"
    assert congress.documents.count() == 1


def test_writes_outside_scope_are_refused(tree):
    secretary = persona(tree, "secretary")
    with pytest.raises(PermissionDenied):
        services.create_term(branch=tree.other, starts_on=date(2017, 1, 1), by=secretary)
    assert not Term.objects.exists()
    assert Branch.objects.get(code="union")
