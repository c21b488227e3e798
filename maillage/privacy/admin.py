from __future__ import annotations

from django.contrib import admin

from .models import PrivacyRequest


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    list_display = ["kind", "requester_name", "filed_at", "due_on", "status"]
    list_filter = ["kind", "status"]
    readonly_fields = ["filed_at", "due_on", "answered_at", "handled_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a register keeps its lines
