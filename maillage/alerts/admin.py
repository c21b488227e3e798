from __future__ import annotations

from django.contrib import admin

from maillage.core.models import ReminderMute

from .models import Alert, AlertRecipient, DailyRun


class RecipientInline(admin.TabularInline):
    model = AlertRecipient
    extra = 0
    raw_id_fields = ("person",)


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("kind", "program", "group", "severity", "first_seen_on", "resolved_at")
    list_filter = ("kind", "severity")
    search_fields = ("cause_key",)
    inlines = [RecipientInline]


@admin.register(ReminderMute)
class ReminderMuteAdmin(admin.ModelAdmin):
    list_display = ("person", "kind", "created_at")
    raw_id_fields = ("person",)


@admin.register(DailyRun)
class DailyRunAdmin(admin.ModelAdmin):
    list_display = ("day", "programs", "started_at", "finished_at")
