"""Report pages and downloads."""

from django.urls import path

from . import urls_exports, urls_statistics, urls_summary, views

app_name = "reports"

urlpatterns = [
    path("elections/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("elections/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("elections/<int:pk>/minutes.xlsx", views.minutes_xlsx, name="minutes_xlsx"),
    *urls_summary.urlpatterns,
    *urls_statistics.urlpatterns,
    *urls_exports.urlpatterns,
]
