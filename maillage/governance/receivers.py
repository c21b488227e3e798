"""Governance's answer to « Mes programmes »: the way to each network's governance."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.measurement.access import networks_of
from maillage.programs.models import Program
from maillage.programs.signals import dashboard_elsewhere


@receiver(dashboard_elsewhere, sender=Program, dispatch_uid="governance.my_networks")
def my_governance(*, user: Any, **_kwargs: Any) -> list[dict[str, str]]:
    if getattr(user, "is_superuser", False) or not getattr(user, "is_authenticated", False):
        return []
    return [
        {
            "label": _("Gouvernance du réseau « %(name)s »") % {"name": network},
            "url": reverse("governance:home", args=[network.pk]),
        }
        for network in networks_of(user)
    ]
