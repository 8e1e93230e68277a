from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from . import domain
from .erasure import erase_member
from .models import Branch, Grant, Member, Membership


@admin.register(Branch)
class BranchAdmin(TreeAdmin, SimpleHistoryAdmin):  # type: ignore[misc]
    form = movenodeform_factory(
        Branch, fields=["code", "name", "short_name", "kind", "founded_on", "dissolved_on"]
    )
    list_display = ["name", "code", "kind"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.search_key = domain.branch_search_key(obj.name, obj.short_name)  # as the services
        super().save_model(request, obj, form, change)


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    fields = ["branch", "started_on", "ended_on", "end_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class EraseForm(ActionForm):
    """The admin's action bar, with the reason an erasure asks for."""

    reason = forms.CharField(label=_("Reason (for an erasure)"), required=False, max_length=200)


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    action_form = EraseForm
    actions = ["erase"]
    list_display = ["full_name", "gender", "branch", "status"]
    list_filter = ["gender", "status"]
    search_fields = ["search_key", "card_number"]
    # Personal fields change through the register's pages (members.services), which keep the
    # tallies and the search keys in step; the admin only links a member to a user account.
    readonly_fields = [
        *("full_name", "gender", "birth_date", "ethnicity", "card_number", "joined_union_on"),
        *("branch", "status", "left_on", "leave_reason"),
    ]
    fields = ["user", *readonly_fields]
    inlines = [MembershipInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # members are added through the register's pages, which keep the tallies

    def has_erase_permission(self, request):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

    @admin.action(permissions=["erase"], description=_("Erase the selected members"))
    def erase(self, request, queryset):  # type: ignore[no-untyped-def]
        """members.erasure.erase_member for each member selected, as `manage.py erase_member`
        does, with its report: what changed and what was kept, and why."""
        reason = request.POST.get("reason", "")
        for member in queryset:
            try:
                result = erase_member(member, reason=reason, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            self.message_user(request, " ".join(result.lines()), messages.SUCCESS)


@admin.register(Grant)
class GrantAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["user", "role", "branch"]
    list_filter = ["role"]
    autocomplete_fields = ["branch"]
