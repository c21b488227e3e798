from __future__ import annotations

from django.contrib import admin

from .models import Tool


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "type", "direction", "reuse", "planned", "created_at"]
    list_filter = ["type", "direction", "reuse", "planned"]
    search_fields = ["title", "theme", "description"]
    # The file is checked on the way in by services.add_tool; the admin must not bypass that.
    readonly_fields = ["file", "original_name", "content_type", "size", "direction", "created_at"]
    raw_id_fields = ["group", "shared_by", "public_confirmed_by"]
