from __future__ import annotations

from django.contrib import admin

from .models import CommitteeOpinion, Criterion, Decision, Review, Score


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["label_fr", "program", "weight", "order", "archived_at"]
    list_filter = ["program"]
    search_fields = ["label_fr", "label_en"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["application", "reviewer", "updated_at"]
    list_filter = ["application__program"]
    list_select_related = ["application", "reviewer"]
    raw_id_fields = ["application", "reviewer"]
    inlines = [ScoreInline]


@admin.register(CommitteeOpinion)
class CommitteeOpinionAdmin(admin.ModelAdmin):
    list_display = ["application", "opinion", "meeting_date", "recorded_by", "recorded_at"]
    list_filter = ["opinion", "application__program"]
    raw_id_fields = ["application"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["application", "outcome", "track", "decided_at", "notified_at"]
    list_filter = ["outcome", "application__program"]
    raw_id_fields = ["application"]
    readonly_fields = ["decided_at", "notified_at", "notified_outcome"]
