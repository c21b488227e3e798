from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "maillage.privacy"
    label = "privacy"
    verbose_name = _("Protection des renseignements personnels")

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_retention_settings

        checks.register(check_retention_settings)
        from django.db.models.signals import pre_delete

        from maillage.core.audit import audited
        from maillage.core.signals import daily_work_due

        from .models import (
            DestructionLog,
            Incident,
            PrivacyRequest,
            keep_destruction_log,
            keep_five_years,
        )
        from .receivers import apply_retention_daily

        pre_delete.connect(keep_five_years, sender=Incident, dispatch_uid="privacy.keep_incidents")
        pre_delete.connect(
            keep_destruction_log, sender=DestructionLog, dispatch_uid="privacy.keep_destructions"
        )
        daily_work_due.connect(apply_retention_daily, dispatch_uid="privacy.apply_retention")

        audited(redact=("details", "answer"))(PrivacyRequest)
        audited()(Incident)
        audited()(DestructionLog)
