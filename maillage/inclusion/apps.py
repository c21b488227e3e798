from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InclusionConfig(AppConfig):
    name = "maillage.inclusion"
    label = "inclusion"
    verbose_name = _("Inclusion")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import InclusionConsent, InclusionGroup

        # The groups a program tracks and the consents are traced like any design or consent.
        # Declarations are NOT: the trail would keep who declared what after a withdrawal erased
        # it. Their services write entries that name the person and the purpose, never a group.
        audited()(InclusionGroup)
        audited()(InclusionConsent)

        from . import receivers  # noqa: F401  (answers the programs' signals)
