from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "maillage.alerts"
    label = "alerts"
    verbose_name = _("Suivi et alertes")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (answers mentoring's signals)
