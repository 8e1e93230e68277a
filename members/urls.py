from django.urls import path

from .views import branches, members

app_name = "members"

urlpatterns = [
    path("branches/", branches.tree, name="tree"),
    path("branches/<slug:code>/", branches.detail, name="branch"),
    path("branches/<slug:code>/add/", branches.add_child, name="branch_add"),
    path("branches/<slug:code>/edit/", branches.edit, name="branch_edit"),
    path("branches/<slug:code>/move/", branches.move, name="branch_move"),
    path("members/", members.member_list, name="member_list"),
    path("members/add/", members.add, name="member_add"),
    path("members/<int:pk>/", members.detail, name="member"),
    path("members/<int:pk>/edit/", members.edit, name="member_edit"),
    path("members/<int:pk>/transfer/", members.transfer, name="member_transfer"),
    path("members/<int:pk>/leave/", members.leave, name="member_leave"),
]
