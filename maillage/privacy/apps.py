from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "maillage.privacy"
    label = "privacy"
    verbose_name = _("Protection des renseignements personnels")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import PrivacyRequest

        audited(redact=("details", "answer"))(PrivacyRequest)
