"""One verdict per target and day (congresses.resolutions.goals over domain.judging_day): the
day a term's targets are judged on (today while it runs; its end-of-term review's day or its
end once it is over; none before it begins), the final verdicts of a finished term, and the
target page, the resolution page and the API answering with that one verdict and day."""

import re
from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st

from congresses.models import Term
from congresses.record_checks import findings
from congresses.resolutions import domain, goals, progress
from congresses.resolutions.domain import Basis, Judging, TargetKind, Verdict
from congresses.resolutions.models import ReviewKind, ReviewVerdict
from tests.congresses.helpers import as_user
from tests.congresses.resolutions.helpers import TODAY, add_members_target, resolution_of

START, END = date(2017, 12, 23), date(2022, 11, 25)  # the term [START, END)
REVIEW = date(2022, 10, 20)  # an end-of-term review within it

# --- The rule (no database) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "review_on", "expected"),
    [
        # before the term begins: nothing to judge
        (date(2017, 12, 22), None, None),
        (date(2010, 1, 1), REVIEW, None),
        # while it runs: the day asked, whether or not an end-of-term review was held
        (START, None, Judging(START, Basis.RUNNING)),
        (date(2020, 6, 9), None, Judging(date(2020, 6, 9), Basis.RUNNING)),
        (date(2022, 11, 24), REVIEW, Judging(date(2022, 11, 24), Basis.RUNNING)),
        # from its end (the next term's first day, Term.current_on): its review's day, or its end
        (END, None, Judging(END, Basis.TERM_END)),
        (date(2026, 12, 5), None, Judging(END, Basis.TERM_END)),
        (END, REVIEW, Judging(REVIEW, Basis.END_OF_TERM_REVIEW)),
        (date(2026, 12, 5), REVIEW, Judging(REVIEW, Basis.END_OF_TERM_REVIEW)),
    ],
)
def test_the_judging_day_follows_the_terms_course(on, review_on, expected):
    found = domain.judging_day(starts_on=START, ends_on=END, on=on, review_on=review_on)
    assert found == expected


@given(later=st.integers(0, 20000), review=st.booleans())
def test_every_day_after_the_end_judges_a_term_alike(later, review):
    on = date.fromordinal(END.toordinal() + later)
    review_on = REVIEW if review else None
    found = domain.judging_day(starts_on=START, ends_on=END, on=on, review_on=review_on)
    assert found == domain.judging_day(starts_on=START, ends_on=END, on=END, review_on=review_on)
    assert found is not None and found.final


@pytest.mark.parametrize(
    ("kind", "actual", "on", "final", "expected"),
    [
        # a finished term's judgement is final (domain-rules §5): short of the target is not met,
        # even on a day before the deadline (the end-of-term review's)
        (TargetKind.PERCENTAGE, D("33.3"), REVIEW, True, Verdict.NOT_MET),
        (TargetKind.PERCENTAGE, D("33.3"), REVIEW, False, Verdict.AT_RISK),
        (TargetKind.PERCENTAGE, D(49), REVIEW, True, Verdict.NOT_MET),
        (TargetKind.PERCENTAGE, D(49), REVIEW, False, Verdict.ON_TRACK),
        (TargetKind.PERCENTAGE, D(50), REVIEW, True, Verdict.ACHIEVED),
        (TargetKind.PERCENTAGE, D(55), END, True, Verdict.EXCEEDED),
        (TargetKind.YES_NO, None, END, True, Verdict.NOT_MET),
        (TargetKind.YES_NO, D(1), END, True, Verdict.ACHIEVED),
        # on the deadline day itself a running judgement still has that day
        (TargetKind.PERCENTAGE, D(49), END, False, Verdict.ON_TRACK),
    ],
)
def test_a_final_judgement_is_met_or_not(kind, actual, on, final, expected):
    baseline, target = (None, D(1)) if kind == TargetKind.YES_NO else (D("28.6"), D(50))
    found = domain.verdict(
        kind,
        baseline=baseline,
        target=target,
        actual=actual,
        starts_on=START,
        deadline=END,
        on=on,
        final=final,
    )
    assert found == expected


# --- The read model, the pages and the API -------------------------------------------------


def _standing(html: str, anchor: str) -> tuple[str, str]:
    """The data-verdict and data-judged-on of the first verdict after `anchor` in `html`."""
    found = re.search(
        re.escape(anchor) + r'.*?data-verdict="([^"]*)" data-judged-on="([^"]*)"', html, re.S
    )
    assert found, anchor
    return found.group(1), found.group(2)


def _everywhere(client, api, target) -> dict[str, tuple[str, str]]:
    """The verdict and its day as the target page, the resolution page and the API give it."""
    congress = target.resolution.congress
    answer = api.get(f"/api/v1/targets/{target.pk}/").json()
    listed = api.get("/api/v1/targets/", {"resolution": target.resolution_id}).json()["results"]
    row = next(r for r in listed if r["id"] == target.pk)
    resolution_page = client.get(f"/congresses/{congress.pk}/resolution/").text
    return {
        "target page": _standing(client.get(f"/targets/{target.pk}/").text, 'id="verdict"'),
        "resolution page": _standing(resolution_page, f'data-target="{target.pk}"'),
        "API": (answer["verdict"] or "", answer["judged_on"] or ""),
        "API list": (row["verdict"] or "", row["judged_on"] or ""),
    }


