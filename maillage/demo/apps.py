from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The fictional demo programs, the pilot replay and the demo network (floor 9, no models)."""

    name = "maillage.demo"
    label = "demo"
    verbose_name = _("Démonstration")
