"""Measurement's answer to « Mes programmes » (maillage.programs.signals): the networks a
person works in, which belong to no program."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.core.signals import daily_work_due
from maillage.programs.models import Program
from maillage.programs.signals import dashboard_elsewhere

from . import services
from .access import networks_of
from .models import NetworkInvitation


@receiver(dashboard_elsewhere, sender=Program, dispatch_uid="measurement.my_networks")
def my_networks(*, user: Any, **_kwargs: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    invitations = [
        {
            "label": _("Répondre à l’invitation à rejoindre le réseau « %(name)s »")
            % {"name": invitation.network},
            "url": reverse("measurement:invitation", args=[invitation.token()]),
        }
        for invitation in NetworkInvitation.objects.filter(
            person__user=user, status=NetworkInvitation.Status.PENDING
        ).select_related("network")
        if invitation.offered_roles()
    ]
    if getattr(user, "is_superuser", False):
        return invitations  # every network would be listed; they reach them from its page
    return invitations + [
        {
            "label": _("Suivre la mesure partagée du réseau « %(name)s »") % {"name": network},
            "url": reverse("measurement:network", args=[network.pk]),
        }
        for network in networks_of(user)
    ]


@receiver(daily_work_due, dispatch_uid="measurement.queue_daily_figures")
def refresh_network_figures(**_: Any) -> int:
    """The programs whose networks' figures are refreshed (not yet of today)."""
    return services.queue_daily_figures()
