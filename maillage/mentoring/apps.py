from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "maillage.mentoring"
    label = "mentoring"
    verbose_name = _("Mentorat")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from . import models as m

        audited()(m.Group)
        audited()(m.GroupMember)
        # Confidential free text is recorded as changed, never copied into the trail; the feed
        # token is a secret.
        audited()(m.Agreement)
        audited()(m.AgreementAcceptance)
        audited(redact=("text",))(m.Need)
        audited(redact=("agenda", "cancel_reason", "reschedule_reason"))(m.Meeting)
        audited()(m.Attendance)
        audited(redact=("text",))(m.MeetingNote)
        audited(redact=("note",))(m.TimeEntry)
        audited(redact=("text",))(m.UpdateMessage)
        audited(redact=("text",))(m.GroupMessage)
        audited(redact=("token",))(m.CalendarFeed)

        from . import (
            receivers,  # noqa: F401  (answers matching's signals)
            revisions,  # noqa: F401  (the groups' fragment revisions)
        )
