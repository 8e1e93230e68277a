from django.urls import path

from .views import branches

app_name = "members"

urlpatterns = [
    path("branches/", branches.tree, name="tree"),
    path("branches/<slug:code>/", branches.detail, name="branch"),
    path("branches/<slug:code>/add/", branches.add_child, name="branch_add"),
    path("branches/<slug:code>/edit/", branches.edit, name="branch_edit"),
    path("branches/<slug:code>/move/", branches.move, name="branch_move"),
]
