"""Reads that span several models for the pages that run a network and share a program."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, Prefetch, QuerySet, Value, When

from maillage.core.models import Organization
from maillage.programs.models import Program

from .models import Indicator, MemberProgram, Network, NetworkMember, NetworkRole


def members_of(network: Network) -> QuerySet[NetworkMember]:
    """The member organizations with the programs that feed the network (and who consented),
    their coordinators and how many values they hold (a member with values stays)."""
    return (
        network.members.select_related("organization__territory")
        .prefetch_related(
            Prefetch(
                "programs",
                queryset=MemberProgram.objects.select_related("program", "consent_by").order_by(
                    "program__title"
                ),
            ),
            Prefetch(
                "coordinators",
                queryset=NetworkRole.objects.select_related("person").order_by(
                    "person__last_name", "person__first_name"
                ),
            ),
        )
        .annotate(values=Count("measurements"))
        .order_by("organization__name")
    )


def directory_for(network: Network) -> QuerySet[Organization]:
    """Organizations of the directory that are not members yet: the add form proposes them."""
    return (
        Organization.objects.exclude(network_memberships__network=network)
        .select_related("territory")
        .order_by("name")
    )


def roles_of(network: Network) -> QuerySet[NetworkRole]:
    """Roles in the order of the choices (staff first), then by name."""
    rank = Case(
        *(When(kind=kind, then=Value(i)) for i, kind in enumerate(NetworkRole.Kind.values)),
        default=Value(len(NetworkRole.Kind.values)),
    )
    return (
        network.roles.select_related("person__user", "member__organization")
        .annotate(rank=rank)
        .order_by("rank", "person__last_name", "person__first_name")
    )


@dataclass
class Membership:
    """A network the program's coordinating organization belongs to, and the program's sharing
    with it (None when not shared)."""

    member: NetworkMember
    link: MemberProgram | None
    computed: list[Indicator]  # what the network computes from its members' programs


def memberships_of(program: Program) -> list[Membership]:
    if program.coordinating_organization_id is None:
        return []
    members = (
        NetworkMember.objects.filter(organization_id=program.coordinating_organization_id)
        .select_related("network__backbone", "organization")
        .order_by("network__name")
    )
    links = {
        link.member_id: link
        for link in MemberProgram.objects.filter(
            program=program, member__in=members
        ).select_related("consent_by")
    }
    computed: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(
        network__members__in=members, kind=Indicator.Kind.COMPUTED
    ):
        computed[indicator.network_id].append(indicator)
    return [
        Membership(member=m, link=links.get(m.pk), computed=computed[m.network_id]) for m in members
    ]
