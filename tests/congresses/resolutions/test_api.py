"""The resolutions API: the goals of a member's own branch and the branches above it, readers'
subtrees, the standing of targets on a day, and figures recorded and corrected by secretaries
with the services' refusals beside their field."""

from datetime import date

import pytest

from congresses.resolutions import progress
from congresses.resolutions import services as resolutions
from congresses.resolutions.models import Progress, Resolution, Target
from members.models import Role
from tests.congresses.helpers import DAY, as_user
from tests.congresses.resolutions.helpers import add_members_target, resolution_of
from tests.factories import persona, user

# every test runs on TODAY (10/06/2020), the congresses on DAY (23/12/2017)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]

RESOLUTIONS = "/api/v1/resolutions/"
TARGETS = "/api/v1/targets/"


@pytest.fixture
def world(tree):
    """Current resolutions of prov, union, unit-a, other and far; the union's holds a count, a
    percentage and a target split over unit-a (100) and unit-b (50), and also an older
    resolution of its previous term."""
    found = {
        branch.code: resolution_of(branch, preamble=f"Nghị quyết {branch.code}")
        for branch in (tree.prov, tree.union, tree.unit_a, tree.other, tree.far)
    }
    found["union-2012"] = resolution_of(
        tree.union, starts_on=date(2012, 12, 20), preamble="Nghị quyết union"
    )
    union = found["union"]
    resolutions.add_direction(resolution=union, text="Chăm lo đời sống đoàn viên")
    resolutions.add_campaign(resolution=union, name="Xanh – Sạch – Đẹp", starts_on=DAY)
    recruited = add_members_target(union, responsible_post="chair")
    strong = resolutions.add_target(
        resolution=union,
        title="Tổ công đoàn vững mạnh",
        kind="percentage",
        baseline=60,
        target_value=80,
    )
    trained = resolutions.add_target(
        resolution=union, title="Bồi dưỡng nghiệp vụ", kind="count", baseline=0, target_value=150
    )
    part_a, part_b = resolutions.split_target(
        target=trained, parts=[(tree.unit_a, 100, None), (tree.unit_b, 50, None)]
    )
    elsewhere = resolutions.add_target(
        resolution=found["other"], title="Khác", kind="count", target_value=10
    )
    return found | {
        "recruited": recruited,
        "strong": strong,
        "trained": trained,
        "part_a": part_a,
        "part_b": part_b,
        "elsewhere": elsewhere,
    }


