from __future__ import annotations

from django.contrib import admin

from .models import DestructionLog, Incident, PrivacyRequest


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    list_display = ["kind", "requester_name", "filed_at", "due_on", "status"]
    list_filter = ["kind", "status"]
    readonly_fields = ["filed_at", "due_on", "answered_at", "handled_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a register keeps its lines


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["discovered_on", "risk", "people_affected", "commission_notified_on"]
    list_filter = ["risk"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Five years kept: the admin's bulk delete bypasses Incident.delete, so it is off too.
        return obj is not None and obj.may_be_deleted()

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(DestructionLog)
class DestructionLogAdmin(admin.ModelAdmin):
    """Read only: the log is written by the retention job and the register's erasures."""

    list_display = ["done_at", "rule", "action", "count", "by", "request"]
    list_filter = ["rule", "action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is not None and obj.may_be_deleted()

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
