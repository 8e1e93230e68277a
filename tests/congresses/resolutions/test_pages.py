"""Resolution and target pages: persona tests, the secretary's forms (resolution, directions,
campaigns, targets, figures, splits, evidence, reviews), their refusals, and the comparison
of two terms."""

import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congresses import services
from congresses.resolutions import progress
from congresses.resolutions import services as resolutions
from congresses.resolutions.models import Direction, Progress, Resolution, ReviewItem, Target
from tests.congresses.helpers import DAY, text
from tests.factories import user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp", "on_today")]


@pytest.mark.parametrize(
    ("persona", "status", "target_status"),
    [
        ("secretary", 200, 200),
        ("reviewer", 200, 200),
        # A member reads the goals: the resolution and each target's page (the API's rule
        # too: Resolution.objects.visible_to, Target.objects.visible_to).
        ("member", 200, 200),
        ("stranger", 404, 404),
        ("admin", 200, 200),
    ],
)
def test_the_resolution_and_target_pages_follow_the_branch_scope(
    client_as, resolution, target, persona, status, target_status
):
    client = client_as(persona)
    assert (
        client.get(reverse("congresses:resolution", args=[resolution.congress_id])).status_code
        == status
    )
    assert client.get(reverse("congresses:target", args=[target.pk])).status_code == target_status


@pytest.mark.parametrize(
    "name", ["direction_add", "campaign_add", "target_add", "review_add", "resolution_add"]
)
def test_reviewers_write_nothing_and_posts_refuse_get(client_as, resolution, name):
    url = reverse(f"congresses:{name}", args=[resolution.congress_id])
    assert client_as("reviewer").post(url, {}).status_code == 403
    assert client_as("stranger").post(url, {}).status_code == 404
    assert client_as("secretary").get(url).status_code == 405