def listed(api, url=RESOLUTIONS, **query):
    response = api.get(url, query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def by_id(rows, pk):
    return next(row for row in rows if row["id"] == pk)


# --- Who reads which goals ------------------------------------------------------------------


def test_the_member_lists_the_goals_of_its_own_branch_and_the_branches_above(api, tree, world):
    recorder = user(
        "recorder-7731", Role.SECRETARY, tree.union, first_name="Zebulon", last_name="Quist"
    )
    progress.record_progress(
        target=world["recruited"], on=date(2020, 6, 1), actual=206, note="Sơ kết", by=recorder
    )
    as_user(api, persona(tree, "member"))
    found = listed(api, current="true")
    assert [r["branch"] for r in found] == ["prov", "union", "unit-a"]  # root first
    assert {r["branch"] for r in listed(api)} == {"prov", "union", "unit-a"}
    detail = api.get(f"{TARGETS}{world['recruited'].pk}/")
    assert detail.status_code == 200
    assert detail.json()["history"] == [
        {
            "id": Progress.objects.get().pk,
            "on": "2020-06-01",
            "actual": 206.0,
            "note": "Sơ kết",
            "has_evidence": False,
            "evidence": None,
        }
    ]
    for response in (
        api.get(RESOLUTIONS),
        detail,
        api.get(TARGETS),
        api.get(f"{RESOLUTIONS}{world['union'].pk}/"),
    ):
        text = response.content.decode()
        assert "recorded_by" not in text and "recorder-7731" not in text
        assert "Zebulon" not in text and "Quist" not in text
    for code in ("other", "far"):
        assert api.get(f"{RESOLUTIONS}{world[code].pk}/").status_code == 404
    assert api.get(f"{TARGETS}{world['elsewhere'].pk}/").status_code == 404
    assert api.get(RESOLUTIONS, {"branch": "other"}).status_code == 404


def test_a_stranger_lists_and_reads_nothing(api, tree, world):
    as_user(api, user("stranger"))
    assert api.get(RESOLUTIONS).json()["count"] == 0
    assert api.get(TARGETS).json()["count"] == 0
    assert api.get(f"{RESOLUTIONS}{world['union'].pk}/").status_code == 404
    assert api.get(f"{TARGETS}{world['recruited'].pk}/").status_code == 404


def test_the_reviewer_reads_its_subtree_and_nothing_beside_it(api, tree, world):
    as_user(api, persona(tree, "reviewer"))
    found = listed(api)
    assert sorted(r["branch"] for r in found) == ["other", "prov", "union", "union", "unit-a"]
    assert {r["branch"] for r in listed(api, branch="union")} == {"union", "unit-a"}
    assert api.get(RESOLUTIONS, {"branch": "far"}).status_code == 404
    assert api.get(f"{RESOLUTIONS}{world['far'].pk}/").status_code == 404
    assert api.get(f"{RESOLUTIONS}{world['union'].pk}/").status_code == 200


@pytest.mark.parametrize("who", ["secretary", "reviewer", "member", "stranger", "unit-a", "admin"])
def test_the_lists_and_the_object_checks_give_the_same_answer(api, tree, world, who):
    if who in ("secretary", "reviewer", "member"):
        account = persona(tree, who)
    elif who == "unit-a":
        account = user("unit-a-secretary", Role.SECRETARY, tree.unit_a)
    else:
        account = user(who, is_superuser=who == "admin")
    as_user(api, account)
    for url in (RESOLUTIONS, TARGETS):
        shown = {row["id"] for row in listed(api, url, page_size=1000)}
        model = Target if url == TARGETS else Resolution
        for pk in model.objects.values_list("pk", flat=True):
            status = api.get(f"{url}{pk}/").status_code
            assert status == (200 if pk in shown else 404), (url, pk)


def test_the_secretary_of_a_sub_unit_reaches_its_part_of_the_unions_target(api, tree, world):
    as_user(api, user("unit-a-secretary", Role.SECRETARY, tree.unit_a))
    rows = listed(api, TARGETS)
    assert [row["id"] for row in rows] == [world["part_a"].pk]
    assert rows[0]["parent"] == world["trained"].pk and rows[0]["branch"] == "unit-a"
    assert [r["branch"] for r in listed(api)] == ["unit-a"]  # its own resolution only
    posted = api.post(
        f"{TARGETS}{world['part_a'].pk}/progress/",
        {"on": "2020-06-01", "actual": 100},
        format="json",
    )
    assert posted.status_code == 201, posted.content
    assert posted.json()["target"]["verdict"] == "achieved"
    refused = api.post(
        f"{TARGETS}{world['part_b'].pk}/progress/",
        {"on": "2020-06-01", "actual": 10},
        format="json",
    )
    assert refused.status_code == 404


# --- What a resolution shows ----------------------------------------------------------------


def test_a_resolution_shows_its_text_and_every_targets_standing_with_parts(api, tree, world):
    progress.record_progress(target=world["part_a"], on=date(2020, 6, 1), actual=100)
    progress.record_progress(target=world["part_b"], on=date(2020, 5, 1), actual=20)
    progress.record_progress(target=world["strong"], on=date(2019, 12, 31), actual=67.5)
    as_user(api, persona(tree, "member"))
    body = api.get(f"{RESOLUTIONS}{world['union'].pk}/").json()
    assert (body["branch"], body["term_label"], body["adopted_on"], body["on"]) == (
        "union",
        "2017–2022",
        "2017-12-23",
        "2020-06-10",
    )
    assert body["congress"] == world["union"].congress_id and body["preamble"] == "Nghị quyết union"
    assert body["directions"] == [{"number": 1, "text": "Chăm lo đời sống đoàn viên"}]
    assert body["campaigns"] == [
        {"name": "Xanh – Sạch – Đẹp", "starts_on": "2017-12-23", "ends_on": None, "description": ""}
    ]
    recruited, strong, trained = body["targets"]
    assert (
        recruited["title"],
        recruited["kind"],
        recruited["baseline"],
        recruited["target_value"],
        recruited["unit"],
        recruited["deadline"],
        recruited["responsible_post"],
    ) == ("Phát triển đoàn viên mới", "count", 185.0, 225.0, "đoàn viên", "2022-12-23", "chair")
    assert (
        recruited["actual"],
        recruited["as_of"],
        recruited["progress"],
        recruited["verdict"],
    ) == (None, None, 0.0, "at_risk")
    assert (strong["actual"], strong["progress"], strong["percent"], strong["unit"]) == (
        67.5,
        0.375,
        37,
        "%",
    )
    assert (trained["actual"], trained["progress"], trained["as_of"], trained["verdict"]) == (
        120.0,
        0.8,
        "2020-06-01",
        "on_track",
    )
    assert [(p["branch"], p["weight"], p["actual"], p["verdict"]) for p in trained["parts"]] == [
        ("unit-a", 100.0, 100.0, "achieved"),
        ("unit-b", 50.0, 20.0, "on_track"),
    ]
    assert strong["verdict"] == "on_track"  # 37.5 % of the way, 49 % of the time: within 15
    assert body["verdicts"] == {
        "exceeded": 0,
        "achieved": 1,
        "on_track": 3,
        "at_risk": 1,
        "not_met": 0,
    }


def test_progress_is_a_number_with_four_decimals(api, tree, world):
    progress.record_progress(target=world["recruited"], on=date(2020, 6, 1), actual=198)
    as_user(api, persona(tree, "member"))
    found = api.get(f"{TARGETS}{world['recruited'].pk}/").json()
    assert found["progress"] == 0.325 and found["percent"] == 32  # 13 of 40
    progress.correct_progress(figure=Progress.objects.get(), actual=199)
    assert api.get(f"{TARGETS}{world['recruited'].pk}/").json()["progress"] == 0.35
    resolutions.update_target(target=world["recruited"], target_value=188)  # 14 of 3
    assert api.get(f"{TARGETS}{world['recruited'].pk}/").json()["progress"] == 4.6667


def test_on_gives_the_standing_of_another_day(api, tree, world):
    progress.record_progress(target=world["recruited"], on=date(2019, 12, 31), actual=197)
    as_user(api, persona(tree, "member"))
    url = f"{TARGETS}{world['recruited'].pk}/"
    today = api.get(url).json()
    assert (today["on"], today["actual"], today["verdict"]) == ("2020-06-10", 197.0, "at_risk")
    earlier = api.get(url, {"on": "2020-01-15"}).json()  # 30 % of the way, 41 % of the time
    assert (earlier["on"], earlier["as_of"], earlier["verdict"]) == (
        "2020-01-15",
        "2019-12-31",
        "on_track",
    )
    before = api.get(url, {"on": "2019-06-01"}).json()
    assert (before["actual"], before["verdict"], before["history"]) == (None, "at_risk", [])
    listed_then = listed(api, RESOLUTIONS, on="2020-01-15")
    union = next(r for r in listed_then if r["id"] == world["union"].pk)
    assert (union["on"], union["targets"][0]["verdict"]) == ("2020-01-15", "on_track")
    refused = api.get(url, {"on": "15/01/2020"})
    assert refused.status_code == 400 and "on" in refused.json()


def test_the_resolution_filters(api, tree, world):
    as_user(api, persona(tree, "secretary"))
    union = {r["id"] for r in listed(api, branch="union")}
    assert union == {world["union"].pk, world["union-2012"].pk, world["unit-a"].pk}
    assert {r["id"] for r in listed(api, current="true", branch="union")} == {
        world["union"].pk,
        world["unit-a"].pk,
    }
    assert [r["id"] for r in listed(api, current="false")] == [world["union-2012"].pk]
    term = world["union-2012"].congress.term_id
    assert [r["term"] for r in listed(api, term=term)] == [term]


def test_the_target_filters(api, tree, world):
    as_user(api, persona(tree, "reviewer"))
    everything = listed(api, TARGETS)
    expected = [world[n].pk for n in ("recruited", "strong", "trained", "part_a", "part_b")]
    assert [r["id"] for r in everything] == [*expected, world["elsewhere"].pk]  # union < other
    union = listed(api, TARGETS, resolution=world["union"].pk)
    assert [r["id"] for r in union] == expected  # each whole before its parts
    assert [p["id"] for p in union[2]["parts"]] == expected[3:]
    assert [r["id"] for r in listed(api, TARGETS, branch="unit-a")] == [world["part_a"].pk]
    risky = listed(api, TARGETS, resolution=world["union"].pk, verdict="at_risk")
    assert [r["id"] for r in risky] == [
        world[n].pk for n in ("recruited", "strong", "trained", "part_a", "part_b")
    ]
    progress.record_progress(target=world["part_a"], on=date(2020, 6, 1), actual=100)
    found = api.get(TARGETS, {"verdict": ["achieved", "on_track"], "page_size": 1}).json()
    assert found["count"] == 2 and [r["id"] for r in found["results"]] == [world["trained"].pk]
    refused = api.get(TARGETS, {"verdict": "late"})
    assert refused.status_code == 400 and "late" in refused.json()["verdict"][0]
    assert api.get(TARGETS, {"branch": "far"}).status_code == 404


def test_evidence_is_linked_for_readers_of_the_responsible_branch_only(
    api, client, tree, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    figure = progress.record_progress(
        target=world["recruited"],
        on=date(2020, 6, 1),
        actual=206,
        evidence=b"%PDF-1.4 evidence",
        evidence_name="bb.pdf",
    )
    url = f"{TARGETS}{world['recruited'].pk}/"
    as_user(api, persona(tree, "member"))
    shown = api.get(url).json()["history"][0]
    assert (shown["has_evidence"], shown["evidence"]) == (True, None)
    reviewer = persona(tree, "reviewer")
    as_user(api, reviewer)
    link = api.get(url).json()["history"][0]["evidence"]
    assert link == f"http://testserver/progress/{figure.pk}/evidence/"
    client.force_login(reviewer)
    download = client.get(link)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


# --- Recording figures ---------------------------------------------------------------------------


def test_the_secretary_records_a_figure_and_the_verdict_moves(api, tree, world):
    secretary = persona(tree, "secretary")
    as_user(api, secretary)
    url = f"{TARGETS}{world['recruited'].pk}/"
    assert api.get(url).json()["verdict"] == "at_risk"
    response = api.post(
        f"{url}progress/", {"on": "2020-06-01", "actual": "206", "note": " Sơ kết "}, format="json"
    )
    assert response.status_code == 201, response.content
    figure = Progress.objects.get()
    assert response.json()["figure"] == {
        "id": figure.pk,
        "on": "2020-06-01",
        "actual": 206.0,
        "note": "Sơ kết",
        "has_evidence": False,
        "evidence": None,
    }
    target = response.json()["target"]
    assert (target["id"], target["actual"], target["verdict"], target["percent"]) == (
        world["recruited"].pk,
        206.0,
        "on_track",
        52,
    )
    assert figure.recorded_by == secretary  # kept, never shown
    assert api.get(url).json()["verdict"] == "on_track"


@pytest.mark.parametrize(
    ("name", "body", "field", "message"),
    [
        (
            "recruited",
            {"on": "2020-06-11", "actual": 210},
            "on",
            "A figure cannot be dated in the future.",
        ),
        (
            "recruited",
            {"on": "2017-01-01", "actual": 180},
            "on",
            "The day lies outside the term (23/12/2017 – 23/12/2022).",
        ),
        (
            "recruited",
            {"on": "2019-12-31", "actual": 250},
            "on",
            "A figure is recorded for 31/12/2019 already; correct that one.",
        ),
        ("recruited", {"on": "2020-01-01", "actual": -1}, "actual", "A count cannot be negative."),
        (
            "strong",
            {"on": "2020-01-01", "actual": 101},
            "actual",
            "A percentage lies between 0 and 100.",
        ),
        (
            "trained",
            {"on": "2020-01-01", "actual": 120},
            "non_field_errors",
            "This target is split over sub-units: record the figures on its parts.",
        ),
        (
            "recruited",
            {"on": "2020-01-01", "actual": "nhiều"},
            "actual",
            "A valid number is required.",
        ),
    ],
)
def test_refused_figures_answer_400_beside_their_field(
    api, tree, world, name, body, field, message
):
    progress.record_progress(target=world["recruited"], on=date(2019, 12, 31), actual=197)
    as_user(api, persona(tree, "secretary"))
    response = api.post(f"{TARGETS}{world[name].pk}/progress/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert list(Progress.objects.values_list("actual", flat=True)) == [197]


@pytest.mark.parametrize(("who", "status"), [("reviewer", 403), ("member", 403), ("stranger", 404)])
def test_only_secretaries_record_figures(api, tree, world, who, status):
    account = (
        persona(tree, who) if who != "stranger" else user("stranger", Role.SECRETARY, tree.far)
    )
    as_user(api, account)
    response = api.post(
        f"{TARGETS}{world['recruited'].pk}/progress/",
        {"on": "2020-06-01", "actual": 206},
        format="json",
    )
    assert response.status_code == status
    assert not Progress.objects.exists()


def test_a_figure_on_a_target_out_of_reach_is_not_found(api, tree, world):
    as_user(api, persona(tree, "secretary"))
    response = api.post(
        f"{TARGETS}{world['elsewhere'].pk}/progress/",
        {"on": "2020-06-01", "actual": 3},
        format="json",
    )
    assert response.status_code == 404
    assert not Progress.objects.exists()


# --- Correcting figures ----------------------------------------------------------------------


def test_the_secretary_corrects_a_figure_and_its_history_keeps_the_old_value(api, tree, world):
    figure = progress.record_progress(target=world["recruited"], on=date(2020, 6, 1), actual=197)
    as_user(api, persona(tree, "secretary"))
    url = f"{TARGETS}{world['recruited'].pk}/progress/{figure.pk}/"
    response = api.patch(url, {"actual": 206, "note": "Rà soát lại"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["figure"]["actual"], response.json()["figure"]["note"]) == (
        206.0,
        "Rà soát lại",
    )
    assert response.json()["target"]["verdict"] == "on_track"
    assert [h.actual for h in figure.history.order_by("history_date")] == [197, 206]
    kept = api.patch(url, {"note": "Chỉ sửa ghi chú"}, format="json").json()["figure"]
    assert (kept["actual"], kept["note"]) == (206.0, "Chỉ sửa ghi chú")


def test_corrections_are_refused_like_new_figures(api, tree, world):
    share = progress.record_progress(target=world["strong"], on=date(2020, 6, 1), actual=70)
    as_user(api, persona(tree, "secretary"))
    url = f"{TARGETS}{world['strong'].pk}/progress/{share.pk}/"
    over = api.patch(url, {"actual": 150}, format="json")
    assert over.status_code == 400
    assert over.json() == {"actual": ["A percentage lies between 0 and 100."]}
    moved = api.patch(url, {"on": "2020-05-01"}, format="json")
    assert moved.status_code == 400 and list(moved.json()) == ["on"]
    assert api.patch(url, {"on": "2020-06-01", "actual": 71}, format="json").status_code == 200
    other_target = f"{TARGETS}{world['recruited'].pk}/progress/{share.pk}/"
    assert api.patch(other_target, {"actual": 60}, format="json").status_code == 404
    assert api.patch(f"{TARGETS}{world['strong'].pk}/progress/x/", {}).status_code == 404
    share.refresh_from_db()
    assert share.actual == 71


@pytest.mark.parametrize(("who", "status"), [("reviewer", 403), ("member", 403), ("stranger", 404)])
def test_only_secretaries_correct_figures(api, tree, world, who, status):
    figure = progress.record_progress(target=world["recruited"], on=date(2020, 6, 1), actual=197)
    account = persona(tree, who) if who != "stranger" else user("stranger")
    as_user(api, account)
    url = f"{TARGETS}{world['recruited'].pk}/progress/{figure.pk}/"
    assert api.patch(url, {"actual": 206}, format="json").status_code == status
    figure.refresh_from_db()
    assert figure.actual == 197


def test_the_lists_read_the_same_number_of_queries_for_more_resolutions(api, tree, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    as_user(api, user("admin", is_superuser=True))

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        return len(captured)

    before = {url: queries(url) for url in (RESOLUTIONS, TARGETS)}
    for code in ("unit-b", "far-union"):
        extra = resolution_of(getattr(tree, code.replace("-", "_")), preamble=f"Nghị quyết {code}")
        resolutions.add_target(resolution=extra, title="Thêm", kind="count", target_value=5)
        resolutions.add_direction(resolution=extra, text="Thêm")
    assert {url: queries(url) for url in (RESOLUTIONS, TARGETS)} == before
    # one of them reads the end-of-term reviews: the day a finished term is judged on
    assert before[RESOLUTIONS] <= 7 and before[TARGETS] <= 5
