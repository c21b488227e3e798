"""Who opens what in the communities of practice; everyone else gets 404.

- the network's backbone staff run every series of their network;
- a series' facilitators run its meetings (attendance, notes, questions, resources);
- the network's members (`models.eligible_people`) see its series, register, get resources;
- funders see the network's aggregates only (the list with counts and satisfaction shares);
- anyone else, a 404, as on every page of a network they may not open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from maillage.core.models import Person
from maillage.measurement.models import Network, NetworkRole

from .models import Meeting, Series, eligible_people

Kind = NetworkRole.Kind


@dataclass(frozen=True)
class Standing:
    person: Person | None
    staff: bool
    member: bool
    funder: bool
    facilitator: bool = False

    @property
    def runs(self) -> bool:
        """Runs the meetings: attendance, notes, questions, resources."""
        return self.staff or self.facilitator


def standing(user: Any, network: Network) -> Standing:
    person = getattr(user, "person", None) if user.is_authenticated else None
    if user.is_authenticated and user.is_superuser:
        return Standing(person, staff=True, member=True, funder=False)
    if person is None:
        return Standing(None, staff=False, member=False, funder=False)
    kinds = set(network.roles.filter(person=person).values_list("kind", flat=True))
    return Standing(
        person,
        staff=Kind.STAFF in kinds,
        member=eligible_people(network).filter(pk=person.pk).exists(),
        funder=Kind.FUNDER in kinds,
    )


def _mark(request: HttpRequest, where: Standing) -> None:
    # The network's pages show their staff's section bar (measurement/network_base.html).
    request.network_roles = {Kind.STAFF} if where.staff else set()


def get_network(request: HttpRequest, pk: int, *, staff: bool = False) -> tuple[Network, Standing]:
    network = Network.objects.filter(pk=pk).first()
    if network is None:
        raise Http404
    where = standing(request.user, network)
    if not (where.staff or (not staff and (where.member or where.funder))):
        raise Http404
    _mark(request, where)
    return network, where


def get_series(request: HttpRequest, pk: int, *, runs: bool = False) -> tuple[Series, Standing]:
    """A series for its network's staff, its facilitators and members (with `runs`: staff and
    facilitators only). Funders get 404: they see aggregates on the network's list."""
    series = get_object_or_404(Series.objects.select_related("network"), pk=pk)
    where = standing(request.user, series.network)
    where = Standing(
        where.person,
        where.staff,
        where.member,
        where.funder,
        facilitator=series.is_led_by(where.person),
    )
    allowed = where.runs if runs else (where.runs or where.member)
    if not allowed:
        raise Http404
    _mark(request, where)
    return series, where


def get_meeting(request: HttpRequest, pk: int, *, runs: bool = False) -> tuple[Meeting, Standing]:
    meeting = get_object_or_404(Meeting.objects.select_related("series__network"), pk=pk)
    series, where = get_series(request, meeting.series_id, runs=runs)
    meeting.series = series
    return meeting, where
