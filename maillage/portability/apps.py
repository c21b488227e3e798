from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortabilityConfig(AppConfig):
    name = "maillage.portability"
    label = "portability"
    verbose_name = _("Importation et exportation")
