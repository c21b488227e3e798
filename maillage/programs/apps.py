from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "maillage.programs"
    label = "programs"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import Role

        audited(redact=("needs",))(Role)
