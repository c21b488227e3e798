from __future__ import annotations

from django.contrib import admin

from .models import Assignment, Completion, ImplementationPath, Module, PathStep


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "kind", "language", "archived_at")
    list_filter = ("kind", "language")
    search_fields = ("title",)


admin.site.register(Assignment)
admin.site.register(Completion)
admin.site.register(ImplementationPath)
admin.site.register(PathStep)
