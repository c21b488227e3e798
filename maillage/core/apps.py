from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maillage.core"
    label = "core"
    verbose_name = _("Personnes et organisations")

    def ready(self) -> None:
        from .csrf_random import install

        install()  # CSRF tokens from one read of the OS's random source (core.csrf_random)
        # Regions, MRC, sectors and domains are there after every migrate and every flush (a
        # test that needs real transactions empties the database when it ends).
        post_migrate.connect(_reference_data, sender=self, dispatch_uid="core.reference_data")
        from allauth.account.signals import password_reset

        from .auth import unlock_after_password_reset

        password_reset.connect(unlock_after_password_reset, dispatch_uid="core.unlock_on_reset")
        from .mfa import connect_audit

        connect_audit()  # second factors added, removed or reset go into the audit trail
        from .once import forget_old_submissions
        from .signals import daily_work_due

        daily_work_due.connect(forget_old_submissions, dispatch_uid="core.forget_old_submissions")
        from .ratelimit import forget_old_counts

        daily_work_due.connect(forget_old_counts, dispatch_uid="core.forget_old_counts")

        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="core.start_idle_clock")
        from .audit import audited
        from .models import (
            NotificationPreference,
            Organization,
            Person,
            ReminderMute,
            Team,
            TeamMember,
        )

        audited()(Organization)
        audited()(Person)
        audited()(Team)
        audited()(TeamMember)
        # A person's choice is recorded (alerts themselves are recomputed every day).
        audited()(ReminderMute)
        audited()(NotificationPreference)


def _reference_data(*, apps: Any = None, **_: Any) -> None:
    from .reference import load_reference_data

    load_reference_data(apps)
