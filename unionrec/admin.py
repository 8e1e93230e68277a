"""Failed logins in the admin site: an administrator ends a lock early by deleting its rows.
API tokens: an administrator lists them and revokes one by deleting it (unionrec.tokens).
Task workers' heartbeats: who runs, and since when (unionrec.heartbeat)."""

from django.contrib import admin

from .models import ApiToken, LoginFailure, WorkerBeat


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that are listed and deleted, never added or changed by hand."""

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyAdmin):
    list_display = ("username", "ip", "at")
    search_fields = ("username", "ip")
    list_filter = ("at",)
    readonly_fields = ("username", "ip", "at")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "prefix", "created_at", "expires_at")
    search_fields = ("user__username", "prefix")
    list_filter = ("expires_at",)
    readonly_fields = ("user", "prefix", "created_at", "expires_at")
    fields = ("user", "prefix", "created_at", "expires_at")
    list_select_related = ("user",)


@admin.register(WorkerBeat)
class WorkerBeatAdmin(ReadOnlyAdmin):
    list_display = ("worker_id", "host", "pid", "started_at", "beat_at")
    readonly_fields = ("worker_id", "host", "pid", "started_at", "beat_at")
