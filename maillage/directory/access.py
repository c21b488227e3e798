"""Who opens the directory of a network: anyone with a role in it (staff, steering committee,
funders, members' coordinators); the public page only when the network published it. Everyone
else gets 404, as on every page of a network."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from maillage.measurement.access import STAFF, Kind, get_network
from maillage.measurement.models import Network, NetworkMember

from .models import Audience, DirectoryOptions
from .visibility import PUBLIC, Viewer


def viewer_in(request: HttpRequest, network: Network) -> Viewer:
    """After `get_network`: the audience this person reads the directory as."""
    if Kind.STAFF in request.network_roles:
        return Viewer(Audience.PRIVATE)
    own = NetworkMember.objects.filter(
        network=network,
        coordinators__person__user=request.user,
        coordinators__kind=Kind.MEMBER,
    ).values_list("pk", flat=True)
    return Viewer(Audience.NETWORK, frozenset(own))


def get_directory(request: HttpRequest, pk: int) -> tuple[Network, Viewer]:
    network = get_network(request, pk)
    return network, viewer_in(request, network)


def get_staff_directory(request: HttpRequest, pk: int) -> Network:
    return get_network(request, pk, STAFF)


def get_editable_member(
    request: HttpRequest, pk: int, org_pk: int
) -> tuple[Network, NetworkMember, Viewer]:
    """The membership whose profile this person edits: any for staff, their own for a member's
    coordinator; 404 for everyone else (another member's coordinator included)."""
    network, viewer = get_directory(request, pk)
    member = get_object_or_404(
        network.members.select_related("organization"), organization_id=org_pk
    )
    if not (viewer.is_staff or member.pk in viewer.own):
        raise Http404
    return network, member, viewer


def get_public_directory(pk: int) -> tuple[Network, Viewer]:
    options = DirectoryOptions.objects.filter(network_id=pk, public=True).first()
    if options is None:
        raise Http404
    return options.network, PUBLIC
