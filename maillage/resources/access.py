"""Who sees what of a network's resources.

Members' coordinators, the steering committee and the backbone staff see the network's offers
and needs (an organization and a contact role, never a person's details); a coordinator manages
their own organization's; staff manage all. An agreement, which names the contact people, is
seen by its two sides and by staff. Funders see the aggregates on the network page only; anyone
else gets 404, as everywhere in Maillage.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from maillage.core.services import person_for_account
from maillage.measurement.access import Kind, get_network
from maillage.measurement.models import Network, NetworkMember

from .models import Agreement, Resource

VIEWERS = (Kind.STAFF, Kind.STEERING, Kind.MEMBER)


def get_resources_network(request: HttpRequest, pk: int) -> Network:
    network = get_network(request, pk, VIEWERS)
    request.is_network_staff = Kind.STAFF in request.network_roles
    request.my_member_ids = set(my_members(request, network).values_list("pk", flat=True))
    return network


def my_members(request: HttpRequest, network: Network):
    """The member organizations this person coordinates in the network (not all for staff)."""
    if request.user.is_superuser:
        return network.members.select_related("organization")
    return NetworkMember.objects.filter(
        network=network,
        coordinators__person__user=request.user,
        coordinators__kind=Kind.MEMBER,
    ).select_related("organization", "organization__territory")


def postable_members(request: HttpRequest, network: Network):
    """Those this person may post for: all for staff, their own otherwise."""
    if request.is_network_staff:
        return network.members.select_related("organization", "organization__territory")
    return my_members(request, network)


def get_resource(request: HttpRequest, network: Network, res_pk: int) -> Resource:
    return get_object_or_404(
        Resource.objects.select_related("member__organization", "territory", "contact"),
        pk=res_pk,
        network=network,
    )


def may_manage(request: HttpRequest, resource: Resource) -> bool:
    return request.is_network_staff or resource.member_id in request.my_member_ids


def get_own_resource(request: HttpRequest, network: Network, res_pk: int) -> Resource:
    resource = get_resource(request, network, res_pk)
    if not may_manage(request, resource):
        raise Http404
    return resource


def get_agreement(request: HttpRequest, network: Network, agr_pk: int) -> Agreement:
    agreement = get_object_or_404(
        Agreement.objects.select_related(
            "lender__organization",
            "borrower__organization",
            "lender_contact",
            "borrower_contact",
            "offer",
            "need",
        ),
        pk=agr_pk,
        network=network,
    )
    if not (request.is_network_staff or agreement.side_of(request.my_member_ids)):
        raise Http404
    return agreement


def acting_person(request: HttpRequest):
    return person_for_account(request.user)