@pytest.fixture
def secretary(client_as, api):
    """The union's secretary on the pages (the test client) and in the API."""
    client = client_as("secretary")
    as_user(api, get_user_model().objects.get(username="secretary"))
    return client


def test_a_running_term_is_judged_on_the_day_asked(on_today, target, secretary, api):
    progress.record_progress(target=target, on=date(2019, 12, 31), actual=200)
    status = goals.status_of(target, TODAY)
    assert (status.verdict, status.judging) == (Verdict.ON_TRACK, Judging(TODAY, Basis.RUNNING))
    assert set(_everywhere(secretary, api, target).values()) == {("on_track", "2020-06-10")}
    answer = api.get(f"/api/v1/targets/{target.pk}/").json()
    assert answer["judged_as"] == "running"
    page = secretary.get(f"/targets/{target.pk}/").text
    assert re.search(r'id="judged">\s*' + re.escape(goals.judged_text(status.judging)), page)


def test_a_finished_term_is_judged_as_of_its_end_on_every_page(target, secretary, api):
    """The term of the `congress` fixture ends on 23/12/2022 (no end-of-term review)."""
    with time_machine.travel(date(2021, 1, 5), tick=False):
        progress.record_progress(target=target, on=date(2021, 1, 4), actual=210)
    with time_machine.travel(date(2026, 12, 5), tick=False):
        status = goals.status_of(target, date(2026, 12, 5))
        assert status.verdict == Verdict.NOT_MET  # 210 of 225: the term is over
        assert status.judging == Judging(date(2022, 12, 23), Basis.TERM_END)
        assert set(_everywhere(secretary, api, target).values()) == {("not_met", "2022-12-23")}
        # asked on any later day, in the API too, the judgement does not move
        later = api.get(f"/api/v1/targets/{target.pk}/", {"on": "2030-01-01"}).json()
        assert (later["verdict"], later["judged_on"], later["judged_as"]) == (
            "not_met",
            "2022-12-23",
            "term_end",
        )
        page = secretary.get(f"/targets/{target.pk}/").text
        assert "23/12/2022" in re.search(r'id="judged">([^<]*)<', page).group(1)


def test_after_its_end_of_term_review_a_term_is_judged_as_of_that_day(target, secretary, api):
    with time_machine.travel(date(2022, 12, 10), tick=False):
        progress.record_progress(target=target, on=date(2022, 12, 1), actual=220)
        review = progress.hold_review(
            resolution=target.resolution, kind=ReviewKind.END_OF_TERM, held_on=date(2022, 12, 5)
        )
        # a figure after the review counts while the term runs ...
        progress.record_progress(target=target, on=date(2022, 12, 8), actual=226)
        assert goals.status_of(target, date(2022, 12, 10)).verdict == Verdict.EXCEEDED
    # ... and the finished term is judged as its review judged it: final, not "at risk"
    assert review.verdicts.get(target=target).verdict == "not_met"
    with time_machine.travel(date(2024, 3, 1), tick=False):
        assert set(_everywhere(secretary, api, target).values()) == {("not_met", "2022-12-05")}


def test_a_term_not_yet_begun_has_no_verdict(on_today, tree, secretary, api, english):
    later = resolution_of(tree.unit_a, starts_on=date(2021, 1, 1))
    target = add_members_target(later)
    status = goals.status_of(target, TODAY)
    assert (status.verdict, status.judging, status.verdict_label) == (None, None, "Not yet judged")
    assert set(_everywhere(secretary, api, target).values()) == {("", "")}
    answer = api.get(f"/api/v1/targets/{target.pk}/").json()
    assert answer["judged_as"] is None
    page = secretary.get(f"/targets/{target.pk}/").text
    assert "Not yet judged" in page and "the term has not begun" in page
    assert goals.counts_by_verdict(goals.statuses(later, TODAY)) == dict.fromkeys(
        [v.value for v in Verdict], 0
    )


# --- Reviews frozen before verdicts were final --------------------------------------------


def test_an_end_of_term_review_that_froze_at_risk_is_listed_with_what_pages_show(target, english):
    with time_machine.travel(date(2022, 12, 10), tick=False):
        progress.record_progress(target=target, on=date(2022, 12, 1), actual=200)
        review = progress.hold_review(
            resolution=target.resolution, kind=ReviewKind.END_OF_TERM, held_on=date(2022, 12, 5)
        )
    terms = Term.objects.filter(pk=target.resolution.congress.term_id)
    assert list(findings(terms, ["end-of-term-verdicts-final"])) == []
    # a review stored before the rule: it froze the running verdict of its day
    ReviewVerdict.objects.filter(review=review).update(verdict="at_risk")
    (found,) = findings(terms, ["end-of-term-verdicts-final"])
    assert found.record == f"End-of-term review of 05/12/2022: {target.title}"
    assert "“At risk”" in found.problem and "“Not met”" in found.problem
    congress = target.resolution.congress_id
    assert found.url == f"/congresses/{congress}/resolution/#review-{review.pk}"
