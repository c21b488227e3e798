"""Resources' answers to the pages below: « Mes programmes » (the networks' shared resources and
what waits for this person there) and the network page's sections."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.measurement.access import network_roles_of
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


def _waiting(member_ids: list[int], networks: dict[int, Network]) -> dict[int, list[dict]]:
    """Per network: the draft agreements a member of the user's still has to sign, then the
    resource matches proposed to them, in two queries whatever the number of networks."""
    items: dict[int, list[dict[str, str]]] = {}
    if not member_ids:
        return items  # only a member's coordinator signs or is proposed anything
    drafts = Agreement.objects.filter(
        network_id__in=list(networks), status=Agreement.Status.DRAFT
    ).filter(
        Q(lender_id__in=member_ids, lender_signed_at=None)
        | Q(borrower_id__in=member_ids, borrower_signed_at=None)
    )
    for agreement in drafts.order_by("pk").only("pk", "network_id", "title"):
        items.setdefault(agreement.network_id, []).append(
            {
                "label": _("Signer l’entente « %(title)s »") % {"title": agreement.title},
                "url": reverse("resources:agreement", args=[agreement.network_id, agreement.pk]),
            }
        )
    proposed = (
        Proposal.objects.filter(network_id__in=list(networks), status=Proposal.Status.PROPOSED)
        .filter(Q(offer__member_id__in=member_ids) | Q(need__member_id__in=member_ids))
        .values_list("network_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for network_id, count in proposed:
        items.setdefault(network_id, []).append(
            {
                "label": ngettext(
                    "%(n)d jumelage de ressources proposé dans « %(name)s »",
                    "%(n)d jumelages de ressources proposés dans « %(name)s »",
                    count,
                )
                % {"n": count, "name": networks[network_id]},
                "url": reverse("resources:home", args=[network_id]),
            }
        )
    return items


@receiver(dashboard_elsewhere, sender=Program, dispatch_uid="resources.my_resources")
def my_resources(*, user: Any, **_kw: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return []
    roles = [role for role in network_roles_of(user) if role.kind in VIEWERS]
    networks = {role.network_id: role.network for role in roles}  # by name
    waiting = _waiting(
        [r.member_id for r in roles if r.kind == NetworkRole.Kind.MEMBER and r.member_id],
        networks,
    )
    items: list[dict[str, str]] = []
    for network in networks.values():
        items += waiting.get(network.pk, [])
        items.append(
            {
                "label": _("Offrir ou trouver des ressources dans « %(name)s »")
                % {"name": network},
                "url": reverse("resources:home", args=[network.pk]),
            }
        )
    return items
