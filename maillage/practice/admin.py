"""For operators only: no user path goes through the admin."""

from __future__ import annotations

from django.contrib import admin

from .models import Meeting, Registration, Resource, Series


class MeetingInline(admin.TabularInline):
    model = Meeting
    fields = ["number", "starts_at", "theme", "online_url", "place"]
    extra = 0


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "capacity", "registration_open", "created_at"]
    list_filter = ["network"]
    inlines = [MeetingInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "series", "status", "requested_at"]
    list_filter = ["status", "series"]
    raw_id_fields = ["person"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "added_at"]
