from __future__ import annotations

from django.contrib import admin

from .models import FinalInterview, Invitation, ObserverNote, Question, Questionnaire, Quote, Round


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "kind", "label_fr", "label_en", "required", "audience", "indicator"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "program", "kind"]
    list_filter = ["kind"]
    inlines = [QuestionInline]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["questionnaire", "program", "send_on", "closes_on", "cancelled"]
    list_filter = ["cancelled"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    # No answers here: they are read on the program's pages, where access is checked.
    list_display = ["person", "round", "sent_at", "reminded_at", "submitted_at"]
    readonly_fields = ["sent_at", "reminded_at", "submitted_at", "updated_at"]
    exclude = ["nonce", "token_hash"]


@admin.register(FinalInterview)
class FinalInterviewAdmin(admin.ModelAdmin):
    list_display = ["participant", "program", "held_on", "status", "validated_at"]
    exclude = ["nonce", "token_hash"]


@admin.register(ObserverNote)
class ObserverNoteAdmin(admin.ModelAdmin):
    list_display = ["observed_on", "program", "group", "meeting_ref"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program", "status", "consented_at"]
    exclude = ["nonce", "token_hash"]
