from __future__ import annotations

from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """For operators looking into a stuck or failed import; users act from the import pages."""

    list_display = (
        "filename",
        "program",
        "kind",
        "status",
        "rows_total",
        "rows_done",
        "created_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("filename",)
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