def test_the_secretary_records_the_resolution_its_directions_and_targets(
    client_as, congress, english
):
    client = client_as("secretary")
    page = text(client.get(reverse("congresses:resolution", args=[congress.pk])))
    assert "No resolution is recorded for this congress yet." in page
    client.post(
        reverse("congresses:resolution_add", args=[congress.pk]),
        {"resolution-adopted_on": "23/12/2017", "resolution-preamble": "Đoàn kết"},
    )
    assert Resolution.objects.get().adopted_on == DAY
    client.post(
        reverse("congresses:direction_add", args=[congress.pk]),
        {"direction-text": "Chăm lo, bảo vệ quyền lợi đoàn viên"},
    )
    client.post(
        reverse("congresses:campaign_add", args=[congress.pk]),
        {
            "campaign-name": "Giỏi việc nước, đảm việc nhà",
            "campaign-starts_on": "",
            "campaign-ends_on": "",
        },
    )
    response = client.post(
        reverse("congresses:target_add", args=[congress.pk]),
        {
            "target-title": "Tỷ lệ công đoàn bộ phận vững mạnh",
            "target-kind": "percentage",
            "target-baseline": "66,7",
            "target-target_value": "100",
            "target-unit": "",
            "target-deadline": "",
            "target-branch": "",
            "target-responsible_post": "chair",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert (str(target.baseline), target.unit, target.responsible_post) == ("66.70", "%", "chair")
    assert target.deadline == date(2022, 12, 23)
    page = text(client.get(reverse("congresses:resolution", args=[congress.pk])))
    assert "Chăm lo, bảo vệ quyền lợi đoàn viên" in page and "Giỏi việc nước" in page
    assert "Tỷ lệ công đoàn bộ phận vững mạnh" in page and 'data-verdict="at_risk"' in page


def test_a_bad_target_is_shown_beside_its_field(client_as, resolution, english):
    response = client_as("secretary").post(
        reverse("congresses:target_add", args=[resolution.congress_id]),
        {"target-title": "Tỷ lệ", "target-kind": "percentage", "target-target_value": "120"},
    )
    assert response.status_code == 200
    assert "A percentage lies between 0 and 100." in text(response)
    assert not Target.objects.exists()


def test_recording_a_figure_changes_the_verdict(client_as, target, english):
    client = client_as("secretary")
    page = text(client.get(reverse("congresses:target", args=[target.pk])))
    assert 'data-verdict="at_risk"' in page  # half-way through the term, no figure
    response = client.post(
        reverse("congresses:progress_add", args=[target.pk]),
        {
            "progress-on": "01/06/2020",
            "progress-actual": "206",
            "progress-note": "Sơ kết giữa nhiệm kỳ",
        },
    )
    assert response.status_code == 302
    page = text(client.get(reverse("congresses:target", args=[target.pk])))
    assert 'data-verdict="on_track"' in page and "Sơ kết giữa nhiệm kỳ" in page
    assert "206 / 225 đoàn viên" in page
    again = client.post(
        reverse("congresses:progress_add", args=[target.pk]),
        {"progress-on": "01/06/2020", "progress-actual": "230"},
    )
    assert "A figure is recorded for 01/06/2020 already; correct that one." in text(again)
    future = client.post(
        reverse("congresses:progress_add", args=[target.pk]),
        {"progress-on": "01/06/2021", "progress-actual": "230"},
    )
    assert "A figure cannot be dated in the future." in text(future)
    assert list(Progress.objects.values_list("actual", flat=True)) == [206]


def test_a_correction_shows_the_old_and_new_values(client_as, target, english):
    figure = progress.record_progress(target=target, on=date(2020, 6, 1), actual=206)
    client = client_as("secretary")
    client.post(
        reverse("congresses:progress_edit", args=[figure.pk]),
        {"correction-actual": "208", "correction-note": "Rà soát"},
    )
    page = text(client.get(reverse("congresses:progress_edit", args=[figure.pk])))
    assert "208" in page and "206" in page
    assert Progress.objects.get().actual == 208


def test_evidence_is_stored_under_a_server_name_and_downloaded_as_an_attachment(
    client_as, target, english
):
    client = client_as("secretary")
    pdf = SimpleUploadedFile("báo cáo ../../x.pdf", b"%PDF-1.4 evidence", "application/pdf")
    client.post(
        reverse("congresses:progress_add", args=[target.pk]),
        {"progress-on": "01/06/2020", "progress-actual": "206", "progress-evidence": pdf},
    )
    figure = Progress.objects.get()
    assert ".." not in figure.evidence.name and figure.evidence_name.endswith(".pdf")
    download = client.get(reverse("congresses:evidence", args=[figure.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert (
        download["Cache-Control"] == "no-store" and "attachment" in download["Content-Disposition"]
    )
    script = SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>", "application/pdf")
    refused = client.post(
        reverse("congresses:progress_add", args=[target.pk]),
        {"progress-on": "02/06/2020", "progress-actual": "207", "progress-evidence": script},
    )
    assert "Evidence can be a PDF, PNG or JPEG file." in text(refused)
    assert Progress.objects.count() == 1


def test_a_split_target_is_recorded_by_the_sub_unit_secretary(client_as, tree, target, english):
    client = client_as("secretary")
    client.post(
        reverse("congresses:target_split", args=[target.pk]),
        {
            "split-branch_1": tree.unit_a.code,
            "split-value_1": "25",
            "split-branch_2": tree.unit_b.code,
            "split-value_2": "15",
        },
    )
    a, b = target.parts.order_by("order")
    assert (a.branch, a.weight, b.weight) == (tree.unit_a, 25, 15)
    unit = user("unit-secretary", "secretary", tree.unit_a)
    client.force_login(unit)
    assert client.get(reverse("congresses:target", args=[target.pk])).status_code == 404
    response = client.post(
        reverse("congresses:progress_add", args=[a.pk]),
        {"progress-on": "01/06/2020", "progress-actual": "20"},
    )
    assert response.status_code == 302
    assert (
        client.post(
            reverse("congresses:progress_add", args=[b.pk]),
            {"progress-on": "01/06/2020", "progress-actual": "5"},
        ).status_code
        == 404
    )
    assert client.post(reverse("congresses:target_split", args=[a.pk]), {}).status_code == 404
    client_as("secretary")
    page = text(client.get(reverse("congresses:target", args=[target.pk])))
    assert "rolled up from its parts" in page and "Branch unit-a" in page


def label(response, field):
    """The text of the label of `field` on the page."""
    found = re.search(rf'<label for="id_{field}">([^<]*)</label>', response.content.decode())
    assert found, f"no label for {field}"
    return found.group(1).strip()


@pytest.mark.parametrize(
    ("language", "review_day", "election_day"),
    [("vi", "Ngày sơ kết, tổng kết:", "Ngày bầu:"), ("en", "Held on:", "Held on:")],
)
def test_the_review_form_asks_for_the_review_day_not_an_election_day(
    client_as, resolution, settings, language, review_day, election_day
):
    settings.LANGUAGE_CODE = language
    client = client_as("secretary")
    congress = resolution.congress_id
    page = client.get(reverse("congresses:resolution", args=[congress]))
    assert label(page, "review-held_on") == review_day
    election_form = client.get(reverse("congresses:election_add", args=[congress]))
    assert label(election_form, "held_on") == election_day


def test_the_end_of_term_review_drafts_items_shown_on_the_next_congress(
    client_as, tree, congress, target, english
):
    progress.record_progress(target=target, on=date(2020, 6, 1), actual=230)
    with time_machine.travel(date(2023, 1, 5), tick=False):
        client = client_as("secretary")  # a session of that day
        client.post(
            reverse("congresses:review_add", args=[congress.pk]),
            {"review-kind": "end_of_term", "review-held_on": "20/12/2022"},
        )
        item = ReviewItem.objects.get()
        assert item.kind == "achievement" and "230" in item.text and item.drafted
        client.post(
            reverse("congresses:review_item_edit", args=[item.pk]),
            {"item-kind": "achievement", "item-text": "Vượt chỉ tiêu phát triển đoàn viên"},
        )
        item.refresh_from_db()
        assert (item.text, item.drafted) == ("Vượt chỉ tiêu phát triển đoàn viên", False)
        following = services.create_term(branch=tree.union, starts_on=date(2022, 12, 23))
        nxt = services.create_congress(
            term=following, held_on=date(2022, 12, 23), summoned=30, present=29
        )
        nxt_resolution = resolutions.create_resolution(congress=nxt)
        resolutions.add_target(
            resolution=nxt_resolution,
            title="Phát triển đoàn viên mới",
            kind="count",
            baseline=230,
            target_value=260,
        )
        page = text(client.get(reverse("congresses:congress", args=[nxt.pk])))
        assert "Review of the previous term 2017–2022" in page
        assert "Vượt chỉ tiêu phát triển đoàn viên" in page
        compare = text(client.get(reverse("congresses:term_compare", args=[following.pk])))
    row = compare[compare.index("Phát triển đoàn viên mới") :]
    assert "230 / 225" in row and "Exceeded" in row and "/ 260" in row


def test_removing_a_target_asks_first(client_as, target, english):
    client = client_as("secretary")
    url = reverse("congresses:target_remove", args=[target.pk])
    assert "Remove the target Phát triển đoàn viên mới" in text(client.post(url))
    assert Target.objects.exists()
    client.post(url, {"confirmed": "yes"})
    assert not Target.objects.exists()


def test_a_direction_is_removed_after_confirmation(client_as, resolution):
    direction = resolutions.add_direction(resolution=resolution, text="Một")
    client = client_as("secretary")
    url = reverse("congresses:direction_remove", args=[direction.pk])
    client.post(url)
    assert Direction.objects.exists()
    client.post(url, {"confirmed": "yes"})
    assert not Direction.objects.exists()


def test_a_target_takes_its_place_in_the_resolution(client_as, resolution, target, english):
    client_as("secretary").post(
        reverse("congresses:target_add", args=[resolution.congress_id]),
        {"target-title": "Ký quy chế phối hợp", "target-kind": "yes_no", "target-order": "1"},
    )
    page = text(
        client_as("secretary").get(reverse("congresses:resolution", args=[resolution.congress_id]))
    )
    table = page[page.index('id="target-table"') :]
    assert table.index("Ký quy chế phối hợp") < table.index("Phát triển đoàn viên mới")


def test_a_first_term_has_no_earlier_term_to_compare_with(client_as, target, english):
    """A branch's first term: the comparison page says plainly that there is no earlier term,
    and leads to the term's own targets, not to a table with an empty half."""
    term = target.resolution.congress.term
    assert term.previous is None
    page = text(client_as("secretary").get(reverse("congresses:term_compare", args=[term.pk])))
    label, branch = term.label, term.branch.name
    assert "<title>No earlier term to compare with" in page
    assert (
        f"The term {label} is the first term of {branch} recorded here, so there is no earlier "
        "term to compare its targets with."
    ) in page
    assert "Neither term" not in page and "both" not in page and 'id="compare-table"' not in page
    targets = reverse("congresses:resolution", args=[target.resolution.congress_id])
    assert f'href="{targets}" id="term-targets-link">Targets of the term {label}</a>' in page


def test_a_first_term_without_targets_says_the_same_in_vietnamese(client_as, congress):
    """Not "cả hai nhiệm kỳ" (both terms) where there is one: no table, no link to targets."""
    page = text(
        client_as("reviewer").get(reverse("congresses:term_compare", args=[congress.term_id]))
    )
    assert 'id="no-previous-term"' in page and congress.term.label in page
    assert "Cả hai nhiệm kỳ" not in page and "cả hai nhiệm kỳ" not in page
    assert 'id="compare-table"' not in page and 'id="term-targets-link"' not in page


def test_a_targets_responsible_branch_is_a_code_in_the_congress_subtree(
    client_as, tree, resolution, english
):
    client = client_as("secretary")
    url = reverse("congresses:target_add", args=[resolution.congress_id])
    fields = {"target-title": "Đoàn viên mới", "target-kind": "count", "target-target_value": "5"}
    refused = client.post(url, {**fields, "target-branch": "other"})
    assert refused.status_code == 200
    assert refused.context["target_form"].errors["branch"] == [
        "No branch with this code in your reach."
    ]
    assert not Target.objects.exists()
    assert client.post(url, {**fields, "target-branch": "unit-a"}).status_code == 302
    assert Target.objects.get().branch == tree.unit_a


def test_a_split_refuses_a_branch_outside_the_targets_subtree(client_as, tree, target, english):
    response = client_as("secretary").post(
        reverse("congresses:target_split", args=[target.pk]),
        {"split-branch_1": "union", "split-value_1": "25", "split-branch_2": "far"},
    )
    assert response.status_code == 200
    errors = response.context["split_form"].errors
    assert errors["branch_1"] == errors["branch_2"] == ["No branch with this code in your reach."]
    assert not target.parts.exists()
