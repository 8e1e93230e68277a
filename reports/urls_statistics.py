"""URLs of the membership statistics of a subtree and of women's representation through a
congress: a page, its PDF and its Excel file each (reports.statistics_views)."""

from django.urls import URLPattern, path

from . import statistics_views as views

urlpatterns: list[URLPattern] = [
    path("branches/<slug:code>/statistics/", views.statistics, name="statistics"),
    path("branches/<slug:code>/statistics.pdf", views.statistics_pdf_view, name="statistics_pdf"),
    path(
        "branches/<slug:code>/statistics.xlsx", views.statistics_xlsx_view, name="statistics_xlsx"
    ),
    path("congresses/<int:pk>/representation/", views.representation_page, name="representation"),
    path(
        "congresses/<int:pk>/representation.pdf",
        views.representation_pdf_view,
        name="representation_pdf",
    ),
    path(
        "congresses/<int:pk>/representation.xlsx",
        views.representation_xlsx_view,
        name="representation_xlsx",
    ),
]
