"""Operators see the groups a program tracks. Declarations and their consents are not
registered: nobody but the person sees what they declared, an operator neither."""

from __future__ import annotations

from django.contrib import admin

from .models import InclusionGroup


@admin.register(InclusionGroup)
class InclusionGroupAdmin(admin.ModelAdmin):
    list_display = ["label_fr", "program", "key", "target_selected", "target_matched"]
    list_filter = ["program"]
