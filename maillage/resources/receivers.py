"""Resources' answers to the pages below: « Mes programmes » (the networks' shared resources and
what waits for this person there) and the network page's sections."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.measurement.models import Network, NetworkRole
from maillage.measurement.signals import network_sections
from maillage.programs.models import Program
from maillage.programs.signals import dashboard_elsewhere

from .access import VIEWERS
from .models import Agreement, Proposal


@receiver(network_sections, sender=Network, dispatch_uid="resources.network_section")
def resources_section(*, network: Network, user: Any, roles: set[str], **_kw: Any) -> list[dict]:
    if not (set(roles) & set(VIEWERS)):
        return []  # funders see the figures only
    return [
        {
            "label": _("Ressources partagées"),
            "url": reverse("resources:home", args=[network.pk]),
            "section": "resources",
        }
    ]


def _waiting(user: Any, network: Network, member_ids: list[int]) -> list[dict[str, str]]:
    items = []
    drafts = Agreement.objects.filter(network=network, status=Agreement.Status.DRAFT).filter(
        Q(lender_id__in=member_ids, lender_signed_at=None)
        | Q(borrower_id__in=member_ids, borrower_signed_at=None)
    )
    for agreement in drafts.order_by("pk"):
        items.append(
            {
                "label": _("Signer l’entente « %(title)s »") % {"title": agreement.title},
                "url": reverse("resources:agreement", args=[network.pk, agreement.pk]),
            }
        )
    proposals = Proposal.objects.filter(network=network, status=Proposal.Status.PROPOSED).filter(
        Q(offer__member_id__in=member_ids) | Q(need__member_id__in=member_ids)
    )
    count = proposals.count()
    if count:
        items.append(
            {
                "label": ngettext(
                    "%(n)d jumelage de ressources proposé dans « %(name)s »",
                    "%(n)d jumelages de ressources proposés dans « %(name)s »",
                    count,
                )
                % {"n": count, "name": network},
                "url": reverse("resources:home", args=[network.pk]),
            }
        )
    return items


@receiver(dashboard_elsewhere, sender=Program, dispatch_uid="resources.my_resources")
def my_resources(*, user: Any, **_kw: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return []
    roles = NetworkRole.objects.filter(person__user=user, kind__in=VIEWERS).select_related(
        "network"
    )
    items: list[dict[str, str]] = []
    seen: set[int] = set()
    for role in roles.order_by("network__name", "pk"):
        network = role.network
        if network.pk in seen:
            continue
        seen.add(network.pk)
        member_ids = list(
            roles.filter(network=network, kind=NetworkRole.Kind.MEMBER)
            .exclude(member=None)
            .values_list("member_id", flat=True)
        )
        items += _waiting(user, network, member_ids)
        items.append(
            {
                "label": _("Offrir ou trouver des ressources dans « %(name)s »")
                % {"name": network},
                "url": reverse("resources:home", args=[network.pk]),
            }
        )
    return items
