from django.urls import path

from .views import branches, corrections, imports, members

app_name = "members"

urlpatterns = [
    path("branches/", branches.tree, name="tree"),
    path("branches/<slug:code>/", branches.detail, name="branch"),
    path("branches/<slug:code>/add/", branches.add_child, name="branch_add"),
    path("branches/<slug:code>/edit/", branches.edit, name="branch_edit"),
    path("branches/<slug:code>/move/", branches.move, name="branch_move"),
    path("members/", members.member_list, name="member_list"),
    path("members/add/", members.add, name="member_add"),
    path("members/corrections/", corrections.request_list, name="corrections"),
    path("members/corrections/<int:pk>/answer/", corrections.answer, name="correction_answer"),
    path("me/corrections/", corrections.ask, name="correction_ask"),
    path("members/<int:pk>/", members.detail, name="member"),
    path("members/<int:pk>/edit/", members.edit, name="member_edit"),
    path("members/<int:pk>/transfer/", members.transfer, name="member_transfer"),
    path("members/<int:pk>/leave/", members.leave, name="member_leave"),
    path("branches/<slug:code>/import/", imports.upload, name="import"),
    path("imports/<int:pk>/", imports.job_page, name="import_job"),
    path("imports/<int:pk>/commit/", imports.commit, name="import_commit"),
    path("imports/<int:pk>/cancel/", imports.cancel, name="import_cancel"),
    path("imports/template/", imports.template_file, name="import_template"),
]
