"""Who sees what of a network's governance.

Staff of the backbone run it all. Members (a member organization's coordinator, the steering
committee) see the adopted model, its instances and meetings, propose and join ideas and raise a
disagreement. Funders see the adopted model only. Everyone else gets 404, as on every page of
a network they may not open."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from maillage.measurement.access import get_network
from maillage.measurement.models import Network, NetworkRole

Kind = NetworkRole.Kind
STAFF = (Kind.STAFF,)
PARTICIPANTS = (Kind.STAFF, Kind.STEERING, Kind.MEMBER)
ANY = tuple(Kind.values)


def network_for(request: HttpRequest, pk: int, kinds: tuple[str, ...] = ANY) -> Network:
    return get_network(request, pk, kinds)


def is_staff(request: HttpRequest) -> bool:
    return Kind.STAFF in request.network_roles


def is_participant(request: HttpRequest) -> bool:
    return bool(request.network_roles & {Kind.STAFF, Kind.STEERING, Kind.MEMBER})


def version_for(request: HttpRequest, network: Network, version_pk: int):
    """Staff open every version; the others only the adopted one."""
    versions = network.governance_versions.all()
    if not is_staff(request):
        versions = versions.filter(status="adopted")
    version = versions.filter(pk=version_pk).first()
    if version is None:
        raise Http404
    return version


def instance_for(request: HttpRequest, network: Network, instance_pk: int):
    """An instance of this network: any version for staff, the adopted one for members."""
    from .models import Instance

    instances = Instance.objects.filter(version__network=network).select_related("version")
    if not is_staff(request):
        instances = instances.filter(version__status="adopted")
    instance = instances.filter(pk=instance_pk).first()
    if instance is None:
        raise Http404
    return instance
