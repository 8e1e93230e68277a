"""Report pages and downloads (reports.views), and the pages of background exports."""

from django.urls import path

from .views import exports, first_meeting, minutes, my_data, statistics, summary

app_name = "reports"

urlpatterns = [
    # A member's own data: no id, the logged-in user's record only.
    path("me/data.json", my_data.my_data_json, name="my_data_json"),
    path("me/data.pdf", my_data.my_data_pdf, name="my_data_pdf"),
    # The counting minutes of an election.
    path("elections/<int:pk>/minutes/", minutes.minutes, name="minutes"),
    path("elections/<int:pk>/minutes.pdf", minutes.minutes_pdf, name="minutes_pdf"),
    path("elections/<int:pk>/minutes.xlsx", minutes.minutes_xlsx, name="minutes_xlsx"),
    # The minutes of the first meeting of the term's executive committee.
    path(
        "terms/<int:pk>/first-meeting.pdf",
        first_meeting.first_meeting_pdf,
        name="first_meeting_pdf",
    ),
    # The term summary and the congress dossier.
    path("terms/<int:pk>/summary/", summary.summary_page, name="term_summary"),
    path("terms/<int:pk>/summary.pdf", summary.summary_pdf, name="term_summary_pdf"),
    path("terms/<int:pk>/summary.xlsx", summary.summary_xlsx, name="term_summary_xlsx"),
    path("terms/<int:pk>/dossier.pdf", summary.dossier_pdf, name="dossier_pdf"),
    # The statistics of a subtree and women's representation through a congress.
    path("branches/<slug:code>/statistics/", statistics.statistics, name="statistics"),
    path(
        "branches/<slug:code>/statistics.pdf",
        statistics.statistics_pdf_view,
        name="statistics_pdf",
    ),
    path(
        "branches/<slug:code>/statistics.xlsx",
        statistics.statistics_xlsx_view,
        name="statistics_xlsx",
    ),
    path(
        "congresses/<int:pk>/representation/",
        statistics.representation_page,
        name="representation",
    ),
    path(
        "congresses/<int:pk>/representation.pdf",
        statistics.representation_pdf_view,
        name="representation_pdf",
    ),
    path(
        "congresses/<int:pk>/representation.xlsx",
        statistics.representation_xlsx_view,
        name="representation_xlsx",
    ),
    # The roster of the member list, and the background exports.
    path("members/roster.xlsx", exports.roster_xlsx, name="roster_xlsx"),
    path("members/roster.pdf", exports.roster_pdf_view, name="roster_pdf"),
    path("exports/", exports.export_list, name="exports"),
    path("exports/<int:pk>/", exports.export_page, name="export"),
    path("exports/<int:pk>/file/", exports.export_file, name="export_file"),
]
