from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "maillage.reports"
    label = "reports"
    verbose_name = _("Rapports")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import Report

        # Who edited the recommendations and who published the report must be traceable.
        audited()(Report)

        from . import receivers  # noqa: F401  (answers « Mes programmes »)
