"""A percentage in a table stays whole on a phone (issue 13 item 4): at 390 px the vote shares
of the 2017 election and the progress of the 2017–2022 targets ("104,5 %") are each written
with a no-break space and laid out on one line, never the number on one line and "%" on the
next (unionrec.templatetags.unionrec.with_unit)."""

import re
from datetime import date

from playwright.sync_api import Browser

from congresses.elections.models import Election, ElectionKind
from congresses.models import Congress
from tests.e2e.journeys import log_in

PHONE = {"width": 390, "height": 844}

# Each figure's text and how many lines its words take (line boxes at distinct heights).
LINES = """els => els.map(el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
    return {text: el.textContent.trim(), lines: tops.size};
})"""


def test_a_percentage_in_a_table_cell_never_wraps_on_a_phone(browser: Browser, seed_case_live):
    congress = Congress.objects.get(term__branch__code="hp-skhcn", held_on=date(2017, 12, 23))
    election = Election.objects.get(congress=congress, kind=ElectionKind.EXECUTIVE)
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    try:
        log_in(page, seed_case_live.url, "secretary")
        page.goto(f"{seed_case_live.url}/elections/{election.pk}/")
        votes = page.locator("table.votes td.num").evaluate_all(LINES)
        shares = [cell for cell in votes if "%" in cell["text"]]
        page.goto(f"{seed_case_live.url}/congresses/{congress.pk}/resolution/")
        progress = page.locator("td .target-status .percent").evaluate_all(LINES)
    finally:
        context.close()
    assert len(shares) >= 11, votes  # one per candidate of the first round
    assert "104,5\u00a0%" in [figure["text"] for figure in progress]
    for figure in shares + progress:
        assert re.fullmatch(r"\d+,\d\u00a0%", figure["text"]), figure
        assert figure["lines"] == 1, figure
