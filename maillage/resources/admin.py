from __future__ import annotations

from django.contrib import admin

from .models import Agreement, IndicatorFeed, Proposal, Resource, Use


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("title", "direction", "kind", "member", "status")
    list_filter = ("direction", "kind", "status", "network")


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("title", "lender", "borrower", "status", "signed_at")
    list_filter = ("status", "network")


admin.site.register(Proposal)
admin.site.register(Use)
admin.site.register(IndicatorFeed)
