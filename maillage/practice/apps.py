from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "maillage.practice"
    label = "practice"
    verbose_name = _("Communautés de pratique")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import Attendance, Feedback, Meeting, Question, Registration, Resource, Series

        # Who registered, who came, who changed a meeting: traceable like every personal datum.
        audited(redact=("description",))(Series)
        audited(redact=("notes",))(Meeting)
        audited()(Resource)
        audited()(Registration)
        audited()(Attendance)
        audited(redact=("text", "answer"))(Question)
        audited(redact=("answers",))(Feedback)

        from . import receivers  # noqa: F401  (answers « Mes programmes » and the network page)
