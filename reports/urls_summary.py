"""URLs of the term summary (a page, its PDF and Excel file) and the congress dossier."""

from django.urls import URLPattern, path

from . import summary_views

urlpatterns: list[URLPattern] = [
    path("terms/<int:pk>/summary/", summary_views.summary_page, name="term_summary"),
    path("terms/<int:pk>/summary.pdf", summary_views.summary_pdf, name="term_summary_pdf"),
    path("terms/<int:pk>/summary.xlsx", summary_views.summary_xlsx, name="term_summary_xlsx"),
    path("terms/<int:pk>/dossier.pdf", summary_views.dossier_pdf, name="dossier_pdf"),
]
