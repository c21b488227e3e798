"""How people reach the communities of practice: « Mes programmes » (members) and the
network's pages (its staff, members and funders)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.measurement.models import Network, NetworkRole
from maillage.measurement.signals import network_sections
from maillage.programs.models import Program
from maillage.programs.signals import dashboard_elsewhere

from .access import standing
from .models import Registration, Series


@receiver(dashboard_elsewhere, sender=Program, dispatch_uid="practice.communities")
def communities(*, user: Any, **_kwargs: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return []
    count = Series.objects.for_member(user).count()
    if not count:
        return []
    n = (
        Registration.objects.filter(person__user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .count()
    )
    label = _("Communautés de pratique")
    if n:
        label += " — " + ngettext("%(n)d inscription", "%(n)d inscriptions", n) % {"n": n}
    else:
        label += " — " + ngettext(
            "%(n)d série ouverte à vous", "%(n)d séries ouvertes à vous", count
        ) % {"n": count}
    return [{"label": label, "url": reverse("practice:mine")}]


@receiver(network_sections, sender=Network, dispatch_uid="practice.network_section")
def section(
    *, network: Network, user: Any, roles: Any = (), **_kwargs: Any
) -> list[dict[str, str]]:
    # The page knows the user's roles in the network already: staff and funders need no query,
    # a member organization's people are looked up (their organization may be the member).
    if not set(roles) & {NetworkRole.Kind.STAFF, NetworkRole.Kind.FUNDER}:
        where = standing(user, network)
        if not (where.staff or where.member or where.funder):
            return []
    return [
        {
            "label": _("Communautés de pratique"),
            "url": reverse("practice:network", args=[network.pk]),
            "name": "practice",
        }
    ]
