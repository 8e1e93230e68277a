"""The congress dossier as one PDF: a format of reports.datasets.dossier.Dossier, nothing
else. It reuses the bodies of the other documents (templates/reports/pdf/_*.html) and goes
through reports.pdf like every PDF (the locked-down fetcher, the A4 page frame, the page
numbers in the report's language)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from ..datasets.dossier import Dossier
from ..pdf import css_string, head_line, html_to_pdf, page_stylesheet


def _uncertified_pages() -> str:
    """Pages of the minutes of an uncertified election carry the red marker, as the minutes'
    own PDF does on every page (a named page; the text is escaped by css_string)."""
    marker = css_string(gettext("NOT CERTIFIED"))
    return (
        "section.uncertified { page: uncertified; }\n"
        f"@page uncertified {{ @top-right {{ content: {marker}; color: #b00020;"
        " font-weight: bold; font-size: 9pt; } }\n"
    )


def dossier_pdf(dossier: Dossier, *, language: str) -> bytes:
    """The congress dossier in `language`: a cover, the contents with page numbers, then the
    term summary, the attendance and credentials, the counting minutes of every election of
    the congress, the minutes of the executive committee's first meeting, the committee and
    the resolution, in one HTML document laid out once (so the contents' page numbers are
    the pages the parts start on)."""
    summary = dossier.summary
    with translation.override(language):
        parts = [
            {
                "minutes": m,
                "anchor": f"minutes-{m.election_id}",
                "prefix": f"minutes-{m.election_id}-",
            }
            for m in dossier.minutes
        ]
        contents = [
            {"anchor": "summary", "title": gettext("Term summary")},
            {"anchor": "attendance", "title": gettext("Attendance and credentials")},
            *(
                {
                    "anchor": part["anchor"],
                    "sub": True,
                    "title": gettext("Counting minutes: %(kind)s") % {"kind": m.kind_label},
                }
                for part, m in zip(parts, dossier.minutes, strict=True)
            ),
            *(
                [{"anchor": "first-meeting", "title": gettext("Minutes of the first meeting")}]
                if dossier.first_meeting
                else []
            ),
            {"anchor": "committee", "title": gettext("The committee")},
            {"anchor": "resolution", "title": gettext("The resolution")},
        ]
        context = {
            "summary": summary,
            "seats": dossier.seats,
            "resolution": dossier.resolution,
            "minutes": parts,
            "first_meeting": dossier.first_meeting,
            "contents": contents,
            "language": language,
            "congress_text": summary.congress_text,
        }
        html = render_to_string("reports/pdf/dossier.html", context)
        head = head_line(
            gettext("Congress dossier"), branch=summary.branch_name, term=summary.term_label
        )
        css = page_stylesheet(running_head=head, marker="") + _uncertified_pages()
    return html_to_pdf(html, css)
