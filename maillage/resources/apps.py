from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "maillage.resources"
    label = "resources"
    verbose_name = _("Ressources mutualisées")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import Agreement, IndicatorFeed, Proposal, Resource, Use

        # Who posted, changed, signed or used a shared resource must be traceable.
        audited(redact=("description", "conditions"))(Resource)
        audited(redact=("criteria",))(Proposal)
        audited(redact=("responsibilities", "conditions"))(Agreement)
        audited(redact=("note",))(Use)
        audited()(IndicatorFeed)

        from . import receivers  # noqa: F401  (answers « Mes programmes » and the network page)
