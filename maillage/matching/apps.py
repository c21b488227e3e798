from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "maillage.matching"
    label = "matching"
    verbose_name = _("Jumelage")

    def ready(self) -> None:
        from maillage.core.audit import audited

        from . import (
            receivers,  # noqa: F401  (answers the programs' signals)
            receivers_speeddating,  # noqa: F401  (connects the dashboard's steps)
        )
        from .models import (
            Approval,
            Exclusion,
            MatchRequest,
            MatchRun,
            PairConstraint,
            ProfileCard,
            SelfMatching,
            SpeedDatingEvent,
            SpeedDatingMeeting,
            SpeedDatingRanking,
        )

        # Runs and approvals hold names and scores about people: every change is traced, but
        # the bulky JSON is recorded as "changed" rather than copied into the trail.
        audited(redact=("instance", "result", "certificate", "problems"))(MatchRun)
        audited(redact=("inputs", "factors"))(Approval)
        audited()(PairConstraint)
        audited(redact=("note",))(Exclusion)
        # Speed dating: the event, its rotation and each side's ranking of the people it met.
        audited(redact=("rotation",))(SpeedDatingEvent)
        audited()(SpeedDatingMeeting)
        audited()(SpeedDatingRanking)
        audited()(SelfMatching)
        audited(redact=("intro",))(ProfileCard)
        audited(redact=("message", "answer", "coordinator_reason"))(MatchRequest)
