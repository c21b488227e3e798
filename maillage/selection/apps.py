from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "maillage.selection"
    label = "selection"
    verbose_name = _("Sélection")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import CommitteeOpinion, Criterion, Decision, Review, Score

        # Criteria and scores too: a ranking must be explainable after the fact.
        audited()(Criterion)
        audited()(Score)
        audited()(Review)
        audited()(CommitteeOpinion)
        audited()(Decision)

        from . import receivers  # noqa: F401  (answers the programs' signals)
