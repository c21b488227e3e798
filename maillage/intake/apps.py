from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "maillage.intake"
    label = "intake"
    verbose_name = _("Recrutement")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import Application, MentorContact, PotentialMentor

        audited(redact=("answers",))(Application)
        audited()(PotentialMentor)
        audited()(MentorContact)

        from . import receivers  # noqa: F401  (answers the programs' signals)
