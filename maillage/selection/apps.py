from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "maillage.selection"
    label = "selection"
    verbose_name = _("Sélection")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import CommitteeOpinion, Decision, Review

        audited()(Review)
        audited()(CommitteeOpinion)
        audited()(Decision)
