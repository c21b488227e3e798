from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "maillage.accreditation"
    label = "accreditation"
    verbose_name = _("Accréditation")

    def ready(self) -> None:
        from maillage.alerts.health import register_check
        from maillage.core.audit import audited

        from .health import check_accreditation
        from .models import Assessor, Document, Dossier, Note, Rating, Submission

        # Who appointed an assessor, who changed a dossier, who rated and decided.
        for model in (Assessor, Dossier, Note, Document, Rating):
            audited()(model)
        # The snapshot is the evidence as submitted, stored whole; the trail keeps the rest.
        audited(redact=("snapshot",))(Submission)
        # The program's health check (a lower floor) reminds before the accreditation expires.
        register_check(check_accreditation)

        from . import receivers  # noqa: F401  (answers « Mes programmes »)
