from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "maillage.alerts"
    label = "alerts"
    verbose_name = _("Suivi et alertes")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import ReminderMute

        # A person's choice is recorded; alerts themselves are recomputed from recorded data
        # every day (auditing each refresh would bury the trail).
        audited()(ReminderMute)
