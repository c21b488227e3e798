from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "maillage.privacy"
    label = "privacy"
    verbose_name = _("Protection des renseignements personnels")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from maillage.core.audit import audited

        from .models import Incident, PrivacyRequest, keep_five_years

        pre_delete.connect(keep_five_years, sender=Incident, dispatch_uid="privacy.keep_incidents")

        audited(redact=("details", "answer"))(PrivacyRequest)
        audited()(Incident)
