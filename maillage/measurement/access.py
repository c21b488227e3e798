"""Who sees a network: anyone with a role in it; everyone else gets 404 (like programs)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from .models import Network, NetworkMember, NetworkRole

Kind = NetworkRole.Kind
ANY = tuple(Kind.values)
STAFF = (Kind.STAFF,)


def network_roles_of(user: Any) -> list[NetworkRole]:
    """The account's roles in networks, each with its network and member organization, loaded
    once per request and kept on the account (as `privacy.access.has_trail_permission` keeps its
    answer): « Mes programmes » asks for them from six apps and the header once more. By
    network name, then kind."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = getattr(user, "_network_roles", None)
    if roles is None:
        roles = list(
            NetworkRole.objects.filter(person__user=user)
            .select_related("network", "member__organization")
            .order_by("network__name", "network_id", "kind", "pk")
        )
        user._network_roles = roles
    return roles


def networks_of(user: Any, *kinds: str) -> list[Network]:
    """`Network.objects.of_user(user, *kinds)` by name, from the roles loaded once
    (`network_roles_of`). Not for the platform's administrator, who sees every network: the
    callers leave them out."""
    networks: dict[int, Network] = {}
    for role in network_roles_of(user):
        if not kinds or role.kind in kinds:
            networks.setdefault(role.network_id, role.network)
    return list(networks.values())


def get_network(request: HttpRequest, pk: int, kinds: tuple[str, ...] = ANY) -> Network:
    network = Network.objects.of_user(request.user, *kinds).filter(pk=pk).first()
    if network is None:
        raise Http404
    if request.user.is_superuser:
        request.network_roles = set(Kind.values)
    else:
        request.network_roles = set(
            network.roles.filter(person__user=request.user).values_list("kind", flat=True)
        )
    return network


def own_members(request: HttpRequest, network: Network):
    """The members whose figures this person may enter: all for staff, their own otherwise."""
    if Kind.STAFF in request.network_roles:
        return network.members.select_related("organization")
    return NetworkMember.objects.filter(
        coordinators__person__user=request.user,
        coordinators__kind=Kind.MEMBER,
        network=network,
    ).select_related("organization")
