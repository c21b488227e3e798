from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maillage.core"
    label = "core"
    verbose_name = _("Personnes et organisations")

    def ready(self) -> None:
        from .audit import audited
        from .models import Organization, Person, ReminderMute, Team, TeamMember

        audited()(Organization)
        audited()(Person)
        audited()(Team)
        audited()(TeamMember)
        # A person's choice is recorded (alerts themselves are recomputed every day).
        audited()(ReminderMute)
