from __future__ import annotations

from django.contrib import admin

from .models import Approval, Exclusion, MatchRun, PairConstraint, Proposal, TextVector


class ProposalInline(admin.TabularInline):
    model = Proposal
    extra = 0
    fields = ["order", "mentor_label", "mentee_keys", "score", "status"]
    readonly_fields = fields
    can_delete = False


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["program", "created_at", "mode", "status", "engine_version", "seconds"]
    list_filter = ["program", "status", "mode"]
    readonly_fields = ["instance", "result", "certificate", "problems", "engine_version"]
    inlines = [ProposalInline]


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    list_display = ["proposal", "approved_by", "approved_at", "engine_version"]
    readonly_fields = [
        "proposal",
        "run",
        "approved_by",
        "approved_at",
        "engine_version",
        "inputs",
        "factors",
    ]


@admin.register(PairConstraint)
class PairConstraintAdmin(admin.ModelAdmin):
    list_display = ["program", "kind", "mentor", "mentee", "source", "created_at"]
    list_filter = ["program", "kind"]
    raw_id_fields = ["mentor", "mentee"]


@admin.register(Exclusion)
class ExclusionAdmin(admin.ModelAdmin):
    list_display = ["program", "reason", "declared_by", "mentor", "mentee", "created_at"]
    list_filter = ["program", "reason"]
    raw_id_fields = ["mentor", "mentee"]


@admin.register(TextVector)
class TextVectorAdmin(admin.ModelAdmin):
    list_display = ["program", "key", "side", "encoder", "dim", "updated_at"]
    list_filter = ["side", "encoder"]
    exclude = ["vector"]
