from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "maillage.directory"
    label = "directory"
    verbose_name = _("Annuaire des organisations")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import DirectoryOptions, PhaseChange, Profile

        # Who opened a profile to the public, or dated a phase, must be traceable.
        audited()(Profile)
        audited()(DirectoryOptions)
        audited(redact=("note",))(PhaseChange)

        from . import receivers  # noqa: F401  (answers « Mes programmes »)
