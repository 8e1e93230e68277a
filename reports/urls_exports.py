"""URLs of the roster downloads and of background exports (reports.export_views)."""

from django.urls import URLPattern, path

from . import export_views

urlpatterns: list[URLPattern] = [
    path("members/roster.xlsx", export_views.roster_xlsx, name="roster_xlsx"),
    path("members/roster.pdf", export_views.roster_pdf_view, name="roster_pdf"),
    path("exports/", export_views.export_list, name="exports"),
    path("exports/<int:pk>/", export_views.export_page, name="export"),
    path("exports/<int:pk>/file/", export_views.export_file, name="export_file"),
]
