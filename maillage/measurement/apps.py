from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    name = "maillage.measurement"
    label = "measurement"
    verbose_name = _("Mesure partagée")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import (
            Baseline,
            Indicator,
            Measurement,
            MemberProgram,
            NetworkMember,
            NetworkRole,
            PlanTarget,
        )

        # Who changed a figure, a target, a member or a right of access must be traceable.
        for model in (
            Indicator,
            Baseline,
            PlanTarget,
            Measurement,
            NetworkMember,
            MemberProgram,
            NetworkRole,
        ):
            audited()(model)

        from . import receivers  # noqa: F401  (answers « Mes programmes »)
