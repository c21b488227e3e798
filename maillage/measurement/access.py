"""Who sees a network: anyone with a role in it; everyone else gets 404 (like programs)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from .models import Network, NetworkMember, NetworkRole

Kind = NetworkRole.Kind
ANY = tuple(Kind.values)
STAFF = (Kind.STAFF,)


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
