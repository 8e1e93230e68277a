"""The number fields of the resolution forms (target, split, figure, correction): a stored
value shows as the reader's language writes it, without needless decimals, and what is typed
in that language reads back as the same number."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from congresses.resolutions import services as resolutions
from congresses.resolutions.forms import CorrectionForm, DecimalInput, SplitForm, TargetForm
from congresses.resolutions.models import Progress, Target
from members.models import Branch
from tests.congresses.helpers import text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]


def field(page, name):
    """The <input> of `name` on the page."""
    start = page.index(f'name="{name}"')
    return page[page.rindex("<input", 0, start) : page.index(">", start) + 1]


@pytest.fixture
def girls(resolution):
    return resolutions.add_target(
        resolution=resolution, title="Nữ đoàn viên", kind="count", baseline=120, target_value=194
    )


def test_the_target_form_shows_194_not_194_00_in_vietnamese(client_as, girls):
    page = text(client_as("secretary").get(reverse("congresses:target", args=[girls.pk])))
    assert 'value="194"' in field(page, "target-target_value")
    assert 'value="120"' in field(page, "target-baseline")
    assert "194.00" not in page and "194,00" not in page


def test_a_value_with_decimals_shows_with_a_comma_in_vietnamese(client_as, girls):
    resolutions.update_target(target=girls, target_value=D("194.5"))
    page = text(client_as("secretary").get(reverse("congresses:target", args=[girls.pk])))
    assert 'value="194,5"' in field(page, "target-target_value")


def test_a_value_with_decimals_shows_with_a_point_in_english(client_as, girls, english):
    resolutions.update_target(target=girls, target_value=D("194.5"))
    page = text(client_as("secretary").get(reverse("congresses:target", args=[girls.pk])))
    assert 'value="194.5"' in field(page, "target-target_value")


def test_194_comma_5_typed_in_vietnamese_is_accepted(client_as, girls, tree):
    response = client_as("secretary").post(
        reverse("congresses:target_edit", args=[girls.pk]),
        {
            "target-title": girls.title,
            "target-kind": "count",
            "target-baseline": "120",
            "target-target_value": "194,5",
        },
    )
    assert response.status_code == 302
    girls.refresh_from_db()
    assert girls.target_value == D("194.5")
    page = text(client_as("secretary").get(reverse("congresses:target", args=[girls.pk])))
    assert 'value="194,5"' in field(page, "target-target_value")


def test_a_new_target_typed_in_vietnamese_is_accepted(client_as, resolution):
    response = client_as("secretary").post(
        reverse("congresses:target_add", args=[resolution.congress_id]),
        {"target-title": "Tỷ lệ", "target-kind": "percentage", "target-target_value": "87,5"},
    )
    assert response.status_code == 302
    assert Target.objects.get().target_value == D("87.5")


def test_a_figure_and_its_correction_read_and_show_in_vietnamese(client_as, target):
    client = client_as("secretary")
    response = client.post(
        reverse("congresses:progress_add", args=[target.pk]),
        {"progress-on": "01/06/2020", "progress-actual": "206,5"},
    )
    assert response.status_code == 302
    figure = Progress.objects.get()
    assert figure.actual == D("206.5")
    page = text(client.get(reverse("congresses:progress_edit", args=[figure.pk])))
    assert 'value="206,5"' in field(page, "correction-actual")
    client.post(reverse("congresses:progress_edit", args=[figure.pk]), {"correction-actual": "207"})
    figure.refresh_from_db()
    assert figure.actual == D(207)
    page = text(client.get(reverse("congresses:progress_edit", args=[figure.pk])))
    assert 'value="207"' in field(page, "correction-actual")


@pytest.mark.parametrize(
    ("language", "typed", "read"),
    [
        ("vi", "194,5", "194.5"),
        ("vi", "1.234", "1234"),  # a thousands point in Vietnamese
        ("vi", "1.234,5", "1234.5"),
        ("vi", "80 %", "80"),
        ("en", "194.5", "194.5"),
        ("en", "1,234", "1234"),  # a thousands comma in English
        ("en", "1,234.5", "1234.5"),
        ("en", "194,5", "194.5"),  # a lone comma before one digit is a decimal one anyway
    ],
)
def test_a_number_is_read_as_the_language_writes_it(language, typed, read):
    with translation.override(language):
        assert DecimalInput(required=False).clean(typed) == read


@pytest.mark.parametrize(
    ("form", "name", "shown"),
    [
        (
            lambda: TargetForm(
                top=Branch(path="0001", code="root"), initial={"baseline": D("0.00")}
            ),
            "target-baseline",
            "0",
        ),
        (lambda: CorrectionForm(initial={"actual": D("12.50")}), "correction-actual", "12,5"),
        (
            lambda: SplitForm(
                top=Branch(path="0001", code="root"), initial={"value_1": D("40.00")}
            ),
            "split-value_1",
            "40",
        ),
    ],
)
def test_every_number_field_shows_without_needless_decimals(form, name, shown, db):
    with translation.override("vi"):
        page = str(form())
    assert f'value="{shown}"' in field(page, name)
