from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "maillage.training"
    label = "training"
    verbose_name = _("Formations et parcours d’implantation")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import (
            Assignment,
            Completion,
            FollowUp,
            ImplementationPath,
            Module,
            PathStep,
            Question,
            QuizAttempt,
            Reminder,
            SupportEntry,
        )

        audited(redact=("body",))(Module)
        audited()(Question)
        audited()(Assignment)
        audited()(Completion)
        audited(redact=("answers",))(QuizAttempt)
        audited()(Reminder)
        audited()(ImplementationPath)
        audited(redact=("notes",))(PathStep)
        audited(redact=("note",))(SupportEntry)
        audited(redact=("note",))(FollowUp)

        from . import receivers  # noqa: F401  (answers the programs' and core's signals)
