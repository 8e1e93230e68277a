"""The minutes of the first meeting of an executive committee as a PDF: a format of
reports.datasets.first_meeting.FirstMeetingMinutes, nothing else. It goes through
reports.pdf like every PDF (the locked-down fetcher, the A4 page frame, the page numbers in
the report's language); its body (templates/reports/pdf/_first_meeting_body.html) is the one
the congress dossier includes."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext

from ..datasets.first_meeting import FirstMeetingMinutes
from ..pdf import head_line, render_pdf


def first_meeting_pdf(minutes: FirstMeetingMinutes, *, language: str) -> bytes:
    """The minutes as a printable PDF in `language`, with places for the signatures of the
    convenor and the secretary of the meeting."""
    with translation.override(language):
        head = head_line(
            gettext("Minutes of the first meeting"),
            branch=minutes.branch_name,
            term=minutes.term_label,
        )
    return render_pdf(
        "reports/pdf/first_meeting.html",
        {"minutes": minutes, "language": language},
        language=language,
        running_head=head,
    )
