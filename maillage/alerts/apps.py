from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "maillage.alerts"
    label = "alerts"
    verbose_name = _("Suivi et alertes")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import Alert, ReminderMute

        # Evidence can quote update messages (confidential): the trail records that it changed.
        audited(redact=("evidence",))(Alert)
        audited()(ReminderMute)
