from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolsConfig(AppConfig):
    name = "maillage.tools"
    label = "tools"
    verbose_name = _("Outils partagés")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import Tool

        # Who shared what, and who opened it to the whole program or network, must be traceable.
        audited()(Tool)
