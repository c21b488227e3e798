"""Reads that span several models for the pages that run a network and share a program."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Prefetch, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Organization, Person
from maillage.core.tables import Table, number
from maillage.programs.models import Program

from .aggregation import IndicatorView, export_rows
from .models import Indicator, Measurement, MemberProgram, Network, NetworkMember, NetworkRole


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


# --- Tables as files (the same rows as the pages, for `table_download`) ----------------------


def network_table(views: list[IndicatorView]) -> Table:
    """The network page's aggregates: what every role sees, never a member's figures."""
    headers = [
        _("Code"),
        _("Indicateur"),
        _("Unité"),
        _("Date"),
        _("Réel"),
        _("Cible du plan"),
        _("Valeur de référence"),
    ]
    return headers, export_rows(views)


def member_figures_table(views: list[IndicatorView]) -> Table:
    """The staff's tables by member organization, one row per organization and date, with the
    network row under each indicator as on the page: x where the page shows x."""
    headers = [
        _("Code"),
        _("Indicateur"),
        _("Unité"),
        _("Organisation membre"),
        _("Date"),
        _("Valeur"),
    ]
    rows: list[list[Any]] = []
    for view in views:
        if not view.member_rows:
            continue
        ind = view.indicator
        lines = [
            (name, values)
            for (name, _cells), values in zip(view.member_rows, view.member_values, strict=True)
        ]
        if view.member_totals:
            total = (
                _("Réseau, sur la période") if ind.kind == Indicator.Kind.ENTERED else _("Réseau")
            )
            lines.append((total, view.member_total_values))
        for name, values in lines:
            for on, value in zip(view.columns, values, strict=True):
                rows.append([ind.code, ind.label, ind.unit, name, on.isoformat(), value])
    return headers, rows


def members_table(members: Iterable[NetworkMember]) -> Table:
    """The members page (`members_of`): one row per program a member shares, with who consented
    and when; a member sharing none has one row without a program."""
    headers = [
        _("Organisation"),
        _("Territoire"),
        _("Membre depuis"),
        _("Programme partagé avec le réseau"),
        _("Consentement de"),
        _("Consentement le"),
        _("Coordination dans le réseau"),
        _("Valeurs"),
    ]
    rows: list[list[Any]] = []
    for member in members:
        org = member.organization
        start = [
            org.name,
            str(org.territory) if org.territory else "",
            member.joined_on.isoformat() if member.joined_on else "",
        ]
        end = [", ".join(r.person.full_name for r in member.coordinators.all()), member.values]
        links = list(member.programs.all())
        for link in links:
            consent_by = link.consent_by.full_name if link.consent_by else ""
            consent_at = timezone.localdate(link.consent_at).isoformat() if link.consent_at else ""
            rows.append([*start, link.program.title, consent_by, consent_at, *end])
        if not links:
            rows.append([*start, "", "", "", *end])
    return headers, rows


def roles_table(roles: Iterable[NetworkRole]) -> Table:
    """The roles page (`roles_of`): persons, their role, member organization and account."""
    headers = [
        _("Personne"),
        _("Courriel"),
        _("Rôle"),
        _("Organisation membre"),
        _("Compte Maillage"),
    ]
    rows = [
        [
            role.person.full_name,
            role.person.email,
            role.get_kind_display(),
            role.member.organization.name if role.member else "",
            # The page's « Compte Maillage » column: active, invited on…, none yet.
            str(Person.Account(role.person.account_state()).label),
        ]
        for role in roles
    ]
    return headers, rows


def recent_values(indicator: Indicator, members: QuerySet[NetworkMember]) -> QuerySet[Measurement]:
    """The values entered for these members (the entry page's table: one's own members only)."""
    return indicator.measurements.filter(member__in=members, program=None).select_related(
        "member__organization"
    )


def recent_table(indicator: Indicator, recent: Iterable[Measurement]) -> Table:
    headers = [
        _("Organisation"),
        _("Début de la période"),
        _("Fin de la période"),
        _("Valeur"),
        _("Unité"),
    ]
    rows = [
        [
            str(m.member.organization),
            m.period_start.isoformat(),
            m.period_end.isoformat(),
            number(m.value),
            indicator.unit,
        ]
        for m in recent
    ]
    return headers, rows


def targets_table(indicator: Indicator) -> Table:
    """The plan page's targets."""
    rows = [[t.date.isoformat(), number(t.value)] for t in indicator.targets.all()]
    return [_("Date"), _("Cible")], rows
