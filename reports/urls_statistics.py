"""URLs of reports (filled by the commit that adds its views)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
