from __future__ import annotations

from django.contrib import admin

from .models import Application, InterestForm, MentorContact, PotentialMentor, Question


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "key", "kind", "label_fr", "label_en", "required", "maps_to"]


@admin.register(InterestForm)
class InterestFormAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "program", "audience", "is_open", "consent_version"]
    list_filter = ["is_open", "audience"]
    search_fields = ["title_fr", "title_en", "program__title"]
    readonly_fields = ["token", "created_at", "updated_at"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["label_fr", "form", "kind", "required", "maps_to", "order"]
    list_filter = ["kind", "required"]
    search_fields = ["label_fr", "label_en", "key"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "program",
        "email",
        "status",
        "submitted_at",
        "duplicate_of",
        "consent_version",
    ]
    list_filter = ["status", "program", "language", "consent_given"]
    search_fields = ["organization_name", "contact_name", "email"]
    raw_id_fields = ["duplicate_of", "person", "organization"]
    readonly_fields = [
        "submitted_at",
        "consent_given",
        "consent_version",
        "consent_language",
        "consent_at",
        "confirmation_sent_at",
        "updated_at",
    ]


class MentorContactInline(admin.TabularInline):
    model = MentorContact
    extra = 0
    fields = ["at", "channel", "summary", "by"]
    raw_id_fields = ["by"]


@admin.register(PotentialMentor)
class PotentialMentorAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "status", "capacity"]
    list_filter = ["status", "program"]
    search_fields = ["person__first_name", "person__last_name", "person__email", "expertise"]
    raw_id_fields = ["person"]
    inlines = [MentorContactInline]


@admin.register(MentorContact)
class MentorContactAdmin(admin.ModelAdmin):
    list_display = ["potential_mentor", "at", "channel"]
    list_filter = ["channel"]
    raw_id_fields = ["potential_mentor", "by"]
