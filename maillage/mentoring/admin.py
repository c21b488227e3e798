from __future__ import annotations

from django.contrib import admin

from .models import Group, GroupMember


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    raw_id_fields = ["role"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "track", "status", "approved_by", "approved_at"]
    list_filter = ["program", "status"]
    search_fields = ["name"]
    raw_id_fields = ["created_from", "mentor_team"]
    inlines = [GroupMemberInline]
