from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "maillage.evaluation"
    label = "evaluation"
    verbose_name = _("Évaluation")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import Answer, FinalInterview, Invitation, ObserverNote, Quote

        # Answers and notes are confidential free text: the trail records that they changed.
        audited(redact=("value", "value_text"))(Answer)
        audited(redact=("token_hash", "nonce"))(Invitation)
        audited(
            redact=(
                "learning",
                "objectives",
                "appreciation",
                "recommendations",
                "token_hash",
                "nonce",
                "participant_comment",
            )
        )(FinalInterview)
        audited(redact=("notes",))(ObserverNote)
        audited(redact=("passage", "consent_text", "token_hash", "nonce"))(Quote)

        from . import receivers  # noqa: F401  (answers the programs' signals)
