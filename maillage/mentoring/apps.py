from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "maillage.mentoring"
    label = "mentoring"
    verbose_name = _("Mentorat")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from .models import Group, GroupMember

        audited()(Group)
        audited()(GroupMember)
