"""Report pages and downloads."""

from django.urls import path  # noqa: F401 - the patterns come with the first report

app_name = "reports"

urlpatterns: list = []
