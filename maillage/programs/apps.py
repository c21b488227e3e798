from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "maillage.programs"
    label = "programs"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import Consent, Program, Role, Track

        audited(redact=("needs",))(Role)
        # Programs and tracks hold no personal data, but who changed a program's rules and when
        # belongs in the trail; a consent's text is long and the same for everyone.
        audited()(Program)
        audited()(Track)
        audited(redact=("text",))(Consent)
