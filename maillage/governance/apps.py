from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "maillage.governance"
    label = "governance"
    verbose_name = _("Gouvernance collective")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from . import models

        # Who changed the model, sat where, decided what or raised a disagreement is traceable.
        for model in (
            models.Version,
            models.Instance,
            models.Seat,
            models.Link,
            models.Meeting,
            models.Decision,
            models.Idea,
            models.DisagreementStep,
        ):
            audited()(model)
        audited(redact=("description",))(models.Disagreement)
        audited()(models.SeatHolder)

        from . import receivers  # noqa: F401  (answers « Mes programmes »)
