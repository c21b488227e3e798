"""The directory's answer to « Mes programmes » (maillage.programs.signals): the directory of
each network a person works in, and a member's coordinator's own profile."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.measurement.access import network_roles_of
from maillage.measurement.models import NetworkRole
from maillage.programs.models import Program
from maillage.programs.signals import dashboard_elsewhere


@receiver(dashboard_elsewhere, sender=Program, dispatch_uid="directory.my_directories")
def my_directories(*, user: Any, **_kwargs: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return []
    links = []
    seen = set()
    for role in network_roles_of(user):
        if role.network_id not in seen:
            seen.add(role.network_id)
            links.append(
                {
                    "label": _("Annuaire des organisations du réseau « %(name)s »")
                    % {"name": role.network},
                    "url": reverse("directory:directory", args=[role.network_id]),
                }
            )
        if role.kind == NetworkRole.Kind.MEMBER and role.member is not None:
            links.append(
                {
                    "label": _("Fiche de « %(org)s » dans l’annuaire : ce qu’elle montre et à qui")
                    % {"org": role.member.organization},
                    "url": reverse(
                        "directory:organization",
                        args=[role.network_id, role.member.organization_id],
                    ),
                }
            )
    return links
